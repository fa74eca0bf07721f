import { readiness } from "@/lib/ops/health";
import { recordHttpRequest } from "@/lib/ops/metrics";

// Readiness: database reachable, migrations current, email dispatcher and scheduler alive
// (docs/decisions/026-health-and-metrics.md). 503 names the failing checks.
export async function GET(): Promise<Response> {
  const startedAt = process.hrtime.bigint();
  const result = await readiness();
  const status = result.ready ? 200 : 503;
  const response = Response.json({ status: result.ready ? "ready" : "not ready", checks: result.checks }, { status, headers: { "Cache-Control": "no-store" } });
  recordHttpRequest("GET", "/api/ready", status, startedAt);
  return response;
}
