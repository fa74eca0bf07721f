import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { titleOr404 } from "@/components/page-not-found";
import type { Actor } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { visibleReference } from "@/lib/requests/find";
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

/**
 * The title of a request's page ("Request RIC0000042", or "<action> · RIC0000042"): "Page not found"
 * when the reader may not see the request, as the page itself then answers (never the reference).
 */
export async function requestTitle(reference: string, action?: string): Promise<Metadata> {
  const actor = await currentActor();
  const visible = actor ? await visibleReference(actor, reference) : null;
  return titleOr404(visible !== null, action ? `${action} · ${visible}` : `Request ${visible}`);
}
