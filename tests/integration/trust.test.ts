import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toActor } from "@/lib/auth/actor";
import { purgeExpiredSignInData } from "@/lib/auth/cleanup";
import { findUserByEmail, normaliseSignInAddress, portalAdapter } from "@/lib/auth/adapter";
import { authOptions, queueSignInLink, SIGN_IN_LINK_MINUTES } from "@/lib/auth/options";
import { setLogDestinationForTests } from "@/lib/log";
import { hashSessionToken, loadSession, revokeSession, sessionCookieName, TOUCH_AFTER_MS } from "@/lib/auth/sessions";
import { signInLinkAllowed } from "@/lib/auth/sign-in-limits";
import { setAuditActor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { consume } from "@/lib/limits/rate-limit";
import { dispatchDueEmails, dispatcherIdle } from "@/lib/notifications/dispatcher";
import { mailboxMessage } from "@/lib/notifications/mailbox";
import { REDACTED_TEXT } from "@/lib/notifications/redact";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { viewRequest } from "@/lib/requests/view-request";
import { queueEmail } from "@/lib/notifications/outbox";
import { signInEmail } from "@/emails/sign-in";
import { startSink } from "../helpers/smtp-sink";
import { addDevice, closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase } from "./requests/support";

// The trust work: who counts as helpdesk, sessions, sign-in links kept out of the database, the audit
// of changes to people and organisations, and the abuse limits. On a real database.

describe(`trust (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;

  beforeAll(async () => {
    people = await openSeededDatabase();
  });
  afterAll(async () => {
    await closeSeededDatabase();
  });

  async function signedIn(email: string, at: Date, token = `token-${Math.random().toString(36).slice(2)}`) {
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    await db().session.create({
      data: { sessionToken: hashSessionToken(token), userId: user.id, createdAt: at, lastSeenAt: at, expires: new Date(at.getTime() + env().sessionIdleMinutes * 60_000) },
    });
    return token;
  }

  describe("a user is helpdesk only when its role and its organisation agree", () => {
    it("cannot be stored with a HELPDESK role in a Supplier organisation, or a Supplier role in the helpdesk", async () => {
      const nwe = await db().organisation.findUniqueOrThrow({ where: { code: "NWE" } });
      const dcc = await db().organisation.findUniqueOrThrow({ where: { code: "DCC" } });
      const before = await db().user.count();
      await expect(
        db().user.create({ data: { email: "mole@northwind.example", name: "Mole", role: "HELPDESK", organisationId: nwe.id, organisationKind: "SUPPLIER" } }),
      ).rejects.toThrow();
      // Claiming the organisation is of the other kind does not get past the foreign key.
      await expect(
        db().user.create({ data: { email: "mole@northwind.example", name: "Mole", role: "HELPDESK", organisationId: nwe.id, organisationKind: "HELPDESK" } }),
      ).rejects.toThrow();
      await expect(
        db().user.create({ data: { email: "sup@dcc.example", name: "Sup", role: "SUPPLIER_USER", organisationId: dcc.id, organisationKind: "HELPDESK" } }),
      ).rejects.toThrow();
      // Nor by changing an existing user, or the kind of an organisation that has users.
      await expect(db().user.update({ where: { email: "alice@northwind.example" }, data: { role: "HELPDESK" } })).rejects.toThrow();
      await expect(db().$executeRaw`UPDATE "User" SET "role" = 'HELPDESK' WHERE "email" = 'alice@northwind.example'`).rejects.toThrow();
      await expect(db().organisation.update({ where: { code: "NWE" }, data: { kind: "HELPDESK" } })).rejects.toThrow();
      expect(await db().user.count()).toBe(before);
      expect((await db().user.findUniqueOrThrow({ where: { email: "alice@northwind.example" } })).role).toBe("SUPPLIER_USER");
      expect((await db().organisation.findUniqueOrThrow({ where: { code: "NWE" } })).kind).toBe("SUPPLIER");
    });

    it("if the check were ever lost, a mismatched user gets no sign-in link, no sign-in and no session, with a log line and an audit event", async () => {
      const logged: string[] = [];
      setLogDestinationForTests({ write: (line: string) => void logged.push(line) });
      const nwe = await db().organisation.findUniqueOrThrow({ where: { code: "NWE" } });
      // Simulate a database that lost its guard (a restore from an old dump, a hand-made change).
      await db().$executeRawUnsafe(`ALTER TABLE "User" DROP CONSTRAINT "User_role_matches_organisation_kind"`);
      try {
        const mole = await db().user.create({
          data: { email: "mole@northwind.example", name: "Mole", role: "HELPDESK", organisationId: nwe.id, organisationKind: "SUPPLIER" },
        });
        await dispatcherIdle();
        const emailsBefore = await db().email.count();
        expect(await queueSignInLink("mole@northwind.example", "http://portal.test/sign-in/confirm?token=t&email=mole")).toBe(false);
        expect(await db().email.count()).toBe(emailsBefore);
        const callbacks = authOptions().callbacks!;
        const user = await portalAdapter().getUserByEmail!("mole@northwind.example");
        expect(await callbacks.signIn!({ user: user!, account: null, email: { verificationRequest: false } } as never)).toBe(false);
        const token = await signedIn("mole@northwind.example", new Date());
        expect(await loadSession(token)).toBeNull();
        expect(await db().session.count({ where: { userId: mole.id } })).toBe(0);
        const audit = await db().auditEvent.findMany({ where: { subject: "mole@northwind.example", type: { in: ["SIGN_IN_LINK_REFUSED", "SIGN_IN_REFUSED"] } } });
        expect(audit.map((e) => e.type).sort()).toEqual(["SIGN_IN_LINK_REFUSED", "SIGN_IN_REFUSED"]);
        const lines = logged.join("\n");
        expect(lines).toContain("sign-in link refused: role disagrees with the organisation's kind");
        expect(lines).toContain("sign-in refused: the user's role disagrees with its organisation's kind");
        expect(lines).toContain("session refused: role disagrees with the organisation's kind");
        await db().user.delete({ where: { id: mole.id } });
      } finally {
        setLogDestinationForTests();
        await db().$executeRawUnsafe(
          `ALTER TABLE "User" ADD CONSTRAINT "User_role_matches_organisation_kind" CHECK (("role" = 'HELPDESK') = ("organisationKind" = 'HELPDESK'))`,
        );
      }
    });

    it("a session whose user's role disagrees with its organisation is no session (a row read as it would be if the check were gone)", () => {
      const row = {
        id: "u",
        email: "x@y.example",
        name: "X",
        role: "HELPDESK" as const,
        administrator: false,
        removedAt: null,
        organisationId: "o",
        organisation: { code: "NWE", name: "Northwind", kind: "SUPPLIER" as const, suspendedAt: null },
      };
      expect(toActor(row)).toBeNull();
      expect(toActor({ ...row, role: "SUPPLIER_USER" })).toMatchObject({ role: "SUPPLIER_USER", organisationKind: "SUPPLIER" });
    });
  });

  describe("sessions", () => {
    const start = new Date("2026-11-30T08:00:00Z");
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

    it("end after the idle timeout without activity, and are deleted", async () => {
      const token = await signedIn("alice@northwind.example", start);
      expect((await loadSession(token, minutes(29)))?.actor.email).toBe("alice@northwind.example");
      const token2 = await signedIn("alice@northwind.example", start);
      expect(await loadSession(token2, minutes(env().sessionIdleMinutes + 1))).toBeNull();
      expect(await db().session.count({ where: { sessionToken: hashSessionToken(token2) } })).toBe(0);
    });

    it("are kept alive by activity, but never past the absolute lifetime", async () => {
      const token = await signedIn("bob@southfield.example", start);
      // Active every 20 minutes: still signed in after 11 hours...
      for (let m = 20; m <= 11 * 60; m += 20) expect(await loadSession(token, minutes(m)), `minute ${m}`).not.toBeNull();
      // ...and out at 12 hours, active or not.
      expect(await loadSession(token, minutes(env().sessionMaxHours * 60))).toBeNull();
    });

    it("move their expiry on at most once a minute", async () => {
      const token = await signedIn("erin@eastgate.example", start);
      const before = await db().session.findUniqueOrThrow({ where: { sessionToken: hashSessionToken(token) } });
      await loadSession(token, new Date(start.getTime() + TOUCH_AFTER_MS - 1000));
      expect(await db().session.findUniqueOrThrow({ where: { sessionToken: hashSessionToken(token) } })).toEqual(before);
      await loadSession(token, new Date(start.getTime() + TOUCH_AFTER_MS));
      expect((await db().session.findUniqueOrThrow({ where: { sessionToken: hashSessionToken(token) } })).expires.getTime()).toBeGreaterThan(before.expires.getTime());
    });

    it("are kept as a hash of their token: a copy of the database holds no usable session", async () => {
      const alice = await db().user.findUniqueOrThrow({ where: { email: "alice@northwind.example" } });
      const token = "a9c3f1d2-0000-4000-8000-live-cookie-value";
      await portalAdapter().createSession!({ sessionToken: token, userId: alice.id, expires: new Date(Date.now() + 3_600_000) });
      const rows = await db().$queryRaw<{ sessionToken: string }[]>`SELECT "sessionToken" FROM "Session" WHERE "userId" = ${alice.id}::uuid`;
      expect(rows.map((r) => r.sessionToken)).not.toContain(token);
      expect(rows.map((r) => r.sessionToken)).toContain(hashSessionToken(token));
      // The stored value does not open a session; the cookie's token does.
      expect(await loadSession(hashSessionToken(token))).toBeNull();
      expect((await loadSession(token))?.actor.email).toBe("alice@northwind.example");
      expect((await portalAdapter().getSessionAndUser!(token))?.session.sessionToken).toBe(token);
      await portalAdapter().deleteSession!(token);
      expect(await loadSession(token)).toBeNull();
    });

    it("use a __Secure- cookie whenever APP_URL is https, however the scheme is written", () => {
      expect(sessionCookieName("https://portal.example.org")).toBe("__Secure-next-auth.session-token");
      expect(sessionCookieName("HTTPS://portal.example.org")).toBe("__Secure-next-auth.session-token");
      expect(sessionCookieName("http://127.0.0.1:3000")).toBe("next-auth.session-token");
    });

    it("last, as a cookie, as long as the absolute lifetime, while the row keeps the idle limit", async () => {
      const alice = await db().user.findUniqueOrThrow({ where: { email: "alice@northwind.example" } });
      const absolute = new Date(Date.now() + env().sessionMaxHours * 3_600_000);
      const created = await portalAdapter().createSession!({ sessionToken: "cookie-lifetime-token", userId: alice.id, expires: absolute });
      // next-auth sets the cookie's expiry from what createSession returns: no page renews the cookie.
      expect(created.expires).toEqual(absolute);
      const row = await db().session.findUniqueOrThrow({ where: { sessionToken: hashSessionToken("cookie-lifetime-token") } });
      expect(row.expires.getTime()).toBeLessThanOrEqual(Date.now() + env().sessionIdleMinutes * 60_000);
    });

    it("are written to the audit log, with whose session it was, when they are signed out", async () => {
      const bob = await db().user.findUniqueOrThrow({ where: { email: "bob@southfield.example" } });
      await portalAdapter().createSession!({ sessionToken: "sign-out-token", userId: bob.id, expires: new Date(Date.now() + 3_600_000) });
      // As next-auth does on sign-out: the adapter's answer is what its signOut event is told.
      const ended = await portalAdapter().deleteSession!("sign-out-token");
      expect(ended).toMatchObject({ userId: bob.id });
      await authOptions().events!.signOut!({ session: ended as never, token: null as never });
      const row = await db().auditEvent.findFirstOrThrow({ where: { type: "SIGN_OUT" }, orderBy: { sequence: "desc" } });
      expect(row).toMatchObject({ actorUserId: bob.id, actorEmail: "bob@southfield.example", actorOrganisationCode: "SFP" });
    });

    it("are revoked by signing out", async () => {
      const token = await signedIn("alice@northwind.example", new Date());
      expect(await loadSession(token)).not.toBeNull();
      await revokeSession(token);
      expect(await loadSession(token)).toBeNull();
    });

    it("all end at once when the user's organisation or role changes, or the user is removed", async () => {
      const nwe = await db().organisation.findUniqueOrThrow({ where: { code: "NWE" } });
      const egp = await db().organisation.findUniqueOrThrow({ where: { code: "EGP" } });
      const mover = await db().user.create({ data: { email: "mover@northwind.example", name: "Mover", role: "SUPPLIER_USER", organisationId: nwe.id, organisationKind: "SUPPLIER" } });
      const tokens = [await signedIn(mover.email, new Date()), await signedIn(mover.email, new Date())];
      const bystander = await signedIn("alice@northwind.example", new Date());
      await db().user.update({ where: { id: mover.id }, data: { name: "Mover Renamed" } });
      expect(await db().session.count({ where: { userId: mover.id } })).toBe(2);
      await db().user.update({ where: { id: mover.id }, data: { organisationId: egp.id } });
      expect(await db().session.count({ where: { userId: mover.id } })).toBe(0);
      for (const token of tokens) expect(await loadSession(token)).toBeNull();
      await signedIn(mover.email, new Date());
      await db().user.delete({ where: { id: mover.id } });
      expect(await db().session.count({ where: { userId: mover.id } })).toBe(0);
      expect(await loadSession(bystander)).not.toBeNull();
    });
  });

  describe("the audit log of people and organisations", () => {
    it("records every change to users and organisations, naming the actor when the portal makes it", async () => {
      const dana = people.dana;
      await transaction(async (tx) => {
        await setAuditActor(tx, { ...dana, clientAddress: "192.0.2.7" });
        await tx.organisation.create({ data: { code: "ZZP", name: "Zed Power", kind: "SUPPLIER" } });
        const zed = await tx.organisation.findUniqueOrThrow({ where: { code: "ZZP" } });
        await tx.user.create({ data: { email: "zoe@zed.example", name: "Zoe", role: "SUPPLIER_USER", organisationId: zed.id, organisationKind: "SUPPLIER" } });
        await tx.organisation.update({ where: { code: "ZZP" }, data: { name: "Zed Power Ltd" } });
      });
      // A change outside the portal (a script, psql) is recorded too, with no actor.
      await db().user.delete({ where: { email: "zoe@zed.example" } });
      const rows = await db().auditEvent.findMany({ where: { subject: { in: ["ZZP", "zoe@zed.example"] } }, orderBy: { sequence: "asc" } });
      expect(rows.map((r) => [r.type, r.subject, r.actorEmail, r.clientAddress])).toEqual([
        ["ORGANISATION_CREATED", "ZZP", "dana@dcc.example", "192.0.2.7"],
        ["USER_CREATED", "zoe@zed.example", "dana@dcc.example", "192.0.2.7"],
        ["ORGANISATION_CHANGED", "ZZP", "dana@dcc.example", "192.0.2.7"],
        ["USER_REMOVED", "zoe@zed.example", null, null],
      ]);
      expect(rows[2]!.detail).toBe("name Zed Power -> Zed Power Ltd");
    });
  });

  describe("sign-in links", () => {
    it("are asked for only for an address that could be one: the form's answer, not a database error", () => {
      expect(normaliseSignInAddress(" Alice@Northwind.Example ")).toBe("alice@northwind.example");
      expect(normaliseSignInAddress("alice@northwind.example,evil.example")).toBe("alice@northwind.example");
      for (const bad of ["a\u0000b@x.example", "no-at-sign", "two@@x.example", "x@nodot", `${"a".repeat(320)}@x.example`, '"q"@x.example', 42, undefined]) {
        expect(() => normaliseSignInAddress(bad), String(bad)).toThrow("Invalid email address format.");
      }
    });

    it("find nobody, without asking the database, for an address no account could have", async () => {
      expect(await findUserByEmail("a\u0000b@northwind.example")).toBeNull();
      expect(await findUserByEmail("alice@northwind.example")).not.toBeNull();
    });

    it("are blanked in the database once handed to the mail server, and arrive intact", async () => {
      const sink = await startSink();
      try {
        await dispatcherIdle();
        const url = "http://portal.test/sign-in/confirm?token=secret-token-Platypus&email=alice%40northwind.example";
        // Queued as queueSignInLink does, then delivered through a real SMTP server.
        await transaction((tx) => queueEmail(tx, { to: "alice@northwind.example", email: signInEmail({ url, minutesValid: SIGN_IN_LINK_MINUTES }), category: "SIGN_IN" }));
        expect((await dispatchDueEmails({ smtpUrl: sink.url })).sent).toBe(1);
        expect(sink.received.map((m) => m.text)).toEqual([expect.stringContaining("secret-token-Platypus")]);
        const rows = await db().email.findMany({ where: { kind: "SIGN_IN", to: "alice@northwind.example" } });
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          expect(row.text + row.html).not.toContain("secret-token-Platypus");
          expect(row.text).toBe(REDACTED_TEXT);
          expect(row.redactedAt).not.toBeNull();
        }
      } finally {
        await sink.close();
      }
    });

    it("stay readable in the development mailbox until they expire, then are blanked", async () => {
      await dispatcherIdle();
      await db().email.deleteMany({ where: { kind: "SIGN_IN" } });
      await queueSignInLink("bob@southfield.example", "http://portal.test/sign-in/confirm?token=mailbox-token-Echidna&email=bob");
      await dispatcherIdle();
      const row = await db().email.findFirstOrThrow({ where: { kind: "SIGN_IN" } });
      // Demo mode: no SMTP server, so the dispatcher keeps the body.
      expect(row.text).toContain("mailbox-token-Echidna");
      expect((await mailboxMessage(row.id, new Date(row.createdAt.getTime() + 60_000)))?.text).toContain("mailbox-token-Echidna");
      const expired = new Date(row.createdAt.getTime() + (SIGN_IN_LINK_MINUTES + 1) * 60_000);
      expect((await mailboxMessage(row.id, expired))?.text).toBe(REDACTED_TEXT);
      // The periodic clean-up does the same for emails nobody opens.
      await queueSignInLink("erin@eastgate.example", "http://portal.test/sign-in/confirm?token=cleanup-token-Wallaby&email=erin");
      await dispatcherIdle();
      const later = await db().email.findFirstOrThrow({ where: { kind: "SIGN_IN", to: "erin@eastgate.example" } });
      expect((await purgeExpiredSignInData(new Date(later.createdAt.getTime() + (SIGN_IN_LINK_MINUTES + 1) * 60_000))).emails).toBeGreaterThan(0);
      expect((await db().email.findUniqueOrThrow({ where: { id: later.id } })).text).toBe(REDACTED_TEXT);
    });

    it("are limited per address and per client address", async () => {
      const limit = env().signInLinksPerAddress;
      for (let i = 0; i < limit; i++) expect(await signInLinkAllowed("Limit.Test@northwind.example", `198.51.100.${i}`)).toEqual({ allowed: true });
      // The next one for that address is refused, whatever its case or client...
      expect(await signInLinkAllowed("limit.test@northwind.example", "198.51.100.200")).toEqual({ allowed: false, which: "address" });
      // ...while another address is not.
      expect(await signInLinkAllowed("other@northwind.example", "198.51.100.201")).toEqual({ allowed: true });
      const perClient = env().signInLinksPerClient;
      for (let i = 0; i < perClient; i++) await signInLinkAllowed(`someone-${i}@example.test`, "203.0.113.9");
      expect(await signInLinkAllowed("fresh@example.test", "203.0.113.9")).toEqual({ allowed: false, which: "client" });
      // The limit table names no one: its keys are hashes.
      if (ON_POSTGRES) {
        const keys = (await db().rateLimit.findMany()).map((r) => r.key).join(" ");
        expect(keys).not.toContain("northwind");
        expect(keys).not.toContain("203.0.113.9");
      }
    });
  });

  describe("failed access decisions", () => {
    it("are logged with who asked, and nothing of what they typed beyond the reference", async () => {
      const logged: string[] = [];
      setLogDestinationForTests({ write: (line: string) => void logged.push(line) });
      try {
        const deviceId = await addDevice("SFP");
        const { reference } = await raiseRequest(people.alice, { deviceId });
        await expectRefused(provideInstallCode(people.alice, { reference, installCode: "83FED3407A939723A5C639B26916D505C3B5" }), "FORBIDDEN");
        await expectRefused(viewRequest(people.erin, reference), "NOT_FOUND");
      } finally {
        setLogDestinationForTests();
      }
      const lines = logged.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: "action refused by the permission map", actorUserId: people.alice.userId, action: "install-code:provide" }),
          expect.objectContaining({ msg: "request not found or not visible", actorUserId: people.erin.userId, organisation: "EGP" }),
        ]),
      );
      expect(logged.join("")).not.toContain("83FED3407A939723A5C639B26916D505");
    });
  });

  describe("raising", () => {
    it("is limited per organisation per minute, with a message that says when to try again, and creates nothing over the limit", async () => {
      const { bob } = people;
      const rule = { name: "raise", points: env().raisesPerOrganisationPerMinute, durationSeconds: 60 };
      // Use up Southfield's minute (as a runaway back-office loop would)...
      for (let i = 0; i < rule.points; i++) await consume(rule, bob.organisationId);
      const deviceId = await addDevice("NWE");
      const before = await db().installCodeRequest.count();
      const error = await expectRefused(raiseRequest(bob, { deviceId }), "RATE_LIMITED");
      expect(error.message).toMatch(/^Your organisation has raised 1,200 requests in the last minute, the most allowed\. Try again in \d+ seconds\.$/);
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(await db().installCodeRequest.count()).toBe(before);
      // Another organisation is not held back.
      const other = await addDevice("SFP");
      expect((await raiseRequest(people.alice, { deviceId: other })).created).toBe(true);
    });
  });
});
