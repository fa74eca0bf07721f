import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeLabel, routeTable, startHttpMetrics } from "@/lib/ops/http-metrics";
import { metrics } from "@/lib/ops/metrics";

// Pages and everything else the server answers are counted by route pattern (lib/ops/http-metrics.ts),
// from a real HTTP server's requests; the API counts itself and is left out here.

const MANIFEST = {
  staticRoutes: [
    { page: "/", regex: "^/(?:/)?$" },
    { page: "/requests/new", regex: "^/requests/new(?:/)?$" },
  ],
  dynamicRoutes: [
    { page: "/requests/[reference]", regex: "^/requests/([^/]+?)(?:/)?$" },
    { page: "/api/auth/[...nextauth]", regex: "^/api/auth/(.+?)(?:/)?$" },
  ],
};

describe("HTTP metrics for pages", () => {
  const routes = routeTable(MANIFEST);
  let server: Server;
  let base = "";
  const dir = mkdtempSync(path.join(tmpdir(), "icr-http-metrics-"));

  beforeAll(async () => {
    mkdirSync(path.join(dir, ".next"));
    writeFileSync(path.join(dir, ".next", "routes-manifest.json"), JSON.stringify(MANIFEST));
    expect(startHttpMetrics(dir)).toBe(true);
    server = createServer((request, response) => {
      response.statusCode = request.url === "/nowhere" ? 404 : request.url?.startsWith("/requests/RIC") ? 200 : 503;
      response.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("labels a path by its route's pattern, never by a reference or a token", () => {
    expect(routeLabel("/requests/RIC0000042", routes)).toBe("/requests/[reference]");
    expect(routeLabel("/requests/new", routes)).toBe("/requests/new");
    expect(routeLabel("/api/auth/callback/email", routes)).toBe("/api/auth/[...nextauth]");
    expect(routeLabel("/_next/static/chunks/abc123.js", routes)).toBe("/_next/static");
    expect(routeLabel("/wp-admin/install.php", routes)).toBe("unmatched");
  });

  it("counts each answer with its status and latency; API calls are left to the API's own count", async () => {
    for (const p of ["/requests/RIC0000001", "/requests/RIC0000002?tab=notes", "/nowhere", "/requests/new", "/api/v1/install-code-requests"]) {
      await (await fetch(`${base}${p}`)).text();
    }
    const text = await metrics().registry.metrics();
    expect(text).toContain('portal_http_requests_total{method="GET",route="/requests/[reference]",status="200"} 2');
    expect(text).toContain('portal_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('portal_http_requests_total{method="GET",route="/requests/new",status="503"} 1');
    expect(text).toMatch(/portal_http_request_duration_seconds_count\{method="GET",route="\/requests\/\[reference\]",status="200"\} 2/);
    expect(text).not.toContain("RIC0000001");
    expect(text).not.toContain('route="/api/v1');
  });
});
