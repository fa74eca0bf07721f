import { env } from "@/lib/env";
import { logError } from "@/lib/log";
import { hasMetricsToken, metrics, recordHttpRequest, refreshDatabaseGauges } from "@/lib/ops/metrics";

// Prometheus metrics, for a scraper holding METRICS_TOKEN (Authorization: Bearer). Without the
// token configured, or without the right one, the route does not exist: 404.
export async function GET(request: Request): Promise<Response> {
  const startedAt = process.hrtime.bigint();
  const token = env().metricsToken;
  if (!token || !hasMetricsToken(request, token)) {
    return new Response("Not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const { registry } = metrics();
  try {
    await refreshDatabaseGauges();
  } catch (error) {
    // The process's own numbers are still worth scraping; the database's are stale until it answers.
    logError(error, { route: "/api/metrics" }, "metrics: could not read the database's numbers");
    recordHttpRequest("GET", "/api/metrics", 503, startedAt);
    return new Response("The database did not answer: metrics unavailable\n", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Retry-After": "15" } });
  }
  recordHttpRequest("GET", "/api/metrics", 200, startedAt);
  return new Response(await registry.metrics(), { status: 200, headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
}
