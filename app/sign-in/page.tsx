import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { currentActor } from "@/lib/auth/session";
import { DEMO_USERS } from "@/lib/db/seed";
import { env } from "@/lib/env";
import { mailboxEnabled } from "@/lib/notifications/mailbox";

export const metadata: Metadata = { title: "Sign in" };

// A Map, not an object: `?error=__proto__` or `?error=constructor` must find nothing, not a prototype.
const ERRORS = new Map<string, string>([
  ["Verification", "That sign-in link has expired or was already used. Ask for a new one below."],
  ["AccessDenied", "That sign-in link is not valid. Ask for a new one below."],
  ["EmailSignin", "Enter an email address like name@example.com."],
]);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const { appUrl, demoMode } = env();
  const callbackUrl = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : "/", appUrl);
  if (await currentActor()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? (ERRORS.get(params.error) ?? "Sign-in failed. Ask for a new link below.") : null;

  return (
    <div className="max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {params.signedOut ? <p role="status">You have signed out.</p> : null}
      {error ? (
        <p className="rounded border border-red-300 bg-red-50 p-3 text-red-800" data-testid="sign-in-error">
          {error}
        </p>
      ) : null}
      <p>We will email you a link that signs you in. No password needed.</p>
      <SignInForm callbackUrl={callbackUrl} />
      {mailboxEnabled() ? (
        <p>
          No mail server is configured, so emails are kept in the <Link href="/dev/mailbox" className="text-blue-700 underline">development mailbox</Link>.
        </p>
      ) : null}
      {demoMode ? (
        <section aria-labelledby="demo-accounts" className="rounded border border-slate-300 bg-white p-4">
          <h2 id="demo-accounts" className="font-semibold">
            Demo accounts
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {DEMO_USERS.map((user) => (
              <li key={user.email}>
                <code>{user.email}</code> — {user.name}, {user.role === "HELPDESK" ? "DCC Helpdesk" : `Supplier ${user.organisation}`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
