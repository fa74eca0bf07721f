import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey, createApiKey } from "@/lib/api-keys/keys";
import { createApiKeyFor, listApiKeysFor, revokeApiKeyFor } from "@/lib/api-keys/manage-keys";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase } from "./requests/support";

// The organisation settings page's use cases (issue 9): people manage their own organisation's API
// keys, each creation and revocation audited with who did it, and nobody reaches another's.

const NOT_FOUND = "No API key with that prefix in your organisation";

describe(`managing an organisation's API keys (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;
  beforeAll(async () => {
    people = await openSeededDatabase();
  });
  afterAll(closeSeededDatabase);

  const at = (actor: Actor, clientAddress: string): Actor => ({ ...actor, clientAddress });

  /** Every row of every table of the portal's schema, as text. */
  async function wholeDatabase(): Promise<string> {
    const tables = await db().$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["ApiKey", "AuditEvent", "User"]));
    const dumps = await Promise.all(tables.map((t) => db().$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${t.table_name}" t`)));
    return dumps.flat().map((r) => r.row).join("\n");
  }

  it("creates a key for the actor's organisation, audited with who did it and from where, the key itself nowhere in the database", async () => {
    const { key, summary } = await createApiKeyFor(at(people.alice, "203.0.113.7"), { name: " billing system " });
    expect(summary).toMatchObject({ name: "billing system", organisationCode: "NWE", revokedAt: null, lastUsedAt: null });

    const audit = await db().auditEvent.findMany({ where: { type: "API_KEY_CREATED", subject: `NWE ${summary.prefix}` } });
    expect(audit.map((e) => [e.actorUserId, e.actorEmail, e.actorOrganisationCode, e.clientAddress, e.detail])).toEqual([
      [people.alice.userId, "alice@northwind.example", "NWE", "203.0.113.7", "billing system"],
    ]);

    const everything = await wholeDatabase();
    expect(everything).toContain(summary.prefix);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice(summary.prefix.length + 1));

    const listed = (await listApiKeysFor(people.alice)).find((k) => k.prefix === summary.prefix);
    expect(listed).toMatchObject({ name: "billing system", createdBy: { name: people.alice.name, email: people.alice.email }, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(await listApiKeysFor(people.alice))).not.toContain(key);
    expect((await authenticateApiKey(key))?.actor).toMatchObject({ organisationCode: "NWE", role: "SUPPLIER_USER" });
  });

  it("lists only the actor's organisation's keys, with their creator, last use and revocation", async () => {
    const nwe = await createApiKeyFor(people.alice, { name: "nwe listed" });
    const sfp = await createApiKeyFor(people.bob, { name: "sfp listed" });
    const operator = await createApiKey({ organisationCode: "NWE", name: "made by the operator" });
    await authenticateApiKey(nwe.key, { now: new Date("2026-12-01T10:00:00Z") });

    const ofNwe = await listApiKeysFor(people.amir);
    expect(ofNwe.every((k) => k.organisationCode === "NWE")).toBe(true);
    const prefixes = ofNwe.map((k) => k.prefix);
    expect(prefixes).toEqual(expect.arrayContaining([nwe.summary.prefix, operator.summary.prefix]));
    expect(prefixes).not.toContain(sfp.summary.prefix);
    expect(ofNwe.find((k) => k.prefix === nwe.summary.prefix)?.lastUsedAt?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    // Created with `npm run apikey`: no person to name.
    expect(ofNwe.find((k) => k.prefix === operator.summary.prefix)?.createdBy).toBeNull();
    // Newest first.
    const times = ofNwe.map((k) => k.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect((await listApiKeysFor(people.bob)).map((k) => k.prefix)).toContain(sfp.summary.prefix);
    expect((await listApiKeysFor(people.bob)).map((k) => k.prefix)).not.toContain(nwe.summary.prefix);
    expect((await listApiKeysFor(people.erin)).map((k) => k.prefix)).not.toContain(nwe.summary.prefix);
  });

  it("lets another administrator of the organisation revoke its key, audited with who did it; the key is refused from then on", async () => {
    const { key, summary } = await createApiKeyFor(people.alice, { name: "to revoke" });
    // Amir, a Northwind user but not an administrator, sees the keys and cannot revoke or create one.
    expect((await listApiKeysFor(people.amir)).map((k) => k.prefix)).toContain(summary.prefix);
    const before = await db().auditEvent.count();
    await expectRefused(revokeApiKeyFor(people.amir, { prefix: summary.prefix }), "FORBIDDEN", "Only Northwind Energy's administrators can revoke API keys: ask one of them");
    await expectRefused(createApiKeyFor(people.amir, { name: "mine" }), "FORBIDDEN", "Only Northwind Energy's administrators can create API keys: ask one of them");
    expect(await authenticateApiKey(key)).not.toBeNull();
    expect(await db().auditEvent.count()).toBe(before);
    const amir = { ...people.amir, administrator: true };
    const revoked = await revokeApiKeyFor(at(amir, "198.51.100.4"), { prefix: ` ${summary.prefix} ` });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(key)).toBeNull();
    const audit = await db().auditEvent.findMany({ where: { subject: `NWE ${summary.prefix}` }, orderBy: { sequence: "asc" } });
    expect(audit.map((e) => [e.type, e.actorEmail, e.clientAddress])).toEqual([
      ["API_KEY_CREATED", "alice@northwind.example", null],
      ["API_KEY_REVOKED", "amir@northwind.example", "198.51.100.4"],
    ]);
    expect((await listApiKeysFor(people.alice)).find((k) => k.prefix === summary.prefix)?.revokedAt?.getTime()).toBe(revoked.revokedAt!.getTime());
    // Irreversible: a second revocation is refused and recorded nowhere.
    await expectRefused(revokeApiKeyFor(people.alice, { prefix: summary.prefix }), "CONFLICT", `The API key ${summary.prefix} was already revoked`);
    expect(await db().auditEvent.count({ where: { subject: `NWE ${summary.prefix}` } })).toBe(2);
  });

  it("answers another organisation's key exactly as no key at all, and changes nothing", async () => {
    const { key, summary } = await createApiKeyFor(people.bob, { name: "southfield's own" });
    const before = { audit: await db().auditEvent.count(), keys: await db().apiKey.count({ where: { revokedAt: null } }) };
    const unknown = summary.prefix.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    for (const [actor, prefix] of [
      [people.alice, summary.prefix],
      [people.erin, summary.prefix],
      // The helpdesk's rights over requests give it no power over a Supplier's keys.
      [people.dana, summary.prefix],
      [people.alice, unknown],
      [people.alice, "icr_zzzzzzzz"],
      [people.alice, ""],
      [people.alice, "x\u0000".repeat(5_000)],
    ] as const) {
      await expectRefused(revokeApiKeyFor(actor, { prefix }), "NOT_FOUND", NOT_FOUND);
    }
    expect({ audit: await db().auditEvent.count(), keys: await db().apiKey.count({ where: { revokedAt: null } }) }).toEqual(before);
    expect(await authenticateApiKey(key)).not.toBeNull();
  });

  it("gives the helpdesk the DCC's keys, which act with helpdesk rights", async () => {
    const { key, summary } = await createApiKeyFor(people.dana, { name: "helpdesk tooling" });
    expect(summary.organisationCode).toBe("DCC");
    expect((await authenticateApiKey(key))?.actor).toMatchObject({ role: "HELPDESK", organisationKind: "HELPDESK", organisationCode: "DCC" });
    const ofDcc = await listApiKeysFor(people.dana);
    expect(ofDcc.map((k) => k.prefix)).toContain(summary.prefix);
    expect(ofDcc.every((k) => k.organisationCode === "DCC")).toBe(true);
    expect((await listApiKeysFor(people.alice)).map((k) => k.prefix)).not.toContain(summary.prefix);
    await revokeApiKeyFor(people.dana, { prefix: summary.prefix });
    expect(await authenticateApiKey(key)).toBeNull();
  });

  it("refuses a key's own service account: a key never manages keys", async () => {
    const { key, summary } = await createApiKeyFor(people.alice, { name: "integration" });
    const service = (await authenticateApiKey(key))!.actor;
    const before = { audit: await db().auditEvent.count(), keys: await db().apiKey.count() };
    const refusal = "API keys are managed by your organisation's people, signed in to the portal";
    await expectRefused(createApiKeyFor(service, { name: "minted by a key" }), "FORBIDDEN", refusal);
    await expectRefused(revokeApiKeyFor(service, { prefix: summary.prefix }), "FORBIDDEN", refusal);
    await expectRefused(listApiKeysFor(service), "FORBIDDEN", refusal);
    expect({ audit: await db().auditEvent.count(), keys: await db().apiKey.count() }).toEqual(before);
    expect(await authenticateApiKey(key)).not.toBeNull();
  });

  it("refuses a missing or overlong name with a message for the field, creating nothing", async () => {
    const before = await db().apiKey.count();
    const blank = await expectRefused(createApiKeyFor(people.alice, { name: "  " }), "VALIDATION");
    expect(blank.fieldErrors).toEqual({ name: ["Give the key a name, such as the system that will use it"] });
    const long = await expectRefused(createApiKeyFor(people.alice, { name: "n".repeat(101) }), "VALIDATION");
    expect(long.fieldErrors).toEqual({ name: ["A key's name can be at most 100 characters"] });
    const control = await expectRefused(createApiKeyFor(people.alice, { name: "bill\u0000ing" }), "VALIDATION");
    expect(control.fieldErrors).toEqual({ name: ["Remove the invisible control characters from the name"] });
    expect(await db().apiKey.count()).toBe(before);
  });
});
