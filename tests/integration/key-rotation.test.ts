import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { decryptInstallCode } from "@/lib/install-code/encryption";
import { keyId, KeyNotHeldError } from "@/lib/install-code/key-ring";
import { lodgedCodeContext, lodgeInstallCode } from "@/lib/install-code/lodge";
import { keyUsage, notUnderNewest, rotateKeys } from "@/lib/install-code/rotate-keys";
import { closeRequest } from "@/lib/requests/close-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { eraseClosedInstallCodes } from "@/lib/retention/erase-install-codes";
import { decryptSigningSecret } from "@/lib/webhooks/secret";
import { createWebhookEndpoint, deleteWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { legacyInstallCode, legacySigningSecret } from "../helpers/legacy-ciphertext";
import { addDevice, closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseAndProvide, raiseFresh, requestRow } from "./requests/support";

// Rotating INSTALL_CODE_KEY (issue 12, part 5; docs/decisions/028-key-rotation.md) on a database in
// use: codes provided and lodged, and webhook secrets, stored under the old key (some in the format
// from before key ids), are re-encrypted under the new key while people keep revealing, providing,
// replacing, lodging and erasing codes. The portal's ring is switched as a restart with a new
// INSTALL_CODE_KEY would: every instance holds [new, old] before the rotation starts.

const ring = vi.hoisted(() => ({ keys: undefined as string[] | undefined }));
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return { ...real, env: () => (ring.keys ? { ...real.env(), installCodeKeys: ring.keys } : real.env()) };
});

const OLD = randomBytes(32).toString("hex");
const NEW = randomBytes(32).toString("hex");
const newCode = () => randomBytes(16).toString("hex").toUpperCase();
const DAY = 24 * 60 * 60_000;

/**
 * Erases the codes of requests closed over 30 days ago until the request's are: a request whose row
 * another transaction holds (the email dispatcher writing its EMAIL_SENT event) is left for the next run.
 */
async function eraseUntilErased(requestIds: string[]) {
  do await eraseClosedInstallCodes(new Date(), { days: 30 });
  while ((await db().installCode.count({ where: { requestId: { in: requestIds }, erasedAt: null } })) > 0);
}

/** Every stored ciphertext by row, to show what a rotation changed and what it did not. */
async function ciphertexts() {
  const codes = await db().installCode.findMany({ select: { id: true, encrypted: true, erasedAt: true } });
  const lodged = await db().lodgedInstallCode.findMany({ select: { deviceId: true, encrypted: true } });
  const endpoints = await db().webhookEndpoint.findMany({ select: { id: true, encryptedSecret: true } });
  return {
    codes: new Map(codes.map((c) => [c.id, c])),
    lodged: new Map(lodged.map((l) => [l.deviceId, l.encrypted])),
    endpoints: new Map(endpoints.map((e) => [e.id, e.encryptedSecret])),
  };
}

