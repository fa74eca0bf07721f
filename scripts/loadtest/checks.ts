import pg from "pg";
import { formatReference, parseReference } from "../../lib/requests/reference";
import type { MessageSink } from "./sink";
import type { Successes } from "./clients";

// What the load test counts afterwards, in the database and at the mail server: every answered
// success is there with its timeline and its outbox rows, and every email went out exactly once.

export type Finding = { check: string; ok: boolean; detail: string };

type RequestRow = { id: string; number: number; status: string };

/** Waits until no Email row is PENDING any more (or `limitMs` passes); returns how long it took, or null. */
export async function waitForOutbox(url: string, limitMs: number): Promise<{ ms: number | null; pending: number }> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (;;) {
      const pending = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Email" WHERE "status" = 'PENDING'`)).rows[0].n);
      if (pending === 0) return { ms: Date.now() - started, pending };
      if (Date.now() - started > limitMs) return { ms: null, pending };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await client.end();
  }
}

export async function checkEverything(url: string, raiserOrganisationCode: string, successes: Successes, retried: Map<string, string[]>, sink: MessageSink): Promise<{ findings: Finding[]; counts: Record<string, number> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const findings: Finding[] = [];
    const check = (name: string, problems: string[], okDetail: string) =>
      findings.push({ check: name, ok: problems.length === 0, detail: problems.length === 0 ? okDetail : `${problems.length}: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? "; …" : ""}` });

    const requests = (
      await client.query<RequestRow>(
        `SELECT r."id", r."number", r."status" FROM "InstallCodeRequest" r JOIN "Organisation" o ON o."id" = r."raisingOrganisationId" WHERE o."code" = $1`,
        [raiserOrganisationCode],
      )
    ).rows;
    const byNumber = new Map(requests.map((r) => [r.number, r]));
    const events = new Map<string, Map<string, number>>();
    for (const row of (await client.query<{ requestId: string; type: string; n: string }>(`SELECT "requestId", "type", count(*) AS n FROM "RequestEvent" GROUP BY 1, 2`)).rows) {
      if (!events.has(row.requestId)) events.set(row.requestId, new Map());
      events.get(row.requestId)!.set(row.type, Number(row.n));
    }
    const eventCount = (requestId: string, type: string) => events.get(requestId)?.get(type) ?? 0;
    const emails = (await client.query<{ id: string; requestId: string | null; requestIds: string[]; status: string; messageId: string | null }>(`SELECT "id", "requestId", "requestIds", "status", "messageId" FROM "Email"`)).rows;
    const emailsByRequest = new Map<string, { queued: number; sent: number }>();
    for (const email of emails) {
      for (const requestId of email.requestId ? [email.requestId] : email.requestIds) {
        const entry = emailsByRequest.get(requestId) ?? { queued: 0, sent: 0 };
        entry.queued++;
        if (email.status === "SENT") entry.sent++;
        emailsByRequest.set(requestId, entry);
      }
    }

    // 1. Every answered success is in the database, with its events.
    const missing: string[] = [];
    const lostEvents: string[] = [];
    const doubled: string[] = [];
    const wrongStatus: string[] = [];
    for (const [reference] of successes.raised) {
      const row = byNumber.get(parseReference(reference)!);
      if (!row) {
        missing.push(`${reference} (${(retried.get(reference) ?? ["no retries"]).join(", ")})`);
        continue;
      }
      const want: [string, number][] = [
        ["RAISED", 1],
        ["NOTE_ADDED", successes.notes.get(reference) ?? 0],
        ["INSTALL_CODE_PROVIDED", successes.answered.has(reference) ? 1 : 0],
        ["CLOSED", successes.closed.has(reference) ? 1 : 0],
      ];
      for (const [type, n] of want) {
        const got = eventCount(row.id, type);
        if (got < n) lostEvents.push(`${reference} ${type} ${got}/${n}`);
        // More than answered: a retry with the same Idempotency-Key acted a second time.
        if (got > n && (type === "NOTE_ADDED" || n > 0)) doubled.push(`${reference} ${type} ${got} (answered ${n}; ${(retried.get(reference) ?? ["no retries"]).join(", ")})`);
      }
      const status = successes.closed.has(reference) ? "CLOSED" : null;
      if (status && row.status !== status) wrongStatus.push(`${reference} is ${row.status}, answered closed`);
    }
    check("Every 201 raise is in the database", missing, `${successes.raised.size} of ${successes.raised.size}`);
    check("Each success has its timeline event (RAISED, NOTE_ADDED, INSTALL_CODE_PROVIDED, CLOSED)", [...lostEvents, ...wrongStatus], "all present");
    check("No action done twice (an event more than its success answers)", doubled, "none");

    // 2. Its outbox rows: each request's emails each with an EMAIL_QUEUED event, and an EMAIL_SENT per sent one.
    const withoutEmails: string[] = [];
    const queuedMismatch: string[] = [];
    const sentMismatch: string[] = [];
    for (const [reference] of successes.raised) {
      const row = byNumber.get(parseReference(reference)!);
      if (!row) continue;
      const mine = emailsByRequest.get(row.id) ?? { queued: 0, sent: 0 };
      if (mine.queued === 0) withoutEmails.push(reference);
      if (eventCount(row.id, "EMAIL_QUEUED") !== mine.queued) queuedMismatch.push(`${reference} EMAIL_QUEUED ${eventCount(row.id, "EMAIL_QUEUED")} vs ${mine.queued} rows`);
      if (eventCount(row.id, "EMAIL_SENT") !== mine.sent) sentMismatch.push(`${reference} EMAIL_SENT ${eventCount(row.id, "EMAIL_SENT")} vs ${mine.sent} sent rows`);
    }
    check("Every raised request has its outbox rows (Email, one EMAIL_QUEUED each)", [...withoutEmails, ...queuedMismatch], "all present");
    check("Each sent email is on its request's timeline (EMAIL_SENT)", sentMismatch, "all present");

    // 3. Delivery: every Email row SENT (HELD and DIGESTED are a person's digest choice, not sends),
    // each one arrived exactly once, and nothing arrived that is not an Email row.
    const byStatus: Record<string, number> = {};
    for (const email of emails) byStatus[email.status] = (byStatus[email.status] ?? 0) + 1;
    const unsent = emails.filter((e) => e.status === "PENDING" || e.status === "FAILED").map((e) => `${e.id} ${e.status}`);
    check("Every Email row was sent (none PENDING or FAILED)", unsent, Object.entries(byStatus).map(([s, n]) => `${s} ${n}`).join(", "));
    const sentIds = new Set(emails.filter((e) => e.status === "SENT").map((e) => e.messageId ?? `(no Message-ID) ${e.id}`));
    const lost = [...sentIds].filter((id) => !sink.arrivals.has(id));
    const duplicated = [...sink.arrivals].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    const unknown = [...sink.arrivals.keys()].filter((id) => !sentIds.has(id));
    if (sink.withoutMessageId > 0) unknown.push(`${sink.withoutMessageId} without a Message-ID`);
    check("No email lost (every SENT row reached the mail server)", lost, `${sentIds.size} of ${sentIds.size}`);
    check("No email duplicated (none arrived twice)", duplicated, `${sink.total()} messages, ${sink.arrivals.size} distinct`);
    check("Nothing arrived that is not a sent Email row", unknown, "none");

    const answeredReferences = new Set(successes.raised.keys());
    const counts = {
      requestsInDatabase: requests.length,
      requestsNeverAnswered: requests.filter((r) => !answeredReferences.has(formatReference(r.number))).length,
      emailRows: emails.length,
      emailsSent: byStatus.SENT ?? 0,
      messagesReceived: sink.total(),
    };
    return { findings, counts };
  } finally {
    await client.end();
  }
}
