import type { Metadata } from "next";
import Link from "next/link";
import { mailboxEnabled } from "@/lib/notifications/mailbox";

export const metadata: Metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">Check your email</h1>
      <p>If that address belongs to a portal account, we have sent it a sign-in link. The link works once and expires in 15 minutes.</p>
      {mailboxEnabled() ? (
        <p>
          Demo mode: open the <Link href="/dev/mailbox" className="text-blue-700 underline">development mailbox</Link> to find the email.
        </p>
      ) : null}
      <p>
        <Link href="/sign-in" className="text-blue-700 underline">
          Ask for another link
        </Link>
      </p>
    </div>
  );
}
