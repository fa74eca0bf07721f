import nodemailer, { type Transporter } from "nodemailer";
import { parseConnectionUrl } from "nodemailer/lib/shared";
import { backgroundRun } from "./background-run";
import { retryWhileUnreachable } from "../db/availability";
import { database as processDatabase, type Database } from "../db/client";
import { backoffMs } from "./backoff";
import { env } from "../env";
import { mailboxEnabled } from "./mailbox";
import { redactSignInEmail } from "./redact";
import { markEmailFailed, type FailingEmail } from "./failed";
import { currentAddresses } from "./recipients";
import { logError, logger } from "../log";
import { processStopping } from "../ops/stopping";

// Delivers queued emails (docs/decisions/022-email-dispatcher.md). With SMTP_URL set they go through
// a pooled nodemailer transport; without it (demo mode, development) they stay in the database and
// /dev/mailbox shows them. Several dispatchers may run at once, in one process or many: a batch is
// claimed in one statement (FOR UPDATE SKIP LOCKED, as lib/webhooks/dispatcher.ts does), most
// urgent first (CATEGORY_PRIORITY), which moves the rows' next attempt past the time a send can take:
// the SMTP timeouts are all shorter than that claim, so no two dispatchers send one email at once.

/**
 * Attempts before an email that keeps meeting 4xx answers or connection errors is FAILED: with the
 * back-off below, 2.5 to 5 hours of trying, so an SMTP server down for an hour loses nothing.
 */
export const MAX_ATTEMPTS = 12;
/** Rows claimed at a time: one per pooled connection, so a claim covers one send, not a queue of them. */
const POOL_SIZE = 4;
/** A claimed row is not due again for this long: far more than a send can take (the timeouts below). */
export const CLAIM_MS = 2 * 60_000;

export type SmtpTimeouts = {
  /** To open the TCP connection. */
  connectionMs: number;
  /** For the server's greeting once connected. */
  greetingMs: number;
  /** Of silence on the connection at any later step (a server slow to answer DATA). */
  socketMs: number;
};
export const SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

/** How long after the `attempts`-th failed attempt to try again: 30 s doubling up to an hour, jittered. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  return backoffMs(attempts, 60 * 60_000, random);
}

const transporters = new Map<string, Transporter>();
function smtp(url: string, timeouts: SmtpTimeouts): Transporter {
  const key = `${url} ${timeouts.connectionMs} ${timeouts.greetingMs} ${timeouts.socketMs}`;
  if (!transporters.has(key)) {
    transporters.set(
      key,
      nodemailer.createTransport({
        // Parsed here: with `url` among the options nodemailer ignores the other options.
        ...parseConnectionUrl(url),
        pool: true,
        maxConnections: POOL_SIZE,
        connectionTimeout: timeouts.connectionMs,
        greetingTimeout: timeouts.greetingMs,
        socketTimeout: timeouts.socketMs,
      }),
    );
  }
  return transporters.get(key)!;
}

/** Closes the pooled SMTP connections (tests, shutdown). */
export function closeSmtpConnections(): void {
  for (const transporter of transporters.values()) transporter.close();
  transporters.clear();
}

export type DispatchOptions = {
  smtpUrl: string | undefined;
  mailFrom: string;
  now: () => Date;
  /** No SMTP server: the emails are for the development mailbox (demo mode only). */
  keepInMailbox: boolean;
  /** The database (default: the process's). Tests race dispatchers on separate connections. */
  database?: Database;
  claimMs: number;
  timeouts: SmtpTimeouts;
  random: () => number;
};

/** Message-ID, In-Reply-To and References as queued (lib/notifications/outbox.ts), for nodemailer. */
export function threadingHeaders(email: { messageId: string | null; inReplyTo: string | null; threadReferences: string | null }) {
  return {
    ...(email.messageId ? { messageId: email.messageId } : {}),
    ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
    ...(email.threadReferences ? { references: email.threadReferences } : {}),
  };
}

export type DispatchResult = { sent: number; failed: number; cancelled: number };

type Claimed = { id: string; attempts: number };

/**
 * Sends every due email once, most urgent first; a 4xx answer or a connection error reschedules it
 * with back-off, a permanent rejection (5xx to its sender, recipient or content) fails it at once.
 */
