import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { isAppError } from "../errors";
import { parseDeviceId, type DeviceId } from "../inventory/device-id";
import { formatReference, parseReference } from "./reference";
import { findVisibleRequest, visibleRequests } from "./visibility";

// The header's search box (app/search): a request reference opens that request, a Device ID lists
// its requests, anything else is told what can be searched. Through the one visibility rule: a
// request the actor may not see is answered exactly like one that does not exist.

/** Longer than any reference or Device ID however spelt: read no further. */
export const SEARCH_MAX_LENGTH = 100;

export const SEARCH_HINT = "a request reference like RIC0000042, or a Device ID like 00-DB-12-34-56-78-90-A0 (with or without hyphens, any case)";

export type SearchResult =
  /** Nothing was typed. */
  | { kind: "empty" }
  /** A request the actor may see: open it. */
  | { kind: "request"; reference: string }
  /** A Device ID, and how many of its requests the actor may see (the list shows them). */
  | { kind: "device"; deviceId: DeviceId; requests: number }
  /** A reference, but no request the actor may see has it (absent or not visible: never told apart). */
  | { kind: "no-request"; reference: string }
  /** Neither a reference nor a Device ID; `shown` is what was typed, safe to quote back. */
  | { kind: "unrecognised"; shown: string };

/** What a person typed, quoted back: no control characters, not too long. */
function shownBack(text: string): string {
  const clean = text.replace(/\p{C}/gu, "?").trim();
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/**
 * What a search for `input` (a query-string value: a string, several, or none) finds for `actor`.
 * Never throws for anything a person can type.
 */
export async function searchRequests(actor: Actor, input: unknown): Promise<SearchResult> {
  const first = Array.isArray(input) ? input.find((v) => typeof v === "string") : input;
  const text = typeof first === "string" ? first.trim() : "";
  if (text === "") return { kind: "empty" };
  if (text.length > SEARCH_MAX_LENGTH) return { kind: "unrecognised", shown: shownBack(text) };

  const number = parseReference(text);
  if (number !== null) {
    const reference = formatReference(number);
    try {
      await findVisibleRequest(db(), actor, reference, { number: true });
      return { kind: "request", reference };
    } catch (error) {
      if (isAppError(error) && error.code === "NOT_FOUND") return { kind: "no-request", reference };
      throw error;
    }
  }

  const deviceId = parseDeviceId(text);
  if (deviceId) {
    const requests = await db().installCodeRequest.count({ where: { AND: [{ deviceId }, visibleRequests(actor)] } });
    return { kind: "device", deviceId, requests };
  }
  return { kind: "unrecognised", shown: shownBack(text) };
}

/**
 * The reference of a request the actor may see, or null (absent, not visible, or not a reference):
 * for a page title, which must not name a request the page then says is not found. Logs nothing: the
 * page's own look-up logs a refusal.
 */
export async function visibleReference(actor: Actor, reference: string): Promise<string | null> {
  const number = parseReference(reference);
  if (number === null) return null;
  const request = await db().installCodeRequest.findFirst({ where: { AND: [{ number }, visibleRequests(actor)] }, select: { number: true } });
  return request ? formatReference(request.number) : null;
}
