import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { addNote } from "@/lib/requests/add-note";
import { closeRequestAsNotPossible } from "@/lib/requests/close-not-possible";
import { closeRequest, withdrawRequest } from "@/lib/requests/close-request";
import { declineRequest } from "@/lib/requests/decline-request";
import { ACTIONS, can, PERMISSIONS, RELATIONS, type Action } from "@/lib/requests/permissions";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { viewRequest } from "@/lib/requests/view-request";
import {
  closeSeededDatabase,
  counts,
  expectRefused,
  ON_POSTGRES,
  openSeededDatabase,
  raiseAndProvide,
  raiseFresh,
  requestRow,
  listAll,
} from "./support";

// Every relation to a request x every action, each allow and each deny written out by hand. The
// request in every cell is raised by Alice (Northwind Energy), assigned to Southfield Power, and
// already answered by Bob, so that a reveal has something to show; for "decline", not answered yet
// (a decline is instead of an answer), and for "withdraw" (a withdrawal is before any answer), and
// for "close as not possible", declined by Bob.

const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
const BARE_CODE = "83FED3407A939723A5C639B26916D505";
const NEW_CODE = "00112233445566778899AABBCCDDEEFF";
const NOT_FOUND_MESSAGE = "No request with that reference";

type Outcome = "allow" | "FORBIDDEN" | "NOT_FOUND";
const WHO = ["raiser (alice, NWE)", "raiser's colleague (amir, NWE)", "assignee (bob, SFP)", "third supplier (erin, EGP)", "helpdesk (dana, DCC)"] as const;
type Who = (typeof WHO)[number];
const DOING = ["view", "add note", "provide install code", "reveal install code", "close", "withdraw", "reassign", "decline", "close as not possible", "list"] as const;
type Doing = (typeof DOING)[number];

/** For "list", allow means the request is listed and NOT_FOUND that it is not. */
const EXPECTED: Record<Who, Record<Doing, Outcome>> = {
  "raiser (alice, NWE)": {
    view: "allow",
    "add note": "allow",
    "provide install code": "FORBIDDEN",
    "reveal install code": "allow",
    close: "allow",
    withdraw: "allow",
    reassign: "FORBIDDEN",
    decline: "FORBIDDEN",
    "close as not possible": "FORBIDDEN",
    list: "allow",
  },
  "raiser's colleague (amir, NWE)": {
    view: "allow",
    "add note": "allow",
    "provide install code": "FORBIDDEN",
    "reveal install code": "allow",
    close: "allow",
    withdraw: "allow",
    reassign: "FORBIDDEN",
    decline: "FORBIDDEN",
    "close as not possible": "FORBIDDEN",
    list: "allow",
  },
  "assignee (bob, SFP)": {
    view: "allow",
    "add note": "allow",
    "provide install code": "allow",
    "reveal install code": "allow",
    close: "FORBIDDEN",
    withdraw: "FORBIDDEN",
    reassign: "FORBIDDEN",
    decline: "allow",
    "close as not possible": "FORBIDDEN",
    list: "allow",
  },
  "third supplier (erin, EGP)": {
    view: "NOT_FOUND",
    "add note": "NOT_FOUND",
    "provide install code": "NOT_FOUND",
    "reveal install code": "NOT_FOUND",
    close: "NOT_FOUND",
    withdraw: "NOT_FOUND",
    reassign: "NOT_FOUND",
    decline: "NOT_FOUND",
    "close as not possible": "NOT_FOUND",
    list: "NOT_FOUND",
  },
  "helpdesk (dana, DCC)": {
    view: "allow",
    "add note": "allow",
    "provide install code": "FORBIDDEN",
    "reveal install code": "FORBIDDEN",
    close: "FORBIDDEN",
    withdraw: "FORBIDDEN",
    reassign: "allow",
    decline: "FORBIDDEN",
    "close as not possible": "allow",
    list: "allow",
  },
};

/**
 * The same table for the permission map itself, by relation. "assignee" is an assignee that did not
 * give the code in question; "provider" is the organisation that gave it (and is assigned).
 */
