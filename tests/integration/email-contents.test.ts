import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { lodgeInstallCode } from "@/lib/install-code/lodge";
import { sendDailyDigests } from "@/lib/notifications/digest";
import { setTeamEmail, updateEmailPreferences } from "@/lib/notifications/preferences";
import { addNote } from "@/lib/requests/add-note";
import { bulkRaiseRequests } from "@/lib/requests/bulk-raise";
import { closeRequest } from "@/lib/requests/close-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { generateDueReports } from "@/lib/sla/report";
import { runSlaScan } from "@/lib/sla/scheduler";
import { addDevice, closeSeededDatabase, ON_POSTGRES, openSeededDatabase } from "./requests/support";

// Issue 10: "never an Install Code, a note body or a reassignment reason" in any email. Every use
// case that emails runs here with marked notes, reasons and codes, to people, a team address and a
// digest; then every email it queued is read whole.

const NOTE = "Note-Marker-Quokka-4417";
const REASON = "Reason-Marker-Wombat-9902";
const CODES = ["83FED3407A939723A5C639B26916D505", "00112233445566778899AABBCCDDEEFF", "A1B2C3D4E5F60718"];

/** A code as a person might see it: bare, lower-case, or in groups of four. */
function spellings(code: string): string[] {
  const groups = code.match(/.{4}/g)!;
  return [code, code.toLowerCase(), groups.join("-"), groups.join(" "), groups.join("-").toLowerCase()];
}

describe(`what emails never carry (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  let started: Date;

  beforeAll(async () => {
    ({ alice, bob, erin, dana } = await openSeededDatabase());
    started = new Date(Date.now() - 1000);
    // A team address, and a digest reader, so that every kind of recipient is in the sample.
    await setTeamEmail(bob, { teamEmail: "ops@southfield.example" });
    await updateEmailPreferences(alice, { emailAnswers: true, emailNotes: true, emailReminders: true, emailReports: true, emailDigest: true });

    const raisedAt = new Date("2026-11-02T10:00:00Z");
    const deviceId = await addDevice("SFP");
    const { reference } = await raiseRequest(alice, { deviceId, note: `${NOTE} from the raise` }, { now: raisedAt });
    await addNote(bob, { reference, body: `${NOTE} from the assignee` });
    await addNote(dana, { reference, body: `${NOTE} from the helpdesk` });
    await addNote(alice, { reference, body: `${NOTE} from the raiser` });
    // Reminder and breach of the first clock.
    await runSlaScan(new Date("2026-11-06T09:00:00Z"));
    await runSlaScan(new Date("2026-11-10T09:00:00Z"));
    await provideInstallCode(bob, { reference, installCode: CODES[0] });
    await provideInstallCode(bob, { reference, installCode: CODES[1], reason: "The first code was mistyped" });
    await reassignRequest(dana, { reference, organisationCode: "EGP", reason: REASON });
    await provideInstallCode(erin, { reference, installCode: CODES[2] });
    await closeRequest(alice, { reference });

    // A code lodged in advance answers the raise at once.
    const lodged = await addDevice("SFP");
    await lodgeInstallCode(bob, { deviceId: lodged, installCode: CODES[1] });
    await raiseRequest(alice, { deviceId: lodged, note: NOTE });

    // A bulk raise with notes, new and on an open request.
    const open = await addDevice("SFP");
    await raiseRequest(alice, { deviceId: open });
    await bulkRaiseRequests(alice, [
      { deviceId: await addDevice("SFP"), note: `${NOTE} bulk` },
      { deviceId: open, note: `${NOTE} bulk on an open one` },
    ]);

    await generateDueReports(new Date("2026-12-01T09:00:00Z"));
    await sendDailyDigests();
  });
  afterAll(async () => {
    await db().organisation.updateMany({ data: { teamEmail: null } });
    await db().user.updateMany({ data: { emailDigest: false } });
    await closeSeededDatabase();
  });

  it("queued emails of every kind, to people, a team address and as a digest", async () => {
    const emails = await db().email.findMany({ where: { createdAt: { gte: started } } });
    const categories = new Set(emails.map((e) => e.category));
    for (const category of ["ASSIGNMENT", "BREACH", "ANSWER", "NOTE", "REMINDER", "REPORT", "DIGEST"]) expect(categories, category).toContain(category);
    expect(emails.some((e) => e.to === "ops@southfield.example")).toBe(true);
    expect(emails.some((e) => e.status === "DIGESTED")).toBe(true);
  });

  it("none of them carries a note's body, a reassignment's reason or an Install Code, in any part", async () => {
    const emails = await db().email.findMany({ where: { createdAt: { gte: started } } });
    expect(emails.length).toBeGreaterThan(20);
    const secrets = [NOTE, REASON, ...CODES.flatMap(spellings)];
    for (const email of emails) {
      for (const part of [email.subject, email.text, email.html]) {
        for (const secret of secrets) expect(part, `${email.category} to ${email.to}: ${email.subject}`).not.toContain(secret);
      }
    }
  });

  it("each one about a single request names its reference in the subject and links to it in the text part", async () => {
    const emails = await db().email.findMany({ where: { createdAt: { gte: started }, requestId: { not: null } }, include: { request: { select: { number: true } } } });
    expect(emails.length).toBeGreaterThan(10);
    for (const email of emails) {
      const reference = `RIC${String(email.request!.number).padStart(7, "0")}`;
      expect(email.subject).toContain(reference);
      // The previous assignee's "reassigned away" email has no link to a request no longer theirs.
      if (email.text.includes("no longer needs to respond")) continue;
      expect(email.text.split("\n")).toContain(`http://portal.test/requests/${reference}`);
    }
  });

  it("every one says why its recipient got it and where to change it", async () => {
    const emails = await db().email.findMany({ where: { createdAt: { gte: started }, kind: "NOTIFICATION" } });
    for (const email of emails) {
      expect(email.text).toMatch(/You get this (email|digest) because /);
      expect(email.text).toContain("http://portal.test/settings/notifications");
      expect(email.html).toContain("http://portal.test/settings/notifications");
    }
  });
});
