import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { listRequests } from "@/lib/requests/list-requests";
import { raiseRequest } from "@/lib/requests/raise-request";
import { searchRequests, visibleReference } from "@/lib/requests/find";
import { closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseFresh } from "./support";

// The header's search (app/search, lib/requests/find.ts): a reference opens the request, a Device ID
// lists its requests, and a request the searcher may not see is answered exactly like one that does
// not exist.

describe(`searching by reference or Device ID (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  /** Alice's request, assigned to Southfield (Bob); Erin (Eastgate) is no party to it. */
  let reference: string;
  let deviceId: string;
  /** Erin's request for the same Device. */
  let erinsReference: string;

  beforeAll(async () => {
    ({ alice, bob, erin, dana } = await openSeededDatabase());
    ({ reference, deviceId } = await raiseFresh(alice, "SFP"));
    const erins = await raiseRequest(erin, { deviceId });
    erinsReference = erins.reference;
  });
  afterAll(closeSeededDatabase);

  describe("a reference", () => {
    it("opens the request for the raiser, the assignee and the helpdesk, however it is typed", async () => {
      for (const who of [alice, bob, dana]) {
        for (const typed of [reference, reference.toLowerCase(), `  ${reference}  `]) {
          expect(await searchRequests(who, typed), `${who.email} typing "${typed}"`).toEqual({ kind: "request", reference });
        }
      }
    });

    it("is not found for a Supplier that is no party to it, in the same words as a reference that does not exist", async () => {
      const notVisible = await searchRequests(erin, reference);
      expect(notVisible).toEqual({ kind: "no-request", reference });
      const absent = await searchRequests(erin, "RIC9999999");
      expect(absent).toEqual({ kind: "no-request", reference: "RIC9999999" });
      // Nothing tells the two apart but the reference typed.
      expect(Object.keys(notVisible).sort()).toEqual(Object.keys(absent).sort());
      // Erin's own request for the same Device is hers to open.
      expect(await searchRequests(erin, erinsReference)).toEqual({ kind: "request", reference: erinsReference });
    });

    it("names the request in a page title only for those who may see it", async () => {
      expect(await visibleReference(alice, reference.toLowerCase())).toBe(reference);
      expect(await visibleReference(dana, reference)).toBe(reference);
      expect(await visibleReference(erin, reference)).toBeNull();
      expect(await visibleReference(alice, "RIC9999999")).toBeNull();
      expect(await visibleReference(alice, "not-a-reference")).toBeNull();
    });
  });

  describe("a Device ID", () => {
    const spellings = (id: string) => {
      const hex = id.replace(/-/g, "");
      return [id, hex, hex.toLowerCase(), id.toLowerCase(), id.replace(/-/g, " "), id.replace(/-/g, ":"), ` ${hex.slice(0, 8)} ${hex.slice(8)} `];
    };

    it("is recognised in every common spelling, and counts only the requests the searcher may see", async () => {
      const expected = new Map<Actor, number>([
        [alice, 1], // her own
        [erin, 1], // hers
        [bob, 2], // both are assigned to Southfield
        [dana, 2], // the helpdesk sees every request
      ]);
      for (const [who, requests] of expected) {
        for (const typed of spellings(deviceId)) {
          expect(await searchRequests(who, typed), `${who.email} typing "${typed}"`).toEqual({ kind: "device", deviceId, requests });
        }
      }
    });

    it("leads to the request list filtered by that Device, which shows the same requests", async () => {
      const listed = async (who: Actor) => (await listRequests(who, { q: deviceId.replace(/-/g, "").toLowerCase() })).requests.map((r) => r.reference).sort();
      expect(await listed(alice)).toEqual([reference]);
      expect(await listed(erin)).toEqual([erinsReference]);
      expect(await listed(dana)).toEqual([reference, erinsReference].sort());
    });

    it("of a Device with no request the searcher may see is answered with none", async () => {
      const { deviceId: other } = await raiseFresh(bob, "EGP");
      expect(await searchRequests(alice, other)).toEqual({ kind: "device", deviceId: other, requests: 0 });
      expect(await searchRequests(alice, "00-DB-12-34-56-78-90-FF")).toEqual({ kind: "device", deviceId: "00-DB-12-34-56-78-90-FF", requests: 0 });
    });
  });

  describe("anything else", () => {
    it("is empty when nothing was typed", async () => {
      for (const input of [undefined, "", "   ", [], [""], 42, null, { q: reference }]) {
        expect(await searchRequests(alice, input), JSON.stringify(input)).toEqual({ kind: "empty" });
      }
    });

    it("reads the first of several values, as a query string can carry", async () => {
      expect(await searchRequests(alice, [reference, "nonsense"])).toEqual({ kind: "request", reference });
    });

    it("is neither a reference nor a Device ID: said so, quoting back what was typed, printable and short, never an error", async () => {
      const cases: [unknown, string][] = [
        ["meter at 12 High Street", "meter at 12 High Street"],
        ["RIC12", "RIC12"],
        ["RIC0000000", "RIC0000000"],
        ["00-DB-12-34", "00-DB-12-34"],
        ["00-DB-12-34-56-78-90-A1-FF", "00-DB-12-34-56-78-90-A1-FF"],
        ["<script>alert(1)</script>", "<script>alert(1)</script>"],
        ["' OR 1=1 --", "' OR 1=1 --"],
        ["RIC\u00000000042", "RIC?0000042"],
        ["bell\u0007\u001b[31m", "bell??[31m"],
        ["x".repeat(80), `${"x".repeat(40)}…`],
        ["y".repeat(10_000), `${"y".repeat(40)}…`],
      ];
      for (const [input, shown] of cases) {
        expect(await searchRequests(alice, input), String(input).slice(0, 30)).toEqual({ kind: "unrecognised", shown });
      }
    });
  });
});
