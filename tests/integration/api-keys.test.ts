import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "@/lib/auth/adapter";
import { hashSessionToken, loadSession } from "@/lib/auth/sessions";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { closeSeededDatabase, emailsQueuedBy, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh, recipients, requestRow } from "./requests/support";

// API keys for an organisation's systems (issue 9, part 1): shown once, kept only as a hash, acting
// as their organisation, refused once revoked; creation and revocation in the audit log.

describe(`API keys (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;
  beforeAll(async () => {
    people = await openSeededDatabase();
  });
  afterAll(closeSeededDatabase);

  it("is shown once, kept only as a SHA-256, and acts as its organisation", async () => {
    const { key, summary } = await createApiKey({ organisationCode: "nwe", name: "  billing system " });
    expect(key).toMatch(/^icr_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(summary).toMatchObject({ name: "billing system", organisationCode: "NWE", prefix: key.slice(0, 12), revokedAt: null });
    const row = await db().apiKey.findUniqueOrThrow({ where: { prefix: summary.prefix } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key.slice(13));
    const identity = await authenticateApiKey(key);
    expect(identity).toMatchObject({
      keyId: row.id,
      prefix: summary.prefix,
      actor: { role: "SUPPLIER_USER", organisationId: people.orgs.NWE, organisationCode: "NWE", organisationKind: "SUPPLIER", userId: row.userId },
    });
    // Its service account is named after the key, has no mailbox, and cannot sign in.
    const account = await db().user.findUniqueOrThrow({ where: { id: row.userId } });
    expect(account).toMatchObject({ serviceAccount: true, name: `billing system (API key ${summary.prefix})`, email: `${summary.prefix}@api-key.invalid` });
    expect(await findUserByEmail(account.email)).toBeNull();
    // Nor does a session forged into the table for it count.
    await db().session.create({ data: { sessionToken: hashSessionToken("forged-for-a-key"), userId: account.id, expires: new Date(Date.now() + 3_600_000) } });
    expect(await loadSession("forged-for-a-key")).toBeNull();
    expect(await db().session.count({ where: { userId: account.id } })).toBe(0);
    expect(await authenticateApiKey(`  ${key}  `)).not.toBeNull();
    const helpdesk = await createApiKey({ organisationCode: "DCC", name: "helpdesk tooling" });
    expect((await authenticateApiKey(helpdesk.key))?.actor).toMatchObject({ role: "HELPDESK", organisationKind: "HELPDESK" });
  });

  it("refuses a wrong secret, a malformed key, an unknown prefix and a revoked key alike", async () => {
    const { key, summary } = await createApiKey({ organisationCode: "SFP", name: "back office" });
    const wrongSecret = `${summary.prefix}_${"A".repeat(43)}`;
    for (const bad of [wrongSecret, key.slice(0, -1), `${key}x`, "icr_00000000_" + "B".repeat(43), "", "Bearer " + key, key.toUpperCase()]) {
      expect(await authenticateApiKey(bad), bad).toBeNull();
    }
    expect(await authenticateApiKey(null)).toBeNull();
    await revokeApiKey(summary.prefix);
    expect(await authenticateApiKey(key)).toBeNull();
  });

  it("records the last use at most once a minute", async () => {
    const { key, summary } = await createApiKey({ organisationCode: "EGP", name: "meter ops" }, { now: new Date("2026-11-30T09:00:00Z") });
    await authenticateApiKey(key, { now: new Date("2026-11-30T10:00:00Z") });
    await authenticateApiKey(key, { now: new Date("2026-11-30T10:00:30Z") });
    expect((await db().apiKey.findUniqueOrThrow({ where: { prefix: summary.prefix } })).lastUsedAt?.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    await authenticateApiKey(key, { now: new Date("2026-11-30T10:01:01Z") });
    expect((await listApiKeys("EGP")).find((k) => k.prefix === summary.prefix)?.lastUsedAt?.toISOString()).toBe("2026-11-30T10:01:01.000Z");
  });

  it("puts creation and revocation in the audit log, by prefix and never the key", async () => {
    const { key, summary } = await createApiKey({ organisationCode: "NWE", name: "audit me" }, { by: people.alice });
    await revokeApiKey(summary.prefix, { by: people.alice, organisationId: people.alice.organisationId });
    const events = await db().auditEvent.findMany({ where: { subject: `NWE ${summary.prefix}` }, orderBy: { sequence: "asc" } });
    expect(events.map((e) => [e.type, e.actorEmail, e.detail])).toEqual([
      ["API_KEY_CREATED", "alice@northwind.example", "audit me"],
      ["API_KEY_REVOKED", "alice@northwind.example", "audit me"],
    ]);
    const everything = JSON.stringify(await db().auditEvent.findMany({ select: { subject: true, detail: true, actorEmail: true } }));
    expect(everything).not.toContain(key.slice(13));
  });

  it("refuses a bad name or organisation, another organisation's key, and a second revocation, changing nothing", async () => {
    const before = await db().apiKey.count();
    const blank = await expectRefused(createApiKey({ organisationCode: "NWE", name: "   " }), "VALIDATION");
    expect(blank.fieldErrors).toEqual({ name: ["Give the key a name, such as the system that will use it"] });
    const long = await expectRefused(createApiKey({ organisationCode: "NWE", name: "n".repeat(101) }), "VALIDATION");
    expect(long.fieldErrors).toEqual({ name: ["A key's name can be at most 100 characters"] });
    const unknown = await expectRefused(createApiKey({ organisationCode: "ZZZ", name: "x" }), "VALIDATION");
    expect(unknown.fieldErrors).toEqual({ organisation: ["No organisation has the code ZZZ"] });
    expect(await db().apiKey.count()).toBe(before);

    const { summary } = await createApiKey({ organisationCode: "SFP", name: "theirs" });
    await expectRefused(revokeApiKey(summary.prefix, { organisationId: people.orgs.NWE }), "NOT_FOUND");
    expect((await db().apiKey.findUniqueOrThrow({ where: { prefix: summary.prefix } })).revokedAt).toBeNull();
    await revokeApiKey(summary.prefix, { organisationId: people.orgs.SFP });
    await expectRefused(revokeApiKey(summary.prefix), "CONFLICT", `The API key ${summary.prefix} was already revoked`);
  });

  it("acts through its service account, which is never emailed: the organisation's people are told instead", async () => {
    const nwe = (await authenticateApiKey((await createApiKey({ organisationCode: "NWE", name: "raiser system" })).key))!.actor;
    const sfp = (await authenticateApiKey((await createApiKey({ organisationCode: "SFP", name: "answer system" })).key))!.actor;
    const raised = await emailsQueuedBy(() => raiseFresh(nwe, "SFP"));
    // The assignment goes to SFP's people (bob, bea), not to its key's account.
    expect(recipients(raised.emails)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    const row = await requestRow(raised.result.reference);
    expect(row.raisedById).toBe(nwe.userId);
    const answered = await emailsQueuedBy(() => provideInstallCode(sfp, { reference: raised.result.reference, installCode: "83FED3407A939723A5C639B26916D505C3B5" }));
    // "The raiser" is the key's account: NWE's people (alice, amir) hear the answer is ready.
    expect(recipients(answered.emails)).toEqual(["alice@northwind.example", "amir@northwind.example"]);
  });
});
