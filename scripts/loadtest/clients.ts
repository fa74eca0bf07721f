import { randomUUID } from "node:crypto";
import http from "node:http";

// The load test's API clients, and the load balancer in front of the instances: each client raises a
// request (the raiser's key, a fresh Device), adds a note, answers it with an Install Code (the
// assignee's key) and closes it (the raiser's key), again and again until the time is up. Calls
// alternate between the instances; a refused or reset connection goes to the other one; a 503 (or a
// 429, or a 409 "still being answered") waits its Retry-After and sends the same call again with the
// same Idempotency-Key. Every answer is recorded.

export type Operation = "raise" | "note" | "answer" | "close";
export type Outcome = number | "refused" | "reset" | "timeout";

/** One answer (or failed attempt): when it was sent (ms since the load began), where, what came back. */
/** `busy`: a 503 saying the portal is overloaded (every pooled connection busy), not that the database is gone. */
export type Attempt = { at: number; instance: number; op: Operation; outcome: Outcome; ms: number; busy?: boolean };

export type Instance = { index: number; port: number; agent: http.Agent };

export type Successes = {
  /** Reference -> the Device it was raised for. */
  raised: Map<string, string>;
  /** Raises answered 409 "already open" on a retry: the first attempt committed but its answer was lost (a 503 or a reset). */
  raisedFoundOnRetry: Set<string>;
  notes: Map<string, number>;
  answered: Set<string>;
  closed: Set<string>;
};

/** An answer that is none of the expected ones (printed, and a failure of the run). */
export type Unexpected = { op: Operation; status: number; code: string | undefined; message: string | undefined };

export type LoadState = {
  startedAt: number;
  attempts: Attempt[];
  successes: Successes;
  unexpected: Unexpected[];
  /** Calls given up when the retry bound passed (never answered). */
  abandoned: { op: Operation; lastOutcome: Outcome }[];
  /** Each request's calls that needed more than one attempt: "note: 503 409 201" (to explain a finding). */
  retried: Map<string, string[]>;
};

export type LoadOptions = {
  instances: Instance[];
  host: string;
  raiserKey: string;
  /** The Device's pre-notifying Supplier's key, by Device. */
  assigneeKeyFor: (deviceId: string) => string;
  nextDevice: () => string;
  installCode: string;
  /** Clients start no new cycle after this (Date.now()). */
  endsAt: number;
  /** A call still retrying after this is abandoned (Date.now()). */
  giveUpAt: number;
  requestTimeoutMs: number;
};

type Answer = { status: number; headers: http.IncomingHttpHeaders; json: Record<string, unknown> | null; history?: Outcome[] };

function send(instance: Instance, host: string, method: string, path: string, key: string, body: unknown, idempotencyKey: string, timeoutMs: number): Promise<Answer> {
  const text = body === undefined ? "" : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: instance.port,
        method,
        path,
        agent: instance.agent,
        headers: {
          host,
          authorization: `Bearer ${key}`,
          "idempotency-key": idempotencyKey,
          ...(text ? { "content-type": "application/json", "content-length": Buffer.byteLength(text) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          let json: Record<string, unknown> | null = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
          } catch {
            json = null;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, json });
        });
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error("timeout"), { code: "LOADTEST_TIMEOUT" })));
    request.on("error", reject);
    request.end(text);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(headers: http.IncomingHttpHeaders, fallbackSeconds: number): number {
  const seconds = Number(headers["retry-after"]);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds) * 1000;
}

function errorOf(answer: Answer): { code: string | undefined; message: string | undefined; details: Record<string, unknown> } {
  const error = (answer.json?.error ?? {}) as Record<string, unknown>;
  return { code: typeof error.code === "string" ? error.code : undefined, message: typeof error.message === "string" ? error.message : undefined, details: error };
}

