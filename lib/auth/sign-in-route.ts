import NextAuth from "next-auth";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { env } from "../env";
import { clientAddressFrom } from "./client-address";
import { authOptions } from "./options";
import { withRequestContext } from "./request-context";
import { signInLinkAllowed } from "./sign-in-limits";

// next-auth's route, with what next-auth cannot do itself: the client's address for the audit log,
// the sign-in link limits (checked before next-auth makes a token), and a record of refused links.

type Context = { params: Promise<{ nextauth: string[] }> };

const CHECK_EMAIL = "/sign-in/check-email?provider=email&type=email";

export async function handleAuthRoute(request: Request, context: Context): Promise<Response> {
  const e = env();
  const clientAddress = clientAddressFrom(request.headers.get("x-forwarded-for"), e.trustedProxyHops);
  const path = new URL(request.url).pathname;

  if (request.method === "POST" && path.endsWith("/signin/email")) {
    const form = await request.clone().formData().catch(() => null);
    const email = typeof form?.get("email") === "string" ? String(form.get("email")) : "";
    if (email) {
      const limit = await signInLinkAllowed(email, clientAddress);
      if (!limit.allowed) {
        await recordAudit(db(), {
          type: "SIGN_IN_LINK_REFUSED",
          clientAddress,
          subject: email.slice(0, 320),
          detail: limit.which === "address" ? "too many links asked for this address" : "too many links asked from this client address",
        });
        // The same answer as a link sent: nothing tells the asker (or a prober) it was refused.
        const url = `${e.appUrl}${CHECK_EMAIL}`;
        return form?.get("json") === "true" ? Response.json({ url }) : Response.redirect(url, 302);
      }
    }
  }

  const response = await withRequestContext({ clientAddress }, () => NextAuth(authOptions())(request, context));

  if (path.endsWith("/callback/email")) {
    const location = response.headers.get("location") ?? "";
    const error = location.includes("/sign-in?") ? new URL(location, e.appUrl).searchParams.get("error") : null;
    if (error) {
      const email = new URL(request.url).searchParams.get("email") ?? undefined;
      await recordAudit(db(), {
        type: "SIGN_IN_REFUSED",
        clientAddress,
        subject: email?.slice(0, 320),
        detail: error === "Verification" ? "the link had expired or was already used" : `next-auth error ${error.slice(0, 40)}`,
      });
    }
  }
  return response;
}
