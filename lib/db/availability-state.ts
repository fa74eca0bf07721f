// Whether this process believes its database is unreachable, and since when. Kept on globalThis
// with nothing imported, so that proxy.ts can read it without pulling the database client into its
// bundle, and so that every module graph Next.js builds (proxy, routes, instrumentation) sees one
// state. lib/db/availability.ts sets it; docs/decisions/029-database-outages.md.

type State = { downSince: number | null };
const slot = globalThis as unknown as { __installCodePortalDbAvailability?: State };

function state(): State {
  slot.__installCodePortalDbAvailability ??= { downSince: null };
  return slot.__installCodePortalDbAvailability;
}

/** When the database was last found unreachable, or null while it answers. */
export function databaseDownSince(): number | null {
  return state().downSince;
}

export function setDatabaseDown(at: number): void {
  state().downSince ??= at;
}

export function setDatabaseUp(): void {
  state().downSince = null;
}

/** What a client is told to wait before trying again while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE_MESSAGE =
  "The portal cannot reach its database at the moment, so nothing was saved or changed. Try again in a minute.";
