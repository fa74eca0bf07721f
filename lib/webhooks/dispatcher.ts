import { database as processDatabase, type Database } from "../db/client";
import { backgroundRun } from "../notifications/background-run";
import { backoffMs } from "../notifications/backoff";
import { env } from "../env";
import { logError, logger } from "../log";
import { processStopping } from "../ops/stopping";
import { decryptSigningSecret, signatureHeader } from "./secret";
import { deliveryRefusal, type Resolve, type UrlPolicy } from "./url";

// Posts queued webhook deliveries (docs/decisions/020-webhooks.md), modelled on the email dispatcher
// (lib/notifications/dispatcher.ts): kicked after a commit, and run every few seconds by
// instrumentation.ts or `npm run worker`. Several may run at once, in one process or many: a batch is
// claimed in one statement (FOR UPDATE SKIP LOCKED: another dispatcher passes over rows being claimed),
// which moves the rows' next attempt past the time an attempt can take, so no two dispatchers post one
// delivery at once. A dispatcher that dies mid-post leaves its rows to be retried after that lease:
// delivery is at least once, and the receiver drops a repeat by its webhook-id.

/** Attempts before a delivery is FAILED: with the back-off below, 7 to 15 hours of trying. */
export const MAX_ATTEMPTS = 12;
/** An endpoint must answer within this long. */
export const TIMEOUT_MS = 10_000;
const BATCH = 10;
/** A claimed row is not due again for this long (far more than an attempt can take). */
const CLAIM_MS = 2 * 60_000;

/** How long after the `attempts`-th failed attempt to try again: 30 s doubling up to 6 hours, jittered. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  return backoffMs(attempts, 6 * 60 * 60_000, random);
}

export type WebhookDispatchOptions = {
  /** The database (default: the process's). Tests race dispatchers on separate connections. */
  database?: Database;
  now?: () => Date;
  timeoutMs?: number;
  random?: () => number;
  policy?: UrlPolicy;
  resolve?: Resolve;
};

export type WebhookDispatchResult = { sent: number; failed: number };

type Claimed = { id: string; attempts: number };
type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** Posts every due delivery once; failures are rescheduled with back-off, or FAILED after the last attempt. */
export async function dispatchDueWebhooks(options: WebhookDispatchOptions = {}): Promise<WebhookDispatchResult> {
  const client = (options.database ?? processDatabase()).client;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const random = options.random ?? Math.random;
  const policy = options.policy ?? { allowHttp: env().webhooksAllowHttp, allowPrivateAddresses: env().webhooksAllowPrivateAddresses };
  const result: WebhookDispatchResult = { sent: 0, failed: 0 };
  for (;;) {
    // A stopping process posts what it claimed and no more (lib/ops/stopping.ts).
    if (processStopping()) return result;
    const at = now();
    const claimed = await client.$queryRaw<Claimed[]>`
      UPDATE "WebhookDelivery" d
      SET "attempts" = d."attempts" + 1, "nextAttemptAt" = ${new Date(at.getTime() + CLAIM_MS)}::timestamptz, "lastAttemptAt" = ${at}::timestamptz
      WHERE d.id IN (
        SELECT w.id FROM "WebhookDelivery" w JOIN "WebhookEndpoint" e ON e.id = w."endpointId"
        WHERE w."status" = 'PENDING' AND w."nextAttemptAt" <= ${at}::timestamptz AND e."disabledAt" IS NULL
        ORDER BY w."nextAttemptAt" LIMIT ${BATCH}
        FOR UPDATE OF w SKIP LOCKED)
      RETURNING d.id, d."attempts"`;
    if (claimed.length === 0) return result;
    const rows = await client.webhookDelivery.findMany({
      where: { id: { in: claimed.map((c) => c.id) } },
      select: { id: true, payload: true, endpoint: { select: { id: true, url: true, encryptedSecret: true } } },
    });
    await Promise.all(
      rows.map(async (row) => {
        const attempts = claimed.find((c) => c.id === row.id)!.attempts;
        const outcome = await attempt(row, { now, timeoutMs, policy, resolve: options.resolve });
        const finishedAt = now();
        if (outcome.ok) {
          result.sent++;
          // Only if still ours (our claim's attempt count): a row whose lease ran out is another's.
          await client.webhookDelivery.updateMany({
            where: { id: row.id, attempts, status: "PENDING" },
            data: { status: "SENT", deliveredAt: finishedAt, lastStatus: outcome.status, lastError: null },
          });
          return;
        }
        result.failed++;
        const giveUp = attempts >= MAX_ATTEMPTS;
        await client.webhookDelivery.updateMany({
          where: { id: row.id, attempts, status: "PENDING" },
          data: {
            status: giveUp ? "FAILED" : "PENDING",
            nextAttemptAt: new Date(finishedAt.getTime() + retryDelayMs(attempts, random)),
            lastStatus: outcome.status,
            lastError: outcome.error.slice(0, 500),
          },
        });
        logger()[giveUp ? "error" : "warn"](
          { deliveryId: row.id, endpointId: row.endpoint.id, origin: originOf(row.endpoint.url), attempt: attempts, status: outcome.status, error: outcome.error, giveUp },
          giveUp ? "webhook delivery failed, giving up" : "webhook delivery attempt failed, will retry",
        );
      }),
    );
    if (claimed.length < BATCH) return result;
  }
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : "";
}

