import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dailyDigestEmail } from "./digest-emails";
import { recipientFooter } from "./footer";
import { escapeHtml, withFooter, type RenderedEmail } from "./layout";
import { obligationReportReadyEmail } from "./report-emails";
import {
  requestAssignedEmail,
  requestClosedNotPossibleEmail,
  requestDeclinedEmail,
  requestReassignedAwayEmail,
  requestsRaisedInBulkEmail,
  requestUpdatedEmail,
} from "./request-emails";
import { signInEmail } from "./sign-in";
import { responseOverdueEmail, responseReminderEmail } from "./sla-emails";
import { EmailCategory } from "../lib/db/generated/enums";

// Every template, with hostile names in every text it takes: the subject names the reference, the
// text part has the one link, the HTML part escapes what it was given, and a footer never adds
// anything but words. The templates take no code, note or reason at all (their inputs have no such
// field); tests/integration/email-contents.test.ts checks the use cases never smuggle one in.

const HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "Ops & Co", "O'Brien", "\u202eevil", "\u0000", "😀", "a\tb", "Line\r\nBcc: victim@example.com"];
const name = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ minLength: 1, maxLength: 60 }));
const reference = fc.integer({ min: 1, max: 9_999_999 }).map((n) => `RIC${String(n).padStart(7, "0")}`);
const deviceId = fc.constantFrom("00-DB-12-34-56-78-90-A1", "00-DB-10-00-00-00-00-01");
const at = fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true });

/** One rendered email about a request, and what it must name. */
type Case = { email: RenderedEmail; reference?: string; url: string; names: string[] };

const cases: fc.Arbitrary<Case> = fc.oneof(
  fc.record({ reference, deviceId, org: name, due: name, reassigned: fc.boolean(), lodged: fc.option(at, { nil: null }) }).map((i) => {
    const url = `http://portal.test/requests/${i.reference}`;
    return {
      email: requestAssignedEmail({ reference: i.reference, deviceId: i.deviceId, raisingOrganisation: i.org, due: i.due, url, reassigned: i.reassigned, answeredFromLodgedCode: i.lodged }),
      reference: i.reference,
      url,
      names: [i.org],
    };
  }),
  fc.record({ reference, deviceId, what: name }).map((i) => {
    const url = `http://portal.test/requests/${i.reference}`;
    return { email: requestUpdatedEmail({ reference: i.reference, deviceId: i.deviceId, what: i.what, url }), reference: i.reference, url, names: [i.what] };
  }),
  fc.record({ reference, deviceId, org: name, reason: fc.constantFrom("NOT_PRE_NOTIFIED", "ALREADY_COMMISSIONED", "OTHER" as const) }).map((i) => {
    const url = `http://portal.test/requests/${i.reference}`;
    return { email: requestDeclinedEmail({ reference: i.reference, deviceId: i.deviceId, assignee: i.org, reason: i.reason, url }), reference: i.reference, url, names: [i.org] };
  }),
  fc.record({ reference, deviceId }).map((i) => {
    const url = `http://portal.test/requests/${i.reference}`;
    return { email: requestClosedNotPossibleEmail({ reference: i.reference, deviceId: i.deviceId, url }), reference: i.reference, url, names: [] };
  }),
  fc.record({ reference, deviceId, org: name, due: name }).map((i) => {
    const url = `http://portal.test/requests/${i.reference}`;
    return { email: responseReminderEmail({ reference: i.reference, deviceId: i.deviceId, raisingOrganisation: i.org, due: i.due, url }), reference: i.reference, url, names: [i.org] };
  }),
  fc.record({ reference, deviceId, a: name, r: name, dueAt: at, audience: fc.constantFrom("assignee", "raiser", "helpdesk" as const) }).map((i) => {
    const url = `http://portal.test/requests/${i.reference}`;
    return {
      email: responseOverdueEmail({ audience: i.audience, reference: i.reference, deviceId: i.deviceId, assignedOrganisation: i.a, raisingOrganisation: i.r, dueAt: i.dueAt, url }),
      reference: i.reference,
      url,
      names: [i.r],
    };
  }),
  fc.record({ org: name, refs: fc.array(reference, { minLength: 1, maxLength: 5 }), notes: fc.array(reference, { maxLength: 3 }), due: name }).map((i) => {
    const url = "http://portal.test/requests";
    const listed = (refs: string[]) => refs.map((r) => ({ reference: r, deviceId: "00-DB-12-34-56-78-90-A1" }));
    return { email: requestsRaisedInBulkEmail({ raisingOrganisation: i.org, assigned: listed(i.refs), notesAdded: listed(i.notes), due: i.due, listUrl: url }), url, names: [i.org] };
  }),
  fc.record({ org: name, subjects: fc.array(name, { minLength: 1, maxLength: 5 }) }).map((i) => {
    const url = "http://portal.test/requests";
    return { email: dailyDigestEmail({ organisation: i.org, items: i.subjects.map((subject) => ({ category: "NOTE" as const, subject })), listUrl: url }), url, names: [i.org] };
  }),
  fc.record({ month: name, within: name }).map((i) => {
    const url = "http://portal.test/helpdesk/reports/2026-10";
    return { email: obligationReportReadyEmail({ month: i.month, within: i.within, url }), url, names: [i.month] };
  }),
);

