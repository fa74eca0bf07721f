import { describe, expect, it } from "vitest";
import type { RequestEventType } from "../db/generated/enums";
import { foldTimeline, summariseEmails, type TimelineEvent } from "./timeline";

// The timeline folds email delivery into the event that caused it (issue 13, part 5): what a reader
// of the request page sees is "Raised by … — Southfield Power emailed", not three lines of emails.

let n = 0;
const ev = (type: RequestEventType, at: string, organisation: string | null = null, recipient: string | null = null): TimelineEvent => ({
  id: `e${++n}`,
  type,
  at: new Date(`2026-11-02T${at}Z`),
  organisation,
  recipient,
});
const SFP = "Southfield Power";
const NWE = "Northwind Energy";
const t = (at: string) => new Date(`2026-11-02T${at}Z`);

/** Each entry as [its event's type (or "emails"), its deliveries as [organisation, queued, sent, failed]]. */
function shape(events: TimelineEvent[]) {
  return foldTimeline(events).map((e) => [
    e.event?.type ?? "emails",
    e.emails.map((d) => [d.organisation, d.queuedAt?.toISOString().slice(11, 19) ?? null, d.sentAt?.toISOString().slice(11, 19) ?? null, d.failedAt?.toISOString().slice(11, 19) ?? null]),
  ]);
}

