import { describe, expect, it } from "vitest";
import { ACTIONS, type Action } from "./permissions";
import {
  ALREADY_DECLINED_MESSAGE,
  CLOSED_MESSAGE,
  DECLINE_AFTER_ANSWER_MESSAGE,
  DECLINED_MESSAGE,
  NOT_DECLINED_MESSAGE,
  NOTHING_TO_CLOSE_MESSAGE,
  stateRefusal,
  WITHDRAW_AFTER_ANSWER_MESSAGE,
} from "./state";

// When each action is open, by the request's status (the pages offer it, the use cases accept it):
// "open", or the words the person who tried reads.
const OPEN = "open";
const EXPECTED: Record<"ASSIGNED" | "RESPONDED" | "DECLINED" | "CLOSED", Record<Action, string>> = {
  ASSIGNED: {
    "request:view": OPEN,
    "request:add-note": OPEN,
    "install-code:provide": OPEN,
    "install-code:reveal": OPEN,
    "request:close": NOTHING_TO_CLOSE_MESSAGE,
    "request:withdraw": OPEN,
    "request:reassign": OPEN,
    "request:decline": OPEN,
    "request:close-not-possible": NOT_DECLINED_MESSAGE,
  },
  RESPONDED: {
    "request:view": OPEN,
    "request:add-note": OPEN,
    "install-code:provide": OPEN, // replacing the code, with a reason
    "install-code:reveal": OPEN,
    "request:close": OPEN,
    "request:withdraw": WITHDRAW_AFTER_ANSWER_MESSAGE,
    "request:reassign": OPEN,
    "request:decline": DECLINE_AFTER_ANSWER_MESSAGE,
    "request:close-not-possible": NOT_DECLINED_MESSAGE,
  },
  DECLINED: {
    "request:view": OPEN,
    "request:add-note": OPEN,
    "install-code:provide": DECLINED_MESSAGE,
    "install-code:reveal": OPEN,
    "request:close": NOTHING_TO_CLOSE_MESSAGE,
    "request:withdraw": OPEN,
    "request:reassign": OPEN,
    "request:decline": ALREADY_DECLINED_MESSAGE,
    "request:close-not-possible": OPEN,
  },
  CLOSED: {
    "request:view": OPEN,
    "request:add-note": CLOSED_MESSAGE,
    "install-code:provide": CLOSED_MESSAGE,
    "install-code:reveal": OPEN, // while the code is kept (retention erases it)
    "request:close": CLOSED_MESSAGE,
    "request:withdraw": CLOSED_MESSAGE,
    "request:reassign": CLOSED_MESSAGE,
    "request:decline": CLOSED_MESSAGE,
    "request:close-not-possible": CLOSED_MESSAGE,
  },
};

describe("what a request's status leaves open", () => {
  for (const [status, byAction] of Object.entries(EXPECTED)) {
    it(`${status}: ${ACTIONS.filter((a) => byAction[a] === OPEN).join(", ")} open; the rest refused with a reason`, () => {
      const actual = Object.fromEntries(ACTIONS.map((a) => [a, stateRefusal(a, status as keyof typeof EXPECTED) ?? OPEN]));
      expect(actual).toEqual(byAction);
    });
  }
});
