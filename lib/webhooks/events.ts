import type { WebhookEventType } from "../db/generated/client";

// The events an organisation's endpoint can be sent, each about one of its own requests. The database
// names them by enum; the wire, following the Standard Webhooks convention of dotted types, as
// "request.assigned" and so on. docs/decisions/020-webhooks.md says who is sent which.

export type { WebhookEventType };

export const WEBHOOK_EVENTS = [
  { type: "ASSIGNED", wire: "request.assigned", label: "Assigned to us", hint: "A request was raised for a Device we pre-notified, or the helpdesk reassigned one to us." },
  { type: "ANSWERED", wire: "request.answered", label: "Answered", hint: "The assigned Supplier provided (or replaced) the Install Code of a request we raised." },
  { type: "NOTE_ADDED", wire: "request.note_added", label: "Note added", hint: "Another organisation added a note to one of our requests (the note itself is not sent)." },
  { type: "CLOSED", wire: "request.closed", label: "Closed", hint: "The raising Supplier closed a request assigned to us." },
  { type: "REASSIGNED", wire: "request.reassigned", label: "Reassigned", hint: "The helpdesk reassigned a request we raised, or one that was assigned to us, to another Supplier." },
  { type: "BREACHED", wire: "request.breached", label: "Overdue", hint: "The five Working Days to answer a request we raised, or one assigned to us, ran out." },
  { type: "DECLINED", wire: "request.declined", label: "Declined", hint: "The assigned Supplier declined a request we raised (not its Device): the helpdesk will reassign it or close it." },
  { type: "CLOSED_NOT_POSSIBLE", wire: "request.closed_not_possible", label: "Closed as not possible", hint: "The helpdesk closed a declined request we raised, or one that was assigned to us, as not possible." },
] as const satisfies readonly { type: WebhookEventType; wire: string; label: string; hint: string }[];

export const WEBHOOK_EVENT_TYPES: WebhookEventType[] = WEBHOOK_EVENTS.map((e) => e.type);

export type WebhookWireType = (typeof WEBHOOK_EVENTS)[number]["wire"];

export function wireType(type: WebhookEventType): WebhookWireType {
  return WEBHOOK_EVENTS.find((e) => e.type === type)!.wire;
}

export function eventLabel(type: WebhookEventType): string {
  return WEBHOOK_EVENTS.find((e) => e.type === type)!.label;
}