/** A call with its retries: the final answer, or null when abandoned. */
async function call(state: LoadState, options: LoadOptions, turn: { next: number }, op: Operation, path: string, key: string, body: unknown): Promise<Answer | null> {
  const idempotencyKey = randomUUID();
  let last: Outcome = 0;
  let refusedInARow = 0;
  const history: Outcome[] = [];
  for (;;) {
    if (Date.now() > options.giveUpAt) {
      state.abandoned.push({ op, lastOutcome: last });
      return null;
    }
    const instance = options.instances[turn.next++ % options.instances.length];
    const started = Date.now();
    let answer: Answer;
    try {
      answer = await send(instance, options.host, "POST", path, key, body, idempotencyKey, options.requestTimeoutMs);
    } catch (error) {
      const code = (error as { code?: string }).code;
      last = code === "ECONNREFUSED" ? "refused" : code === "LOADTEST_TIMEOUT" ? "timeout" : "reset";
      history.push(last);
      state.attempts.push({ at: started - state.startedAt, instance: instance.index, op, outcome: last, ms: Date.now() - started });
      // Refused or reset: the next turn is the other instance. Every instance refused: wait a moment.
      refusedInARow = last === "refused" ? refusedInARow + 1 : 0;
      if (refusedInARow >= options.instances.length) {
        refusedInARow = 0;
        await pause(500);
      }
      continue;
    }
    last = answer.status;
    history.push(last);
    refusedInARow = 0;
    const busy = answer.status === 503 && /busy/i.test(errorOf(answer).message ?? "");
    state.attempts.push({ at: started - state.startedAt, instance: instance.index, op, outcome: answer.status, ms: Date.now() - started, ...(busy ? { busy } : {}) });
    if (answer.status === 503 || answer.status === 429) {
      await pause(retryAfterMs(answer.headers, 5));
      continue;
    }
    // The same key still being answered (its first call's answer was lost): wait as told.
    if (answer.status === 409 && answer.headers["retry-after"]) {
      await pause(retryAfterMs(answer.headers, 2));
      continue;
    }
    return { ...answer, history };
  }
}

/** One client: cycles of raise, note, answer, close until `endsAt`. */
export async function runClient(state: LoadState, options: LoadOptions, clientIndex: number): Promise<void> {
  const turn = { next: clientIndex };
  const base = "/api/v1/install-code-requests";
  const unexpected = (op: Operation, answer: Answer) => {
    const { code, message } = errorOf(answer);
    state.unexpected.push({ op, status: answer.status, code, message });
  };
  while (Date.now() < options.endsAt) {
    const deviceId = options.nextDevice();
    const raised = await call(state, options, turn, "raise", base, options.raiserKey, { deviceId });
    if (!raised) return;
    let reference: string;
    if (raised.status === 201 && typeof raised.json?.reference === "string") {
      reference = raised.json.reference;
      state.successes.raised.set(reference, deviceId);
    } else {
      // A retry of a raise that did commit (its answer was a 503 or lost with the connection) now
      // finds the request open: the same Device, a new key's answer. Its reference is in the refusal.
      const { code, details } = errorOf(raised);
      if (raised.status === 409 && code === "CONFLICT" && typeof details.reference === "string") {
        reference = details.reference;
        state.successes.raisedFoundOnRetry.add(reference);
        state.successes.raised.set(reference, deviceId);
      } else {
        unexpected("raise", raised);
        continue;
      }
    }
    const path = `${base}/${reference}`;
    const noteRetries = (op: Operation, answer: Answer) => {
      if ((answer.history?.length ?? 0) > 1) state.retried.set(reference, [...(state.retried.get(reference) ?? []), `${op}: ${answer.history!.join(" ")}`]);
    };
    noteRetries("raise", raised);
    const noted = await call(state, options, turn, "note", `${path}/notes`, options.raiserKey, { body: `Load test note from client ${clientIndex}` });
    if (!noted) return;
    noteRetries("note", noted);
    if (noted.status === 201) state.successes.notes.set(reference, (state.successes.notes.get(reference) ?? 0) + 1);
    else unexpected("note", noted);
    const answered = await call(state, options, turn, "answer", `${path}/install-code`, options.assigneeKeyFor(deviceId), { installCode: options.installCode });
    if (!answered) return;
    noteRetries("answer", answered);
    if (answered.status === 200) state.successes.answered.add(reference);
    else unexpected("answer", answered);
    const closed = await call(state, options, turn, "close", `${path}/close`, options.raiserKey, {});
    if (!closed) return;
    noteRetries("close", closed);
    if (closed.status === 200) state.successes.closed.add(reference);
    else unexpected("close", closed);
  }
}

/** A GET with the load balancer's Host header: 200 or not (health checks while starting). */
export function getStatus(port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request({ host: "127.0.0.1", port, path, method: "GET", agent: false, headers: { host } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.setTimeout(5_000, () => request.destroy());
    request.on("error", () => resolve(0));
    request.end();
  });
}
