import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";

/** The Actor of a seeded user, as a signed-in session would give it. */
export async function actorFor(email: string): Promise<Actor> {
  const user = await db().user.findUniqueOrThrow({ where: { email }, include: { organisation: true } });
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisationId: user.organisationId,
    organisationCode: user.organisation.code,
    organisationName: user.organisation.name,
  };
}

/** The four demo people: alice (NWE), bob (SFP), erin (EGP), dana (DCC helpdesk). */
export async function demoActors() {
  return {
    alice: await actorFor("alice@northwind.example"),
    bob: await actorFor("bob@southfield.example"),
    erin: await actorFor("erin@eastgate.example"),
    dana: await actorFor("dana@dcc.example"),
  };
}