describe(`key rotation (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, orgs } = await openSeededDatabase());
  });
  beforeEach(() => {
    ring.keys = [OLD];
  });
  afterAll(async () => {
    ring.keys = undefined;
    await closeSeededDatabase();
  });

  it("key rotation round trip with reads during it", async () => {
    // --- Stored under the old key. ---
    /** What a reveal of each request must show, as it changes. */
    const expected = new Map<string, string>();
    const quiet: string[] = []; // only read during the rotation
    const busy: string[] = []; // replaced during it
    for (let i = 0; i < 24; i++) {
      const code = newCode();
      const { reference } = await raiseAndProvide(alice, bob, code);
      expected.set(reference, code);
      (i % 3 === 0 ? busy : quiet).push(reference);
    }
    // Closed long ago and erased while the rotation runs.
    const eraseDuringCode = newCode();
    const { reference: eraseDuring } = await raiseAndProvide(alice, bob, eraseDuringCode);
    expected.set(eraseDuring, eraseDuringCode);
    // A code replaced before the rotation: the replaced row is kept, and re-encrypted too.
    for (const reference of quiet.slice(0, 4)) {
      const code = newCode();
      await provideInstallCode(bob, { reference, installCode: code, reason: "The first code was mistyped" });
      expected.set(reference, code);
    }
    // A third of the codes as the portal stored them before key ids existed (v1).
    const byId = new Map<string, string>(); // InstallCode id -> code, every row not erased
    for (const reference of expected.keys()) {
      const { id: requestId } = await requestRow(reference);
      const rows = await db().installCode.findMany({ where: { requestId }, select: { id: true, encrypted: true } });
      for (const row of rows) byId.set(row.id, decryptInstallCode(row.encrypted, requestId));
    }
    for (const [id, code] of [...byId].filter((_, i) => i % 3 === 1)) {
      const row = await db().installCode.findUniqueOrThrow({ where: { id } });
      await db().installCode.update({ where: { id }, data: { encrypted: legacyInstallCode(code, row.requestId, OLD) } });
    }

    // Erased after closing: nothing to re-encrypt, and they must stay erased.
    const erasedReferences: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { reference } = await raiseAndProvide(alice, bob, newCode());
      await closeRequest(alice, { reference }, { now: new Date(Date.now() - 40 * DAY) });
      erasedReferences.push(reference);
    }
    await eraseUntilErased(await Promise.all(erasedReferences.map(async (r) => (await requestRow(r)).id)));
    const erasedBefore = await db().installCode.findMany({ where: { erasedAt: { not: null } }, select: { id: true, encrypted: true, erasedAt: true } });
    expect(erasedBefore.length).toBeGreaterThanOrEqual(3);

    // Lodged codes: some to answer requests raised during the rotation, some to be replaced during it.
    const lodged = new Map<string, string>(); // deviceId -> code
    for (let i = 0; i < 12; i++) {
      const deviceId = await addDevice("SFP");
      const code = newCode();
      await lodgeInstallCode(bob, { deviceId, installCode: code });
      lodged.set(deviceId, code);
    }
    const [legacyLodged] = [...lodged.keys()];
    await db().lodgedInstallCode.update({
      where: { deviceId: legacyLodged },
      data: { encrypted: legacyInstallCode(lodged.get(legacyLodged)!, lodgedCodeContext(legacyLodged, orgs.SFP!), OLD) },
    });
    const toRaise = [...lodged.keys()].slice(0, 6);
    const toRelodge = [...lodged.keys()].slice(6);

    // Webhook endpoints: their secrets, one stored before key ids, one deleted (no secret left).
    const secrets = new Map<string, string>();
    for (const [actor, n] of [[bob, 3], [alice, 2]] as const) {
      for (let i = 0; i < n; i++) {
        const { secret, endpoint } = await createWebhookEndpoint(actor, { url: `http://hooks.test/rotation/${actor.organisationCode}/${i}`, events: ["request.breached"] });
        secrets.set(endpoint.id, secret);
      }
    }
    const [legacyEndpoint, deletedEndpoint] = [...secrets.keys()];
    await db().webhookEndpoint.update({ where: { id: legacyEndpoint }, data: { encryptedSecret: legacySigningSecret(secrets.get(legacyEndpoint)!, legacyEndpoint, OLD) } });
    await deleteWebhookEndpoint(bob, { endpointId: deletedEndpoint });
    secrets.delete(deletedEndpoint);

    const before = await ciphertexts();
    expect((await keyUsage([OLD])).map((u) => u.sealed).sort()).toEqual([keyId(OLD), "v1"].sort());

    // --- Every instance restarted with INSTALL_CODE_KEY=<new>,<old>; then the rotation, under traffic. ---
    ring.keys = [NEW, OLD];
    const usageBefore = await keyUsage();
    expect(usageBefore.map((u) => [u.sealed, u.position])).toEqual([
      [keyId(NEW), 1],
      [keyId(OLD), 2],
      ["v1", null],
    ]);
    expect(notUnderNewest(usageBefore)).toBe(byId.size + lodged.size + secrets.size);

    let batches = 0;
    let rotating = true;
    const wrong: string[] = [];
    /** The rotation's batch count when each read of a code succeeded. */
    const readsAt: number[] = [];
    const reveal = async (actor: Actor, reference: string) => {
      const { installCode } = await revealInstallCode(actor, { reference });
      if (installCode !== expected.get(reference)) wrong.push(`${reference}: revealed another code`);
      readsAt.push(batches);
    };

    // Two rotations at once (an operator ran it twice): they share the work, each row done once.
    const rotation = Promise.all([rotateKeys({ batch: 4, onBatch: () => batches++ }), rotateKeys({ batch: 4, onBatch: () => batches++ })]).finally(() => {
      rotating = false;
    });
    const readers = (async () => {
      do {
        for (const reference of quiet) await reveal(alice, reference);
        for (const [id, secret] of secrets) {
          const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id } });
          if (decryptSigningSecret(row.encryptedSecret!, id) !== secret) wrong.push(`endpoint ${id}: another secret`);
        }
      } while (rotating);
    })();
    const writers = (async () => {
      let round = 0;
      do {
        // Replace a code, and read it back at once, as the provider and the raiser.
        const reference = busy[round % busy.length]!;
        const code = newCode();
        await provideInstallCode(bob, { reference, installCode: code, reason: "Replaced during the rotation" });
        expected.set(reference, code);
        await reveal(bob, reference);
        await reveal(alice, reference);
        // A new request answered by hand, and one answered at once from a lodged code.
        const freshCode = newCode();
        const fresh = await raiseAndProvide(alice, bob, freshCode);
        expected.set(fresh.reference, freshCode);
        await reveal(alice, fresh.reference);
        const deviceId = toRaise[round % toRaise.length]!;
        const raised = await raiseRequest(alice, { deviceId });
        expected.set(raised.reference, lodged.get(deviceId)!);
        await reveal(alice, raised.reference);
        // A lodged code replaced by its Supplier: the rotation must not put the old one back.
        const relodge = toRelodge[round % toRelodge.length]!;
        const relodged = newCode();
        await lodgeInstallCode(bob, { deviceId: relodge, installCode: relodged });
        lodged.set(relodge, relodged);
        // A request closed long ago and erased meanwhile.
        if (round === 1) {
          await closeRequest(alice, { reference: eraseDuring }, { now: new Date(Date.now() - 40 * DAY) });
          await eraseUntilErased([(await requestRow(eraseDuring)).id]);
          expected.delete(eraseDuring);
          erasedReferences.push(eraseDuring);
        }
        round++;
      } while (rotating);
      return round;
    })();
    const [[first, second], , rounds] = await Promise.all([rotation, readers, writers]);

    expect(wrong).toEqual([]);
    expect(rounds).toBeGreaterThan(0);
    // Codes were read between the rotation's first and last transaction, not only before or after.
    expect(readsAt.some((at) => at > 0 && at < batches)).toBe(true);
    for (const result of [first, second]) {
      expect(result.unreadable).toEqual([]);
      expect(result.newestKeyId).toBe(keyId(NEW));
    }
    expect(first.resealed.webhook + second.resealed.webhook).toBe(secrets.size);
    // The code erased meanwhile, and lodged codes replaced meanwhile, may have gone before their turn.
    expect(first.resealed.provided + second.resealed.provided).toBeGreaterThanOrEqual(byId.size - 1);
    expect(first.resealed.provided + second.resealed.provided).toBeLessThanOrEqual(byId.size);
    expect(first.resealed.lodged + second.resealed.lodged).toBeLessThanOrEqual(lodged.size);
    expect(first.resealed.lodged + second.resealed.lodged).toBeGreaterThanOrEqual(toRaise.length);

    // --- Afterwards: everything under the new key, nothing lost or changed. ---
    const after = await ciphertexts();
    const prefix = `v2.${keyId(NEW)}.`;
    for (const row of after.codes.values()) if (!row.erasedAt) expect(row.encrypted.startsWith(prefix)).toBe(true);
    for (const encrypted of after.lodged.values()) expect(encrypted.startsWith(prefix)).toBe(true);
    for (const [id, encrypted] of after.endpoints) if (encrypted !== null) expect(encrypted.startsWith(prefix), id).toBe(true);
    for (const [id, row] of before.codes) if (!row.erasedAt && !after.codes.get(id)!.erasedAt) expect(after.codes.get(id)!.encrypted).not.toBe(row.encrypted);
    for (const [id, encrypted] of before.endpoints) if (encrypted !== null) expect(after.endpoints.get(id)).not.toBe(encrypted);
    const usageAfter = await keyUsage();
    expect(notUnderNewest(usageAfter)).toBe(0);
    expect(usageAfter.find((u) => u.sealed === keyId(OLD))?.counts).toEqual({ provided: 0, lodged: 0, webhook: 0 });

    // Every row stored before the rotation holds the same code, now readable with the new key alone;
    // every lodged code is the last one lodged; every secret the one shown at creation.
    for (const [id, code] of byId) {
      const row = after.codes.get(id)!;
      if (row.erasedAt) continue;
      const { requestId } = await db().installCode.findUniqueOrThrow({ where: { id }, select: { requestId: true } });
      expect(decryptInstallCode(row.encrypted, requestId, [NEW])).toBe(code);
    }
    for (const [deviceId, code] of lodged) expect(decryptInstallCode(after.lodged.get(deviceId)!, lodgedCodeContext(deviceId, orgs.SFP!), [NEW])).toBe(code);
    for (const [id, secret] of secrets) expect(decryptSigningSecret(after.endpoints.get(id)!, id, [NEW])).toBe(secret);
    expect(after.endpoints.get(deletedEndpoint)).toBeNull();

    // Erased codes stay erased, untouched.
    for (const row of erasedBefore) expect(after.codes.get(row.id)).toEqual(row);
    for (const reference of erasedReferences) {
      const { id: requestId } = await requestRow(reference);
      for (const row of await db().installCode.findMany({ where: { requestId } })) expect(row).toMatchObject({ encrypted: "", erasedAt: expect.any(Date) });
    }

    // With the new key alone, every request shows its code; with the old key alone, none can be read.
    ring.keys = [NEW];
    for (const [reference, code] of expected) expect((await revealInstallCode(alice, { reference })).installCode, reference).toBe(code);
    ring.keys = [OLD];
    const [someReference] = expected.keys();
    const refused = await revealInstallCode(alice, { reference: someReference! }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toMatch(/cannot be read/);
    const sample = [...after.codes.values()].find((c) => !c.erasedAt)!;
    const { requestId } = await db().installCode.findUniqueOrThrow({ where: { id: sample.id }, select: { requestId: true } });
    expect(() => decryptInstallCode(sample.encrypted, requestId)).toThrow(new KeyNotHeldError(keyId(NEW), "Install Code"));

    // A rerun, with or without the old key, changes nothing.
    for (const keys of [[NEW, OLD], [NEW]]) {
      ring.keys = keys;
      const again = await rotateKeys({ batch: 4 });
      expect(again).toEqual({ newestKeyId: keyId(NEW), resealed: { provided: 0, lodged: 0, webhook: 0 }, unreadable: [] });
      expect(await ciphertexts()).toEqual(after);
    }
    // Some 150 use-case calls and two rotations: about 10 s on the embedded database of a quiet machine.
  }, 180_000);

  it("leaves a value no configured key opens as it is, names it and its key, and --check counts it as not held", async () => {
    const stray = randomBytes(32).toString("hex");
    ring.keys = [stray];
    const code = newCode();
    const { reference } = await raiseAndProvide(alice, bob, code);
    const { id: requestId } = await requestRow(reference);
    const [row] = await db().installCode.findMany({ where: { requestId } });

    ring.keys = [NEW];
    const result = await rotateKeys();
    expect(result.resealed.provided).toBe(0);
    expect(result.unreadable).toEqual([
      { store: "provided", name: `a code of ${reference} (${row!.id})`, reason: `sealed by key ${keyId(stray)}, which INSTALL_CODE_KEY no longer holds` },
    ]);
    expect(await db().installCode.findUniqueOrThrow({ where: { id: row!.id } })).toEqual(row);
    const usage = await keyUsage();
    expect(usage.find((u) => u.sealed === keyId(stray))).toEqual({ sealed: keyId(stray), position: null, counts: { provided: 1, lodged: 0, webhook: 0 } });
    expect(notUnderNewest(usage)).toBe(1);

    // Given the key again (as an older one), the next run moves it.
    ring.keys = [NEW, stray];
    expect((await rotateKeys()).resealed.provided).toBe(1);
    expect(notUnderNewest(await keyUsage())).toBe(0);
    ring.keys = [NEW];
    expect((await revealInstallCode(alice, { reference })).installCode).toBe(code);
  });

  it("raises and answers as usual with a ring: new requests are sealed with the newest key", async () => {
    ring.keys = [NEW, OLD];
    const { reference } = await raiseFresh(alice, "SFP");
    const code = newCode();
    await provideInstallCode(bob, { reference, installCode: code });
    const { id: requestId } = await requestRow(reference);
    const [row] = await db().installCode.findMany({ where: { requestId } });
    expect(row!.encrypted.startsWith(`v2.${keyId(NEW)}.`)).toBe(true);
    expect((await revealInstallCode(alice, { reference })).installCode).toBe(code);
  });
});
