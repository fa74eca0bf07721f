import { mkdirSync } from "node:fs";
import { logError } from "../log";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "../env";
import { PrismaClient } from "./generated/client";
import { pgliteConnection, postgresConnection, type SqlConnection } from "./sql-connection";

export type { PrismaClient };

/** How long a new connection to a PostgreSQL server may take before the server counts as out of reach. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How long a query may wait for a free connection of the pool before the portal answers "busy". */
export const POOL_WAIT_TIMEOUT_MS = 20_000;

/** pg's client with the connect bound; the pool's own connectionTimeoutMillis is its wait for a free connection. */
export class BoundedConnectClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super({ ...(typeof config === "string" ? { connectionString: config } : config), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  }
}
export type DbTarget = { kind: "embedded"; dir: string } | { kind: "postgres"; url: string };

export type Database = {
  client: PrismaClient;
  target: DbTarget;
  /** A single plain connection (the migrator's); release it when done. */
  connect(): Promise<SqlConnection>;
  /**
   * A small pg pool beside Prisma's, for libraries that speak to PostgreSQL themselves (the rate
   * limiter); null on the embedded database. Opened on first use, ended by close().
   */
  pgPool(): pg.Pool | null;
  /** The embedded database itself (its COPY FROM '/dev/blob' needs it); null on PostgreSQL. */
  pglite(): PGlite | null;
  /** Ends the connection pool, or closes the embedded database (PGlite keeps a timer alive). */
  close(): Promise<void>;
};

/** The embedded database lives in DATA_DIR/pglite; a server is used when DATABASE_URL is set. */
export function targetFromEnv(): DbTarget {
  const e = env();
  return e.databaseUrl ? { kind: "postgres", url: e.databaseUrl } : { kind: "embedded", dir: path.join(e.dataDir, "pglite") };
}

/** `loadDataDir`: the embedded database starts as this PGlite dump (the tests' copies of a migrated one). */
export function openDatabase(target: DbTarget, options: { loadDataDir?: Blob } = {}): Database {
  if (target.kind === "postgres") {
    // Two bounds (lib/db/availability.ts): a new connection that the server does not complete within
    // CONNECT_TIMEOUT_MS means the server is out of reach (without it pg waits for the operating
    // system's TCP timeout, minutes); a request waiting POOL_WAIT_TIMEOUT_MS for a free connection
    // of the pool means the portal is overloaded, which is not an outage (the load test told them
    // apart: one setting for both made a busy pool look like a lost database).
    const client = new PrismaClient({
      adapter: new PrismaPg(
        { connectionString: target.url, connectionTimeoutMillis: POOL_WAIT_TIMEOUT_MS, keepAlive: true, Client: BoundedConnectClient },
        { onPoolError: (error) => logError(error, { pool: "prisma" }, "an idle database connection was closed by the server") },
      ),
    });
    let pool: pg.Pool | undefined;
    return {
      client,
      target,
      connect: () => postgresConnection(target.url),
      pgPool: () => {
        if (!pool) {
          pool = new pg.Pool({ connectionString: target.url, max: 4, connectionTimeoutMillis: POOL_WAIT_TIMEOUT_MS, keepAlive: true, Client: BoundedConnectClient });
          // An idle connection the server ends (a restart, a failover, a dropped test database) is
          // an event, not a crash: without a listener pg throws it as an uncaught exception.
          pool.on("error", (error) => logError(error, { pool: "limits" }, "an idle database connection was closed by the server"));
        }
        return pool;
      },
      pglite: () => null,
      close: async () => {
        await client.$disconnect();
        await pool?.end();
      },
    };
  }
  // PGlite creates only the last folder of its path.
  if (!target.dir.includes("://")) mkdirSync(path.dirname(target.dir), { recursive: true });
  const pglite = new PGlite(target.dir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    client,
    target,
    connect: async () => pgliteConnection(pglite),
    pgPool: () => null,
    pglite: () => pglite,
    close: async () => {
      await client.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

// One database per process, shared through globalThis: Next.js bundles server code into several
// module graphs (instrumentation, routes), and two PGlite instances on one folder would corrupt it.
const slot = globalThis as unknown as { __installCodePortalDb?: Database };

/** The process's database, opened on first use (never at import time: `next build` imports routes). */
export function database(): Database {
  slot.__installCodePortalDb ??= openDatabase(targetFromEnv());
  return slot.__installCodePortalDb;
}

export function db(): PrismaClient {
  return database().client;
}

/** Makes `db()` answer with this database (tests, scripts that open their own). */
export function setDatabase(database: Database): void {
  slot.__installCodePortalDb = database;
}

export async function closeDatabase(): Promise<void> {
  const current = slot.__installCodePortalDb;
  slot.__installCodePortalDb = undefined;
  await current?.close();
}
