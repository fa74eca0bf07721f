import { createHash } from "node:crypto";
import { db } from "../db/client";
import { env } from "../env";
import { isHttps } from "../http/app-url";
import { toActor, whyNoActor, type Actor } from "./actor";
import { logger } from "../log";

// Database sessions: an idle timeout (`expires`, moved on by activity at most once a minute) and an
// absolute lifetime from signing in. One query finds the session, the user and the organisation.

/**
 * The database keeps a SHA-256 of each session token, never the token: a copy of the database (a
 * backup, a read replica) holds no usable session. The cookie carries the token itself.
 */
export function hashSessionToken(sessionToken: string): string {
  return createHash("sha256").update(sessionToken).digest("hex");
}

/** Activity moves `expires` on at most this often: one write a minute per session, not per page. */
export const TOUCH_AFTER_MS = 60_000;

export type SessionPolicy = { idleMs: number; maxMs: number };

export function sessionPolicy(): SessionPolicy {
  const e = env();
  return { idleMs: e.sessionIdleMinutes * 60_000, maxMs: e.sessionMaxHours * 3_600_000 };
}

const sessionSelect = {
  id: true,
  userId: true,
  expires: true,
  createdAt: true,
  lastSeenAt: true,
  user: {
    select: {
      id: true,
      email: true,
      name: true,
      emailVerified: true,
      role: true,
      administrator: true,
      removedAt: true,
      organisationId: true,
      serviceAccount: true,
      organisation: { select: { code: true, name: true, kind: true, suspendedAt: true } },
    },
  },
} as const;

export type LoadedSession = {
  sessionToken: string;
  userId: string;
  expires: Date;
  actor: Actor;
  user: { id: string; email: string; name: string; emailVerified: Date | null };
};

/**
 * The live session with this token, or null. An expired session (idle or past its absolute
 * lifetime), or one whose user's role disagrees with its organisation, is deleted.
 */
export async function loadSession(sessionToken: string, now: Date = new Date(), policy: SessionPolicy = sessionPolicy()): Promise<LoadedSession | null> {
  if (!sessionToken || sessionToken.length > 200) return null;
  const row = await db().session.findUnique({ where: { sessionToken: hashSessionToken(sessionToken) }, select: sessionSelect });
  if (!row) return null;
  // An API key's service account never signs in: a session for one (forged into the table) is none.
  const actor = row.user.serviceAccount ? null : toActor(row.user);
  const ended = row.expires <= now || row.createdAt.getTime() + policy.maxMs <= now.getTime();
  if (ended || !actor) {
    if (!actor) {
      logger().warn(
        { userId: row.user.id, role: row.user.role, organisationKind: row.user.organisation?.kind ?? null, serviceAccount: row.user.serviceAccount },
        row.user.serviceAccount ? "session refused: an API key's service account never signs in" : `session refused: ${whyNoActor(row.user)}`,
      );
    }
    await db().session.deleteMany({ where: { id: row.id } });
    return null;
  }
  let expires = row.expires;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_AFTER_MS) {
    expires = new Date(Math.min(now.getTime() + policy.idleMs, row.createdAt.getTime() + policy.maxMs));
    await db().session.updateMany({ where: { id: row.id }, data: { expires, lastSeenAt: now } });
  }
  const { emailVerified, email, name, id } = row.user;
  return { sessionToken, userId: row.userId, expires, actor, user: { id, email, name, emailVerified } };
}

/** Sign-out: the session row is gone, so a copied cookie is worth nothing. Returns whose it was. */
export async function revokeSession(sessionToken: string): Promise<{ userId: string; expires: Date } | null> {
  const rows = await db().$queryRaw<{ userId: string; expires: Date }[]>`
    DELETE FROM "Session" WHERE "sessionToken" = ${hashSessionToken(sessionToken)} RETURNING "userId", expires`;
  return rows[0] ?? null;
}

/** Ends every session of a user (a change of role or organisation does this in the database too). */
export async function revokeUserSessions(userId: string): Promise<number> {
  return (await db().session.deleteMany({ where: { userId } })).count;
}

/** next-auth's session cookie: the __Secure- prefix when the portal is served over https. */
export function sessionCookieName(appUrl: string = env().appUrl): string {
  return `${isHttps(appUrl) ? "__Secure-" : ""}next-auth.session-token`;
}
