import { uuidString } from "../db/text-and-ids";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit, setAuditActor } from "../audit/record";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import { transaction, type Tx } from "../db/transaction";
import { AppError, validate } from "../errors";
import { assertCanManage, roleLabel } from "./permissions";

// An organisation's people (issue 11): listed, made administrators or not, removed. A change of role
// or a removal ends the person's sessions at once (a database trigger), so a signed-in browser loses
// its access on its next request; an organisation always keeps at least one administrator. A removed
// person's requests, notes and events stay with the organisation. Every change is in the audit log.

export type Person = {
  id: string;
  email: string;
  name: string;
  administrator: boolean;
  role: string;
  createdAt: Date;
  removedAt: Date | null;
  /** Sessions open now. */
  sessions: number;
};

export type OpenInvitation = { id: string; email: string; name: string; administrator: boolean; createdAt: Date; expiresAt: Date };

export type PeopleOf = { organisationId: string; people: Person[]; removed: Person[]; invitations: OpenInvitation[] };

const uuid = uuidString;

/** The organisation's people (never its API keys' service accounts), removed ones apart, and its open invitations. */
export async function listPeople(actor: Actor, organisationId: string, options: { now?: Date } = {}): Promise<PeopleOf> {
  assertCanManage(actor, "people:list", organisationId);
  if (!uuid.safeParse(organisationId).success || !(await db().organisation.findUnique({ where: { id: organisationId }, select: { id: true } }))) {
    throw AppError.notFound("Not found");
  }
  const now = options.now ?? clockNow();
  const [users, invitations] = await Promise.all([
    db().user.findMany({
      where: { organisationId, serviceAccount: false },
      select: { id: true, email: true, name: true, role: true, administrator: true, createdAt: true, removedAt: true, _count: { select: { sessions: { where: { expires: { gt: now } } } } } },
      orderBy: [{ name: "asc" }, { email: "asc" }],
    }),
    db().invitation.findMany({
      where: { organisationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, email: true, name: true, administrator: true, createdAt: true, expiresAt: true },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  const people = users.map(({ _count, role, ...u }) => ({ ...u, role: roleLabel({ role, administrator: u.administrator }), sessions: _count.sessions }));
  return { organisationId, people: people.filter((p) => !p.removedAt), removed: people.filter((p) => p.removedAt), invitations };
}

export const changeRoleSchema = z.object({ userId: uuid, administrator: z.boolean() });
export const removePersonSchema = z.object({ userId: uuid });

/** The person `userId`, if the actor may manage them; "not found" otherwise (another organisation's, a service account). */
async function manageablePerson(tx: Tx, actor: Actor, userId: string, action: "people:change-role" | "people:remove" | "people:sign-out") {
  const person = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, administrator: true, organisationId: true, serviceAccount: true, removedAt: true } });
  if (!person || person.serviceAccount) throw AppError.notFound("No such person");
  try {
    assertCanManage(actor, action, person.organisationId);
  } catch {
    throw AppError.notFound("No such person");
  }
  if (person.removedAt) throw new AppError("CONFLICT", `${person.name} has already been removed`);
  return person;
}

/**
 * Refuses a change that would leave the organisation without an administrator. The organisation's
 * row is locked first, so two administrators removing each other at once cannot both succeed.
 */
async function keepAnAdministrator(tx: Tx, organisationId: string, leaving: string, message: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Organisation" WHERE id = ${organisationId}::uuid FOR UPDATE`;
  const others = await tx.user.count({ where: { organisationId, administrator: true, removedAt: null, serviceAccount: false, id: { not: leaving } } });
  if (others === 0) throw new AppError("CONFLICT", message);
}

/** Makes a person an administrator of their organisation, or no longer one. */
export async function changeRole(actor: Actor, input: { userId: string; administrator: boolean }): Promise<Person> {
  const { userId, administrator } = validate(changeRoleSchema, input);
  return transaction(async (tx) => {
    const person = await manageablePerson(tx, actor, userId, "people:change-role");
    if (person.administrator === administrator) throw new AppError("CONFLICT", `${person.name} is ${administrator ? "already" : "not"} an administrator`);
    if (!administrator) {
      await keepAnAdministrator(tx, person.organisationId, person.id, `${person.name} is the organisation's only administrator: make someone else an administrator first`);
    }
    await setAuditActor(tx, actor);
    const updated = await tx.user.update({
      where: { id: person.id },
      data: { administrator },
      select: { id: true, email: true, name: true, role: true, administrator: true, createdAt: true, removedAt: true },
    });
    return { ...updated, role: roleLabel(updated), sessions: 0 };
  });
}

/**
 * Removes a person from their organisation: their sessions end at once, they cannot sign in and are
 * not emailed; what they did stays with the organisation. Not the last administrator, not oneself
 * (an administrator who is leaving asks another to remove them).
 */
export async function removePerson(actor: Actor, input: { userId: string }, options: { now?: Date } = {}): Promise<void> {
  const { userId } = validate(removePersonSchema, input);
  await transaction(async (tx) => {
    const person = await manageablePerson(tx, actor, userId, "people:remove");
    if (person.id === actor.userId) throw new AppError("FORBIDDEN", "You cannot remove yourself: ask another administrator to remove you");
    if (person.administrator) {
      await keepAnAdministrator(tx, person.organisationId, person.id, `${person.name} is the organisation's only administrator: make someone else an administrator first`);
    }
    await setAuditActor(tx, actor);
    await tx.user.update({ where: { id: person.id }, data: { removedAt: options.now ?? clockNow() } });
    // Invitations they sent stay valid: they were the organisation's.
  });
}

/**
 * Ends every session of a person: oneself ("sign out everywhere" on the profile page), or one of
 * the people an administrator manages. The next request of each of their browsers is signed out.
 */
export async function signOutEverywhere(actor: Actor, input: { userId?: string } = {}): Promise<number> {
  const userId = input.userId ?? actor.userId;
  if (userId !== actor.userId && !uuid.safeParse(userId).success) throw AppError.notFound("No such person");
  return transaction(async (tx) => {
    if (userId !== actor.userId) await manageablePerson(tx, actor, userId, "people:sign-out");
    const { count } = await tx.session.deleteMany({ where: { userId } });
    const person = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    await recordAudit(tx, { type: "SESSIONS_REVOKED", actor, subject: person.email, detail: `${count} session${count === 1 ? "" : "s"} ended` });
    return count;
  });
}

export type OwnProfile = { name: string; email: string; role: string; organisationName: string; organisationCode: string; sessions: number };

/** The signed-in person as their profile page shows them, with the sessions they have open now. */
export async function ownProfile(actor: Actor, options: { now?: Date } = {}): Promise<OwnProfile> {
  const now = options.now ?? clockNow();
  const user = await db().user.findUnique({
    where: { id: actor.userId },
    select: { name: true, email: true, role: true, administrator: true, _count: { select: { sessions: { where: { expires: { gt: now } } } } } },
  });
  if (!user) throw AppError.notFound("Not found");
  return {
    name: user.name,
    email: user.email,
    role: roleLabel(user),
    organisationName: actor.organisationName,
    organisationCode: actor.organisationCode,
    sessions: user._count.sessions,
  };
}

export const updateOwnNameSchema = z.object({
  name: z
    .string({ error: "Enter your name" })
    .trim()
    .min(1, "Enter your name")
    .max(100, "Your name can be at most 100 characters")
    .refine((v) => !/[\u0000-\u001F\u007F]/.test(v), "Your name cannot contain control characters such as line breaks"),
});

/** Changes the signed-in person's own name (the User trigger records it in the audit log). */
export async function updateOwnName(actor: Actor, input: { name: string }): Promise<{ name: string }> {
  const { name } = validate(updateOwnNameSchema, input);
  return transaction(async (tx) => {
    await setAuditActor(tx, actor);
    const user = await tx.user.findUnique({ where: { id: actor.userId }, select: { removedAt: true } });
    if (!user || user.removedAt) throw AppError.notFound("Not found");
    return tx.user.update({ where: { id: actor.userId }, data: { name }, select: { name: true } });
  });
}
