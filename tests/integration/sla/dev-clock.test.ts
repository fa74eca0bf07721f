import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/dev/clock/route";
import type { Actor } from "@/lib/auth/actor";
import { now, setClockOffset } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { closeSeededDatabase, openSeededDatabase, raiseFresh, requestRow } from "../requests/support";

// POST /dev/clock moves the portal's clock (lib/clock.ts) for the e2e tests, and runs an obligation
// scan at the new time before answering. It exists in demo mode only: env() is parsed once per
// process, so a real deployment (DATABASE_URL set, demoMode false) is switched on here.
const deployment = vi.hoisted(() => ({ real: false }));
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return { ...real, env: () => (deployment.real ? { ...real.env(), demoMode: false, databaseUrl: "postgresql://db.example/portal" } : real.env()) };
});

const post = (body: string) => POST(new Request("http://portal.test/dev/clock", { method: "POST", headers: { "Content-Type": "application/json" }, body }));
const near = (a: Date, b: Date) => Math.abs(a.getTime() - b.getTime()) < 5_000;

describe("the e2e clock, /dev/clock", () => {
  let alice: Actor;

  beforeAll(async () => {
    ({ alice } = await openSeededDatabase());
  });
  afterEach(() => {
    deployment.real = false;
    setClockOffset(0);
  });
  afterAll(closeSeededDatabase);

  it("says what time the portal thinks it is", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(near(new Date(body.now), new Date())).toBe(true);
    expect(body.offsetMs).toBe(0);
  });

  it("moves the portal's clock to the instant posted, and back with null", async () => {
    const response = await post(JSON.stringify({ at: "2027-03-01T09:30:00+01:00" }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(near(new Date(body.now), new Date("2027-03-01T08:30:00Z"))).toBe(true);
    expect(near(now(), new Date("2027-03-01T08:30:00Z"))).toBe(true);
    expect(near(new Date((await (await GET()).json()).now), new Date("2027-03-01T08:30:00Z"))).toBe(true);

    const back = await post(JSON.stringify({ at: null }));
    expect(back.status).toBe(200);
    expect((await back.json()).offsetMs).toBe(0);
    expect(near(now(), new Date())).toBe(true);
  });

  it("sends the reminders and breach notices due at the new time before it answers", async () => {
    // Raised on Monday 2 November 2026: due by the end of Monday 9 November, reminded from Friday 6.
    const { reference } = await raiseFresh(alice, "SFP", { now: new Date("2026-11-02T10:00:00Z") });
    const { id } = await requestRow(reference);
    const subjects = async () => (await db().email.findMany({ where: { requestId: id }, select: { subject: true } })).map((e) => e.subject);

    const reminded = await post(JSON.stringify({ at: "2026-11-06T09:00:00Z" }));
    expect(reminded.status).toBe(200);
    expect((await reminded.json()).scan).toMatchObject({ reminders: 1, skipped: false });
    expect((await subjects()).filter((s) => s.includes("Install Code due by the end of Monday 9 November 2026"))).toHaveLength(2);

    const breached = await post(JSON.stringify({ at: "2026-11-10T09:00:00Z" }));
    expect((await breached.json()).scan).toMatchObject({ breaches: 1 });
    expect((await subjects()).filter((s) => s.includes("Install Code overdue"))).toHaveLength(5);
    expect(await db().requestEvent.count({ where: { requestId: id, type: "BREACHED" } })).toBe(1);
  });

  it.each([
    ["a body that is not JSON", "at=tomorrow", "The body is not JSON"],
    ["no instant", "{}", '"at" must be an ISO 8601 instant or null'],
    ["a date without a time", JSON.stringify({ at: "2026-12-01" }), '"at" must be an ISO 8601 instant or null'],
    ["a time without a zone", JSON.stringify({ at: "2026-12-01T09:00:00" }), '"at" must be an ISO 8601 instant or null'],
    ["a day that does not exist", JSON.stringify({ at: "2026-02-30T09:00:00Z" }), '"at" must be an ISO 8601 instant or null'],
    ["a number", JSON.stringify({ at: 1796000000000 }), '"at" must be an ISO 8601 instant or null'],
  ])("refuses %s with a 400 that shows the expected form, and leaves the clock alone", async (_what, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toContain(message);
    expect(error).toContain('{"at": "2026-12-01T09:00:00Z"}');
    expect(near(now(), new Date())).toBe(true);
  });

  it("does not exist in a real deployment: 404 to GET and POST, and the clock does not move", async () => {
    deployment.real = true;
    expect((await GET()).status).toBe(404);
    const response = await post(JSON.stringify({ at: "2030-01-01T00:00:00Z" }));
    expect(response.status).toBe(404);
    expect(near(now(), new Date())).toBe(true);
  });
});
