import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { queueSignInLink } from "@/lib/auth/options";
import { hashSessionToken, loadSession } from "@/lib/auth/sessions";
import { authenticateApiKey, createApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { closeSmtpConnections, dispatchDueEmails, dispatcherIdle } from "@/lib/notifications/dispatcher";
import { organisationRecipients } from "@/lib/notifications/recipients";
import { acceptInvitation, invitationByToken, invitePeopleFromCsv, invitePerson, withdrawInvitation } from "@/lib/people/invitations";
import { createOrganisation, listOrganisations, renameOrganisation, setOrganisationSuspended } from "@/lib/people/organisations";
import { changeRole, listPeople, removePerson, signOutEverywhere } from "@/lib/people/people";
import { OPERATOR, PEOPLE_PERMISSIONS, type PeopleAction, type Standing } from "@/lib/people/permissions";
import { actorFor } from "../helpers/actors";
import { startSink } from "../helpers/smtp-sink";
import { addUser, closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh } from "./requests/support";

// Organisations and people (issue 11) through the use cases and a real database: who may do which
// administrator action, invitations, removals and role changes ending sessions, the last
// administrator kept, suspended organisations shut out (sign-in, API keys, emails) and let back in,
// and the audit entry of every change.
//
// The portal's own SMTP server (SMTP_URL) is one that is down: emails stay PENDING until a test
// delivers them to its own sink.

const FROM = "Portal <portal@example.test>";

let counter = 0;
const next = () => ++counter;

/** A new Supplier with an administrator, a plain member and another plain person, as Actors. */
async function freshOrganisation() {
  const n = next();
  const code = `TST${n}`;
  const organisation = await createOrganisation(OPERATOR, { code, name: `Test Supplier ${n}` });
  const adminEmail = `admin${n}@t${n}.example`;
  await addUser(adminEmail, `Ada Admin ${n}`, code);
  await db().user.update({ where: { email: adminEmail }, data: { administrator: true } });
  const admin = await actorFor(adminEmail);
  const member = await addUser(`member${n}@t${n}.example`, `Mo Member ${n}`, code);
  const other = await addUser(`other${n}@t${n}.example`, `Oli Other ${n}`, code);
  return { n, id: organisation.id, code, name: organisation.name, admin, member, other };
}
type Fixture = Awaited<ReturnType<typeof freshOrganisation>>;

/** A signed-in browser of this user: the session token its cookie would carry. */
async function openSession(userId: string): Promise<string> {
  const token = `people-${next()}-${Math.random().toString(36).slice(2)}`;
  const now = new Date();
  await db().session.create({
    data: { sessionToken: hashSessionToken(token), userId, createdAt: now, lastSeenAt: now, expires: new Date(now.getTime() + env().sessionIdleMinutes * 60_000) },
  });
  return token;
}

/** Everything an administrator action can change. */
async function snapshot() {
  await dispatcherIdle();
  const c = db();
  return {
    organisations: await c.organisation.findMany({ orderBy: { id: "asc" } }),
    users: await c.user.findMany({ orderBy: { id: "asc" } }),
    invitations: await c.invitation.findMany({ orderBy: { id: "asc" } }),
    sessions: await c.session.findMany({ orderBy: { id: "asc" }, select: { id: true, userId: true, sessionToken: true } }),
    emails: await c.email.count(),
    audit: await c.auditEvent.count(),
  };
}

/** The link's token in an invitation email. */
function tokenIn(text: string): string {
  const m = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no invitation link in: ${text.slice(0, 200)}`);
  return m[1];
}

/** The token of the last invitation emailed to `to`. */
async function invitationToken(to: string): Promise<string> {
  const email = await db().email.findFirstOrThrow({ where: { to, category: "INVITATION" }, orderBy: { createdAt: "desc" } });
  return tokenIn(email.text);
}

async function lastAudit(type: string, subject: string) {
  return db().auditEvent.findFirstOrThrow({ where: { type: type as never, subject }, orderBy: { sequence: "desc" } });
}

describe(`organisations and people (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, dana: Actor, amir: Actor, hana: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    const probe = await startSink();
    await probe.close();
    process.env.SMTP_URL = `smtp://127.0.0.1:${probe.port}`;
    ({ alice, bob, dana, amir, orgs } = await openSeededDatabase());
    hana = await addUser("hana@dcc.example", "Hana Ito", "DCC");
  });
  afterAll(async () => {
    closeSmtpConnections();
    await closeSeededDatabase();
  });
  beforeEach(async () => {
    await dispatcherIdle();
  });

  describe("the permission table, through every administrator action", () => {
    const PERSONAS = ["Supplier user", "Supplier admin (same organisation)", "Supplier admin (another organisation)", "helpdesk analyst", "helpdesk admin"] as const;
    type Persona = (typeof PERSONAS)[number];
    const STANDING: Record<Persona, Standing[]> = {
      "Supplier user": ["own-member"],
      "Supplier admin (same organisation)": ["own-administrator"],
      "Supplier admin (another organisation)": [],
      "helpdesk analyst": ["helpdesk-analyst"],
      "helpdesk admin": ["helpdesk-administrator"],
    };
    const actorOf = (persona: Persona, f: Fixture): Actor =>
      ({
        "Supplier user": f.member,
        "Supplier admin (same organisation)": f.admin,
        "Supplier admin (another organisation)": bob,
        "helpdesk analyst": hana,
        "helpdesk admin": dana,
      })[persona];

    it("is what issue 11 says: the DCC's administrators own organisations; a Supplier's administrators and the DCC's staff its people", () => {
      expect(PEOPLE_PERMISSIONS).toEqual({
        "organisation:list": ["helpdesk-administrator"],
        "organisation:create": ["helpdesk-administrator"],
        "organisation:rename": ["helpdesk-administrator"],
        "organisation:suspend": ["helpdesk-administrator"],
        "people:list": ["own-administrator", "helpdesk-administrator"],
        "people:invite": ["own-administrator", "helpdesk-administrator"],
        "people:change-role": ["own-administrator", "helpdesk-administrator"],
        "people:remove": ["own-administrator", "helpdesk-administrator"],
        "people:sign-out": ["own-administrator", "helpdesk-administrator"],
        "settings:manage": ["own-administrator"],
      });
    });

    type Setup = { f: Fixture; invitationId: string; otherSession: string };
    const USE_CASES: { name: string; action: PeopleAction; run: (actor: Actor, s: Setup) => Promise<unknown>; done: (s: Setup, result: unknown) => Promise<void> }[] = [
      {
        name: "listOrganisations",
        action: "organisation:list",
        run: (actor) => listOrganisations(actor, { search: "Test Supplier" }),
        done: async (s, result) => expect((result as { code: string }[]).map((o) => o.code)).toContain(s.f.code),
      },
      {
        name: "createOrganisation",
        action: "organisation:create",
        run: (actor, s) => createOrganisation(actor, { code: `NEW${s.f.n}`, name: `New Supplier ${s.f.n}` }),
        done: async (s) => expect(await db().organisation.findUnique({ where: { code: `NEW${s.f.n}` }, select: { name: true, kind: true } })).toEqual({ name: `New Supplier ${s.f.n}`, kind: "SUPPLIER" }),
      },
      {
        name: "renameOrganisation",
        action: "organisation:rename",
        run: (actor, s) => renameOrganisation(actor, { code: s.f.code, name: `Renamed Supplier ${s.f.n}` }),
        done: async (s) => expect((await db().organisation.findUniqueOrThrow({ where: { id: s.f.id } })).name).toBe(`Renamed Supplier ${s.f.n}`),
      },
      {
        name: "setOrganisationSuspended",
        action: "organisation:suspend",
        run: (actor, s) => setOrganisationSuspended(actor, { code: s.f.code, suspended: true }),
        done: async (s) => expect((await db().organisation.findUniqueOrThrow({ where: { id: s.f.id } })).suspendedAt).not.toBeNull(),
      },
      {
        name: "listPeople",
        action: "people:list",
        run: (actor, s) => listPeople(actor, s.f.id),
        done: async (s, result) => {
          const people = result as Awaited<ReturnType<typeof listPeople>>;
          expect(people.people.map((p) => p.email).sort()).toEqual([s.f.admin.email, s.f.member.email, s.f.other.email].sort());
          expect(people.people.find((p) => p.email === s.f.other.email)?.sessions).toBe(1);
          expect(people.invitations.map((i) => i.id)).toEqual([s.invitationId]);
        },
      },
      {
        name: "invitePerson",
        action: "people:invite",
        run: (actor, s) => invitePerson(actor, s.f.id, { email: `invitee${s.f.n}@t${s.f.n}.example`, name: "Ivy Invitee" }),
        done: async (s) => expect(await db().invitation.count({ where: { email: `invitee${s.f.n}@t${s.f.n}.example`, organisationId: s.f.id } })).toBe(1),
      },
      {
        name: "invitePeopleFromCsv",
        action: "people:invite",
        run: (actor, s) => invitePeopleFromCsv(actor, s.f.id, `email,name,role\ncsv${s.f.n}@t${s.f.n}.example,Cass Csv,user\n`),
        done: async (s, result) => expect(result).toEqual([{ row: 1, email: `csv${s.f.n}@t${s.f.n}.example`, outcome: "invited" }]),
      },
      {
        name: "changeRole",
        action: "people:change-role",
        run: (actor, s) => changeRole(actor, { userId: s.f.other.userId, administrator: true }),
        done: async (s) => expect((await db().user.findUniqueOrThrow({ where: { id: s.f.other.userId } })).administrator).toBe(true),
      },
      {
        name: "removePerson",
        action: "people:remove",
        run: (actor, s) => removePerson(actor, { userId: s.f.other.userId }),
        done: async (s) => expect((await db().user.findUniqueOrThrow({ where: { id: s.f.other.userId } })).removedAt).not.toBeNull(),
      },
      {
        name: "signOutEverywhere (another person)",
        action: "people:sign-out",
        run: (actor, s) => signOutEverywhere(actor, { userId: s.f.other.userId }),
        done: async (s, result) => {
          expect(result).toBe(1);
          expect(await loadSession(s.otherSession)).toBeNull();
        },
      },
      {
        name: "withdrawInvitation",
        action: "people:invite",
        run: (actor, s) => withdrawInvitation(actor, { invitationId: s.invitationId }),
        done: async (s) => {
          expect((await db().invitation.findUniqueOrThrow({ where: { id: s.invitationId } })).revokedAt).not.toBeNull();
          const audit = await db().auditEvent.findFirstOrThrow({ orderBy: { sequence: "desc" } });
          expect(audit).toMatchObject({ type: "INVITATION_WITHDRAWN", subject: `pending${s.f.n}@t${s.f.n}.example` });
        },
      },
    ];

    const cases = USE_CASES.flatMap((useCase) => PERSONAS.map((persona) => [useCase.name, persona, PEOPLE_PERMISSIONS[useCase.action].some((s) => STANDING[persona].includes(s)), useCase] as const));

    it.each(cases)("%s by a %s: allowed %s", async (_name, persona, allowed, useCase) => {
      const f = await freshOrganisation();
      const { id: invitationId } = await invitePerson(OPERATOR, f.id, { email: `pending${f.n}@t${f.n}.example`, name: "Pat Pending" });
      const otherSession = await openSession(f.other.userId);
      const setup = { f, invitationId, otherSession };
      const actor = actorOf(persona, f);
      if (allowed) {
        const result = await useCase.run(actor, setup);
        await useCase.done(setup, result);
      } else {
        const before = await snapshot();
        await expectRefused(useCase.run(actor, setup), "NOT_FOUND");
        expect(await snapshot()).toEqual(before);
        // The person acted upon is still signed in.
        expect(await loadSession(otherSession)).not.toBeNull();
      }
    });

    it("anonymous: no session, an unknown one, a removed person's or a suspended organisation's gives no actor to act with", async () => {
      const f = await freshOrganisation();
      const removedSession = await openSession(f.other.userId);
      const suspendedSession = await openSession(f.member.userId);
      expect(await loadSession("")).toBeNull();
      expect(await loadSession("no-such-session-token")).toBeNull();
      expect((await loadSession(removedSession))?.actor.email).toBe(f.other.email);
      await db().user.update({ where: { id: f.other.userId }, data: { removedAt: new Date() } });
      expect(await loadSession(removedSession)).toBeNull();
      await db().organisation.update({ where: { id: f.id }, data: { suspendedAt: new Date() } });
      expect(await loadSession(suspendedSession)).toBeNull();
      // Even a session row made after the suspension (as if the trigger had been missed) is refused.
      expect(await loadSession(await openSession(f.admin.userId))).toBeNull();
    });
  });

  describe("organisation names", () => {
    it("are refused with one message each: empty, control or invisible characters, no letter or digit; nothing is created", async () => {
      const before = await db().organisation.count();
      const cases: [string, string][] = [
        ["", "Enter the organisation's name"],
        ["   ", "Enter the organisation's name"],
        ["North\nwind", "The name cannot contain control characters such as line breaks"],
        ["North\u200bwind", "The name cannot contain invisible characters such as zero-width spaces"],
        ["— & —", "The name must have at least one letter or digit"],
      ];
      for (const [name, message] of cases) {
        const error = await expectRefused(createOrganisation(dana, { code: "ZZNAME", name }), "VALIDATION");
        expect(error.fieldErrors.name).toEqual([message]);
      }
      expect(await db().organisation.count()).toBe(before);
    });
  });

  describe("invitations", () => {
    it("an accepted invitation creates the person with the role offered; the email holds the link and the database only its hash", async () => {
      const address = "nia@northwind.example";
      const before = await db().email.count();
      const { id } = await invitePerson(alice, orgs.NWE, { email: "  Nia@Northwind.Example ", name: "Nia Patel", administrator: true });
      const emails = await db().email.findMany({ where: { createdAt: { gte: new Date(Date.now() - 60_000) } }, orderBy: { createdAt: "asc" } });
      expect(await db().email.count()).toBe(before + 1);
      const email = emails.find((e) => e.to === address)!;
      expect(email.category).toBe("INVITATION");
      expect(email.requestId).toBeNull();
      const token = tokenIn(email.text);
      expect(email.text).toContain(`http://portal.test/invitations/accept?token=${token}`);
      expect(email.html).toContain(`http://portal.test/invitations/accept?token=${token}`);
      expect(email.text).toContain("Northwind Energy");
      expect(`${email.text} ${email.html}`).toMatch(/Supplier administrator/i);
      // The token appears in the link only: not in the subject, and the database keeps only its hash.
      expect(email.subject).not.toContain(token);
      const invitation = await db().invitation.findUniqueOrThrow({ where: { id } });
      expect(invitation.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
      expect(JSON.stringify(invitation)).not.toContain(token);
      const audit = await lastAudit("USER_INVITED", address);
      expect(audit).toMatchObject({ actorEmail: alice.email, actorOrganisationCode: "NWE", detail: "to Northwind Energy as supplier administrator" });
      expect(JSON.stringify(await db().auditEvent.findMany({ select: { subject: true, detail: true } }))).not.toContain(token);

      expect(await invitationByToken(token)).toEqual({ state: "open", organisation: "Northwind Energy", email: address, name: "Nia Patel", role: "Supplier administrator" });
      expect(await acceptInvitation(token, { clientAddress: "203.0.113.9" })).toEqual({ email: address });
      const user = await db().user.findUniqueOrThrow({ where: { email: address } });
      expect(user).toMatchObject({ name: "Nia Patel", role: "SUPPLIER_USER", administrator: true, organisationId: orgs.NWE, removedAt: null, serviceAccount: false });
      expect(user.emailVerified).not.toBeNull();
      expect(await lastAudit("INVITATION_ACCEPTED", address)).toMatchObject({ detail: "joined Northwind Energy", clientAddress: "203.0.113.9", actorUserId: null });
      // The new person can ask for a sign-in link, and acts as an administrator of Northwind.
      expect(await queueSignInLink(address, "http://portal.test/sign-in/confirm?token=t")).toBe(true);
      expect((await actorFor(address)).administrator).toBe(true);
      // The link works once.
      expect(await invitationByToken(token)).toMatchObject({ state: "accepted" });
      await expectRefused(acceptInvitation(token), "CONFLICT", "This invitation has been accepted: sign in with your email address");
      expect(await db().user.count({ where: { email: address } })).toBe(1);
    });

    it("a plain invitation by the helpdesk makes a plain member of any organisation", async () => {
      await invitePerson(dana, orgs.SFP, { email: "sol@southfield.example", name: "Sol Reyes" });
      expect(await lastAudit("USER_INVITED", "sol@southfield.example")).toMatchObject({ actorEmail: dana.email, actorOrganisationCode: "DCC", detail: "to Southfield Power as supplier user" });
      await acceptInvitation(await invitationToken("sol@southfield.example"));
      expect(await db().user.findUniqueOrThrow({ where: { email: "sol@southfield.example" } })).toMatchObject({ role: "SUPPLIER_USER", administrator: false, organisationId: orgs.SFP });
    });

    it("an expired link is refused and creates nobody", async () => {
      const long = new Date(Date.now() - 40 * 24 * 3600_000);
      await invitePerson(alice, orgs.NWE, { email: "late@northwind.example", name: "Lee Late" }, { now: long });
      const token = await invitationToken("late@northwind.example");
      const view = await invitationByToken(token);
      expect(view.state).toBe("expired");
      const error = await expectRefused(acceptInvitation(token), "CONFLICT");
      expect(error.message).toMatch(/^This invitation expired on \d{4}-\d{2}-\d{2}\. Ask your administrator to invite you again$/);
      expect(await db().user.findUnique({ where: { email: "late@northwind.example" } })).toBeNull();
    });

    it("re-inviting replaces the old link: it stops working, the new one works", async () => {
      await invitePerson(alice, orgs.NWE, { email: "rhys@northwind.example", name: "Rhys Old" });
      const old = await invitationToken("rhys@northwind.example");
      await invitePerson(alice, orgs.NWE, { email: "rhys@northwind.example", name: "Rhys Jones" });
      const fresh = await invitationToken("rhys@northwind.example");
      expect(fresh).not.toBe(old);
      expect(await invitationByToken(old)).toMatchObject({ state: "unknown" });
      await expectRefused(acceptInvitation(old), "CONFLICT");
      expect(await db().user.findUnique({ where: { email: "rhys@northwind.example" } })).toBeNull();
      expect((await listPeople(alice, orgs.NWE)).invitations.filter((i) => i.email === "rhys@northwind.example").map((i) => i.name)).toEqual(["Rhys Jones"]);
      await acceptInvitation(fresh);
      expect((await db().user.findUniqueOrThrow({ where: { email: "rhys@northwind.example" } })).name).toBe("Rhys Jones");
    });

    it("a withdrawn invitation's link stops working", async () => {
      const { id } = await invitePerson(alice, orgs.NWE, { email: "wes@northwind.example", name: "Wes Withdrawn" });
      const token = await invitationToken("wes@northwind.example");
      await withdrawInvitation(alice, { invitationId: id });
      expect(await invitationByToken(token)).toMatchObject({ state: "unknown" });
      await expectRefused(acceptInvitation(token), "CONFLICT");
      await expectRefused(withdrawInvitation(alice, { invitationId: id }), "CONFLICT", "This invitation was already accepted or withdrawn");
      // An id that is not a uuid is no invitation, not a database error.
      for (const invitationId of ["-".repeat(36), "0".repeat(36), "x"]) await expectRefused(withdrawInvitation(alice, { invitationId }), "NOT_FOUND", "No such invitation");
    });

    it("an address with an account in another organisation is refused with a clear message, and nothing is queued", async () => {
      const before = await snapshot();
      const error = await expectRefused(invitePerson(alice, orgs.NWE, { email: bob.email, name: "Bob" }), "VALIDATION");
      const message = `${bob.email} already has an account with another organisation: a person belongs to one organisation. Ask that organisation's administrator to remove them first`;
      expect(error.message).toBe(message);
      expect(error.fieldErrors).toEqual({ email: [message] });
      await expectRefused(invitePerson(alice, orgs.NWE, { email: amir.email, name: "Amir" }), "VALIDATION", `${amir.email} is already a member of Northwind Energy`);
      expect(await snapshot()).toEqual(before);
    });

    it("an address that joined another organisation after being invited cannot accept", async () => {
      await invitePerson(alice, orgs.NWE, { email: "tess@example.org", name: "Tess Two" });
      const nweToken = await invitationToken("tess@example.org");
      await invitePerson(bob, orgs.SFP, { email: "tess@example.org", name: "Tess Two" });
      await acceptInvitation(await invitationToken("tess@example.org"));
      const error = await expectRefused(acceptInvitation(nweToken), "CONFLICT");
      expect(error.message).toContain("already has an account with another organisation");
      expect((await db().user.findUniqueOrThrow({ where: { email: "tess@example.org" } })).organisationId).toBe(orgs.SFP);
    });

    it("a CSV with good and bad rows answers each row, and invites the good ones", async () => {
      const f = await freshOrganisation();
      const csv = [
        "Email,Name,Role",
        "good1@csv.example,Gina Good,user",
        "not-an-address,Bad Address,user",
        "good2@csv.example,Gus Good,Administrator",
        `${bob.email},Bob Elsewhere,user`,
        "GOOD1@csv.example,Gina Again,user",
        "boss@csv.example,Bo Boss,boss",
        "noname@csv.example,,",
        `${f.member.email},Member Again,`,
        "proto@csv.example,Pro To,__proto__",
      ].join("\r\n");
      const results = await invitePeopleFromCsv(f.admin, f.id, csv);
      expect(results).toEqual([
        { row: 1, email: "good1@csv.example", outcome: "invited" },
        { row: 2, email: "not-an-address", outcome: "refused", reason: "Enter an email address like name@example.co.uk" },
        { row: 3, email: "good2@csv.example", outcome: "invited" },
        { row: 4, email: bob.email, outcome: "refused", reason: expect.stringContaining("already has an account with another organisation") },
        { row: 5, email: "good1@csv.example", outcome: "refused", reason: "This address is on an earlier line of the file" },
        { row: 6, email: "boss@csv.example", outcome: "refused", reason: 'The role must be user or administrator, not "boss"' },
        { row: 7, email: "noname@csv.example", outcome: "refused", reason: "Enter the person's name" },
        { row: 8, email: f.member.email, outcome: "refused", reason: `${f.member.email} is already a member of ${f.name}` },
        { row: 9, email: "proto@csv.example", outcome: "refused", reason: 'The role must be user or administrator, not "__proto__"' },
      ]);
      const invitations = await db().invitation.findMany({ where: { organisationId: f.id, revokedAt: null }, orderBy: { email: "asc" } });
      expect(invitations.map((i) => [i.email, i.name, i.administrator])).toEqual([
        ["good1@csv.example", "Gina Good", false],
        ["good2@csv.example", "Gus Good", true],
      ]);
      const emails = await db().email.findMany({ where: { category: "INVITATION", to: { endsWith: "@csv.example" } } });
      expect(emails.map((e) => e.to).sort()).toEqual(["good1@csv.example", "good2@csv.example"]);
      expect((await lastAudit("USER_INVITED", "good2@csv.example")).actorEmail).toBe(f.admin.email);
      await acceptInvitation(tokenIn(emails.find((e) => e.to === "good2@csv.example")!.text));
      expect(await db().user.findUniqueOrThrow({ where: { email: "good2@csv.example" } })).toMatchObject({ organisationId: f.id, administrator: true });
    });

    it("a removed person can be invited again, by their organisation or another, and comes back", async () => {
      const f = await freshOrganisation();
      await removePerson(f.admin, { userId: f.other.userId });
      expect(await queueSignInLink(f.other.email, "http://portal.test/x")).toBe(false);
      // Back to the same organisation: the same account, no longer removed.
      await invitePerson(f.admin, f.id, { email: f.other.email, name: "Oli Back" });
      await acceptInvitation(await invitationToken(f.other.email));
      expect(await db().user.findUniqueOrThrow({ where: { email: f.other.email } })).toMatchObject({ id: f.other.userId, removedAt: null, organisationId: f.id, name: "Oli Back" });
      expect((await lastAudit("USER_CHANGED", f.other.email)).detail).toContain("restored to the organisation");
      expect(await queueSignInLink(f.other.email, "http://portal.test/x")).toBe(true);
      // Removed again, then joining Southfield.
      await removePerson(f.admin, { userId: f.other.userId });
      await invitePerson(bob, orgs.SFP, { email: f.other.email, name: "Oli Moved" });
      await acceptInvitation(await invitationToken(f.other.email));
      expect(await db().user.findUniqueOrThrow({ where: { email: f.other.email } })).toMatchObject({ id: f.other.userId, removedAt: null, organisationId: orgs.SFP });
      expect((await actorFor(f.other.email)).organisationCode).toBe("SFP");
      expect((await listPeople(f.admin, f.id)).removed.map((p) => p.email)).not.toContain(f.other.email);
    });

    it("a suspended organisation cannot invite, and its open links stop working until it is reinstated", async () => {
      const f = await freshOrganisation();
      await invitePerson(f.admin, f.id, { email: `sus${f.n}@t${f.n}.example`, name: "Sue Pending" });
      const token = await invitationToken(`sus${f.n}@t${f.n}.example`);
      await setOrganisationSuspended(dana, { code: f.code, suspended: true });
      await expectRefused(invitePerson(dana, f.id, { email: `sus2${f.n}@t${f.n}.example`, name: "Sue Two" }), "VALIDATION", `${f.name} is suspended: reinstate it before inviting anyone`);
      expect(await invitationByToken(token)).toMatchObject({ state: "unknown" });
      await expectRefused(acceptInvitation(token), "CONFLICT");
      await setOrganisationSuspended(dana, { code: f.code, suspended: false });
      expect(await invitationByToken(token)).toMatchObject({ state: "open" });
    });
  });

  describe("removal and role change", () => {
    it("removing a person ends their sessions at once and is audited by the administrator", async () => {
      const f = await freshOrganisation();
      const token = await openSession(f.other.userId);
      expect(await loadSession(token)).not.toBeNull();
      await removePerson(f.admin, { userId: f.other.userId });
      expect(await db().session.count({ where: { userId: f.other.userId } })).toBe(0);
      expect(await loadSession(token)).toBeNull();
      expect(await lastAudit("USER_CHANGED", f.other.email)).toMatchObject({ actorEmail: f.admin.email, actorOrganisationCode: f.code, detail: "removed from the organisation" });
      expect(await queueSignInLink(f.other.email, "http://portal.test/x")).toBe(false);
      expect(await lastAudit("SIGN_IN_LINK_REFUSED", f.other.email)).toMatchObject({ detail: "removed from its organisation" });
      const people = await listPeople(f.admin, f.id);
      expect(people.people.map((p) => p.email)).not.toContain(f.other.email);
      expect(people.removed.map((p) => p.email)).toEqual([f.other.email]);
      await expectRefused(removePerson(f.admin, { userId: f.other.userId }), "CONFLICT", `${f.other.name} has already been removed`);
      await expectRefused(removePerson(f.admin, { userId: f.admin.userId }), "FORBIDDEN", "You cannot remove yourself: ask another administrator to remove you");
    });

    it("a change of role ends the person's sessions, and is audited", async () => {
      const f = await freshOrganisation();
      const token = await openSession(f.member.userId);
      const person = await changeRole(f.admin, { userId: f.member.userId, administrator: true });
      expect(person).toMatchObject({ email: f.member.email, administrator: true, role: "Supplier administrator" });
      expect(await db().session.count({ where: { userId: f.member.userId } })).toBe(0);
      expect(await loadSession(token)).toBeNull();
      expect(await lastAudit("USER_CHANGED", f.member.email)).toMatchObject({ actorEmail: f.admin.email, detail: "made an administrator" });
      // Signed in again, they act as an administrator; made a member again, signed out again.
      const again = await openSession(f.member.userId);
      expect((await loadSession(again))?.actor.administrator).toBe(true);
      await changeRole(dana, { userId: f.member.userId, administrator: false });
      expect(await loadSession(again)).toBeNull();
      expect(await lastAudit("USER_CHANGED", f.member.email)).toMatchObject({ actorEmail: dana.email, detail: "no longer an administrator" });
    });

    it("sign out everywhere ends every session of oneself, audited", async () => {
      const f = await freshOrganisation();
      const one = await openSession(f.member.userId);
      const two = await openSession(f.member.userId);
      expect(await signOutEverywhere(f.member)).toBe(2);
      expect(await loadSession(one)).toBeNull();
      expect(await loadSession(two)).toBeNull();
      expect(await lastAudit("SESSIONS_REVOKED", f.member.email)).toMatchObject({ actorEmail: f.member.email, detail: "2 sessions ended" });
      const three = await openSession(f.other.userId);
      expect(await signOutEverywhere(f.admin, { userId: f.other.userId })).toBe(1);
      expect(await loadSession(three)).toBeNull();
      expect(await lastAudit("SESSIONS_REVOKED", f.other.email)).toMatchObject({ actorEmail: f.admin.email, detail: "1 session ended" });
    });

    it("the last administrator can be neither removed nor demoted: a clear message, and nothing changes", async () => {
      const f = await freshOrganisation();
      const session = await openSession(f.admin.userId);
      const before = await snapshot();
      const message = `${f.admin.name} is the organisation's only administrator: make someone else an administrator first`;
      await expectRefused(changeRole(f.admin, { userId: f.admin.userId, administrator: false }), "CONFLICT", message);
      await expectRefused(changeRole(dana, { userId: f.admin.userId, administrator: false }), "CONFLICT", message);
      await expectRefused(removePerson(dana, { userId: f.admin.userId }), "CONFLICT", message);
      expect(await snapshot()).toEqual(before);
      expect((await loadSession(session))?.actor.administrator).toBe(true);
      // With a second administrator, the first may go.
      await changeRole(f.admin, { userId: f.other.userId, administrator: true });
      await changeRole(dana, { userId: f.admin.userId, administrator: false });
      expect(await db().user.count({ where: { organisationId: f.id, administrator: true } })).toBe(1);
    });

    it("two administrators demoted at once: at most one succeeds, the organisation keeps an administrator", async () => {
      for (let round = 0; round < 3; round++) {
        const f = await freshOrganisation();
        await changeRole(f.admin, { userId: f.other.userId, administrator: true });
        const outcomes = await Promise.allSettled([
          changeRole(dana, { userId: f.admin.userId, administrator: false }),
          changeRole(dana, { userId: f.other.userId, administrator: false }),
        ]);
        expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
        expect(refused.reason.message).toMatch(/is the organisation's only administrator: make someone else an administrator first$/);
        expect(await db().user.count({ where: { organisationId: f.id, administrator: true, removedAt: null } })).toBe(1);
        // And two administrators removing each other at once.
        const g = await freshOrganisation();
        await changeRole(g.admin, { userId: g.other.userId, administrator: true });
        const gOther = await actorFor(g.other.email);
        const removals = await Promise.allSettled([removePerson(g.admin, { userId: g.other.userId }), removePerson(gOther, { userId: g.admin.userId })]);
        expect(removals.filter((o) => o.status === "fulfilled").length).toBeLessThanOrEqual(1);
        expect(await db().user.count({ where: { organisationId: g.id, administrator: true, removedAt: null } })).toBe(1);
      }
    });
  });

  describe("suspension", () => {
    it("a suspended organisation's people cannot sign in, their sessions end, its API keys are refused, it gets no email; reinstating restores all", async () => {
      const f = await freshOrganisation();
      const { key } = await createApiKey({ organisationCode: f.code, name: "Billing system" });
      expect((await authenticateApiKey(key))?.actor.organisationCode).toBe(f.code);
      const session = await openSession(f.member.userId);
      const adminSession = await openSession(f.admin.userId);
      const elsewhere = await openSession(amir.userId);
      await db().organisation.update({ where: { id: f.id }, data: { teamEmail: `team${f.n}@t${f.n}.example` } });
      expect((await transaction((tx) => organisationRecipients(tx, f.id, "ASSIGNMENT"))).map((r) => r.to).sort()).toEqual(
        [f.admin.email, f.member.email, f.other.email, `team${f.n}@t${f.n}.example`].sort(),
      );

      const suspended = await setOrganisationSuspended(dana, { code: f.code, suspended: true });
      expect(suspended.suspendedAt).not.toBeNull();
      expect(await lastAudit("ORGANISATION_CHANGED", f.code)).toMatchObject({ actorEmail: dana.email, actorOrganisationCode: "DCC", detail: "suspended" });
      expect(await db().session.count({ where: { user: { organisationId: f.id } } })).toBe(0);
      expect(await loadSession(session)).toBeNull();
      expect(await loadSession(adminSession)).toBeNull();
      expect(await loadSession(elsewhere)).not.toBeNull();
      const before = await db().email.count();
      expect(await queueSignInLink(f.member.email, "http://portal.test/sign-in/confirm?token=t")).toBe(false);
      expect(await db().email.count()).toBe(before);
      expect(await lastAudit("SIGN_IN_LINK_REFUSED", f.member.email)).toMatchObject({ detail: "its organisation is suspended" });
      expect(await authenticateApiKey(key)).toBeNull();
      expect(await transaction((tx) => organisationRecipients(tx, f.id, "ASSIGNMENT"))).toEqual([]);
      await expectRefused(setOrganisationSuspended(dana, { code: f.code, suspended: true }), "CONFLICT", `${f.name} is already suspended`);
      // Its people are still listed for the helpdesk.
      expect((await listPeople(dana, f.id)).people).toHaveLength(3);

      await setOrganisationSuspended(dana, { code: f.code, suspended: false });
      expect(await lastAudit("ORGANISATION_CHANGED", f.code)).toMatchObject({ actorEmail: dana.email, detail: "reinstated" });
      expect(await queueSignInLink(f.member.email, "http://portal.test/sign-in/confirm?token=t")).toBe(true);
      expect((await authenticateApiKey(key))?.actor.organisationCode).toBe(f.code);
      expect((await transaction((tx) => organisationRecipients(tx, f.id, "ASSIGNMENT"))).map((r) => r.to)).toHaveLength(4);
      expect((await loadSession(await openSession(f.member.userId)))?.actor.email).toBe(f.member.email);
    });

    it("the DCC Helpdesk cannot be suspended", async () => {
      await expectRefused(setOrganisationSuspended(dana, { code: "DCC", suspended: true }), "FORBIDDEN", "The DCC Helpdesk cannot be suspended");
      expect((await db().organisation.findUniqueOrThrow({ where: { code: "DCC" } })).suspendedAt).toBeNull();
    });

    it("creating and renaming an organisation are audited by the helpdesk administrator", async () => {
      const created = await createOrganisation(dana, { code: "wsp", name: "Westside Power", teamEmail: "ops@westside.example" });
      expect(created).toMatchObject({ code: "WSP", name: "Westside Power", kind: "SUPPLIER", teamEmail: "ops@westside.example", people: 0, administrators: 0 });
      expect(await lastAudit("ORGANISATION_CREATED", "WSP")).toMatchObject({ actorEmail: dana.email, detail: "SUPPLIER Westside Power" });
      await renameOrganisation(dana, { code: "WSP", name: "Westside Energy" });
      expect(await lastAudit("ORGANISATION_CHANGED", "WSP")).toMatchObject({ actorEmail: dana.email, detail: "name Westside Power -> Westside Energy" });
      await expectRefused(createOrganisation(dana, { code: "WSP2", name: "westside energy" }), "VALIDATION");
      await expectRefused(createOrganisation(dana, { code: "NWE", name: "Another" }), "VALIDATION");
    });
  });

  describe("emails", () => {
    it("a removed person is not among the recipients, and an email queued before their removal is cancelled when sent", async () => {
      const f = await freshOrganisation();
      await raiseFresh(alice, f.code);
      await dispatcherIdle();
      await removePerson(f.admin, { userId: f.other.userId });
      expect((await transaction((tx) => organisationRecipients(tx, f.id, "ASSIGNMENT"))).map((r) => r.to).sort()).toEqual([f.admin.email, f.member.email].sort());
      const sink = await startSink();
      try {
        await dispatcherIdle();
        await dispatchDueEmails({ smtpUrl: sink.url, mailFrom: FROM, now: () => new Date(Date.now() + 3 * 3600_000) });
        const emails = await db().email.findMany({ where: { to: { in: [f.admin.email, f.member.email, f.other.email] } }, orderBy: { to: "asc" } });
        expect(emails.map((e) => `${e.to} ${e.category} ${e.status}`).sort()).toEqual(
          [`${f.admin.email} ASSIGNMENT SENT`, `${f.member.email} ASSIGNMENT SENT`, `${f.other.email} ASSIGNMENT CANCELLED`].sort(),
        );
        expect(emails.find((e) => e.to === f.other.email)?.lastError).toBe("Not sent: the person is no longer in the organisation it was addressed to.");
        const delivered = sink.received.map((m) => (m.to && "text" in m.to ? m.to.text : ""));
        expect(delivered).not.toContain(f.other.email);
      } finally {
        await sink.close();
      }
    });

    it("an email queued before its organisation's suspension is cancelled when sent", async () => {
      const f = await freshOrganisation();
      await raiseFresh(alice, f.code);
      await dispatcherIdle();
      await setOrganisationSuspended(dana, { code: f.code, suspended: true });
      const sink = await startSink();
      try {
        await dispatchDueEmails({ smtpUrl: sink.url, mailFrom: FROM, now: () => new Date(Date.now() + 3 * 3600_000) });
        const emails = await db().email.findMany({ where: { to: { in: [f.admin.email, f.member.email, f.other.email] } } });
        expect(emails).toHaveLength(3);
        for (const email of emails) expect([email.status, email.lastError]).toEqual(["CANCELLED", "Not sent: the organisation is suspended."]);
      } finally {
        await sink.close();
      }
    });
  });
});
