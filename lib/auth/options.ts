import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { signInEmail } from "../../emails/sign-in";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { kickDispatcher } from "../notifications/dispatcher";
import { queueEmail } from "../notifications/outbox";
import { findUserByEmail, portalAdapter, type PortalAdapterUser } from "./adapter";

export const SIGN_IN_LINK_MINUTES = 15;

/**
 * Queues the magic link for a known user; an unknown address gets nothing. Not awaited by the
 * caller, so both answer in the same time (no account enumeration by timing).
 */
export async function queueSignInLink(email: string, url: string): Promise<boolean> {
  const user = await findUserByEmail(email);
  if (!user) return false;
  await transaction((tx) => queueEmail(tx, user.email, signInEmail({ url, minutesValid: SIGN_IN_LINK_MINUTES })));
  kickDispatcher();
  return true;
}

/**
 * The email links to a confirmation page, not to the one-time callback itself: mail scanners that
 * open every link (Microsoft Safe Links and the like) would otherwise use the token up before the
 * person clicks. The page's button then follows the callback.
 */
export function confirmationUrl(callbackUrl: string, appUrl: string): string {
  return `${appUrl}/sign-in/confirm?${new URL(callbackUrl).searchParams}`;
}

let options: NextAuthOptions | undefined;

/** Built on first use, so that `next build` (which imports routes) never reads the environment. */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  const e = env();
  // next-auth 4 builds magic links from NEXTAUTH_URL.
  process.env.NEXTAUTH_URL = e.appUrl;
  options = {
    secret: e.authSecret,
    adapter: portalAdapter(),
    session: { strategy: "database", maxAge: 8 * 60 * 60, updateAge: 15 * 60 },
    useSecureCookies: e.appUrl.startsWith("https://"),
    pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
    providers: [
      EmailProvider({
        maxAge: SIGN_IN_LINK_MINUTES * 60,
        from: e.mailFrom,
        sendVerificationRequest: async ({ identifier, url }) => {
          void queueSignInLink(identifier, confirmationUrl(url, e.appUrl)).catch((error: Error) =>
            console.error(`sign-in link could not be queued: ${error.message}`),
          );
        },
      }),
    ],
    callbacks: {
      // Asking for a link always "succeeds" (same page for every address); only a known user,
      // coming back with a valid link, is let in.
      async signIn({ user, email }) {
        if (email?.verificationRequest) return true;
        return "actor" in user;
      },
      async session({ session, user }) {
        return { ...session, actor: (user as PortalAdapterUser).actor };
      },
    },
  };
  return options;
}
