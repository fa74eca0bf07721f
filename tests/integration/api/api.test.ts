import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { addDevice, closeSeededDatabase, ON_POSTGRES, openSeededDatabase } from "../requests/support";
import { api } from "./client";

// The Service User API through its route handlers, called with real Requests against a real
// database: each endpoint's success and every error status the issue names.

const limits = vi.hoisted(() => ({ apiPerMinute: undefined as number | undefined }));
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return { ...real, env: () => (limits.apiPerMinute ? { ...real.env(), apiRequestsPerKeyPerMinute: limits.apiPerMinute } : real.env()) };
});

const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
const BARE_CODE = "83FED3407A939723A5C639B26916D505";

describe(`the Service User API (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  const keys: Record<"NWE" | "SFP" | "EGP" | "DCC", string> = { NWE: "", SFP: "", EGP: "", DCC: "" };
  beforeAll(async () => {
    await openSeededDatabase();
    for (const code of Object.keys(keys) as (keyof typeof keys)[]) keys[code] = (await createApiKey({ organisationCode: code, name: `${code} system` })).key;
  });
  afterAll(closeSeededDatabase);

  async function raise(deviceId: string, key = keys.NWE, extra: { note?: string; headers?: Record<string, string> } = {}) {
    return api("POST", "/api/v1/install-code-requests", { key, body: { deviceId, ...(extra.note ? { note: extra.note } : {}) }, headers: extra.headers });
  }

  describe("authentication", () => {
    it("answers 401 without a key, with a malformed, unknown or revoked key, and the same way for each", async () => {
      const { key, summary } = await createApiKey({ organisationCode: "NWE", name: "soon revoked" });
      expect((await api("GET", "/api/v1/install-code-requests", { key })).status).toBe(200);
      await revokeApiKey(summary.prefix);
      const answers = await Promise.all([
        api("GET", "/api/v1/install-code-requests"),
        api("GET", "/api/v1/install-code-requests", { key: "not-a-key" }),
        api("GET", "/api/v1/install-code-requests", { key: `icr_00000000_${"A".repeat(43)}` }),
        api("GET", "/api/v1/install-code-requests", { key }),
        api("GET", "/api/v1/install-code-requests", { headers: { authorization: `Basic ${Buffer.from(`x:${keys.NWE}`).toString("base64")}` } }),
      ]);
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.json.error.code).toBe("UNAUTHENTICATED");
        expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
      expect(answers[0]!.json.error.message).toBe("Send an API key: Authorization: Bearer <key>");
      expect(answers[3]!.json.error.message).toBe("The API key is not valid (unknown, mistyped or revoked)");
    });

    it("never lets a signed-in browser's cookie stand for a key", async () => {
      const answer = await api("GET", "/api/v1/install-code-requests", { headers: { cookie: "next-auth.session-token=whatever" } });
      expect(answer.status).toBe(401);
    });
  });

  describe("raising", () => {
    it("raises: 201 with the request, its parties and due time, and a Location", async () => {
      const deviceId = await addDevice("SFP");
      const answer = await raise(deviceId.toLowerCase().replace(/-/g, ""));
      expect(answer.status).toBe(201);
      expect(answer.json).toMatchObject({
        deviceId,
        status: "ASSIGNED",
        raisingOrganisation: { code: "NWE", name: "Northwind Energy" },
        assignedOrganisation: { code: "SFP" },
        respondedAt: null,
        closedAt: null,
        overdue: false,
      });
      expect(answer.json.reference).toMatch(/^RIC\d{7}$/);
      expect(new Date(answer.json.dueAt).getTime()).toBeGreaterThan(new Date(answer.json.raisedAt).getTime());
      expect(answer.headers.get("location")).toBe(`/api/v1/install-code-requests/${answer.json.reference}`);
      expect(answer.headers.get("cache-control")).toBe("no-store");
      // Raised by the key's service account, in its organisation's name.
      const row = await db().installCodeRequest.findFirstOrThrow({ where: { deviceId }, include: { raisedBy: true } });
      expect(row.raisedBy).toMatchObject({ serviceAccount: true, name: expect.stringMatching(/^NWE system \(API key icr_[0-9a-f]{8}\)$/) });
    });

    it("answers 409 naming the open request for a second raise, and changes nothing (not even a note)", async () => {
      const deviceId = await addDevice("SFP");
      const first = await raise(deviceId);
      const notesBefore = await db().note.count();
      const second = await raise(deviceId, keys.NWE, { note: "again" });
      expect(second.status).toBe(409);
      expect(second.json.error).toMatchObject({ code: "CONFLICT", reference: first.json.reference });
      expect(second.json.error.message).toContain(first.json.reference);
      expect(await db().note.count()).toBe(notesBefore);
      expect(await db().installCodeRequest.count({ where: { deviceId } })).toBe(1);
    });

    it("replays the first answer for a retry with the same Idempotency-Key, and refuses the key for another request", async () => {
      const deviceId = await addDevice("SFP");
      const headers = { "idempotency-key": `raise-${deviceId}` };
      const first = await raise(deviceId, keys.NWE, { headers });
      const retry = await raise(deviceId, keys.NWE, { headers });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.json).toEqual(first.json);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(await db().installCodeRequest.count({ where: { deviceId } })).toBe(1);
      // The same key with another body is a mistake in the client: refused, nothing raised.
      const other = await addDevice("SFP");
      const misuse = await raise(other, keys.NWE, { headers });
      expect(misuse.status).toBe(422);
      expect(misuse.json.error.fields["Idempotency-Key"]).toEqual(["Already used for a different request"]);
      expect(await db().installCodeRequest.count({ where: { deviceId: other } })).toBe(0);
      // Keys belong to an organisation: another's same key is its own.
      const egp = await raise(other, keys.EGP, { headers });
      expect(egp.status).toBe(201);
      // A key that is not a key.
      const bad = await raise(await addDevice("SFP"), keys.NWE, { headers: { "idempotency-key": "has spaces in it" } });
      expect(bad.status).toBe(422);
    });

    it("refuses bad input with 400, 413, 415 or 422 and a message per field, raising nothing", async () => {
      const before = await db().installCodeRequest.count();
      const malformed = await api("POST", "/api/v1/install-code-requests", { key: keys.NWE, rawBody: '{"deviceId": ', headers: { "content-type": "application/json" } });
      expect(malformed.status).toBe(400);
      expect(malformed.json.error).toEqual({ code: "MALFORMED_JSON", message: "The body is not valid JSON" });
      const invalid = await raise("00-DB-12");
      expect(invalid.status).toBe(422);
      expect(invalid.json.error.fields.deviceId).toEqual(["Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0"]);
      const missing = await api("POST", "/api/v1/install-code-requests", { key: keys.NWE, body: {} });
      expect(missing.status).toBe(422);
      expect(missing.json.error.fields.deviceId).toEqual(["Enter a Device ID"]);
      const notObject = await api("POST", "/api/v1/install-code-requests", { key: keys.NWE, body: ["00-DB-12-34-56-78-90-A0"] });
      expect(notObject.status).toBe(422);
      expect(notObject.json.error.fields.body[0]).toMatch(/^Send a JSON object/);
      const wrongType = await api("POST", "/api/v1/install-code-requests", { key: keys.NWE, rawBody: "deviceId=00DB", headers: { "content-type": "application/x-www-form-urlencoded" } });
      expect(wrongType.status).toBe(415);
      const tooBig = await api("POST", "/api/v1/install-code-requests", { key: keys.NWE, body: { deviceId: "00-DB-12-34-56-78-90-A0", note: "n".repeat(70_000) } });
      expect(tooBig.status).toBe(413);
      // Streamed without a Content-Length: read only up to the limit, then refused the same way.
      const { POST } = await import("@/app/api/v1/install-code-requests/route");
      let pulled = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new TextEncoder().encode(" ".repeat(16_384)));
        },
      });
      const streamed = await POST(
        new Request("http://127.0.0.1:3000/api/v1/install-code-requests", { method: "POST", body: endless, headers: { authorization: `Bearer ${keys.NWE}`, "content-type": "application/json" }, duplex: "half" } as RequestInit),
        { params: Promise.resolve({}) },
      );
      expect(streamed.status).toBe(413);
      expect(pulled).toBeLessThan(10);
      const secret = await raise(await addDevice("SFP"), keys.NWE, { note: `the code is ${LABEL_CODE}` });
      expect(secret.status).toBe(422);
      expect(Object.keys(secret.json.error.fields)).toEqual(["note"]);
      const unknown = await raise("00-DB-FF-FF-FF-FF-FF-F0");
      expect(unknown.status).toBe(422);
      expect(unknown.json.error.fields.deviceId).toEqual(["No Device 00-DB-FF-FF-FF-FF-FF-F0 in the Smart Metering Inventory"]);
      expect(await db().installCodeRequest.count()).toBe(before);
    });

    it("answers 403 to the helpdesk, which does not raise", async () => {
      const answer = await raise(await addDevice("SFP"), keys.DCC);
      expect(answer.status).toBe(403);
      expect(answer.json.error).toEqual({ code: "FORBIDDEN", message: "Only Supplier users can raise a Request for Install Code" });
    });
  });

  describe("the lifecycle, each party with its own key", () => {
    it("raise, note, answer, read the code, close: and what each other party sees", async () => {
      const deviceId = await addDevice("SFP");
      const { reference } = (await raise(deviceId)).json;
      const path = `/api/v1/install-code-requests/${reference}`;

      // Another Supplier's key: the same 404 as a reference that does not exist.
      const stranger = await api("GET", path, { key: keys.EGP });
      const nowhere = await api("GET", "/api/v1/install-code-requests/RIC9999999", { key: keys.EGP });
      expect(stranger.status).toBe(404);
      expect(stranger.json).toEqual(nowhere.json);
      for (const action of ["notes", "install-code", "close", "reassign"]) {
        const answer = await api("POST", `${path}/${action}`, { key: keys.EGP, body: { body: "x", installCode: BARE_CODE, organisation: "EGP", reason: "x" } });
        expect(answer.status, action).toBe(404);
        expect(answer.json, action).toEqual(nowhere.json);
      }

      const note = await api("POST", `${path}/notes`, { key: keys.SFP, body: { body: "Looking for it" } });
      expect(note.status).toBe(201);
      expect(note.json).toMatchObject({ reference, noteId: expect.any(String) });

      // Visible, but not theirs to do: 403 with who may.
      const raiserProvides = await api("POST", `${path}/install-code`, { key: keys.NWE, body: { installCode: BARE_CODE } });
      expect(raiserProvides.status).toBe(403);
      expect(raiserProvides.json.error.message).toBe("Only the organisation this request is assigned to can provide the Install Code");
      expect((await api("POST", `${path}/close`, { key: keys.SFP })).status).toBe(403);
      expect((await api("POST", `${path}/reassign`, { key: keys.NWE, body: { organisation: "EGP", reason: "x" } })).status).toBe(403);

      const badCrc = await api("POST", `${path}/install-code`, { key: keys.SFP, body: { installCode: "83FED3407A939723A5C639B26916D505C3B6" } });
      expect(badCrc.status).toBe(422);
      expect(badCrc.json.error.fields.installCode).toEqual(["Install Code CRC does not match: check the label"]);

      const answered = await api("POST", `${path}/install-code`, { key: keys.SFP, body: { installCode: LABEL_CODE } });
      expect(answered.status).toBe(200);
      expect(answered.json).toMatchObject({ reference, status: "RESPONDED" });
      expect(JSON.stringify(answered.json)).not.toContain(BARE_CODE);

      // The helpdesk sees the request and that a code exists, never the code; no reveal is recorded.
      const helpdesk = await api("GET", path, { key: keys.DCC });
      expect(helpdesk.status).toBe(200);
      expect(helpdesk.json.installCode).toBeNull();
      expect(JSON.stringify(helpdesk.json)).not.toContain(BARE_CODE);
      expect(helpdesk.json.installCodes).toEqual([{ providedBy: "Southfield Power", providedAt: expect.any(String), visibleToYou: false }]);

      // The raiser reads it without its CRC: a reveal, on the timeline and in the audit log.
      const read = await api("GET", path, { key: keys.NWE });
      expect(read.status).toBe(200);
      expect(read.json.installCode).toBe(BARE_CODE);
      expect(read.json.notes).toEqual([{ at: expect.any(String), author: expect.stringContaining("SFP system"), organisation: "Southfield Power", body: "Looking for it" }]);
      expect(read.json.allowedActions).toEqual(["request:view", "request:add-note", "install-code:reveal", "request:close"]);
      const row = await db().installCodeRequest.findFirstOrThrow({ where: { deviceId }, select: { id: true } });
      const reveals = await db().requestEvent.findMany({ where: { requestId: row.id, type: "INSTALL_CODE_REVEALED" }, include: { actor: true } });
      expect(reveals.map((e) => e.actor?.name)).toEqual([expect.stringContaining("NWE system")]);
      expect(await db().auditEvent.count({ where: { type: "INSTALL_CODE_REVEALED", requestReference: reference } })).toBe(1);

      const closed = await api("POST", `${path}/close`, { key: keys.NWE });
      expect(closed.status).toBe(200);
      expect(closed.json).toMatchObject({ status: "CLOSED", closedAt: expect.any(String) });
      const again = await api("POST", `${path}/close`, { key: keys.NWE });
      expect(again.status).toBe(409);
      expect(again.json.error.message).toBe("This request is closed: it can no longer be changed");
      expect((await api("POST", `${path}/notes`, { key: keys.NWE, body: { body: "after" } })).status).toBe(409);
    });

    it("lets the helpdesk reassign, naming the field the API's way", async () => {
      const { reference } = (await raise(await addDevice("SFP"))).json;
      const path = `/api/v1/install-code-requests/${reference}/reassign`;
      const unknown = await api("POST", path, { key: keys.DCC, body: { organisation: "Nobody Energy", reason: "Wrong Supplier" } });
      expect(unknown.status).toBe(422);
      expect(Object.keys(unknown.json.error.fields)).toEqual(["organisation"]);
      const noReason = await api("POST", path, { key: keys.DCC, body: { organisation: "EGP" } });
      expect(noReason.status).toBe(422);
      expect(noReason.json.error.fields.reason).toBeDefined();
      const moved = await api("POST", path, { key: keys.DCC, body: { organisation: "egp", reason: "Eastgate installed it" } });
      expect(moved.status).toBe(200);
      expect(moved.json.assignedOrganisation).toEqual({ code: "EGP", name: "Eastgate Gas & Power" });
      // The new assignee sees it now; the previous one no longer does.
      expect((await api("GET", `/api/v1/install-code-requests/${reference}`, { key: keys.EGP })).status).toBe(200);
      expect((await api("GET", `/api/v1/install-code-requests/${reference}`, { key: keys.SFP })).status).toBe(404);
    });
  });

  describe("bulk raise", () => {
    it("answers every row of a CSV or JSON call as a single raise would, and refuses a file it cannot read", async () => {
      const [a, b] = [await addDevice("SFP"), await addDevice("EGP")];
      const open = (await raise(b)).json.reference;
      const csv = `device_id,note\n${a},Moved in\n${b},\n00-DB-12-34-56-78-90-C1,\nnot-an-id,\n${a.toLowerCase()},\n`;
      const answer = await api("POST", "/api/v1/install-code-requests/bulk", { key: keys.NWE, rawBody: csv, headers: { "content-type": "text/csv" } });
      expect(answer.status).toBe(200);
      expect(answer.json.counts).toEqual({ raised: 1, alreadyOpen: 2, refused: 2 });
      const raisedRef = answer.json.rows[0].reference;
      expect(answer.json.rows.map((r: Record<string, unknown>) => [r.row, r.outcome, r.reference, r.repeatOf])).toEqual([
        [1, "raised", raisedRef, null],
        [2, "already open", open, null],
        [3, "refused", null, null],
        [4, "refused", null, null],
        [5, "already open", raisedRef, 1],
      ]);
      expect(answer.json.rows[2].reason).toBe("Device 00-DB-12-34-56-78-90-C1 is commissioned: an Install Code can only be requested for a Device that is not yet commissioned");
      expect(answer.json.rows[3].reason).toBe("Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0");

      const c = await addDevice("SFP");
      const json = await api("POST", "/api/v1/install-code-requests/bulk", { key: keys.EGP, body: { rows: [{ deviceId: c }, { deviceId: a, note: "Also us" }] } });
      expect(json.status).toBe(200);
      expect(json.json.rows.map((r: { outcome: string }) => r.outcome)).toEqual(["raised", "raised"]);

      const unreadable = await api("POST", "/api/v1/install-code-requests/bulk", { key: keys.NWE, rawBody: "serial\n123\n", headers: { "content-type": "text/csv" } });
      expect(unreadable.status).toBe(422);
      expect(unreadable.json.error.fields.file[0]).toMatch(/header device_id/);
      const noRows = await api("POST", "/api/v1/install-code-requests/bulk", { key: keys.NWE, body: { rows: [] } });
      expect(noRows.status).toBe(422);
      expect(noRows.json.error.fields.rows).toEqual(["There are no rows: give one row per Device"]);
      expect((await api("POST", "/api/v1/install-code-requests/bulk", { key: keys.DCC, body: { rows: [{ deviceId: c }] } })).status).toBe(403);
    });
  });

  describe("Install Codes lodged in advance", () => {
    it("a code SFP's system lodged answers NWE's raise in the same second, and only NWE reads it", async () => {
      const deviceId = await addDevice("SFP");
      const path = `/api/v1/devices/${deviceId}/install-code`;
      const refused = await api("PUT", path, { key: keys.SFP, body: { installCode: "83FED3407A939723A5C639B26916D505C3B6" } });
      expect(refused.status).toBe(422);
      expect(refused.json.error.fields.installCode).toEqual(["Install Code CRC does not match: check the label"]);
      const lodged = await api("PUT", path, { key: keys.SFP, body: { installCode: "00112233445566778899AABBCCDDEEFF" } });
      expect(lodged.status).toBe(201);
      expect(lodged.json).toMatchObject({ deviceId, outcome: "lodged" });
      expect(JSON.stringify(lodged.json)).not.toMatch(/0011|EEFF/);
      const replaced = await api("PUT", path, { key: keys.SFP, body: { installCode: LABEL_CODE } });
      expect(replaced.status).toBe(200);
      expect(replaced.json.outcome).toBe("replaced");
      // Before any request, nobody else learns of it: the Device look-up says nothing of a lodged code.
      expect(JSON.stringify((await api("GET", `/api/v1/devices/${deviceId}`, { key: keys.NWE })).json)).not.toMatch(/lodged|83FED/i);

      const raised = await raise(deviceId);
      expect(raised.status).toBe(201);
      expect(raised.json.status).toBe("RESPONDED");
      expect(raised.json.respondedAt).toBe(raised.json.raisedAt);
      const read = await api("GET", `/api/v1/install-code-requests/${raised.json.reference}`, { key: keys.NWE });
      expect(read.json.installCode).toBe(BARE_CODE);
      expect(read.json.timeline.find((e: { type: string }) => e.type === "INSTALL_CODE_PROVIDED").detail).toMatch(/lodged/i);
      // EGP raising later for the same Device gets it answered too; the helpdesk never sees a digit.
      const egp = await raise(deviceId, keys.EGP);
      expect(egp.json.status).toBe("RESPONDED");
      const helpdesk = await api("GET", `/api/v1/install-code-requests/${raised.json.reference}`, { key: keys.DCC });
      expect(helpdesk.json.installCode).toBeNull();

      expect((await api("DELETE", path, { key: keys.EGP })).status).toBe(404);
      const withdrawn = await api("DELETE", path, { key: keys.SFP });
      expect(withdrawn.status).toBe(204);
      expect(withdrawn.json).toBeNull();
      expect((await api("DELETE", path, { key: keys.SFP })).status).toBe(404);
      // Withdrawn: a new request for the Device waits for an answer as usual.
      expect((await api("POST", `/api/v1/install-code-requests/${raised.json.reference}/close`, { key: keys.NWE })).status).toBe(200);
      const later = await raise(deviceId);
      expect(later.status).toBe(201);
      expect(later.json.status).toBe("ASSIGNED");
    });
  });

  describe("the list", () => {
    it("pages with a cursor, filters, and refuses bad filters with 422", async () => {
      const raised: string[] = [];
      for (let i = 0; i < 3; i++) raised.push((await raise(await addDevice("EGP"), keys.SFP)).json.reference);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof api>> = await api("GET", `/api/v1/install-code-requests?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key: keys.SFP });
        expect(page.status).toBe(200);
        expect(page.json.requests.length).toBeLessThanOrEqual(2);
        seen.push(...page.json.requests.map((r: { reference: string }) => r.reference));
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const reference of raised) expect(seen).toContain(reference);
      // EGP is assigned them: assignedToMe shows them to it, and not SFP's own raises elsewhere.
      const assigned = await api("GET", "/api/v1/install-code-requests?assignedToMe=true&limit=100", { key: keys.EGP });
      expect(assigned.json.requests.every((r: { assignedOrganisation: { code: string } }) => r.assignedOrganisation.code === "EGP")).toBe(true);
      const byDevice = (await db().installCodeRequest.findFirstOrThrow({ where: { number: Number(raised[0]!.slice(3)) } })).deviceId;
      const found = await api("GET", `/api/v1/install-code-requests?deviceId=${byDevice.replace(/-/g, "").toLowerCase()}`, { key: keys.SFP });
      expect(found.json.requests.map((r: { reference: string }) => r.reference)).toEqual([raised[0]]);
      // Another Supplier's list never shows them.
      const other = await api("GET", `/api/v1/install-code-requests?deviceId=${byDevice}`, { key: keys.NWE });
      expect(other.json.requests).toEqual([]);

      for (const [query, field] of [
        ["status=OPEN", "status"],
        ["limit=0", "limit"],
        ["limit=many", "limit"],
        ["cursor=not-a-cursor", "cursor"],
        ["deviceId=12", "deviceId"],
        ["overdue=yes", "overdue"],
      ] as const) {
        const answer = await api("GET", `/api/v1/install-code-requests?${query}`, { key: keys.SFP });
        expect(answer.status, query).toBe(422);
        expect(Object.keys(answer.json.error.fields), query).toEqual([field]);
      }
      const helpdeskAssigned = await api("GET", "/api/v1/install-code-requests?assignedToMe=true", { key: keys.DCC });
      expect(helpdeskAssigned.status).toBe(422);
      expect(helpdeskAssigned.json.error.fields.assignedToMe).toBeDefined();
    });

    it("lists a queue, in an order, with a cursor that keeps it; refuses a queue that is not the caller's", async () => {
      for (let i = 0; i < 3; i++) await raise(await addDevice("EGP"), keys.SFP);
      type Summary = { reference: string; status: string; dueAt: string; assignedOrganisation: { code: string } };
      const seen: Summary[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof api>> = await api("GET", `/api/v1/install-code-requests?queue=needs-response&sort=due-desc&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key: keys.EGP });
        expect(page.status).toBe(200);
        seen.push(...page.json.requests);
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(new Set(seen.map((r) => r.reference)).size).toBe(seen.length);
      expect(seen.every((r) => r.status === "ASSIGNED" && r.assignedOrganisation.code === "EGP")).toBe(true);
      const due = seen.map((r) => Date.parse(r.dueAt));
      expect(due).toEqual([...due].sort((a, b) => b - a));

      for (const [query, key, field] of [
        ["queue=breached", keys.EGP, "queue"],
        ["queue=needs-response", keys.DCC, "queue"],
        ["sort=newest", keys.EGP, "sort"],
      ] as const) {
        const answer = await api("GET", `/api/v1/install-code-requests?${query}`, { key });
        expect(answer.status, query).toBe(422);
        expect(Object.keys(answer.json.error.fields), query).toEqual([field]);
      }
    });
  });

  describe("devices", () => {
    it("answers the SMI's facts and whether this organisation can raise now, in the page's words", async () => {
      const deviceId = await addDevice("SFP");
      const fresh = await api("GET", `/api/v1/devices/${deviceId}`, { key: keys.NWE });
      expect(fresh.status).toBe(200);
      expect(fresh.json).toMatchObject({ deviceId, deviceType: "ESME", status: "InstalledNotCommissioned", installingSupplier: { code: "SFP" }, raise: { possible: true, reason: null, openRequest: null } });
      const { reference } = (await raise(deviceId)).json;
      const open = await api("GET", `/api/v1/devices/${deviceId}`, { key: keys.NWE });
      expect(open.json.raise).toEqual({ possible: false, reason: `Your organisation already has an open request for this Device: ${reference}`, openRequest: reference });
      const own = await api("GET", `/api/v1/devices/${deviceId}`, { key: keys.SFP });
      expect(own.json.raise).toEqual({ possible: false, reason: "Your organisation pre-notified this Device, so it already holds the Install Code", openRequest: null });
      const commissioned = await addDevice("SFP", { status: "Commissioned" });
      const late = await api("GET", `/api/v1/devices/${commissioned}`, { key: keys.NWE });
      expect(late.json.raise.reason).toBe(`Device ${commissioned} is commissioned: an Install Code can only be requested for a Device that is not yet commissioned`);
      const helpdesk = await api("GET", `/api/v1/devices/${deviceId}`, { key: keys.DCC });
      expect(helpdesk.json.raise.reason).toBe("Only Supplier users can raise a Request for Install Code");
      expect((await api("GET", "/api/v1/devices/00-DB-FF-FF-FF-FF-FF-F1", { key: keys.NWE })).status).toBe(404);
      const malformed = await api("GET", "/api/v1/devices/00-DB", { key: keys.NWE });
      expect(malformed.status).toBe(422);
      expect(malformed.json.error.fields.deviceId).toBeDefined();
    });
  });

  describe("limits", () => {
    it("answers 429 with Retry-After once a key has made its calls for the minute; other keys go on", async () => {
      limits.apiPerMinute = 3;
      try {
        const { key } = await createApiKey({ organisationCode: "EGP", name: "busy loop" });
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await api("GET", "/api/v1/install-code-requests", { key }));
        expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
        expect(answers[3]!.status).toBe(429);
        expect(answers[3]!.json.error.code).toBe("RATE_LIMITED");
        expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
        // Another key of the same organisation has its own allowance.
        const other = (await createApiKey({ organisationCode: "EGP", name: "quiet job" })).key;
        expect((await api("GET", "/api/v1/install-code-requests", { key: other })).status).toBe(200);
      } finally {
        limits.apiPerMinute = undefined;
      }
    });
  });
});
