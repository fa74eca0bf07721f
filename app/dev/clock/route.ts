import { z } from "zod";
import { clockOffset, now, setClockOffset } from "@/lib/clock";
import { env } from "@/lib/env";
import { logError } from "@/lib/log";
import { runSlaScan, type ScanResult } from "@/lib/sla/scheduler";

// The e2e tests' clock (lib/clock.ts): GET says what time the portal thinks it is; POST {"at": ISO
// instant} moves it there, {"at": null} puts it back. Demo mode only (no DATABASE_URL): in a real
// deployment this answers 404 like any unknown address. After moving the clock, POST runs one
// obligation scan (reminders, breaches) at the new time before it answers, so a test sees their
// emails and BREACHED events at once instead of waiting for the next minute's scheduled scan.

export const dynamic = "force-dynamic";

const USAGE = 'Send {"at": "2026-12-01T09:00:00Z"} (an ISO 8601 instant with Z or an offset) or {"at": null}';
const body = z.object({ at: z.union([z.null(), z.iso.datetime({ offset: true })]) });

const notFound = () => new Response("Not found", { status: 404 });
const state = (scan?: ScanResult) => Response.json({ now: now().toISOString(), offsetMs: clockOffset(), ...(scan ? { scan } : {}) });

export async function GET() {
  if (!env().demoMode) return notFound();
  return state();
}

export async function POST(request: Request) {
  if (!env().demoMode) return notFound();
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return Response.json({ error: `The body is not JSON. ${USAGE}` }, { status: 400 });
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) return Response.json({ error: `"at" must be an ISO 8601 instant or null. ${USAGE}` }, { status: 400 });
  const { at } = parsed.data;
  setClockOffset(at === null ? 0 : new Date(at).getTime() - Date.now());
  try {
    return state(await runSlaScan(now()));
  } catch (error) {
    logError(error, { job: "obligation-scan" }, "obligation scan after moving the clock failed");
    return Response.json({ now: now().toISOString(), offsetMs: clockOffset(), error: "The clock moved, but the obligation scan failed: see the server log" }, { status: 503 });
  }
}
