import type { Metadata } from "next";
import { titleOr404 } from "@/components/page-not-found";
import { Breadcrumbs } from "@/components/breadcrumbs";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RetryEmailForm } from "@/components/email-problems";
import { formatDateTime } from "@/components/format";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { listEmailProblems } from "@/lib/notifications/email-problems";
import { retryEmailAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const actor = await currentActor();
  return titleOr404(!actor || isHelpdesk(actor), "Emails waiting or failed");
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
const linkClass = "text-blue-700 underline";

export default async function HelpdeskEmailsPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!isHelpdesk(actor)) notFound();
  const params = await searchParams;
  const status = one(params.status) === "PENDING" || one(params.status) === "FAILED" ? one(params.status) : undefined;
  const page = await listEmailProblems(actor, { status, before: one(params.before) });
  const query = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries({ status, ...extra }).filter((e): e is [string, string] => !!e[1]));
    return q.size ? `/helpdesk/emails?${q}` : "/helpdesk/emails";
  };

  return (
    <div className="space-y-6">
      <Breadcrumbs
        trail={[
          { href: "/", label: "Home" },
          { href: "/helpdesk", label: "Dashboard" },
        ]}
      />
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Emails waiting or failed</h1>
        <p className="max-w-prose">
          Emails the portal has not delivered yet (it keeps trying, waiting longer each time) and those it gave up on. A failed
          email is on its request&apos;s timeline, and the organisation it was for is told on the request&apos;s page. Retry sends a
          failed email again once the cause (a full mailbox, a wrong address) is put right. Newest first.
        </p>
        <p data-testid="email-counts">
          <Link href={query({ status: undefined })} className={linkClass}>All</Link> · Waiting:{" "}
          <Link href="/helpdesk/emails?status=PENDING" className={linkClass}>{page.pending.toLocaleString("en-GB")}</Link> · Failed:{" "}
          <Link href="/helpdesk/emails?status=FAILED" className={linkClass}>{page.failed.toLocaleString("en-GB")}</Link>
        </p>
      </div>
      {page.emails.length === 0 ? (
        <p>No emails {status === "PENDING" ? "waiting" : status === "FAILED" ? "failed" : "waiting or failed"}: everything has been delivered.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="w-full border-collapse bg-white text-left text-sm" data-testid="email-problems">
            <caption className="sr-only">Emails waiting or failed, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">Queued</th>
                <th scope="col" className="p-2">To</th>
                <th scope="col" className="p-2">Subject</th>
                <th scope="col" className="p-2">Request</th>
                <th scope="col" className="p-2">Status</th>
                <th scope="col" className="p-2">Attempts</th>
                <th scope="col" className="p-2">Last error</th>
                <th scope="col" className="p-2"><span className="sr-only">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {page.emails.map((e) => (
                <tr key={e.id} className="border-b border-slate-200 align-top" data-testid="email-problem">
                  <td className="p-2">{formatDateTime(e.createdAt)}</td>
                  <td className="p-2 break-all">{e.to}</td>
                  <td className="p-2" id={`subject-${e.id}`}>
                    {e.subject}
                    {e.kind === "SIGN_IN" ? <span className="block text-slate-600">Sign-in link</span> : null}
                  </td>
                  <td className="p-2">
                    {e.references.map((reference) => (
                      <Link key={reference} href={`/requests/${reference}`} className={`${linkClass} mr-1 font-mono`}>
                        {reference}
                      </Link>
                    ))}
                    {e.moreReferences > 0 ? <span>and {e.moreReferences.toLocaleString("en-GB")} more</span> : null}
                    {e.references.length === 0 && e.moreReferences === 0 ? <span className="text-slate-600">None</span> : null}
                  </td>
                  <td className="p-2">{e.status === "FAILED" ? <strong className="text-red-800">Failed</strong> : <>Waiting: next try {formatDateTime(e.nextAttemptAt)}</>}</td>
                  <td className="p-2">{e.attempts}</td>
                  <td className="p-2 break-words">{e.lastError ?? "None"}</td>
                  <td className="p-2">
                    {e.status === "FAILED" && e.kind !== "SIGN_IN" ? <RetryEmailForm action={retryEmailAction} emailId={e.id} describedBy={`subject-${e.id}`} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor ? (
        <p>
          <Link href={query({ before: page.nextCursor })} className={linkClass}>Older emails</Link>
        </p>
      ) : null}
    </div>
  );
}
