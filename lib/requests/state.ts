import type { RequestStatus } from "../db/generated/client";
import type { Action } from "./permissions";

// Which actions a request's status leaves open (the permission map, lib/requests/permissions.ts, says
// who; this says when), and why not in words for the person who tried. One rule for the pages, which
// offer only what is open (lib/requests/view-request.ts), and for the use cases, which refuse the rest
// on the locked row (lib/requests/mutate.ts requestForAction).

export const CLOSED_MESSAGE = "This request is closed: it can no longer be changed";
export const NOTHING_TO_CLOSE_MESSAGE =
  "No Install Code has been given for this request yet, so there is nothing to verify and close: withdraw the request instead if you no longer need it";
export const WITHDRAW_AFTER_ANSWER_MESSAGE = "An Install Code has been given for this request: verify it and close the request instead of withdrawing it";
export const ALREADY_DECLINED_MESSAGE = "Your organisation has already declined this request: the DCC Helpdesk will reassign it or close it as not possible";
export const DECLINE_AFTER_ANSWER_MESSAGE = "Your organisation has already provided the Install Code for this request: it cannot also decline it";
export const NOT_DECLINED_MESSAGE =
  "Only a request its assigned Supplier has declined can be closed as not possible: reassign it, or wait for the Supplier's answer";
export const DECLINED_MESSAGE =
  "Your organisation declined this request: it waits for the DCC Helpdesk. If you do hold the Install Code, add a note asking the helpdesk to reassign it";

/**
 * Why `action` is not open on a request in `status`; null when it is. A closed request can only be
 * read (and its codes revealed, while they are kept). Close once there is a code to verify, withdraw
 * before that (docs/decisions/035-safe-actions.md); decline only what is waiting for an answer, and
 * close as not possible only what was declined (docs/decisions/030-decline.md).
 */
export function stateRefusal(action: Action, status: RequestStatus): string | null {
  if (action === "request:view" || action === "install-code:reveal") return null;
  if (status === "CLOSED") return CLOSED_MESSAGE;
  switch (action) {
    case "request:close":
      return status === "RESPONDED" ? null : NOTHING_TO_CLOSE_MESSAGE;
    case "request:withdraw":
      return status === "RESPONDED" ? WITHDRAW_AFTER_ANSWER_MESSAGE : null;
    case "request:decline":
      return status === "ASSIGNED" ? null : status === "DECLINED" ? ALREADY_DECLINED_MESSAGE : DECLINE_AFTER_ANSWER_MESSAGE;
    case "request:close-not-possible":
      return status === "DECLINED" ? null : NOT_DECLINED_MESSAGE;
    case "install-code:provide":
      return status === "DECLINED" ? DECLINED_MESSAGE : null;
    case "request:add-note":
    case "request:reassign":
      return null;
  }
}
