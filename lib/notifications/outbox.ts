import type { Tx } from "../db/transaction";
import type { RenderedEmail } from "../../emails/layout";

/**
 * Queues an email in the caller's transaction: it is sent only if the change that caused it
 * commits, and it survives an SMTP outage (the dispatcher retries). Call kickDispatcher() after commit.
 * `about` links it to a request (or to the several requests it is about), whose timeline then shows
 * when it was sent. A SIGN_IN email's link is blanked once it is sent, or once it has expired
 * (lib/notifications/redact.ts).
 */
export async function queueEmail(
  tx: Tx,
  to: string,
  email: RenderedEmail,
  about?: string | readonly string[],
  kind: "SIGN_IN" | "NOTIFICATION" = "NOTIFICATION",
): Promise<{ id: string }> {
  const many = typeof about === "object" && about.length > 1;
  const requestId = typeof about === "string" ? about : !many ? about?.[0] : undefined;
  return tx.email.create({
    data: { to, kind, subject: email.subject, html: email.html, text: email.text, requestId, requestIds: many ? [...about] : [] },
    select: { id: true },
  });
}
