import type { RequestEventType } from "../db/generated/enums";

// The request page's timeline with email delivery folded into the event that caused it: "Raised by
// Alice Hughes (Northwind Energy) — Southfield Power emailed", the times on demand. Pure: the page's
// component calls it on the events viewRequest gives (lib/requests/view-request.ts).
//
// An email event names no cause, so the cause is found from the order of the events (`sequence`):
// 1. A use case writes its events, all at its one `now`, then in the same transaction an
//    EMAIL_QUEUED per recipient (lib/requests/notify.ts). So an EMAIL_QUEUED belongs to the nearest
//    non-email event before it, when nothing but other EMAIL_QUEUED events lie between them; and
//    when several non-email events at the same instant lead up to it (a raise's RAISED, ASSIGNED
//    and its note's NOTE_ADDED), to the first of them: "Raised by … — Southfield Power emailed".
// 2. An EMAIL_QUEUED that follows an EMAIL_SENT or EMAIL_FAILED was queued by something that wrote no
//    event of its own (the scheduler's reminder): it starts an entry of its own, "Southfield Power
//    emailed", with the EMAIL_QUEUED events right after it.
// 3. EMAIL_SENT and EMAIL_FAILED come later, from the dispatcher: each is matched to the earliest
//    EMAIL_QUEUED to the same recipient (organisation and address) not yet sent, and so lands in
//    that email's entry. One with nothing to match (a daily digest sent for several held emails
//    matches the first of them only) stands as an entry of its own.
// A failure not since delivered stays in sight on its entry, outside the details: it is an alert.

export const EMAIL_EVENTS: readonly RequestEventType[] = ["EMAIL_QUEUED", "EMAIL_SENT", "EMAIL_FAILED"];

export type TimelineEvent = {
  id: string;
  type: RequestEventType;
  at: Date;
  /** EMAIL_*: the recipient's organisation's name. */
  organisation: string | null;
  /** EMAIL_*: who it went to, as a key that tells recipients apart without naming their address. */
  recipient?: string | null;
};

export type EmailDelivery = {
  organisation: string | null;
  /** Null for a delivery whose EMAIL_QUEUED is not on the timeline. */
  queuedAt: Date | null;
  sentAt: Date | null;
  /** When the portal gave up on it; it may have been sent since (the helpdesk put it back in the queue). */
  failedAt: Date | null;
};

export type FoldedEntry<E extends TimelineEvent> = {
  id: string;
  at: Date;
  /** The event that caused the emails; null for emails queued with no event of their own (a reminder). */
  event: E | null;
  emails: EmailDelivery[];
};

const isEmail = (type: RequestEventType) => EMAIL_EVENTS.includes(type);

/** The events (in timeline order) with each email folded into the entry of its cause. */
export function foldTimeline<E extends TimelineEvent>(events: readonly E[]): FoldedEntry<E>[] {
  const entries: FoldedEntry<E>[] = [];
  /** The entry the next EMAIL_QUEUED belongs to: the first of the last run of events at one instant. */
  let current: FoldedEntry<E> | null = null;
  let previous: E | null = null;
  // Deliveries not yet sent, per recipient, oldest first.
  const unsent = new Map<string, EmailDelivery[]>();
  const keyOf = (e: E) => `${e.organisation ?? ""}\u0000${e.recipient ?? ""}`;

  for (const e of events) {
    if (!isEmail(e.type)) {
      const entry: FoldedEntry<E> = { id: e.id, at: e.at, event: e, emails: [] };
      entries.push(entry);
      const sameChange = previous !== null && !isEmail(previous.type) && previous.at.getTime() === e.at.getTime();
      if (!sameChange) current = entry;
    } else if (e.type === "EMAIL_QUEUED") {
      if (!current || previous?.type === "EMAIL_SENT" || previous?.type === "EMAIL_FAILED") {
        current = { id: e.id, at: e.at, event: null, emails: [] };
        entries.push(current);
      }
      const delivery: EmailDelivery = { organisation: e.organisation, queuedAt: e.at, sentAt: null, failedAt: null };
      current.emails.push(delivery);
      const key = keyOf(e);
      unsent.set(key, [...(unsent.get(key) ?? []), delivery]);
    } else {
      const waiting = unsent.get(keyOf(e)) ?? [];
      const sent = e.type === "EMAIL_SENT";
      // A failure ends the earliest delivery still trying; a sending, the earliest not sent (a failed one sent again included).
      const delivery = waiting.find((d) => sent || !d.failedAt);
      if (delivery) {
        if (sent) {
          delivery.sentAt = e.at;
          waiting.splice(waiting.indexOf(delivery), 1);
        } else delivery.failedAt = e.at;
      } else {
        entries.push({ id: e.id, at: e.at, event: null, emails: [{ organisation: e.organisation, queuedAt: null, sentAt: sent ? e.at : null, failedAt: sent ? null : e.at }] });
      }
    }
    previous = e;
  }
  return entries;
}

export type EmailSummary = {
  /** Organisations emailed (at least one of their emails sent), in order of first mention. */
  emailed: (string | null)[];
  /** Organisations whose emails are still waiting to be sent (none sent, none given up on). */
  waiting: (string | null)[];
  /** Organisations with an email the portal gave up on and has not delivered since: an alert. */
  undelivered: (string | null)[];
};

/** Who was emailed, who is still to be, and to whom the portal could not deliver, per organisation. */
export function summariseEmails(emails: readonly EmailDelivery[]): EmailSummary {
  const organisations = [...new Set(emails.map((d) => d.organisation))];
  const of = (organisation: string | null) => emails.filter((d) => d.organisation === organisation);
  const summary: EmailSummary = { emailed: [], waiting: [], undelivered: [] };
  for (const organisation of organisations) {
    const deliveries = of(organisation);
    if (deliveries.some((d) => d.sentAt)) summary.emailed.push(organisation);
    else if (deliveries.some((d) => !d.failedAt)) summary.waiting.push(organisation);
    // Whatever else went: one of its people (or its team address) did not get this one.
    if (deliveries.some((d) => d.failedAt && !d.sentAt)) summary.undelivered.push(organisation);
  }
  return summary;
}
