import nodemailer, { type Transporter } from "nodemailer";
import { backgroundRun } from "./background-run";
import { db } from "../db/client";
import { env } from "../env";
import { mailboxEnabled } from "./mailbox";
import { redactSignInEmail } from "./redact";
import { errorText, markEmailFailed } from "./failed";
import { transaction } from "../db/transaction";
import { logError, logger } from "../log";

// Delivers queued emails. With SMTP_URL set they go through nodemailer with retries and back-off;
// without it (demo mode, development) they stay in the database and /dev/mailbox shows them.

export const MAX_ATTEMPTS = 8;
const BATCH = 20;
/** A claimed row is not picked again for this long, so two dispatchers never send it twice at once. */
const CLAIM_MS = 60_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** (attempts - 1), 60 * 60_000);
}

const transporters = new Map<string, Transporter>();
function smtp(url: string): Transporter {
  if (!transporters.has(url)) transporters.set(url, nodemailer.createTransport(url));
  return transporters.get(url)!;
}

export type DispatchOptions = {
  smtpUrl: string | undefined;
  mailFrom: string;
  now: () => Date;
  /** No SMTP server: the emails are for the development mailbox (demo mode only). */
  keepInMailbox: boolean;
};

/** Message-ID, In-Reply-To and References as queued (lib/notifications/outbox.ts), for nodemailer. */
export function threadingHeaders(email: { messageId: string | null; inReplyTo: string | null; threadReferences: string | null }) {
  return {
    ...(email.messageId ? { messageId: email.messageId } : {}),
    ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
    ...(email.threadReferences ? { references: email.threadReferences } : {}),
  };
}

export type DispatchResult = { sent: number; failed: number };

/** Sends every due email once; failures are rescheduled. Safe to run from several processes. */
export async function dispatchDueEmails(options: Partial<DispatchOptions> = {}): Promise<DispatchResult> {
  const { smtpUrl, mailFrom, now, keepInMailbox }: DispatchOptions = {
    smtpUrl: env().smtpUrl,
    mailFrom: env().mailFrom,
    now: () => new Date(),
    keepInMailbox: !options.smtpUrl && mailboxEnabled(),
    ...options,
  };
  if (!smtpUrl && !keepInMailbox) {
    // A server database with no mail server (development against PostgreSQL): nothing can deliver
    // the emails and no mailbox shows them, so they wait, PENDING, for SMTP_URL. Never "sent".
    warnNoTransportOnce();
    return { sent: 0, failed: 0 };
  }
  const client = db();
  const result: DispatchResult = { sent: 0, failed: 0 };
  const due = await client.email.findMany({
    where: { status: "PENDING", nextAttemptAt: { lte: now() } },
    orderBy: { createdAt: "asc" },
    take: BATCH,
    select: { id: true, nextAttemptAt: true },
  });
  for (const row of due) {
    // Claim: only the dispatcher whose update matches the nextAttemptAt it read goes on.
    const claimed = await client.email.updateMany({
      where: { id: row.id, status: "PENDING", nextAttemptAt: row.nextAttemptAt },
      data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now().getTime() + CLAIM_MS) },
    });
    if (claimed.count !== 1) continue;
    const email = await client.email.findUniqueOrThrow({ where: { id: row.id } });
    try {
      if (smtpUrl) {
        await smtp(smtpUrl).sendMail({ from: mailFrom, to: email.to, subject: email.subject, text: email.text, html: email.html, ...threadingHeaders(email) });
      }
    } catch (error) {
      const giveUp = email.attempts >= MAX_ATTEMPTS;
      if (giveUp) {
        // Given up: FAILED and, in the same transaction, EMAIL_FAILED on each request's timeline.
        await transaction((tx) => markEmailFailed(tx, email, error, now()));
      } else {
        await client.email.update({
          where: { id: email.id },
          data: {
            nextAttemptAt: new Date(now().getTime() + retryDelayMs(email.attempts)),
            // The SMTP error names the server's complaint, never the message's content.
            lastError: errorText(error),
          },
        });
      }
      result.failed++;
      logger()[giveUp ? "error" : "warn"](
        { err: error, emailId: email.id, attempt: email.attempts, giveUp },
        giveUp ? "email delivery failed, giving up" : "email delivery attempt failed, will retry",
      );
      continue;
    }
    // Delivered: record it first, on its own, so that nothing after this can cause a second send.
    const sentAt = now();
    await client.email.update({ where: { id: email.id }, data: { status: "SENT", sentAt, lastError: null } });
    result.sent++;
    // Handed to the mail server: the portal's copy of a sign-in link goes (the development mailbox
    // keeps it until it expires, or nobody could sign in there).
    if (smtpUrl && email.kind === "SIGN_IN") {
      await redactSignInEmail(client, email.id, sentAt).catch((error: unknown) =>
        logError(error, { emailId: email.id }, "email sent, but its sign-in link could not be blanked"),
      );
    }
    const about = email.requestId ? [email.requestId] : (email.requestIds ?? []);
    if (about.length > 0) {
      // A request's timeline shows when each email about it went out (to whom, by organisation).
      const recipient = await client.user.findUnique({ where: { email: email.to }, select: { organisationId: true } });
      await client.requestEvent
        .createMany({ data: about.map((requestId) => ({ requestId, type: "EMAIL_SENT" as const, at: sentAt, detail: email.to, organisationId: recipient?.organisationId })) })
        .catch((error: unknown) => logError(error, { emailId: email.id, requestId: email.requestId }, "email sent, but not recorded on the timeline"));
    }
  }
  return result;
}

let warnedNoTransport = false;
function warnNoTransportOnce(): void {
  if (warnedNoTransport) return;
  warnedNoTransport = true;
  logger().warn("SMTP_URL is not set and there is no development mailbox outside demo mode: emails wait, unsent, until SMTP_URL is set");
}

const dispatcher = backgroundRun("email-dispatcher", () => dispatchDueEmails());

/** Starts a dispatch in the background after a commit; overlapping kicks fold into one more run. */
export const kickDispatcher = dispatcher.kick;

/** Waits for a background dispatch to finish (tests, shutdown). */
export const dispatcherIdle = dispatcher.idle;