describe("every email template", () => {
  it("names the reference in the subject, has the link in the text part, and escapes what it was given in the HTML part", () => {
    fc.assert(
      fc.property(cases, ({ email, reference, url, names }) => {
        if (reference) expect(email.subject).toContain(reference);
        expect(email.text.split("\n")).toContain(url);
        expect(email.html).toContain(`href="${url}"`);
        for (const given of names) expect(email.html).toContain(escapeHtml(given));
        expect(email.html).not.toMatch(/<script|<img/i);
      }),
      { numRuns: 400 },
    );
  });

  it("reassigned away: no link at all, since the request is no longer the reader's to open", () => {
    fc.assert(
      fc.property(reference, name, (ref, assignee) => {
        const email = requestReassignedAwayEmail({ reference: ref, deviceId: "00-DB-12-34-56-78-90-A1", newAssignee: assignee });
        expect(email.subject).toContain(ref);
        for (const part of [email.text, email.html]) expect(part).not.toContain("/requests/");
      }),
    );
  });

  it("a sign-in email carries its link in both parts", () => {
    const email = signInEmail({ url: "http://portal.test/api/auth/callback/email?token=abc", minutesValid: 15 });
    expect(email.text).toContain("http://portal.test/api/auth/callback/email?token=abc");
    expect(email.html).toContain('href="http://portal.test/api/auth/callback/email?token=abc"');
  });

  it("gets a footer, per recipient, in both parts: why they got it and where to change it, escaped", () => {
    fc.assert(
      fc.property(cases, name, fc.constantFrom(...Object.values(EmailCategory)), fc.boolean(), fc.boolean(), ({ email }, organisation, category, team, alwaysSent) => {
        const settingsUrl = "http://portal.test/settings/notifications";
        const lines = team ? recipientFooter({ recipient: "team", organisation, settingsUrl }) : recipientFooter({ recipient: "person", organisation, category, alwaysSent, settingsUrl });
        const footed = withFooter(email, lines);
        expect(footed.subject).toBe(email.subject);
        expect(footed.text.startsWith(email.text)).toBe(true);
        expect(footed.text).toContain(`\n--\n`);
        expect(footed.text).toContain(settingsUrl);
        expect(footed.html).toContain(settingsUrl);
        expect(footed.html).not.toMatch(/<script|<img/i);
        expect(footed.text).toMatch(team ? /team address/ : /You get this (email|digest) because you/);
      }),
      { numRuns: 200 },
    );
  });
});

describe("an email's subject as queued", () => {
  it("is one line whatever the names in it: no line break can start another header", async () => {
    const { oneLine } = await import("../lib/notifications/outbox");
    fc.assert(
      fc.property(name, reference, (org, ref) => {
        const subject = oneLine(requestUpdatedEmail({ reference: ref, deviceId: "00-DB-12-34-56-78-90-A1", what: `${org} added a note`, url: "http://portal.test/" }).subject);
        expect(subject).not.toMatch(/[\r\n\u0000]/);
        expect(subject).toContain(ref);
      }),
    );
    expect(oneLine("RIC0000001 updated: Line\r\nBcc: victim@example.com added a note")).toBe("RIC0000001 updated: Line Bcc: victim@example.com added a note");
  });
});
