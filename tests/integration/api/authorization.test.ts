import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/keys";
import { addDevice, closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseFresh } from "../requests/support";
import { api, API_ROUTE_FILES } from "./client";
import type { Actor } from "@/lib/auth/actor";
import { lodgeInstallCode } from "@/lib/install-code/lodge";
import { declineRequest } from "@/lib/requests/decline-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";

// The trust issue's permission table, for every /api/v1 route: each kind of key against a request
// NWE raised and SFP is assigned (a fresh one for each case, so that no case depends on another).
// 404 for a Supplier that is no party, exactly as for a reference that does not exist.

const CALLERS = ["raiser (NWE)", "assignee (SFP)", "third Supplier (EGP)", "helpdesk (DCC)", "revoked key", "no key"] as const;
type Caller = (typeof CALLERS)[number];

type Case = {
  operation: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: (reference: string, deviceId: string) => string;
  body?: unknown;
  /** Before the call: SFP lodges the Device's code (for a withdrawal). */
  lodged?: boolean;
  /** Before the call: SFP declines the request (for closing it as not possible). */
  declined?: boolean;
  /** Before the call: SFP answers with the Install Code (for closing it). */
  answered?: boolean;
  expected: Record<Caller, number>;
};
const UNAUTHENTICATED = { "revoked key": 401, "no key": 401 } as const;

