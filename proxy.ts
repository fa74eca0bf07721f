import { NextResponse, type NextRequest } from "next/server";

// Tells pages which path was asked for, so a signed-out visitor is sent back to it after signing in.
// Authentication itself is checked in the pages (lib/auth/session.ts), never only here.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-portal-path", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/auth).*)"],
};