const EXPECTED_BY_RELATION: Record<Action, { raiser: boolean; assignee: boolean; provider: boolean; helpdesk: boolean }> = {
  "request:view": { raiser: true, assignee: true, provider: true, helpdesk: true },
  "request:add-note": { raiser: true, assignee: true, provider: true, helpdesk: true },
  "install-code:provide": { raiser: false, assignee: true, provider: true, helpdesk: false },
  "install-code:reveal": { raiser: true, assignee: false, provider: true, helpdesk: false },
  "request:close": { raiser: true, assignee: false, provider: false, helpdesk: false },
  "request:withdraw": { raiser: true, assignee: false, provider: false, helpdesk: false },
  "request:reassign": { raiser: false, assignee: false, provider: false, helpdesk: true },
  "request:decline": { raiser: false, assignee: true, provider: true, helpdesk: false },
  "request:close-not-possible": { raiser: false, assignee: false, provider: false, helpdesk: true },
};

describe(`the permission matrix (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let actors: Record<Who, Actor>;
  let alice: Actor, bob: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    const demo = await openSeededDatabase();
    ({ alice, bob } = demo);
    actors = {
      "raiser (alice, NWE)": demo.alice,
      "raiser's colleague (amir, NWE)": demo.amir,
      "assignee (bob, SFP)": demo.bob,
      "third supplier (erin, EGP)": demo.erin,
      "helpdesk (dana, DCC)": demo.dana,
    };
    orgs = Object.fromEntries((await db().organisation.findMany()).map((o) => [o.code, o.id]));
  });
  afterAll(closeSeededDatabase);

  /** Runs one action; resolves to a check of its effect when it is allowed. */
  const perform: Record<Doing, (actor: Actor, reference: string) => Promise<() => Promise<void>>> = {
    view: async (actor, reference) => {
      const view = await viewRequest(actor, reference);
      return async () => expect(view.reference).toBe(reference);
    },
    "add note": async (actor, reference) => {
      const { noteId } = await addNote(actor, { reference, body: `A note from ${actor.name}` });
      return async () => expect(await db().note.findUniqueOrThrow({ where: { id: noteId } })).toMatchObject({ authorId: actor.userId });
    },
    "provide install code": async (actor, reference) => {
      await provideInstallCode(actor, { reference, installCode: NEW_CODE, reason: "The first code was mistyped" });
      return async () => expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: NEW_CODE });
    },
    "reveal install code": async (actor, reference) => {
      const revealed = await revealInstallCode(actor, { reference });
      return async () => {
        expect(revealed).toEqual({ installCode: BARE_CODE });
        const { id } = await requestRow(reference);
        expect(await db().requestEvent.count({ where: { requestId: id, type: "INSTALL_CODE_REVEALED", actorId: actor.userId } })).toBe(1);
      };
    },
    close: async (actor, reference) => {
      await closeRequest(actor, { reference });
      return async () => expect((await requestRow(reference)).status).toBe("CLOSED");
    },
    withdraw: async (actor, reference) => {
      await withdrawRequest(actor, { reference, reason: "RAISED_IN_ERROR" });
      return async () => expect(await requestRow(reference)).toMatchObject({ status: "CLOSED", withdrawReason: "RAISED_IN_ERROR" });
    },
    reassign: async (actor, reference) => {
      await reassignRequest(actor, { reference, organisationCode: "EGP", reason: "Eastgate installed it" });
      return async () => expect((await requestRow(reference)).assignedOrganisationId).toBe(orgs.EGP);
    },
    decline: async (actor, reference) => {
      await declineRequest(actor, { reference, reason: "NOT_PRE_NOTIFIED" });
      return async () => expect(await requestRow(reference)).toMatchObject({ status: "DECLINED", declineReason: "NOT_PRE_NOTIFIED" });
    },
    "close as not possible": async (actor, reference) => {
      await closeRequestAsNotPossible(actor, { reference, reason: "No Supplier holds this Device's Install Code" });
      return async () => expect(await requestRow(reference)).toMatchObject({ status: "CLOSED", notPossibleReason: "No Supplier holds this Device's Install Code" });
    },
    list: async (actor, reference) => {
      const listed = (await listAll(actor)).some((r) => r.reference === reference);
      // A request missing from the list is the list's way of saying "not found".
      if (!listed) throw Object.assign(new Error("not listed"), { notListed: true });
      return async () => expect(listed).toBe(true);
    },
  };

  const cells = WHO.flatMap((who) => DOING.map((doing) => [who, doing, EXPECTED[who][doing]] as const));

  it("covers every relation and every action", () => {
    expect(cells).toHaveLength(WHO.length * DOING.length);
  });

  /** The request each action is tried on: as the comment at the top says. */
  async function subjectFor(doing: Doing): Promise<{ reference: string }> {
    if (doing === "decline" || doing === "withdraw") return raiseFresh(alice, "SFP");
    if (doing === "close as not possible") {
      const raised = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference: raised.reference, reason: "ALREADY_COMMISSIONED" });
      return raised;
    }
    return raiseAndProvide(alice, bob, LABEL_CODE);
  }

  it.each(cells)("%s: %s is %s", async (who, doing, outcome) => {
    const actor = actors[who];
    const { reference } = await subjectFor(doing);
    const rowBefore = await requestRow(reference);
    const before = await counts();

    if (outcome === "allow") {
      const check = await perform[doing](actor, reference);
      await check();
      return;
    }
    if (doing === "list") {
      expect(outcome).toBe("NOT_FOUND");
      await expect(perform.list(actor, reference)).rejects.toMatchObject({ notListed: true });
    } else {
      const error = await expectRefused(perform[doing](actor, reference), outcome);
      if (outcome === "NOT_FOUND") expect(error.message).toBe(NOT_FOUND_MESSAGE);
    }
    // A refusal changes nothing: no row, event, note or email, and the request is as it was.
    expect(await counts()).toEqual(before);
    expect(await requestRow(reference)).toEqual(rowBefore);
  });

  it("answers a third supplier exactly as for a reference that does not exist", async () => {
    const erin = actors["third supplier (erin, EGP)"];
    const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
    const unknown = "RIC9999999";
    for (const ref of [reference, unknown]) {
      await expectRefused(viewRequest(erin, ref), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(addNote(erin, { reference: ref, body: "hello" }), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(provideInstallCode(erin, { reference: ref, installCode: NEW_CODE }), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(revealInstallCode(erin, { reference: ref }), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(closeRequest(erin, { reference: ref }), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(withdrawRequest(erin, { reference: ref, reason: "NO_LONGER_NEEDED" }), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(reassignRequest(erin, { reference: ref, organisationCode: "NWE", reason: "x" }), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(declineRequest(erin, { reference: ref, reason: "NOT_PRE_NOTIFIED" }), "NOT_FOUND", NOT_FOUND_MESSAGE);
      await expectRefused(closeRequestAsNotPossible(erin, { reference: ref, reason: "x" }), "NOT_FOUND", NOT_FOUND_MESSAGE);
    }
  });

  it("shows each party the controls the matrix allows on an open, answered request", async () => {
    const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
    const byAction: Record<Action, Doing> = {
      "request:view": "view",
      "request:add-note": "add note",
      "install-code:provide": "provide install code",
      "install-code:reveal": "reveal install code",
      "request:close": "close",
      "request:withdraw": "withdraw",
      "request:reassign": "reassign",
      "request:decline": "decline",
      "request:close-not-possible": "close as not possible",
    };
    // An answered request can be neither declined nor closed as not possible, whoever asks
    // (tests/integration/requests/decline.test.ts shows those controls in their states).
    // nor withdrawn (it has a code: close it instead).
    const stateAllows = (action: Action) => action !== "request:decline" && action !== "request:close-not-possible" && action !== "request:withdraw";
    for (const who of WHO) {
      if (EXPECTED[who].view !== "allow") continue;
      const view = await viewRequest(actors[who], reference);
      const expected = Object.fromEntries(ACTIONS.map((action) => [action, EXPECTED[who][byAction[action]] === "allow" && stateAllows(action)]));
      expect({ who, allowed: view.allowed }).toEqual({ who, allowed: expected });
    }
  });

  it("never shows the helpdesk the Install Code, nor its length", async () => {
    const dana = actors["helpdesk (dana, DCC)"];
    const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
    const view = await viewRequest(dana, reference);
    expect(view.installCodes).toEqual([
      {
        id: expect.any(String),
        providedBy: "Southfield Power",
        providedAt: expect.any(Date),
        beforeReassignment: false,
        masked: "Provided (visible to the raising Supplier and the Supplier that gave it only)",
        canReveal: false,
        erasedAt: null,
      },
    ]);
    expect(view.installCodes[0]!.masked).not.toMatch(/\d/);
    const json = JSON.stringify(view).toUpperCase();
    expect(json).not.toContain(BARE_CODE);
    expect(json).not.toContain("HEXADECIMAL DIGITS");
    // The two Suppliers see a mask that gives the length, not the digits.
    for (const party of [alice, bob]) {
      const theirs = await viewRequest(party, reference);
      expect(theirs.installCodes).toEqual([expect.objectContaining({ canReveal: true, masked: expect.stringContaining("32 hexadecimal digits") })]);
      expect(JSON.stringify(theirs).toUpperCase()).not.toContain(BARE_CODE);
    }
  });

  describe("the permission map", () => {
    const parties = { raisingOrganisationId: "00000000-0000-4000-8000-00000000000a", assignedOrganisationId: "00000000-0000-4000-8000-00000000000b" };
    const actor = (role: Actor["role"], organisationId: string, organisationKind: Actor["organisationKind"] = role === "HELPDESK" ? "HELPDESK" : "SUPPLIER"): Actor => ({
      userId: "00000000-0000-4000-8000-000000000001",
      email: "someone@example.test",
      name: "Someone",
      role,
      organisationId,
      organisationCode: "X",
      organisationName: "X",
      organisationKind,
      administrator: false,
    });
    // A code given by the assigned organisation (the provider), and one given by a former assignee.
    const providersCode = { providedByOrganisationId: parties.assignedOrganisationId };
    const formerAssigneesCode = { providedByOrganisationId: "00000000-0000-4000-8000-00000000000e" };
    const byRelation = {
      raiser: actor("SUPPLIER_USER", parties.raisingOrganisationId),
      assignee: actor("SUPPLIER_USER", parties.assignedOrganisationId),
      helpdesk: actor("HELPDESK", "00000000-0000-4000-8000-00000000000d"),
    };
    const stranger = actor("SUPPLIER_USER", "00000000-0000-4000-8000-00000000000c");
    // A helpdesk role inside a Supplier organisation, and a Supplier role inside the helpdesk: neither.
    const mismatched = [
      actor("HELPDESK", parties.raisingOrganisationId, "SUPPLIER"),
      actor("HELPDESK", "00000000-0000-4000-8000-00000000000c", "SUPPLIER"),
      actor("SUPPLIER_USER", "00000000-0000-4000-8000-00000000000d", "HELPDESK"),
    ];

    it("has an entry for every action, naming only known relations", () => {
      expect(Object.keys(PERMISSIONS).sort()).toEqual([...ACTIONS].sort());
      expect(Object.keys(EXPECTED_BY_RELATION).sort()).toEqual([...ACTIONS].sort());
      for (const action of ACTIONS) {
        expect(Array.isArray(PERMISSIONS[action])).toBe(true);
        for (const relation of PERMISSIONS[action]) expect(RELATIONS).toContain(relation);
      }
    });

    it.each([...ACTIONS])("allows %s exactly to the relations the table names", (action) => {
      const code = action.startsWith("install-code:") ? formerAssigneesCode : undefined;
      expect({
        raiser: can(byRelation.raiser, action, parties, code),
        assignee: can(byRelation.assignee, action, parties, code),
        provider: can(byRelation.assignee, action, parties, action.startsWith("install-code:") ? providersCode : undefined),
        helpdesk: can(byRelation.helpdesk, action, parties, code),
      }).toEqual(EXPECTED_BY_RELATION[action]);
    });

    it("denies an actor with no relation every action, and everyone an action it does not know", () => {
      for (const action of ACTIONS) expect(can(stranger, action, parties)).toBe(false);
      for (const someone of [...Object.values(byRelation), stranger]) {
        expect(can(someone, "request:delete" as Action, parties)).toBe(false);
      }
    });

    it("gives a user whose role disagrees with its organisation's kind no relation and no action", () => {
      for (const someone of mismatched) {
        for (const action of ACTIONS) {
          expect({ someone: someone.organisationKind + "/" + someone.role, action, allowed: can(someone, action, parties, providersCode) }).toEqual({
            someone: someone.organisationKind + "/" + someone.role,
            action,
            allowed: false,
          });
        }
      }
    });
  });
});
