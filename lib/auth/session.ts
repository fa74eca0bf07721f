import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "../env";
import type { Actor } from "./actor";
import { safeCallbackPath } from "./callback-path";
import { authOptions } from "./options";

/** The signed-in actor, or null. */
export async function currentActor(): Promise<Actor | null> {
  const session = (await getServerSession(authOptions())) as { actor?: Actor } | null;
  return session?.actor ?? null;
}

/** Header set by proxy.ts so that a page can send a signed-out visitor back where they were going. */
export const REQUEST_PATH_HEADER = "x-portal-path";

/** The signed-in actor; a signed-out visitor goes to /sign-in and comes back here afterwards. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (actor) return actor;
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? "/";
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(safeCallbackPath(path, env().appUrl))}`);
}
