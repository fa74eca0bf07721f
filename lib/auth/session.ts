import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { env } from "../env";
import type { Actor } from "./actor";
import { safeCallbackPath } from "./callback-path";
import { clientAddressFrom } from "./client-address";
import { loadSession, sessionCookieName } from "./sessions";

/** The signed-in actor, or null. Once per request, however many components ask. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const token = (await cookies()).get(sessionCookieName())?.value;
  if (!token) return null;
  const session = await loadSession(token);
  if (!session) return null;
  return { ...session.actor, clientAddress: await requestClientAddress() };
});

/** The client's address of the request being served (for the audit log and rate limits). */
export async function requestClientAddress(): Promise<string | null> {
  return clientAddressFrom((await headers()).get("x-forwarded-for"), env().trustedProxyHops);
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
