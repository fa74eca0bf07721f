import { toActor, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";

/** The Actor of a seeded user, as a signed-in session would give it. */
export async function actorFor(email: string): Promise<Actor> {
  const user = await db().user.findUniqueOrThrow({ where: { email }, include: { organisation: true } });
  const actor = toActor(user);
  if (!actor) throw new Error(`${email}: role and organisation disagree`);
  return actor;
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
