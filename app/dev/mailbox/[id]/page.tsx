import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { notFound } from "next/navigation";
import { cache } from "react";
import { titleOr404 } from "@/components/page-not-found";
import { mailboxMessage } from "@/lib/notifications/mailbox";

type Props = { params: Promise<{ id: string }> };

/** The message, once per request (the title and the page both ask). */
const messageWithId = cache((id: string) => mailboxMessage(id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const message = await messageWithId((await params).id);
  return titleOr404(Boolean(message), message?.subject ?? "Email");
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** The text version with its links clickable. */
function TextWithLinks({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} className="break-all text-blue-700 underline">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default async function MailboxMessagePage({ params }: Props) {
  const message = await messageWithId((await params).id);
  if (!message) notFound();
  return (
    <div className="space-y-4">
      <Breadcrumbs
        trail={[
          { href: "/", label: "Home" },
          { href: "/dev/mailbox", label: "Development mailbox" },
        ]}
      />
      <h1 className="text-2xl font-bold">{message.subject}</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 text-sm">
        <dt className="font-medium">To</dt>
        <dd data-testid="email-to">{message.to}</dd>
      </dl>
      <section aria-labelledby="text-version" className="space-y-2">
        <h2 id="text-version" className="text-lg font-semibold">
          Text
        </h2>
        <pre className="whitespace-pre-wrap rounded border border-slate-300 bg-white p-4 font-sans" data-testid="email-text">
          <TextWithLinks text={message.text} />
        </pre>
      </section>
      <section aria-labelledby="html-version" className="space-y-2">
        <h2 id="html-version" className="text-lg font-semibold">
          HTML
        </h2>
        {/* Sandboxed: no scripts; a link opens at the top level only when clicked. */}
        <iframe
          title="HTML version of the email"
          sandbox="allow-top-navigation-by-user-activation"
          srcDoc={message.html}
          className="h-96 w-full rounded border border-slate-300 bg-white"
        />
      </section>
    </div>
  );
}
