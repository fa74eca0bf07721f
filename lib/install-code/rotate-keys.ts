import { setTimeout as sleep } from "node:timers/promises";
import { db } from "../db/client";
import { transaction, type Tx } from "../db/transaction";
import { env } from "../env";
import { formatReference } from "../requests/reference";
import { resealSigningSecret } from "../webhooks/secret";
import { resealInstallCode } from "./encryption";
import { KeyNotHeldError, keyId, type KeyRing } from "./key-ring";
import { lodgedCodeContext } from "./lodge";

// `npm run keys:rotate` (issue 12, part 5; docs/decisions/028-key-rotation.md): every stored value
// sealed with INSTALL_CODE_KEY (provided Install Codes not erased, lodged Install Codes, webhook
// signing secrets) that is not yet under the newest key is re-encrypted under it, in short
// transactions, while the portal runs. Rows are taken FOR UPDATE SKIP LOCKED (a row a request is
// changing, or another rotation holds, is left for a later pass), and each UPDATE re-checks that the
// row still holds the ciphertext it read. A rerun touches only what is still not under the newest key.

/** Rows per transaction. */
export const ROTATE_BATCH = 500;
/**
 * Passes over a table, at most: a row that a request (or another rotation) holds is skipped, and taken
 * by a later pass once it is free; a pass that re-encrypts nothing while rows remain waits a little first.
 */
const MAX_PASSES = 20;
const PASS_PAUSE_MS = 100;

export const STORES = ["provided", "lodged", "webhook"] as const;
export type StoreName = (typeof STORES)[number];

/** What an operator reads for each store. */
export const STORE_LABELS: Record<StoreName, string> = {
  provided: "provided Install Codes",
  lodged: "lodged Install Codes",
  webhook: "webhook signing secrets",
};

type Sealed = { id: string; stored: string; aad: string; name: string };
type Change = { id: string; prev: string; next: string };

type Store = {
  /** The first key of the walk: lower than any row's. */
  start: string;
  /** Up to `limit` rows after `after` (in key order) not sealed under `prefix`, locked. */
  pick(tx: Tx, prefix: string, after: string, limit: number): Promise<Sealed[]>;
  /** Writes the changes whose row still holds `prev`; returns how many it wrote. */
  write(tx: Tx, changes: Change[]): Promise<number>;
  reseal(stored: string, aad: string, keys: KeyRing): string;
  /** Rows by what sealed them: a key id, or "v1" (the format without one). */
  usage(): Promise<{ sealed: string; count: number }[]>;
};

const FIRST_UUID = "00000000-0000-0000-0000-000000000000";

const columns = (changes: Change[]) => [changes.map((c) => c.id), changes.map((c) => c.prev), changes.map((c) => c.next)] as const;

