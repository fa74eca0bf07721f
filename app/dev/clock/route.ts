import { clockOffset, now, setClockOffset } from "@/lib/clock";
import { env } from "@/lib/env";

// The e2e tests' clock (lib/clock.ts): GET says what time the portal thinks it is; POST {"at": ISO
// instant} moves it there, {"at": null} puts it back. Demo mode only (no DATABASE_URL): in a real
// deployment this answers 404 like any unknown address.

export const dynamic = "force-dynamic";

const notFound = () => new Response("Not found", { status: 404 });
const state = () => Response.json({ now: now().toISOString(), offsetMs: clockOffset() });

export async function GET() {
  if (!env().demoMode) return notFound();
  return state();
}

export async function POST(request: Request) {
  if (!env().demoMode) return notFound();
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: 'Send {"at": "2026-12-01T09:00:00Z"} or {"at": null}' }, { status: 400 });
  }
  const at = (body as { at?: unknown } | null)?.at;
  if (at === null) {
    setClockOffset(0);
    return state();
  }
  const target = typeof at === "string" ? new Date(at) : null;
  if (!target || Number.isNaN(target.getTime())) return Response.json({ error: '"at" must be an ISO 8601 instant or null' }, { status: 400 });
  setClockOffset(target.getTime() - Date.now());
  return state();
}
