import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Confirm sign-in", referrer: "no-referrer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

// The sign-in email's link lands here. Only pressing the button uses the one-time token, so a mail
// scanner that opens the link does not sign anyone in or spend the link.
export default async function ConfirmSignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = one(params.token);
  const email = one(params.email);
  const callbackUrl = one(params.callbackUrl);
  if (!token || !email) {
    return (
      <div className="max-w-xl space-y-4">
        <h1 className="text-2xl font-bold">Sign-in link incomplete</h1>
        <p>This link is missing part of its address. Open the whole link from the email, or ask for a new one.</p>
        <p>
          <Link href="/sign-in" className="text-blue-700 underline">
            Ask for a new link
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <p>
        Continue as <strong>{email}</strong>?
      </p>
      <form method="get" action="/api/auth/callback/email">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="email" value={email} />
        <button type="submit" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
          Sign in
        </button>
      </form>
      <p className="text-sm text-slate-700">If you did not ask to sign in, close this page: nothing happens until you press the button.</p>
    </div>
  );
}