const stores: Record<StoreName, Store> = {
  // Erased codes ("" with erasedAt set, lib/retention) have nothing to re-encrypt.
  provided: {
    start: FIRST_UUID,
    pick: async (tx, prefix, after, limit) => {
      const rows = await tx.$queryRaw<{ id: string; requestId: string; encrypted: string; number: number }[]>`
        SELECT c.id, c."requestId", c.encrypted, r.number FROM "InstallCode" c JOIN "InstallCodeRequest" r ON r.id = c."requestId"
        WHERE c."erasedAt" IS NULL AND c.encrypted <> '' AND NOT starts_with(c.encrypted, ${prefix}) AND c.id > ${after}::uuid
        ORDER BY c.id LIMIT ${limit}
        FOR UPDATE OF c SKIP LOCKED`;
      return rows.map((r) => ({ id: r.id, stored: r.encrypted, aad: r.requestId, name: `a code of ${formatReference(r.number)} (${r.id})` }));
    },
    write: (tx, changes) => {
      const [ids, prevs, nexts] = columns(changes);
      return tx.$executeRaw`UPDATE "InstallCode" AS c SET encrypted = t.next
        FROM unnest(${ids}::uuid[], ${prevs}::text[], ${nexts}::text[]) AS t(id, prev, next)
        WHERE c.id = t.id AND c.encrypted = t.prev AND c."erasedAt" IS NULL`;
    },
    reseal: resealInstallCode,
    usage: () =>
      db().$queryRaw`SELECT CASE WHEN encrypted LIKE 'v2.%' THEN split_part(encrypted, '.', 2) ELSE split_part(encrypted, '.', 1) END AS sealed, count(*)::int AS count
        FROM "InstallCode" WHERE "erasedAt" IS NULL AND encrypted <> '' GROUP BY 1`,
  },
  lodged: {
    start: "",
    pick: async (tx, prefix, after, limit) => {
      const rows = await tx.$queryRaw<{ deviceId: string; organisationId: string; encrypted: string }[]>`
        SELECT "deviceId", "organisationId", encrypted FROM "LodgedInstallCode"
        WHERE NOT starts_with(encrypted, ${prefix}) AND "deviceId" > ${after}
        ORDER BY "deviceId" LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      return rows.map((r) => ({ id: r.deviceId, stored: r.encrypted, aad: lodgedCodeContext(r.deviceId, r.organisationId), name: `the code lodged for ${r.deviceId}` }));
    },
    write: (tx, changes) => {
      const [ids, prevs, nexts] = columns(changes);
      return tx.$executeRaw`UPDATE "LodgedInstallCode" AS l SET encrypted = t.next
        FROM unnest(${ids}::text[], ${prevs}::text[], ${nexts}::text[]) AS t(id, prev, next)
        WHERE l."deviceId" = t.id AND l.encrypted = t.prev`;
    },
    reseal: resealInstallCode,
    usage: () =>
      db().$queryRaw`SELECT CASE WHEN encrypted LIKE 'v2.%' THEN split_part(encrypted, '.', 2) ELSE split_part(encrypted, '.', 1) END AS sealed, count(*)::int AS count
        FROM "LodgedInstallCode" GROUP BY 1`,
  },
  // A deleted endpoint's secret is forgotten (null).
  webhook: {
    start: FIRST_UUID,
    pick: async (tx, prefix, after, limit) => {
      const rows = await tx.$queryRaw<{ id: string; encryptedSecret: string }[]>`
        SELECT id, "encryptedSecret" FROM "WebhookEndpoint"
        WHERE "encryptedSecret" IS NOT NULL AND NOT starts_with("encryptedSecret", ${prefix}) AND id > ${after}::uuid
        ORDER BY id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      return rows.map((r) => ({ id: r.id, stored: r.encryptedSecret, aad: r.id, name: `the secret of webhook endpoint ${r.id}` }));
    },
    write: (tx, changes) => {
      const [ids, prevs, nexts] = columns(changes);
      return tx.$executeRaw`UPDATE "WebhookEndpoint" AS w SET "encryptedSecret" = t.next
        FROM unnest(${ids}::uuid[], ${prevs}::text[], ${nexts}::text[]) AS t(id, prev, next)
        WHERE w.id = t.id AND w."encryptedSecret" = t.prev`;
    },
    reseal: resealSigningSecret,
    usage: () =>
      db().$queryRaw`SELECT CASE WHEN "encryptedSecret" LIKE 'v2.%' THEN split_part("encryptedSecret", '.', 2) ELSE split_part("encryptedSecret", '.', 1) END AS sealed, count(*)::int AS count
        FROM "WebhookEndpoint" WHERE "encryptedSecret" IS NOT NULL GROUP BY 1`,
  },
};

/** A stored value no key of INSTALL_CODE_KEY opens: left as it is. Names the row, never its contents. */
export type Unreadable = { store: StoreName; name: string; reason: string };

export type RotationResult = {
  /** The newest key's id: everything rotated is now sealed with it. */
  newestKeyId: string;
  resealed: Record<StoreName, number>;
  unreadable: Unreadable[];
};

function unreadableReason(error: unknown): string {
  if (error instanceof KeyNotHeldError) return `sealed by key ${error.keyId}, which INSTALL_CODE_KEY no longer holds`;
  if (error instanceof Error && error.message.startsWith("Unknown ")) return "not in a format the portal knows";
  return "no key in INSTALL_CODE_KEY opens it (sealed under a key no longer held, or altered)";
}