export async function dispatchDueEmails(options: Partial<DispatchOptions> = {}): Promise<DispatchResult> {
  const { smtpUrl, mailFrom, now, keepInMailbox, claimMs, timeouts, random }: DispatchOptions = {
    smtpUrl: env().smtpUrl,
    mailFrom: env().mailFrom,
    now: () => new Date(),
    keepInMailbox: !options.smtpUrl && mailboxEnabled(),
    claimMs: CLAIM_MS,
    timeouts: SMTP_TIMEOUTS,
    random: Math.random,
    ...options,
  };
  if (!smtpUrl && !keepInMailbox) {
    // A server database with no mail server (development against PostgreSQL): nothing can deliver
    // the emails and no mailbox shows them, so they wait, PENDING, for SMTP_URL. Never "sent".
    warnNoTransportOnce();
    return { sent: 0, failed: 0, cancelled: 0 };
  }
  const longest = Math.max(timeouts.connectionMs, timeouts.greetingMs, timeouts.socketMs);
  if (longest >= claimMs) throw new Error(`every SMTP timeout must be shorter than the claim (${longest} ms >= ${claimMs} ms)`);
  const client = (options.database ?? processDatabase()).client;
  const result: DispatchResult = { sent: 0, failed: 0, cancelled: 0 };
  for (;;) {
    // A stopping process sends what it claimed and no more: the rest waits for the other instances or the next start.
    if (processStopping()) return result;
    const at = now();
    const claimed = await client.$queryRaw<Claimed[]>`
      UPDATE "Email" m
      SET "attempts" = m."attempts" + 1, "nextAttemptAt" = ${new Date(at.getTime() + claimMs)}::timestamptz
      WHERE m.id IN (
        SELECT e.id FROM "Email" e
        WHERE e."status" = 'PENDING' AND e."nextAttemptAt" <= ${at}::timestamptz
        ORDER BY e."priority", e."createdAt", e.id LIMIT ${POOL_SIZE}
        FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m."attempts"`;
    if (claimed.length === 0) return result;
    // Claimed: from here a database gone away (a restart) is waited for, within the claim, rather than
    // leaving the batch claimed and unsent until the claim runs out.
    const emails = await retryWhileUnreachable(() => client.email.findMany({ where: { id: { in: claimed.map((c) => c.id) } } }), claimMs / 2);
    // Addressed now, not when queued: a person who has left the organisation is not emailed.
    const addresses = await retryWhileUnreachable(() => currentAddresses(client, emails), claimMs / 2);
    await Promise.all(
      emails.map(async (email) => {
        const attempts = claimed.find((c) => c.id === email.id)!.attempts;
        const address = addresses.get(email.id)!;
        if ("cancel" in address) {
          await client.email.updateMany({ where: { id: email.id, attempts, status: "PENDING" }, data: { status: "CANCELLED", lastError: address.cancel } });
          result.cancelled++;
          return;
        }
        try {
          if (smtpUrl) {
            await smtp(smtpUrl, timeouts).sendMail({ from: mailFrom, to: address.to, subject: email.subject, text: email.text, html: email.html, ...threadingHeaders(email) });
          }
        } catch (error) {
          result.failed++;
          const finishedAt = now();
          const lastError = describeSmtpFailure(error);
          if (isPermanent(error) || attempts >= MAX_ATTEMPTS) {
            await giveUp(client, { ...email, to: address.to, attempts }, lastError, error, finishedAt);
            return;
          }
          // Only if still ours (our claim's attempt count).
          await client.email.updateMany({
            where: { id: email.id, attempts, status: "PENDING" },
            data: { nextAttemptAt: new Date(finishedAt.getTime() + retryDelayMs(attempts, random)), lastError },
          });
          logger().warn({ err: error, emailId: email.id, attempt: attempts }, "email delivery attempt failed, will retry");
          return;
        }
        // Recorded with the address it went to (a person's or a team's address may have changed since it was queued).
        await delivered(client, { ...email, to: address.to }, smtpUrl, now(), claimMs);
        result.sent++;
      }),
    );
    if (claimed.length < POOL_SIZE) return result;
  }
}

type Client = Database["client"];

/**
 * The dispatcher stops trying: a permanent rejection, or the last attempt failed. The one place an
 * email becomes FAILED.
 */
async function giveUp(client: Client, email: FailingEmail & { attempts: number }, lastError: string, error: unknown, now: Date): Promise<void> {
  // FAILED and, in the same transaction, EMAIL_FAILED on each request's timeline; only if still
  // ours (our claim's attempt count).
  await client.$transaction((tx) => markEmailFailed(tx, email, error, now, { lastError, attempts: email.attempts }));
  logger().error({ err: error, emailId: email.id, attempt: email.attempts }, "email delivery failed, giving up");
}

/** Delivered: recorded first, on its own, so that nothing after this can cause a second send. */
async function delivered(
  client: Client,
  email: { id: string; kind: string; to: string; organisationId: string | null; requestId: string | null; requestIds: string[] | null },
  smtpUrl: string | undefined,
  sentAt: Date,
  claimMs: number,
): Promise<void> {
  // The mail server has it: a database gone away now (a restart) must not leave it PENDING, to be sent
  // again when the claim runs out. Retried while the database is out of reach, within the claim.
  await retryWhileUnreachable(() => client.email.update({ where: { id: email.id }, data: { status: "SENT", sentAt, lastError: null, to: email.to } }), claimMs / 2);
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
    const record = () =>
      client.requestEvent.createMany({ data: about.map((requestId) => ({ requestId, type: "EMAIL_SENT" as const, at: sentAt, detail: email.to, organisationId: email.organisationId })) });
    await retryWhileUnreachable(record, claimMs / 2)
      .catch((error: unknown) => logError(error, { emailId: email.id, requestId: email.requestId }, "email sent, but not recorded on the timeline"));
  }
}

type SmtpError = { code?: string; responseCode?: number; response?: string; message?: string };

/**
 * A 5xx answer to this message's sender, recipient or content (nodemailer's EENVELOPE, EMESSAGE):
 * sending it again gets the same answer. A 5xx to the connection or the login (EAUTH, a greeting
 * refused) is the portal's configuration, not the email's: those are retried, like 4xx answers and
 * connection errors, until SMTP is fixed or the attempts run out.
 */
export function isPermanent(error: unknown): boolean {
  const e = error as SmtpError;
  return typeof e?.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600 && (e.code === "EENVELOPE" || e.code === "EMESSAGE");
}

/** The SMTP server's complaint, in a line (never the message's content). */
function describeSmtpFailure(error: unknown): string {
  const e = error as SmtpError;
  const text = e?.response ?? e?.message ?? String(error);
  return (e?.code ? `${e.code}: ${text}` : text).slice(0, 500);
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
