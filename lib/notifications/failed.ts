import type { Tx } from "../db/transaction";

/** What markEmailFailed needs of the email row. */
export type FailingEmail = { id: string; to: string; organisationId: string | null; requestId: string | null; requestIds: readonly string[] | null };

/** The requests an email is about: its one request, or the several of a bulk raise's email. */
export function requestsOf(email: Pick<FailingEmail, "requestId" | "requestIds">): string[] {
  return email.requestId ? [email.requestId] : [...(email.requestIds ?? [])];
}

/** The SMTP error names the server's complaint, never the message's content; kept short. */
export function errorText(error: unknown): string {
  return String((error as Error)?.message ?? error).slice(0, 500);
}

/**
 * The portal gives up on an email: it is marked FAILED with the error, and every request it is
 * about gets an EMAIL_FAILED event (the recipient's organisation, the address), in the caller's
 * transaction, so the timeline never misses a failure nor shows one that did not happen. Called by
 * the dispatcher after its last attempt, and on a permanent (5xx) rejection. False when the email
 * was no longer PENDING (another dispatcher, or the helpdesk, got to it first): nothing is written.
 */
export async function markEmailFailed(
  tx: Tx,
  email: FailingEmail,
  error: unknown,
  now: Date,
  /** lastError: the dispatcher's own line for the SMTP answer; attempts: only if the row is still at this claim. */
  options: { lastError?: string; attempts?: number } = {},
): Promise<boolean> {
  const marked = await tx.email.updateMany({
    where: { id: email.id, status: "PENDING", ...(options.attempts !== undefined ? { attempts: options.attempts } : {}) },
    data: { status: "FAILED", nextAttemptAt: now, lastError: options.lastError ?? errorText(error), to: email.to },
  });
  if (marked.count !== 1) return false;
  const about = requestsOf(email);
  if (about.length > 0) {
    await tx.requestEvent.createMany({
      data: about.map((requestId) => ({ requestId, type: "EMAIL_FAILED" as const, at: now, detail: email.to.slice(0, 500), organisationId: email.organisationId })),
    });
  }
  return true;
}
