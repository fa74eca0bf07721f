import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { signInEmail } from "../../emails/sign-in";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { isHttps } from "../http/app-url";
import { kickDispatcher } from "../notifications/dispatcher";
import { queueEmail } from "../notifications/outbox";
import { findUserByEmail, normaliseSignInAddress, portalAdapter, type PortalAdapterUser } from "./adapter";
import { contextClientAddress } from "./request-context";
import { signInLinkAllowed } from "./sign-in-limits";
import { TOUCH_AFTER_MS } from "./sessions";
import { logError, logger } from "../log";

export const SIGN_IN_LINK_MINUTES = 15;

/**
 * Queues the magic link for a known user; an unknown address (or a user whose role disagrees with
 * its organisation) gets nothing. Not awaited by the caller, so both answer in the same time (no
 * account enumeration by timing).
 */
export async function queueSignInLink(email: string, url: string, clientAddress: string | null = null): Promise<boolean> {
  const user = await findUserByEmail(email);
  if (!user?.actor) {
    if (user) logger().warn({ userId: user.id, reason: user.refusal }, `sign-in link refused: ${user.refusal}`);
    await recordAudit(db(), {
      type: "SIGN_IN_LINK_REFUSED",
      clientAddress,
      subject: email,
      detail: user ? (user.refusal ?? undefined) : "no account with this address",
    });
    return false;
  }
  const { actor } = user;
  await transaction(async (tx) => {
    await queueEmail(tx, { to: user.email, email: signInEmail({ url, minutesValid: SIGN_IN_LINK_MINUTES }), category: "SIGN_IN" });
    await recordAudit(tx, { type: "SIGN_IN_LINK_REQUESTED", actor, clientAddress, subject: user.email });
  });
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

/** True, or the "check your email" page when the address or the client has asked for too many links. */
async function signInLinkAllowedOrCheckEmail(email: string, appUrl: string): Promise<true | string> {
  const clientAddress = contextClientAddress();
  const limit = await signInLinkAllowed(email, clientAddress);
  if (limit.allowed) return true;
  await recordAudit(db(), {
    type: "SIGN_IN_LINK_REFUSED",
    clientAddress,
    subject: email,
    detail: limit.which === "address" ? "too many links asked for this address" : "too many links asked from this client address",
  });
  // Exactly where next-auth sends a link that was sent (it then shows /sign-in/check-email).
  return `${appUrl}/api/auth/verify-request?provider=email&type=email`;
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
    // maxAge is the absolute lifetime (the cookie's); the idle timeout is kept on the session row.
    session: { strategy: "database", maxAge: e.sessionMaxHours * 60 * 60, updateAge: TOUCH_AFTER_MS / 1000 },
    useSecureCookies: isHttps(e.appUrl),
    pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
    providers: [
      EmailProvider({
        maxAge: SIGN_IN_LINK_MINUTES * 60,
        normalizeIdentifier: normaliseSignInAddress,
        from: e.mailFrom,
        sendVerificationRequest: async ({ identifier, url }) => {
          const clientAddress = contextClientAddress();
          void queueSignInLink(identifier, confirmationUrl(url, e.appUrl), clientAddress).catch((error: unknown) =>
            logError(error, {}, "sign-in link could not be queued"),
          );
        },
      }),
    ],
    callbacks: {
      // Asking for a link always "succeeds" (same page for every address); only a known user whose
      // role agrees with its organisation, coming back with a valid link, is let in.
      async signIn({ user, email }) {
        // Asking for a link: next-auth has normalised the address and made no token yet. Over a
        // limit, the same "check your email" answer and no token (returning a URL redirects there).
        if (email?.verificationRequest) return signInLinkAllowedOrCheckEmail(user.email ?? "", e.appUrl);
        const actor = (user as Partial<PortalAdapterUser>).actor;
        if (actor) return true;
        logger().warn({ userId: user.id }, "sign-in refused: the user's role disagrees with its organisation's kind");
        await recordAudit(db(), {
          type: "SIGN_IN_REFUSED",
          clientAddress: contextClientAddress(),
          subject: user.email ?? undefined,
          detail: "role disagrees with the organisation's kind",
        });
        return false;
      },
      async session({ session, user }) {
        return { ...session, actor: (user as PortalAdapterUser).actor };
      },
    },
    events: {
      async signIn({ user }) {
        const actor = (user as Partial<PortalAdapterUser>).actor;
        await recordAudit(db(), { type: "SIGN_IN", actor, clientAddress: contextClientAddress(), subject: user.email ?? undefined });
      },
      async signOut({ session }) {
        const userId = (session as { userId?: string } | null)?.userId;
        const user = userId
          ? await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, organisationId: true, organisation: { select: { code: true } } } })
          : null;
        await recordAudit(db(), {
          type: "SIGN_OUT",
          actor: user ? { userId: user.id, email: user.email, organisationId: user.organisationId, organisationCode: user.organisation.code } : null,
          clientAddress: contextClientAddress(),
          subject: user?.email,
        });
      },
    },
  };
  return options;
}
