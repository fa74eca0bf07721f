import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { currentActor } from "@/lib/auth/session";
import { DEMO_ORGANISATIONS, DEMO_TRY, DEMO_USERS } from "@/lib/db/seed";
import { env } from "@/lib/env";
import { mailboxEnabled } from "@/lib/notifications/mailbox";

export const metadata: Metadata = { title: "Sign in" };

// A Map, not an object: `?error=__proto__` or `?error=constructor` must find nothing, not a prototype.
const ERRORS = new Map<string, string>([
  ["Verification", "That sign-in link has expired or was already used. Ask for a new one below."],
  ["AccessDenied", "That sign-in link is not valid. Ask for a new one below."],
  ["EmailSignin", "Enter an email address like name@example.com."],
]);

function organisationName(code: string): string {
  return DEMO_ORGANISATIONS.find((o) => o.code === code)?.name ?? code;
}

/** Demo mode only: a demo account's address, put in the form by "Use this account". */
function demoEmail(value: string | string[] | undefined): string | undefined {
  return DEMO_USERS.find((u) => u.email === value)?.email;
}

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
      {/* Keyed: "Use this account" changes the address the form starts with. */}
      <SignInForm key={demoEmail(params.email) ?? ""} callbackUrl={callbackUrl} defaultEmail={demoMode ? demoEmail(params.email) : undefined} />
      {mailboxEnabled() ? (
        <p>
          No mail server is configured, so emails are kept in the{" "}
          <Link href="/dev/mailbox" className="text-blue-700 underline">
            development mailbox
          </Link>
          .
        </p>
      ) : null}
      {demoMode ? (
        <section aria-labelledby="demo-accounts" className="space-y-3 rounded border border-slate-300 bg-white p-4" data-testid="demo-accounts">
          <h2 id="demo-accounts" className="text-lg font-semibold">
            Demo accounts
          </h2>
          <p>This is a demo. Sign in as any of these people to try the whole process; each has their organisation&apos;s part to play.</p>
          <ol className="list-decimal space-y-1 pl-6">
            <li>Choose an account below, or type its address above, and press Send sign-in link.</li>
            {mailboxEnabled() ? (
              <li>
                Open the{" "}
                <Link href="/dev/mailbox" className="text-blue-700 underline">
                  development mailbox
                </Link>
                , open the newest email and follow its link.
              </li>
            ) : (
              <li>Open the email at that address and follow its link.</li>
            )}
            <li>Press Sign in. Sign out from the header to try another account.</li>
          </ol>
          <ul className="space-y-3">
            {DEMO_USERS.map((user) => (
              <li key={user.email} className="space-y-1" data-testid="demo-account">
                <p>
                  <span className="font-medium">{user.name}</span>, {organisationName(user.organisation)}
                  <br />
                  <code className="break-all">{user.email}</code>{" "}
                  <Link
                    href={`/sign-in?${new URLSearchParams({ email: user.email, callbackUrl })}`}
                    aria-label={`Use this account: ${user.name}`}
                    className="text-blue-700 underline"
                  >
                    Use this account
                  </Link>
                </p>
                <p className="text-sm text-slate-700">{DEMO_TRY[user.email]}</p>
              </li>
            ))}
          </ul>
          <p className="text-sm">
            New to Install Code requests? <Link href="/" className="text-blue-700 underline">How it works, in five steps</Link>, and the{" "}
            <Link href="/help" className="text-blue-700 underline">
              guides for each role
            </Link>
            .
          </p>
        </section>
      ) : null}
    </div>
  );
}
