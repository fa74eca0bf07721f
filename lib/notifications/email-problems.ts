import { uuidString } from "../db/text-and-ids";
import { z } from "zod";
import { isHelpdesk, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import type { EmailKind, EmailStatus } from "../db/generated/client";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";
import { formatReference } from "../requests/reference";
import { kickDispatcher } from "./dispatcher";
import { requestsOf } from "./failed";

// /helpdesk/emails: the emails still waiting and those the portal gave up on, for the helpdesk
// only (anyone else: "not found", like /helpdesk). Never a body: a sign-in email's link is in it.

export const EMAIL_PAGE_SIZE = 50;
/** A row names at most this many of a bulk raise's requests; the rest are counted. */
const REFERENCES_SHOWN = 3;

export type EmailProblem = {
  id: string;
  to: string;
  kind: EmailKind;
  subject: string;
  status: EmailStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  /** The requests it is about, by reference (the first few of a bulk raise's). */
  references: string[];
  moreReferences: number;
};

export type EmailProblemsPage = { emails: EmailProblem[]; pending: number; failed: number; nextCursor: string | null };

const uuid = uuidString;

export const emailProblemsSchema = z.object({
  status: z.enum(["PENDING", "FAILED"]).optional().catch(undefined),
  /** Keyset cursor: the last email of the previous page; rows older than it (createdAt, then id). */
  before: uuid.optional().catch(undefined),
});

function refuseAllButHelpdesk(actor: Actor): void {
  if (!isHelpdesk(actor)) throw AppError.notFound("Not found");
}

/** Pending and failed emails, newest first, a page at a time. */
export async function listEmailProblems(actor: Actor, input: { status?: string; before?: string } = {}): Promise<EmailProblemsPage> {
  refuseAllButHelpdesk(actor);
  const { status, before } = emailProblemsSchema.parse(input);
  const client = db();
  const statuses: EmailStatus[] = status ? [status] : ["PENDING", "FAILED"];
  const cursor = before ? await client.email.findUnique({ where: { id: before }, select: { id: true, createdAt: true } }) : null;
  const rows = await client.email.findMany({
    where: {
      status: { in: statuses },
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: EMAIL_PAGE_SIZE + 1,
    // Never html or text.
    select: { id: true, to: true, kind: true, subject: true, status: true, attempts: true, nextAttemptAt: true, lastError: true, createdAt: true, requestId: true, requestIds: true },
  });
  const page = rows.slice(0, EMAIL_PAGE_SIZE);
  const wanted = new Set(page.flatMap((e) => requestsOf(e).slice(0, REFERENCES_SHOWN)));
  const numbers = new Map(
    wanted.size === 0
      ? []
      : (await client.installCodeRequest.findMany({ where: { id: { in: [...wanted] } }, select: { id: true, number: true } })).map((r) => [r.id, r.number]),
  );
  const [pending, failed] = await Promise.all([client.email.count({ where: { status: "PENDING" } }), client.email.count({ where: { status: "FAILED" } })]);
  return {
    emails: page.map(({ requestId, requestIds, ...e }) => {
      const about = requestsOf({ requestId, requestIds });
      const shown = about.slice(0, REFERENCES_SHOWN).flatMap((id) => (numbers.has(id) ? [formatReference(numbers.get(id)!)] : []));
      return { ...e, references: shown, moreReferences: about.length - shown.length };
    }),
    pending,
    failed,
    nextCursor: rows.length > EMAIL_PAGE_SIZE ? page[page.length - 1]!.id : null,
  };
}

export const retryEmailSchema = z.object({ emailId: uuid });

/**
 * The helpdesk puts a FAILED email back in the queue: PENDING, due now, its attempts counted afresh
 * (the dispatcher's whole back-off again), recorded in the audit log; the dispatcher is kicked. A
 * sign-in email is never sent again: its link has expired or been blanked; the person asks anew.
 */
export async function retryEmail(actor: Actor, input: { emailId: string }, options: { now?: Date } = {}): Promise<void> {
  refuseAllButHelpdesk(actor);
  let emailId: string;
  try {
    ({ emailId } = validate(retryEmailSchema, input));
  } catch {
    throw AppError.notFound("No such email");
  }
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const email = await tx.email.findUnique({ where: { id: emailId }, select: { id: true, to: true, kind: true, status: true, requestId: true, requestIds: true } });
    if (!email) throw AppError.notFound("No such email");
    if (email.kind === "SIGN_IN") throw new AppError("FORBIDDEN", "A sign-in link is not sent again: the person asks for a new one on the sign-in page");
    const retried = await tx.email.updateMany({ where: { id: email.id, status: "FAILED" }, data: { status: "PENDING", attempts: 0, nextAttemptAt: now } });
    if (retried.count !== 1) throw new AppError("CONFLICT", "This email has not failed (it may have been retried already)");
    const first = requestsOf(email)[0];
    const request = first ? await tx.installCodeRequest.findUnique({ where: { id: first }, select: { number: true } }) : null;
    await recordAudit(tx, {
      type: "EMAIL_RETRIED",
      actor,
      subject: email.to,
      requestReference: request ? formatReference(request.number) : undefined,
      detail: `email ${email.id}`,
      at: now,
    });
  });
  kickDispatcher();
}
