import type { Metadata } from "next";
import Link from "next/link";
import { ConfirmEmailChangeForm } from "@/components/people-forms";
import { emailChangeByToken } from "@/lib/people/email-change";
import { confirmEmailChangeAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your new email address" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Public: the link is opened from the new address's mailbox, signed in or not. Opening it only shows
// the change (mail scanners open links); confirming is the button's POST (./actions.ts).
export default async function ConfirmEmailChangePage({ searchParams }: Props) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const change = await emailChangeByToken(token);
  return (
    <div className="max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">Confirm your new email address</h1>
      {change.state === "open" ? (
        <>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="email-change-details">
            <dt className="font-medium">Name</dt>
            <dd>{change.name}</dd>
            <dt className="font-medium">Email address now</dt>
            <dd className="break-all">{change.oldEmail}</dd>
            <dt className="font-medium">New email address</dt>
            <dd className="break-all">{change.newEmail}</dd>
          </dl>
          <p className="text-sm text-slate-700">After confirming, every browser signed in as you is signed out, and you sign in with the new address.</p>
          <ConfirmEmailChangeForm action={confirmEmailChangeAction} token={token} />
        </>
      ) : (
        <>
          <p className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="email-change-problem">
            {change.message}.
          </p>
          <p>
            <Link href="/sign-in" className="text-blue-700 underline">
              Sign in
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
