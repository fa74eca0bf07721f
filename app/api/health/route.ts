import { recordHttpRequest } from "@/lib/ops/metrics";

// Liveness: the process answers. It touches nothing else, so a slow database never restarts it.
export function GET(): Response {
  const startedAt = process.hrtime.bigint();
  const response = Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  recordHttpRequest("GET", "/api/health", 200, startedAt);
  return response;
}