/**
 * Re-encrypts every stored value not yet under the newest key of `keys` (INSTALL_CODE_KEY's ring by
 * default). `onBatch` is told after each transaction how many values of the store it has re-encrypted
 * so far. Values no configured key opens are left unchanged and listed in the result.
 */
export async function rotateKeys(
  options: { keys?: KeyRing; batch?: number; onBatch?: (store: StoreName, resealed: number) => void } = {},
): Promise<RotationResult> {
  const keys = options.keys ?? env().installCodeKeys;
  const batch = options.batch ?? ROTATE_BATCH;
  const newestKeyId = keyId(keys[0]);
  const prefix = `v2.${newestKeyId}.`;
  const resealed: Record<StoreName, number> = { provided: 0, lodged: 0, webhook: 0 };
  const unreadable: Unreadable[] = [];
  for (const name of STORES) {
    const store = stores[name];
    let failures: Unreadable[] = [];
    for (let pass = 1; ; pass++) {
      let progress = false;
      failures = [];
      let after = store.start;
      for (;;) {
        const outcome = await transaction(async (tx) => {
          const rows = await store.pick(tx, prefix, after, batch);
          const changes: Change[] = [];
          const failed: Unreadable[] = [];
          for (const row of rows) {
            try {
              changes.push({ id: row.id, prev: row.stored, next: store.reseal(row.stored, row.aad, keys) });
            } catch (error) {
              failed.push({ store: name, name: row.name, reason: unreadableReason(error) });
            }
          }
          const written = changes.length > 0 ? await store.write(tx, changes) : 0;
          return { picked: rows.length, last: rows.at(-1)?.id, written, failed };
        });
        failures.push(...outcome.failed);
        if (outcome.written > 0) {
          progress = true;
          resealed[name] += outcome.written;
          options.onBatch?.(name, resealed[name]);
        }
        if (outcome.picked < batch || outcome.last === undefined) break;
        after = outcome.last;
      }
      if (pass >= MAX_PASSES) break;
      if (progress) continue;
      // Nothing left to do once every row not under the newest key is one that no key opens; more
      // rows than those were held by another transaction when this pass came by.
      const left = (await store.usage()).filter((u) => u.sealed !== newestKeyId).reduce((sum, u) => sum + u.count, 0);
      if (left <= failures.length) break;
      await sleep(PASS_PAUSE_MS * pass);
    }
    unreadable.push(...failures);
  }
  return { newestKeyId, resealed, unreadable };
}

export type KeyUsage = {
  /** A key id, or "v1": values stored before key rotation, which name no key. */
  sealed: string;
  /** Its place in INSTALL_CODE_KEY (1: the newest), or null if INSTALL_CODE_KEY does not hold it. */
  position: number | null;
  counts: Record<StoreName, number>;
};

/**
 * How many stored values each key seals (`npm run keys:rotate -- --check`): the newest key first, then
 * the others of `keys` in order, then what `keys` does not hold. A key with no values may be removed.
 */
export async function keyUsage(keys: KeyRing = env().installCodeKeys): Promise<KeyUsage[]> {
  const ids = keys.map((k) => keyId(k));
  const bySealed = new Map<string, KeyUsage>(
    ids.map((id, index) => [id, { sealed: id, position: index + 1, counts: { provided: 0, lodged: 0, webhook: 0 } }]),
  );
  for (const name of STORES) {
    for (const { sealed, count } of await stores[name].usage()) {
      const entry = bySealed.get(sealed) ?? { sealed, position: null, counts: { provided: 0, lodged: 0, webhook: 0 } };
      entry.counts[name] += count;
      bySealed.set(sealed, entry);
    }
  }
  return [...bySealed.values()];
}

/** How many stored values are not yet under the newest key: 0 means every older key may be removed. */
export function notUnderNewest(usage: KeyUsage[]): number {
  return usage.filter((u) => u.position !== 1).reduce((sum, u) => sum + STORES.reduce((s, name) => s + u.counts[name], 0), 0);
}
