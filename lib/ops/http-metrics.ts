import { subscribe } from "node:diagnostics_channel";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { recordHttpRequest } from "./metrics";

// Every HTTP answer the server gives — pages, sign-in, static files, the proxy's 421 and 503 — in
// portal_http_requests_total and its latency histogram, labelled by the route's pattern
// (/requests/[reference]), never by the path. Node's http module publishes each request's start
// and each response's end on diagnostics channels; the patterns come from the routes manifest
// `next build` writes. The API and the probes count themselves (lib/api/handler.ts, their routes)
// with the same labels, so they are left out here. Decision 026.

type Route = { page: string; regex: RegExp };
type Manifest = { staticRoutes?: { page: string; regex: string }[]; dynamicRoutes?: { page: string; regex: string }[] };

const SELF_COUNTED = /^\/api\/(?:v1(?:\/|$)|health$|ready$|metrics$)/;

/** The build's routes, static ones first (a static page wins over a dynamic one, as in Next). */
export function routeTable(manifest: Manifest): Route[] {
  return [...(manifest.staticRoutes ?? []), ...(manifest.dynamicRoutes ?? [])].map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
}

/** The label for a path: its route's pattern, "/_next/static" for build assets, "unmatched" otherwise (a 404). */
export function routeLabel(pathname: string, routes: Route[]): string {
  if (pathname.startsWith("/_next/")) return pathname.startsWith("/_next/static/") ? "/_next/static" : "/_next";
  return routes.find((route) => route.regex.test(pathname))?.page ?? "unmatched";
}

const slot = globalThis as unknown as { __installCodePortalHttpMetrics?: boolean };

/** Subscribes once per process (instrumentation.ts). No routes manifest (next dev): nothing is counted. */
export function startHttpMetrics(dir: string = process.cwd()): boolean {
  if (slot.__installCodePortalHttpMetrics) return true;
  const file = path.join(dir, ".next", "routes-manifest.json");
  if (!existsSync(file)) return false;
  const routes = routeTable(JSON.parse(readFileSync(file, "utf8")) as Manifest);
  const started = new WeakMap<IncomingMessage, bigint>();
  subscribe("http.server.request.start", (message) => {
    started.set((message as { request: IncomingMessage }).request, process.hrtime.bigint());
  });
  subscribe("http.server.response.finish", (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const pathname = (request.url ?? "/").split(/[?#]/, 1)[0] ?? "/";
    if (SELF_COUNTED.test(pathname)) return;
    recordHttpRequest(request.method ?? "GET", routeLabel(pathname, routes), response.statusCode, started.get(request) ?? process.hrtime.bigint());
  });
  slot.__installCodePortalHttpMetrics = true;
  return true;
}
