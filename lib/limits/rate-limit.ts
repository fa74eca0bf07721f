import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { database, type Database } from "../db/client";

// Abuse limits with rate-limiter-flexible. On a PostgreSQL server they live in its rate_limits table
// (created by a migration), so they hold across every instance of the portal; on the embedded
// database (one process by construction) they live in memory.

export type LimitRule = { name: string; points: number; durationSeconds: number };
export type LimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const limiters = new WeakMap<Database, Map<string, RateLimiterAbstract>>();

function limiterFor(rule: LimitRule): RateLimiterAbstract {
  const db = database();
  let byRule = limiters.get(db);
  if (!byRule) limiters.set(db, (byRule = new Map()));
  const id = `${rule.name}:${rule.points}:${rule.durationSeconds}`;
  let limiter = byRule.get(id);
  if (!limiter) {
    const pool = db.pgPool();
    const options = { keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds };
    limiter = pool
      ? new RateLimiterPostgres({ ...options, storeClient: pool, storeType: "pool", tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: false })
      : new RateLimiterMemory(options);
    byRule.set(id, limiter);
  }
  return limiter;
}

/**
 * Takes one point from `key`'s allowance under `rule`. A store that fails (the database is down)
 * lets the action through: the limits guard against abuse, they must not take the portal down.
 */
export async function consume(rule: LimitRule, key: string, onStoreError?: (error: Error) => void): Promise<LimitResult> {
  try {
    await limiterFor(rule).consume(key);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    onStoreError?.(rejection as Error);
    return { allowed: true };
  }
}
