import { notFound } from "next/navigation";
import type { Actor } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { viewRequest, type RequestView } from "@/lib/requests/view-request";

/**
 * The request a page is about, through the one visibility rule: a request the reader may not see is
 * the 404 page, as one that does not exist (the same answer, so nothing leaks).
 */
export async function loadRequest(reference: string): Promise<{ actor: Actor; request: RequestView }> {
  const actor = await requireActor();
  try {
    return { actor, request: await viewRequest(actor, reference) };
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
