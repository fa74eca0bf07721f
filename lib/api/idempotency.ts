import { createHash } from "node:crypto";
import { db } from "../db/client";
import { Prisma } from "../db/generated/client";

// Idempotency-Key for the API's POSTs (docs/decisions/021-service-user-api.md). The first call with
// a key claims it; its answer is kept for 24 hours, and a retry with the same key and the same
// request gets that answer again instead of acting twice. The same key with another request is
// refused; a retry while the first is still running is told so. A claim whose first call never
// finished (the process died) lapses after a minute, so that a retry can act: the use cases
// themselves refuse what would be a duplicate (one open request per Device and organisation).

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;
export const IDEMPOTENCY_KEY_MESSAGE = "An Idempotency-Key is 1 to 255 printable characters without spaces, such as a UUID";
const KEPT_MS = 24 * 60 * 60 * 1000;
const CLAIM_LAPSES_MS = 60 * 1000;
/** How long an answered call keeps trying to record its answer while the database is out of reach: less than a claim's lapse. */
export const SETTLE_WITHIN_MS = CLAIM_LAPSES_MS - 10_000;

export type StoredAnswer = { status: number; body: unknown };
export type Claim =
  | { kind: "claimed"; id: string }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "mismatch" }
  | { kind: "in-progress" };

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method} ${path}\n${body}`).digest("hex");
}

/** Claims `key` for this organisation's request, or answers what a retry should get. */
export async function claimIdempotencyKey(organisationId: string, key: string, fingerprint: string, now: Date): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await db().idempotencyRecord.findUnique({ where: { organisationId_key: { organisationId, key } } });
    if (existing) {
      const expired = now.getTime() - existing.createdAt.getTime() > KEPT_MS;
      const lapsed = existing.status === null && now.getTime() - existing.createdAt.getTime() > CLAIM_LAPSES_MS;
      if (!expired && !lapsed) {
        if (existing.fingerprint !== fingerprint) return { kind: "mismatch" };
        if (existing.status === null) return { kind: "in-progress" };
        return { kind: "replay", answer: { status: existing.status, body: existing.response } };
      }
      // Gone stale: take it over, unless another call just did (then look again).
      const taken = await db().idempotencyRecord.updateMany({
        where: { id: existing.id, createdAt: existing.createdAt },
        data: { fingerprint, status: null, response: Prisma.DbNull, createdAt: now, completedAt: null },
      });
      if (taken.count === 1) return { kind: "claimed", id: existing.id };
      continue;
    }
    try {
      // Keys older than a day are forgotten: this organisation's are purged as it makes new ones.
      await db().idempotencyRecord.deleteMany({ where: { organisationId, createdAt: { lt: new Date(now.getTime() - KEPT_MS) } } });
      const row = await db().idempotencyRecord.create({ data: { organisationId, key, fingerprint, createdAt: now }, select: { id: true } });
      return { kind: "claimed", id: row.id };
    } catch (error) {
      // Another call with the same key claimed it first: look again.
      if ((error as { code?: string })?.code !== "P2002") throw error;
    }
  }
  return { kind: "in-progress" };
}

/** Keeps the first call's answer for retries. */
export async function completeIdempotencyKey(id: string, answer: StoredAnswer, now: Date): Promise<void> {
  await db().idempotencyRecord.update({
    where: { id },
    data: { status: answer.status, response: (answer.body ?? null) as Prisma.InputJsonValue, completedAt: now },
  });
}

/** The first call could not be answered (a fault, or a limit): a retry may act. */
export async function releaseIdempotencyKey(id: string): Promise<void> {
  await db().idempotencyRecord.deleteMany({ where: { id, status: null } });
}
