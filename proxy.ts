import { NextResponse, type NextRequest } from "next/server";
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

  const headers = new Headers(request.headers);
  headers.set("x-portal-path", request.nextUrl.pathname + request.nextUrl.search);
  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  headers.set("content-security-policy", security["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Every path, so that the Host check and the headers cover static assets, /api/auth and 404s too.
  matcher: "/:path*",
};
