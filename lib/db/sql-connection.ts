import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** One plain SQL connection: what the migrator needs (multi-statement scripts, a session lock). */
export type SqlConnection = {
  exec(script: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  release(): Promise<void>;
};

export function pgliteConnection(pglite: PGlite): SqlConnection {
  return {
    exec: async (script) => {
      await pglite.exec(script);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
    release: async () => {},
  };
}

export async function postgresConnection(url: string): Promise<SqlConnection> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  return {
    exec: async (script) => {
      await client.query(script);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    release: () => client.end(),
  };
}
