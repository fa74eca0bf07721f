import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SiteSearchForm } from "@/components/site-search";
import { listHref } from "@/components/request-list";
import { isSupplierUser } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { SEARCH_HINT, SEARCH_MAX_LENGTH, searchRequests } from "@/lib/requests/find";

export const metadata: Metadata = { title: "Search" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// The header's search box (a GET form: works without JavaScript). A request found opens; a Device
// with requests opens the request list filtered by it; anything else is answered here.
export default async function SearchPage({ searchParams }: Props) {
  const actor = await requireActor();
  const params = await searchParams;
  const result = await searchRequests(actor, Object.hasOwn(params, "q") ? params.q : undefined);
  if (result.kind === "request") redirect(`/requests/${result.reference}`);
  if (result.kind === "device" && result.requests > 0) redirect(listHref({ filters: { q: result.deviceId } }));

  return (
    <div className="max-w-prose space-y-6">
      <h1 className="text-2xl font-bold">Search</h1>
      <div data-testid="search-answer" className="space-y-2">
        {result.kind === "empty" ? <p>Search for {SEARCH_HINT}.</p> : null}
        {result.kind === "no-request" ? (
          <p className="font-medium">
            No request <span className="font-mono">{result.reference}</span> that you can see.
          </p>
        ) : null}
        {result.kind === "device" ? (
          <>
            <p className="font-medium">
              No requests for Device <span className="whitespace-nowrap font-mono">{result.deviceId}</span> that you can see.
            </p>
            {isSupplierUser(actor) ? (
              <p>
                To ask for its Install Code,{" "}
                <Link href="/requests/new" className="text-blue-700 underline">
                  raise a request
                </Link>
                .
              </p>
            ) : null}
          </>
        ) : null}
        {result.kind === "unrecognised" ? (
          <p className="font-medium">
            Nothing matched <span className="break-all">“{result.shown}”</span>: it is neither a request reference nor a Device ID.
          </p>
        ) : null}
        {result.kind !== "empty" ? <p>You can search for {SEARCH_HINT}.</p> : null}
      </div>
      <SiteSearchForm id="search-page-q" defaultValue={typeof params.q === "string" ? params.q.slice(0, SEARCH_MAX_LENGTH) : ""} large />
      <p>
        <Link href="/requests" className="text-blue-700 underline">
          {isSupplierUser(actor) ? "Your requests" : "All requests"}
        </Link>
      </p>
    </div>
  );
}