/** One POST of a delivery: signed, bounded in time, redirects not followed. */
async function attempt(
  row: { id: string; payload: string; endpoint: { id: string; url: string; encryptedSecret: string | null } },
  options: { now: () => Date; timeoutMs: number; policy: UrlPolicy; resolve?: Resolve },
): Promise<Outcome> {
  const refused = await deliveryRefusal(row.endpoint.url, options.policy, options.resolve);
  if (refused) return { ok: false, status: null, error: refused };
  if (!row.endpoint.encryptedSecret) return { ok: false, status: null, error: "Not sent: the endpoint was deleted" };
  const timestamp = Math.floor(options.now().getTime() / 1000);
  let signature: string;
  try {
    signature = signatureHeader(decryptSigningSecret(row.endpoint.encryptedSecret, row.endpoint.id), row.id, timestamp, row.payload);
  } catch (error) {
    logError(error, { deliveryId: row.id, endpointId: row.endpoint.id }, "webhook secret could not be decrypted (was INSTALL_CODE_KEY changed?)");
    return { ok: false, status: null, error: "Not sent: the endpoint's secret could not be read; delete the endpoint and add it again" };
  }
  try {
    const response = await fetch(row.endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "install-code-portal-webhooks/1",
        "webhook-id": row.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signature,
      },
      body: row.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // The answer's body is not read (nor kept): only its status counts.
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    if (response.status >= 300 && response.status < 400) {
      return { ok: false, status: response.status, error: `HTTP ${response.status}: a redirect, which is not followed (register the address it points to)` };
    }
    return { ok: false, status: response.status, error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` };
  } catch (error) {
    return { ok: false, status: null, error: describeFailure(error, options.timeoutMs) };
  }
}

/** Why a POST got no answer, in a line for the settings page (no payload, no secret). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `No answer within ${timeoutMs / 1000} seconds`;
  const code = e?.cause?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: "Connection refused",
    ECONNRESET: "Connection reset",
    ENOTFOUND: "Host name not found",
    EAI_AGAIN: "Host name could not be resolved (temporary)",
    ETIMEDOUT: "Connection timed out",
    EHOSTUNREACH: "Host unreachable",
    UND_ERR_SOCKET: "The connection closed before an answer",
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  if (code?.startsWith("ERR_TLS") || code?.includes("CERT") || /certificate/i.test(e?.cause?.message ?? "")) {
    return `TLS failed: ${(e.cause?.message ?? code ?? "").slice(0, 200)}`;
  }
  return `Could not connect: ${(e?.cause?.message ?? e?.message ?? String(error)).slice(0, 200)}`;
}

const dispatcher = backgroundRun("webhook-dispatcher", () => dispatchDueWebhooks());

/** Starts a dispatch in the background (after a commit); overlapping kicks fold into one more run. */
export const kickWebhookDispatcher = dispatcher.kick;

/** Waits for a background dispatch to finish (tests, shutdown). */
export const webhookDispatcherIdle = dispatcher.idle;
