import { NextResponse, type NextRequest } from "next/server";
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, databaseDownSince } from "@/lib/db/availability-state";
import { appUrlFrom } from "@/lib/http/app-url";
import { hostAllowed } from "@/lib/http/host-check";
import { newNonce, perRequestSecurityHeaders } from "@/lib/http/security-headers";

// Runs before every request (assets, /api/auth and 404s included). It refuses a Host that is not the
// portal's (DNS rebinding), sets the per-request security headers (next.config.ts sets the fixed
// ones), and tells pages which path was asked for, so a signed-out visitor is sent back to it after
// signing in. Authentication itself is checked in the pages (lib/auth/session.ts), never only here.
export function proxy(request: NextRequest) {
  const appUrl = appUrlFrom(process.env.APP_URL, process.env.PORT);
  const security = perRequestSecurityHeaders({ nonce: newNonce(), appUrl, development: process.env.NODE_ENV === "development" });

  if (!hostAllowed(request.headers.get("host"), appUrl)) {
    return new NextResponse("Misdirected request: this portal does not answer to that host name.\n", {
      status: 421,
      headers: { "Content-Type": "text/plain; charset=utf-8", ...security },
    });
  }

  // The database is out of reach (lib/db/availability.ts): answer at once with 503 and when to try
  // again, rather than let the page fail or wait. Probes, metrics and static files still answer.
  if (databaseDownSince() !== null && needsDatabase(request.nextUrl.pathname)) {
    return unavailable(request, security);
  }

  const headers = new Headers(request.headers);
  headers.set("x-portal-path", request.nextUrl.pathname + request.nextUrl.search);
  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  headers.set("content-security-policy", security["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

const WITHOUT_DATABASE = /^\/(?:_next\/|api\/health$|api\/ready$|api\/metrics$|favicon\.ico$|icon\.|robots\.txt$)/;

function needsDatabase(pathname: string): boolean {
  return !WITHOUT_DATABASE.test(pathname);
}

function unavailable(request: NextRequest, security: Record<string, string>): NextResponse {
  const headers = { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS), "Cache-Control": "no-store", ...security };
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE } }, { status: 503, headers });
  }
  const page = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service unavailable – Install Code Request portal</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#0b0c0c}main{max-width:40rem;margin:0 auto}h1{font-size:2rem;margin:0 0 1rem}p{font-size:1.1875rem;line-height:1.5}</style>
</head><body><main><h1>Sorry, the service is unavailable</h1>
<p>${DATABASE_UNAVAILABLE_MESSAGE}</p>
<p>This page will not reload by itself: reload it, or go back and send your form again, once the portal is back.</p>
</main></body></html>`;
  return new NextResponse(page, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });
}

export const config = {
  // Every path, so that the Host check and the headers cover static assets, /api/auth and 404s too.
  matcher: "/:path*",
};