const CASES: Case[] = [
  { operation: "list requests", method: "GET", path: () => "/api/v1/install-code-requests", expected: { "raiser (NWE)": 200, "assignee (SFP)": 200, "third Supplier (EGP)": 200, "helpdesk (DCC)": 200, ...UNAUTHENTICATED } },
  // A fresh Device SFP pre-notified: SFP holds its code already (422, the page's message), the helpdesk does not raise.
  { operation: "raise", method: "POST", path: () => "/api/v1/install-code-requests", body: "device", expected: { "raiser (NWE)": 201, "assignee (SFP)": 422, "third Supplier (EGP)": 201, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  // Refused rows are answers too (200): SFP's raise of its own Device is refused in the row.
  { operation: "bulk raise", method: "POST", path: () => "/api/v1/install-code-requests/bulk", body: "bulk", expected: { "raiser (NWE)": 200, "assignee (SFP)": 200, "third Supplier (EGP)": 200, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  { operation: "get request", method: "GET", path: (r) => `/api/v1/install-code-requests/${r}`, expected: { "raiser (NWE)": 200, "assignee (SFP)": 200, "third Supplier (EGP)": 404, "helpdesk (DCC)": 200, ...UNAUTHENTICATED } },
  { operation: "add note", method: "POST", path: (r) => `/api/v1/install-code-requests/${r}/notes`, body: { body: "A note" }, expected: { "raiser (NWE)": 201, "assignee (SFP)": 201, "third Supplier (EGP)": 404, "helpdesk (DCC)": 201, ...UNAUTHENTICATED } },
  { operation: "provide code", method: "POST", path: (r) => `/api/v1/install-code-requests/${r}/install-code`, body: { installCode: "83FED3407A939723A5C639B26916D505" }, expected: { "raiser (NWE)": 403, "assignee (SFP)": 200, "third Supplier (EGP)": 404, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  { operation: "close", method: "POST", path: (r) => `/api/v1/install-code-requests/${r}/close`, answered: true, expected: { "raiser (NWE)": 200, "assignee (SFP)": 403, "third Supplier (EGP)": 404, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  { operation: "withdraw", method: "POST", path: (r) => `/api/v1/install-code-requests/${r}/withdraw`, body: { reason: "RAISED_IN_ERROR" }, expected: { "raiser (NWE)": 200, "assignee (SFP)": 403, "third Supplier (EGP)": 404, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  { operation: "reassign", method: "POST", path: (r) => `/api/v1/install-code-requests/${r}/reassign`, body: { organisation: "EGP", reason: "Eastgate installed it" }, expected: { "raiser (NWE)": 403, "assignee (SFP)": 403, "third Supplier (EGP)": 404, "helpdesk (DCC)": 200, ...UNAUTHENTICATED } },
  { operation: "decline", method: "POST", path: (r) => `/api/v1/install-code-requests/${r}/decline`, body: { reason: "NOT_PRE_NOTIFIED" }, expected: { "raiser (NWE)": 403, "assignee (SFP)": 200, "third Supplier (EGP)": 404, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  { operation: "close as not possible", method: "POST", path: (r) => `/api/v1/install-code-requests/${r}/close-not-possible`, body: { reason: "No Supplier holds its code" }, declined: true, expected: { "raiser (NWE)": 403, "assignee (SFP)": 403, "third Supplier (EGP)": 404, "helpdesk (DCC)": 200, ...UNAUTHENTICATED } },
  // The Device is SFP's: only SFP lodges or withdraws its code; anyone else's "no code of yours" is 404.
  { operation: "lodge code", method: "PUT", path: (_r, d) => `/api/v1/devices/${d}/install-code`, body: { installCode: "83FED3407A939723A5C639B26916D505" }, expected: { "raiser (NWE)": 422, "assignee (SFP)": 201, "third Supplier (EGP)": 422, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  { operation: "withdraw code", method: "DELETE", path: (_r, d) => `/api/v1/devices/${d}/install-code`, lodged: true, expected: { "raiser (NWE)": 404, "assignee (SFP)": 204, "third Supplier (EGP)": 404, "helpdesk (DCC)": 403, ...UNAUTHENTICATED } },
  { operation: "look up device", method: "GET", path: (_r, d) => `/api/v1/devices/${d}`, expected: { "raiser (NWE)": 200, "assignee (SFP)": 200, "third Supplier (EGP)": 200, "helpdesk (DCC)": 200, ...UNAUTHENTICATED } },
];

describe(`who may call each API route (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  const keys = {} as Record<Caller, string | null>;
  let raiser: Actor;
  let assignee: Actor;
  let notFound: unknown;
  beforeAll(async () => {
    const people = await openSeededDatabase();
    raiser = people.alice;
    assignee = people.bob;
    keys["raiser (NWE)"] = (await createApiKey({ organisationCode: "NWE", name: "n" })).key;
    keys["assignee (SFP)"] = (await createApiKey({ organisationCode: "SFP", name: "s" })).key;
    keys["third Supplier (EGP)"] = (await createApiKey({ organisationCode: "EGP", name: "e" })).key;
    keys["helpdesk (DCC)"] = (await createApiKey({ organisationCode: "DCC", name: "d" })).key;
    const revoked = await createApiKey({ organisationCode: "NWE", name: "r" });
    await revokeApiKey(revoked.summary.prefix);
    keys["revoked key"] = revoked.key;
    keys["no key"] = null;
    notFound = (await api("GET", "/api/v1/install-code-requests/RIC9999999", { key: keys["third Supplier (EGP)"] })).json;
  });
  afterAll(closeSeededDatabase);

  it("has a row for every documented API route and method", () => {
    const templates = new Set(Object.keys(API_ROUTE_FILES).filter((t) => t !== "/api/v1/openapi.json"));
    const covered = new Set(CASES.map((c) => c.path("{reference}", "{deviceId}").split("?")[0]));
    expect([...templates].filter((t) => !covered.has(t))).toEqual([]);
  });

  const table = CASES.flatMap((c) => CALLERS.map((caller) => [c.operation, caller, c.expected[caller], c] as const));
  it.each(table)("%s by %s: %i", async (_operation, caller, expected, c) => {
    const { reference, deviceId } = await raiseFresh(raiser, "SFP");
    const body = c.body === "device" ? { deviceId: await addDevice("SFP") } : c.body === "bulk" ? { rows: [{ deviceId: await addDevice("SFP") }] } : c.body;
    if (c.lodged) await lodgeInstallCode(assignee, { deviceId, installCode: "83FED3407A939723A5C639B26916D505" });
    if (c.declined) await declineRequest(assignee, { reference, reason: "NOT_PRE_NOTIFIED" });
    if (c.answered) await provideInstallCode(assignee, { reference, installCode: "83FED3407A939723A5C639B26916D505" });
    const answer = await api(c.method, c.path(reference, deviceId), { key: keys[caller], body });
    expect(answer.status, JSON.stringify(answer.json)).toBe(expected);
    // A request another organisation cannot see is exactly one that does not exist.
    if (expected === 404 && c.path("", "").startsWith("/api/v1/install-code-requests")) expect(answer.json).toEqual(notFound);
    if (expected >= 400) expect(answer.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});