describe("foldTimeline", () => {
  it("puts a raise's emails on the raise, though the assignment and the note were written at the same instant after it", () => {
    const events = [
      ev("RAISED", "10:00:00"),
      ev("ASSIGNED", "10:00:00", SFP),
      ev("NOTE_ADDED", "10:00:00"),
      ev("EMAIL_QUEUED", "10:00:00.005", SFP, "1"),
      ev("EMAIL_QUEUED", "10:00:00.005", SFP, "2"),
      ev("EMAIL_SENT", "10:00:03", SFP, "2"),
      ev("EMAIL_SENT", "10:00:04", SFP, "1"),
    ];
    expect(shape(events)).toEqual([
      [
        "RAISED",
        [
          [SFP, "10:00:00", "10:00:04", null],
          [SFP, "10:00:00", "10:00:03", null],
        ],
      ],
      ["ASSIGNED", []],
      ["NOTE_ADDED", []],
    ]);
  });

  it("matches a sending to its own email when another change came in between", () => {
    const events = [
      ev("RAISED", "10:00:00"),
      ev("ASSIGNED", "10:00:00", SFP),
      ev("EMAIL_QUEUED", "10:00:00", SFP, "1"),
      // Bob answers before the dispatcher has sent the raise's email.
      ev("INSTALL_CODE_PROVIDED", "10:00:01"),
      ev("EMAIL_QUEUED", "10:00:01", NWE, "2"),
      ev("EMAIL_SENT", "10:00:05", SFP, "1"),
      ev("EMAIL_SENT", "10:00:06", NWE, "2"),
    ];
    expect(shape(events)).toEqual([
      ["RAISED", [[SFP, "10:00:00", "10:00:05", null]]],
      ["ASSIGNED", []],
      ["INSTALL_CODE_PROVIDED", [[NWE, "10:00:01", "10:00:06", null]]],
    ]);
  });

  it("gives an email queued with no event of its own (a reminder) an entry of its own, not the raise's", () => {
    const events = [
      ev("RAISED", "10:00:00"),
      ev("ASSIGNED", "10:00:00", SFP),
      ev("EMAIL_QUEUED", "10:00:00", SFP, "1"),
      ev("EMAIL_SENT", "10:00:02", SFP, "1"),
      ev("EMAIL_QUEUED", "23:00:00", SFP, "1"),
      ev("EMAIL_QUEUED", "23:00:00", SFP, "2"),
      ev("EMAIL_SENT", "23:00:05", SFP, "1"),
    ];
    expect(shape(events)).toEqual([
      ["RAISED", [[SFP, "10:00:00", "10:00:02", null]]],
      ["ASSIGNED", []],
      [
        "emails",
        [
          [SFP, "23:00:00", "23:00:05", null],
          [SFP, "23:00:00", null, null],
        ],
      ],
    ]);
  });

  it("matches the recipient's emails in order: the first sending to the first queued", () => {
    const events = [
      ev("NOTE_ADDED", "10:00:00"),
      ev("EMAIL_QUEUED", "10:00:00", SFP, "1"),
      ev("NOTE_ADDED", "10:01:00"),
      ev("EMAIL_QUEUED", "10:01:00", SFP, "1"),
      ev("EMAIL_SENT", "10:02:00", SFP, "1"),
      ev("EMAIL_SENT", "10:02:01", SFP, "1"),
    ];
    expect(shape(events)).toEqual([
      ["NOTE_ADDED", [[SFP, "10:00:00", "10:02:00", null]]],
      ["NOTE_ADDED", [[SFP, "10:01:00", "10:02:01", null]]],
    ]);
  });

  it("keeps a failure on its email, and a later delivery of the same email (the helpdesk's retry) on it too", () => {
    const events = [
      ev("INSTALL_CODE_PROVIDED", "10:00:00"),
      ev("EMAIL_QUEUED", "10:00:00", NWE, "1"),
      ev("EMAIL_QUEUED", "10:00:00", NWE, "2"),
      ev("EMAIL_FAILED", "10:30:00", NWE, "1"),
      ev("EMAIL_SENT", "10:00:09", NWE, "2"),
    ];
    const [entry] = foldTimeline(events);
    expect(entry.emails.map((d) => [d.sentAt !== null, d.failedAt !== null])).toEqual([
      [false, true],
      [true, false],
    ]);
    // Northwind was emailed (one of its recipients), and one email to it could not be delivered: both said.
    expect(summariseEmails(entry.emails)).toEqual({ emailed: [NWE], waiting: [], undelivered: [NWE] });

    const retried = foldTimeline([...events, ev("EMAIL_SENT", "11:00:00", NWE, "1")]);
    expect(retried).toHaveLength(1);
    expect(retried[0].emails[0]).toMatchObject({ failedAt: t("10:30:00"), sentAt: t("11:00:00") });
    expect(summariseEmails(retried[0].emails)).toEqual({ emailed: [NWE], waiting: [], undelivered: [] });
  });

  it("shows a sending or failure whose queueing is not on the timeline as an entry of its own", () => {
    expect(shape([ev("CLOSED", "10:00:00"), ev("EMAIL_FAILED", "10:05:00", SFP, "3")])).toEqual([
      ["CLOSED", []],
      ["emails", [[SFP, null, null, "10:05:00"]]],
    ]);
  });

  it("leaves a timeline without emails as it is, one entry per event", () => {
    const events = [ev("RAISED", "10:00:00"), ev("ASSIGNED", "10:00:00", SFP), ev("INSTALL_CODE_REVEALED", "11:00:00")];
    expect(foldTimeline(events).map((e) => e.event)).toEqual(events);
  });
});

describe("summariseEmails", () => {
  it("names each organisation once: emailed once any of its emails is sent, waiting while none is", () => {
    const d = (organisation: string | null, sent: boolean, failed = false) => ({
      organisation,
      queuedAt: t("10:00:00"),
      sentAt: sent ? t("10:01:00") : null,
      failedAt: failed ? t("10:02:00") : null,
    });
    expect(summariseEmails([d(SFP, true), d(SFP, false), d(NWE, false), d(null, true)])).toEqual({ emailed: [SFP, null], waiting: [NWE], undelivered: [] });
    expect(summariseEmails([d(SFP, false, true)])).toEqual({ emailed: [], waiting: [], undelivered: [SFP] });
    expect(summariseEmails([])).toEqual({ emailed: [], waiting: [], undelivered: [] });
  });
});
