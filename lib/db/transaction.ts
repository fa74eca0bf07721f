import { logError } from "../log";
import { databaseUnavailable, isPoolExhausted, noteDatabaseError, portalBusy } from "./availability";
import { database } from "./client";
import type { Prisma } from "./generated/client";

export type Tx = Prisma.TransactionClient;

// Work to start once a transaction of transaction() has committed (kicking an outbox's dispatcher):
// a dispatcher kicked before the commit would not see the rows.
const afterCommitHooks = new WeakMap<Tx, Set<() => void>>();

/**
 * Runs `hook` once `tx` has committed (never if it rolls back); a hook given twice runs once. False
 * when `tx` is not one of transaction()'s (a bare `$transaction`): the caller must then run it itself.
 */
export function afterCommit(tx: Tx, hook: () => void): boolean {
  const hooks = afterCommitHooks.get(tx);
  hooks?.add(hook);
  return hooks !== undefined;
}

/**
 * Runs `work` in one interactive transaction. Pass `tx` down to everything inside: on the embedded
 * database a query through the outer client waits for the transaction and times out. `timeoutMs`:
 * longer than the 20 s default only for work bounded in size (a bulk raise of at most 10,000 rows).
 */
export async function transaction<T>(work: (tx: Tx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const { client, target } = database();
  // PGlite runs one transaction at a time: let a transaction wait its turn for longer.
  const maxWait = target.kind === "embedded" ? 15_000 : 5_000;
  const hooks = new Set<() => void>();
  let result: T;
  try {
    result = await client.$transaction(
      (tx) => {
        afterCommitHooks.set(tx, hooks);
        return work(tx);
      },
      { maxWait, timeout: options.timeoutMs ?? 20_000 },
    );
  } catch (error) {
    if ((error as { code?: string }).code === "P2028") {
      throw portalBusy();
    }
    if (noteDatabaseError(error)) throw databaseUnavailable();
    if (isPoolExhausted(error)) throw portalBusy();
    throw error;
  }
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      logError(error, {}, "a hook after a commit failed");
    }
  }
  return result;
}
