import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { queueSignInLink } from "@/lib/auth/options";
import { hashSessionToken, loadSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { closeSmtpConnections, dispatcherIdle } from "@/lib/notifications/dispatcher";
import { confirmEmailChange, emailChangeByToken, requestEmailChange } from "@/lib/people/email-change";
import { removePerson } from "@/lib/people/people";
import { startSink } from "../helpers/smtp-sink";
import { actorFor } from "../helpers/actors";
import { addUser, closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase } from "./requests/support";

// A person changes their own email address (issue 11) through the use cases and a real database: the
// link goes to the new address and only its hash is kept; confirming changes the address, signs
// every browser out, is audited by the User trigger and tells the old address; stale, reused,
// replaced links and taken addresses are refused without changing anything.
//
// The portal's own SMTP server (SMTP_URL) is one that is down: emails stay PENDING, readable here.

let counter = 0;
const next = () => ++counter;

/** A new person of Northwind Energy, as an Actor. */
async function freshPerson(): Promise<Actor> {
  const n = next();
  return addUser(`person${n}@northwind.example`, `Pat Person ${n}`, "NWE");
}

/** A signed-in browser of this user: the session token its cookie would carry. */
async function openSession(userId: string): Promise<string> {
  const token = `email-change-${next()}-${Math.random().toString(36).slice(2)}`;
  const now = new Date();
  await db().session.create({
    data: { sessionToken: hashSessionToken(token), userId, createdAt: now, lastSeenAt: now, expires: new Date(now.getTime() + env().sessionIdleMinutes * 60_000) },
  });
  return token;
}

const SUBJECT = "Confirm your new email address for the Install Code Request portal";

/** The last email to `to` with this subject. */
async function lastEmailTo(to: string, subject = SUBJECT) {
  return db().email.findFirstOrThrow({ where: { to, subject }, orderBy: { createdAt: "desc" } });
}

/** The link's token in the last confirmation email to `to`. */
async function tokenSentTo(to: string): Promise<string> {
  const { text } = await lastEmailTo(to);
  const m = /\/profile\/confirm-email\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no confirmation link in: ${text.slice(0, 200)}`);
  return m[1];
}

/** Everything a refused confirmation must leave as it was. */
async function snapshot() {
  await dispatcherIdle();
  const c = db();
  return {
    users: await c.user.findMany({ orderBy: { id: "asc" }, select: { id: true, email: true, emailVerified: true } }),
    changes: await c.emailChange.findMany({ orderBy: { id: "asc" } }),
    sessions: await c.session.count(),
    emails: await c.email.count(),
    audit: await c.auditEvent.count(),
  };
}

async function lastAudit(type: string, subject: string) {
  return db().auditEvent.findFirstOrThrow({ where: { type: type as never, subject }, orderBy: { sequence: "desc" } });
}

describe(`changing one's own email address (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor;

  beforeAll(async () => {
    const probe = await startSink();
    await probe.close();
    process.env.SMTP_URL = `smtp://127.0.0.1:${probe.port}`;
    ({ alice, bob } = await openSeededDatabase());
  });
  afterAll(async () => {
    closeSmtpConnections();
    await closeSeededDatabase();
  });
  beforeEach(async () => {
    await dispatcherIdle();
  });

  it("a request emails a link to the new address (hash kept only); confirming changes the address, signs out, is audited, tells the old address; sign-in follows the address", async () => {
    const pat = await freshPerson();
    const oldEmail = pat.email;
    const session = await openSession(pat.userId);
    const before = await db().email.count();

    expect(await requestEmailChange(pat, { newEmail: "  Pat.New@Elsewhere.Example " })).toEqual({ newEmail: "pat.new@elsewhere.example" });
    // One email, to the new address only; nothing changes yet.
    expect(await db().email.count()).toBe(before + 1);
    const email = await lastEmailTo("pat.new@elsewhere.example");
    expect(email).toMatchObject({ category: "EMAIL_CHANGE", kind: "SIGN_IN", organisationId: null, userId: null, requestId: null });
    const token = await tokenSentTo("pat.new@elsewhere.example");
    expect(email.text).toContain(`http://portal.test/profile/confirm-email?token=${token}`);
    expect(email.html).toContain(`http://portal.test/profile/confirm-email?token=${token}`);
    expect(email.text).toContain(pat.name);
    expect(email.text).toContain(oldEmail);
    expect(email.text).toMatch(/Nothing changes unless you confirm/);
    expect(email.subject).not.toContain(token);
    const change = await db().emailChange.findFirstOrThrow({ where: { userId: pat.userId } });
    expect(change.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(change)).not.toContain(token);
    expect(change.expiresAt.getTime() - change.createdAt.getTime()).toBe(24 * 3600_000);
    expect(await lastAudit("EMAIL_CHANGE_REQUESTED", "pat.new@elsewhere.example")).toMatchObject({ actorEmail: oldEmail, actorUserId: pat.userId, detail: `from ${oldEmail}` });
    expect(JSON.stringify(await db().auditEvent.findMany({ select: { subject: true, detail: true } }))).not.toContain(token);
    expect((await db().user.findUniqueOrThrow({ where: { id: pat.userId } })).email).toBe(oldEmail);
    expect(await loadSession(session)).not.toBeNull();

    expect(await emailChangeByToken(token)).toEqual({ state: "open", oldEmail, newEmail: "pat.new@elsewhere.example", name: pat.name });
    expect(await confirmEmailChange(token, { clientAddress: "203.0.113.7" })).toEqual({ email: "pat.new@elsewhere.example" });

    expect((await db().user.findUniqueOrThrow({ where: { id: pat.userId } })).email).toBe("pat.new@elsewhere.example");
    expect(await db().session.count({ where: { userId: pat.userId } })).toBe(0);
    expect(await loadSession(session)).toBeNull();
    expect(await lastAudit("USER_CHANGED", "pat.new@elsewhere.example")).toMatchObject({
      actorUserId: pat.userId,
      clientAddress: "203.0.113.7",
      detail: expect.stringContaining(`email ${oldEmail} -> pat.new@elsewhere.example`),
    });
    const notice = await db().email.findFirstOrThrow({ where: { to: oldEmail }, orderBy: { createdAt: "desc" } });
    expect(notice.text).toContain("Your email address for the Install Code Request portal was changed to pat.new@elsewhere.example");
    expect(notice.text).toContain("If this was not you, tell your organisation's administrator");
    expect(notice.text).not.toMatch(/https?:\/\//);
    expect(notice).toMatchObject({ category: "SIGN_IN", organisationId: null, userId: null });

    // The link works once.
    expect(await emailChangeByToken(token)).toMatchObject({ state: "confirmed" });
    await expectRefused(confirmEmailChange(token), "CONFLICT", "This link has been used: sign in with your new email address");

    // The person signs in with the new address; the old one is nobody's now.
    expect(await queueSignInLink("pat.new@elsewhere.example", "http://portal.test/sign-in/confirm?token=t")).toBe(true);
    expect(await queueSignInLink(oldEmail, "http://portal.test/sign-in/confirm?token=t")).toBe(false);
    expect((await actorFor("pat.new@elsewhere.example")).userId).toBe(pat.userId);
  });

  it("an expired link is refused and nothing changes", async () => {
    const pat = await freshPerson();
    await requestEmailChange(pat, { newEmail: `late${next()}@elsewhere.example` }, { now: new Date(Date.now() - 25 * 3600_000) });
    const change = await db().emailChange.findFirstOrThrow({ where: { userId: pat.userId } });
    const token = await tokenSentTo(change.newEmail);
    expect((await emailChangeByToken(token)).state).toBe("expired");
    const before = await snapshot();
    const error = await expectRefused(confirmEmailChange(token), "CONFLICT");
    expect(error.message).toMatch(/^This link expired on \d{4}-\d{2}-\d{2}\. Ask for the change again on your profile page$/);
    expect(await snapshot()).toEqual(before);
    expect((await db().user.findUniqueOrThrow({ where: { id: pat.userId } })).email).toBe(pat.email);
  });

  it("a new request replaces the open one: the old link stops working, the new one works", async () => {
    const pat = await freshPerson();
    const first = `first${next()}@elsewhere.example`;
    const second = `second${next()}@elsewhere.example`;
    await requestEmailChange(pat, { newEmail: first });
    const old = await tokenSentTo(first);
    await requestEmailChange(pat, { newEmail: second });
    const fresh = await tokenSentTo(second);
    expect(await emailChangeByToken(old)).toMatchObject({ state: "unknown" });
    const before = await snapshot();
    await expectRefused(confirmEmailChange(old), "CONFLICT");
    expect(await snapshot()).toEqual(before);
    await confirmEmailChange(fresh);
    expect((await db().user.findUniqueOrThrow({ where: { id: pat.userId } })).email).toBe(second);
  });

  it("an unknown or malformed link reveals nothing and changes nothing", async () => {
    const before = await snapshot();
    for (const token of ["", "short", "x".repeat(43), "y".repeat(500)]) {
      const view = await emailChangeByToken(token);
      expect(view).toEqual({ state: "unknown", message: expect.stringMatching(/^This link is not valid/) });
      await expectRefused(confirmEmailChange(token), "CONFLICT");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("the same address, an invalid one, or one that belongs to another account (removed or not) is refused at the request, with nothing sent", async () => {
    const pat = await freshPerson();
    const gone = await freshPerson();
    await removePerson(alice, { userId: gone.userId });
    expect((await db().user.findUniqueOrThrow({ where: { id: gone.userId } })).removedAt).not.toBeNull();
    const before = await snapshot();
    const same = await expectRefused(requestEmailChange(pat, { newEmail: pat.email.toUpperCase() }), "VALIDATION");
    expect(same.fieldErrors).toEqual({ newEmail: [`${pat.email} is already your email address`] });
    const taken = await expectRefused(requestEmailChange(pat, { newEmail: bob.email }), "VALIDATION");
    expect(taken.fieldErrors).toEqual({ newEmail: ["This address belongs to another account"] });
    const removed = await expectRefused(requestEmailChange(pat, { newEmail: gone.email }), "VALIDATION");
    expect(removed.fieldErrors).toEqual({ newEmail: ["This address belongs to another account"] });
    const invalid = await expectRefused(requestEmailChange(pat, { newEmail: "not an address" }), "VALIDATION");
    expect(invalid.fieldErrors.newEmail).toEqual(["Enter an email address like name@example.co.uk"]);
    const long = await expectRefused(requestEmailChange(pat, { newEmail: `${"a".repeat(250)}@x.example` }), "VALIDATION");
    expect(long.fieldErrors.newEmail).toContain("The address can be at most 254 characters");
    expect(await snapshot()).toEqual(before);
  });

  it("an address taken by someone else after the request is refused at confirmation, and nothing changes", async () => {
    const pat = await freshPerson();
    const wanted = `wanted${next()}@elsewhere.example`;
    await requestEmailChange(pat, { newEmail: wanted });
    const token = await tokenSentTo(wanted);
    // Meanwhile another person gets the address (invited and accepted, say).
    await addUser(wanted, "Quick Taker", "SFP");
    const before = await snapshot();
    await expectRefused(confirmEmailChange(token), "CONFLICT", `${wanted} now belongs to another account: ask for the change again with another address`);
    expect(await snapshot()).toEqual(before);
    expect((await db().user.findUniqueOrThrow({ where: { id: pat.userId } })).email).toBe(pat.email);
    expect(await emailChangeByToken(token)).toMatchObject({ state: "open" });
  });

  it("a removed person's link does not work, and changes nothing", async () => {
    const pat = await freshPerson();
    const wanted = `removed${next()}@elsewhere.example`;
    await requestEmailChange(pat, { newEmail: wanted });
    const token = await tokenSentTo(wanted);
    await removePerson(alice, { userId: pat.userId });
    expect(await emailChangeByToken(token)).toMatchObject({ state: "unknown" });
    const before = await snapshot();
    await expectRefused(confirmEmailChange(token), "CONFLICT");
    expect(await snapshot()).toEqual(before);
  });

  it("two confirmations of one link at once: exactly one changes the address", async () => {
    const pat = await freshPerson();
    const wanted = `race${next()}@elsewhere.example`;
    await requestEmailChange(pat, { newEmail: wanted });
    const token = await tokenSentTo(wanted);
    const outcomes = await Promise.allSettled([confirmEmailChange(token), confirmEmailChange(token)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(await db().email.count({ where: { to: pat.email, subject: "Your email address for the Install Code Request portal was changed" } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: pat.userId } })).email).toBe(wanted);
  });
});
