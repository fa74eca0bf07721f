import { AppError } from "../errors";
import { database } from "./client";
import type { Prisma } from "./generated/client";

export type Tx = Prisma.TransactionClient;

/**
 * Runs `work` in one interactive transaction. Pass `tx` down to everything inside: on the embedded
 * database a query through the outer client waits for the transaction and times out. `timeoutMs`:
 * longer than the 20 s default only for work bounded in size (a bulk raise of at most 10,000 rows).
 */
export async function transaction<T>(work: (tx: Tx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const { client, target } = database();
  // PGlite runs one transaction at a time: let a transaction wait its turn for longer.
  const maxWait = target.kind === "embedded" ? 15_000 : 5_000;
  try {
    return await client.$transaction(work, { maxWait, timeout: options.timeoutMs ?? 20_000 });
  } catch (error) {
    if ((error as { code?: string }).code === "P2028") {
      throw new AppError("UNAVAILABLE", "The portal is busy: try again in a few seconds");
    }
    throw error;
  }
}
