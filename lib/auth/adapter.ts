import type { Adapter, AdapterSession, AdapterUser, VerificationToken } from "next-auth/adapters";
import { db } from "../db/client";
import { toActor, whyNoActor, type Actor } from "./actor";
import { hashSessionToken, loadSession, revokeSession, sessionPolicy } from "./sessions";

// A small typed next-auth adapter over our Prisma client (@next-auth/prisma-adapter's types want a
// client from @prisma/client, which is empty when the client is generated into lib/db/generated).
// Users are created by the portal's administrators (the seed, for now), never by signing in.

/** `actor` is null when the user may not act (lib/auth/actor.ts toActor): such a user cannot sign in. */
export type PortalAdapterUser = AdapterUser & { actor: Actor | null; refusal: string | null };

const withOrganisation = { organisation: { select: { code: true, name: true, kind: true, suspendedAt: true } } } as const;

type UserRow = {
  id: string;
  email: string;
  name: string;
  emailVerified: Date | null;
  role: Actor["role"];
  administrator: boolean;
  removedAt: Date | null;
  organisationId: string;
  organisation: { code: string; name: string; kind: Actor["organisationKind"]; suspendedAt: Date | null };
};

function toAdapterUser(user: UserRow): PortalAdapterUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.emailVerified,
    actor: toActor(user),
    refusal: toActor(user) ? null : whyNoActor(user),
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * How next-auth reads the address typed on the sign-in form (its own rule: NFKC, one "@", a dot in
 * the domain, anything after a comma in the domain dropped), and more: no control characters and at
 * most 320 characters. Throwing makes next-auth answer "enter a valid address" instead of reaching
 * the database with it.
 */
export function normaliseSignInAddress(identifier: unknown): string {
  if (typeof identifier !== "string") throw new Error("Invalid email address format.");
  const trimmed = identifier.normalize("NFKC").trim();
  if (!isPlausibleEmail(trimmed) || trimmed.includes('"')) throw new Error("Invalid email address format.");
  const [local, rawDomain] = trimmed.toLowerCase().split("@") as [string, string];
  const domain = rawDomain.split(",")[0]!;
  if (!local || !domain.includes(".")) throw new Error("Invalid email address format.");
  return `${local}@${domain}`;
}

/** At most 320 characters, no control characters, one "@" with something either side. */
export function isPlausibleEmail(email: string): boolean {
  return email.length <= 320 && !/[\u0000-\u001F\u007F]/.test(email) && /^[^@\s]+@[^@\s]+$/.test(email.trim());
}

export async function findUserByEmail(email: string): Promise<PortalAdapterUser | null> {
  // No account has such an address; PostgreSQL would refuse a NUL in the query itself.
  if (!isPlausibleEmail(email)) return null;
  const user = await db().user.findUnique({ where: { email: normaliseEmail(email) }, include: withOrganisation });
  // An API key's service account has no mailbox and never signs in: as if it did not exist.
  return user && !user.serviceAccount ? toAdapterUser(user) : null;
}

export function portalAdapter(): Adapter {
  return {
    async createUser() {
      throw new Error("Accounts are not created by signing in");
    },
    async getUser(id: string) {
      const user = await db().user.findUnique({ where: { id }, include: withOrganisation });
      return user && !user.serviceAccount ? toAdapterUser(user) : null;
    },
    getUserByEmail: findUserByEmail,
    async getUserByAccount() {
      return null; // no OAuth accounts: email sign-in only
    },
    async updateUser(data: Partial<AdapterUser> & Pick<AdapterUser, "id">) {
      const user = await db().user.update({
        where: { id: data.id },
        data: { emailVerified: data.emailVerified ?? undefined },
        include: withOrganisation,
      });
      return toAdapterUser(user);
    },
    async linkAccount() {
      throw new Error("Linked accounts are not supported");
    },
    async createSession(session: { sessionToken: string; userId: string; expires: Date }): Promise<AdapterSession> {
      // next-auth's maxAge is the absolute lifetime (it sets the cookie's); the row starts with the
      // idle timeout, which activity moves on (lib/auth/sessions.ts).
      const now = new Date();
      const expires = new Date(Math.min(session.expires.getTime(), now.getTime() + sessionPolicy().idleMs));
      const row = await db().session.create({
        data: { sessionToken: hashSessionToken(session.sessionToken), userId: session.userId, expires, createdAt: now, lastSeenAt: now },
      });
      // next-auth sets the cookie's expiry from this: the absolute lifetime, not the idle one (no page
      // renews the cookie; activity renews the row).
      return { sessionToken: session.sessionToken, userId: row.userId, expires: session.expires };
    },
    async getSessionAndUser(sessionToken: string) {
      const loaded = await loadSession(sessionToken);
      if (!loaded) return null;
      return {
        session: { sessionToken: loaded.sessionToken, userId: loaded.userId, expires: loaded.expires },
        user: { ...loaded.user, actor: loaded.actor, refusal: null } satisfies PortalAdapterUser,
      };
    },
    async updateSession(session: Partial<AdapterSession> & Pick<AdapterSession, "sessionToken">) {
      // Expiry is ours to move (loadSession): never let next-auth push a session past its limits.
      const loaded = await loadSession(session.sessionToken);
      return loaded ? { sessionToken: loaded.sessionToken, userId: loaded.userId, expires: loaded.expires } : null;
    },
    async deleteSession(sessionToken: string) {
      // Returned so that next-auth's signOut event (the audit log) knows whose session ended.
      const ended = await revokeSession(sessionToken);
      return ended ? { sessionToken, ...ended } : null;
    },
    async createVerificationToken(token: VerificationToken) {
      await db().verificationToken.create({ data: token });
      return token;
    },
    async useVerificationToken(params: { identifier: string; token: string }) {
      // Delete-and-return in one statement: a link works once, even if clicked twice at once.
      const rows = await db().$queryRaw<VerificationToken[]>`
        DELETE FROM "VerificationToken" WHERE identifier = ${params.identifier} AND token = ${params.token}
        RETURNING identifier, token, expires`;
      return rows[0] ?? null;
    },
  };
}
