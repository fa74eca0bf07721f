import NextAuth from "next-auth";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { env } from "../env";
import { logError } from "../log";
import { clientAddressFrom } from "./client-address";
import { authOptions } from "./options";
import { withRequestContext } from "./request-context";

// next-auth's route, with what next-auth cannot do itself: the client's address for its callbacks
// (the sign-in link limits and the audit log), and a record of sign-in links refused at the callback.

type Context = { params: Promise<{ nextauth: string[] }> };

export async function handleAuthRoute(request: Request, context: Context): Promise<Response> {
  const e = env();
  const clientAddress = clientAddressFrom(request.headers.get("x-forwarded-for"), e.trustedProxyHops);
  const response = await withRequestContext({ clientAddress }, () => NextAuth(authOptions())(request, context));

  // The segments as next-auth itself reads them (decoded), not the raw path.
  const [action, provider] = (await context.params).nextauth ?? [];
  if (action === "callback" && provider === "email") {
    // A refused link is sent on to /api/auth/error?error=… (and from there to /sign-in).
    const location = response.headers.get("location");
    const to = location ? new URL(location, e.appUrl) : null;
    const error = to && (to.pathname === "/api/auth/error" || to.pathname === "/sign-in") ? to.searchParams.get("error") : null;
    if (error) {
      // The address is whatever the caller put in the link: recordAudit keeps only printable text.
      await recordAudit(db(), {
        type: "SIGN_IN_REFUSED",
        clientAddress,
        subject: new URL(request.url).searchParams.get("email") ?? undefined,
        detail: error === "Verification" ? "the link had expired or was already used" : `next-auth error ${error.slice(0, 40)}`,
      }).catch((failure: unknown) => logError(failure, {}, "a refused sign-in could not be written to the audit log"));
    }
  }
  return response;
}
