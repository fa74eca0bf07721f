import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { titleOr404 } from "@/components/page-not-found";
import { listMailbox, mailboxEnabled } from "@/lib/notifications/mailbox";

export async function generateMetadata(): Promise<Metadata> {
  return titleOr404(mailboxEnabled(), "Development mailbox");
}

const time = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "Europe/London" });

export default async function MailboxPage() {
  const messages = await listMailbox();
  if (!messages) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Development mailbox</h1>
      <p className="max-w-prose">No mail server is configured, so the portal keeps every email here instead of sending it. Newest first.</p>
      {messages.length === 0 ? (
        <p>No emails yet.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="w-full border-collapse bg-white text-left text-sm">
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">To</th>
                <th scope="col" className="p-2">Subject</th>
                <th scope="col" className="p-2">Queued</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id} className="border-b border-slate-200">
                  <td className="p-2">{message.to}</td>
                  <td className="p-2">
                    <Link href={`/dev/mailbox/${message.id}`} className="text-blue-700 underline">
                      {message.subject}
                    </Link>
                  </td>
                  <td className="p-2">{time.format(message.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
