import type { Metadata } from "next";
import { titleOr404 } from "@/components/page-not-found";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FormField } from "@/components/form-field";
import { formatDateTime } from "@/components/format";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { AUDIT_EVENT_TYPES, listAuditEvents, type AuditFilter, type AuditRow } from "@/lib/audit/list-audit-events";
import { isAppError, type FieldErrors } from "@/lib/errors";

export async function generateMetadata(): Promise<Metadata> {
  const actor = await currentActor();
  return titleOr404(!actor || isHelpdesk(actor), "Audit log");
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const FIELDS = ["type", "who", "reference", "from", "to", "before"] as const;

/** The query string's single values for the filter fields only (repeated or unknown keys are ignored). */
function filterInput(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const input = new Map<string, string>();
  for (const field of FIELDS) {
    const value = Object.hasOwn(params, field) ? params[field] : undefined;
    if (typeof value === "string") input.set(field, value);
  }
  return Object.fromEntries(input);
}

function queryString(input: Record<string, string>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...input, ...extra })) if (value && key !== "before") params.set(key, value);
  if (extra.before) params.set("before", extra.before);
  return params.toString();
}

const filterClass = "rounded border border-slate-500 bg-white px-3 py-2 aria-[invalid=true]:border-red-700";

const label = (type: string) => type.toLowerCase().replaceAll("_", " ");

export default async function AuditPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!isHelpdesk(actor)) notFound();
  const input = filterInput(await searchParams);
  let rows: AuditRow[] = [];
  let nextBefore: string | null = null;
  let errors: FieldErrors = {};
  let filter: Partial<AuditFilter> = {};
  try {
    ({ rows, nextBefore, filter } = await listAuditEvents(actor, input));
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    errors = error.fieldErrors;
  }
  const exportQuery = queryString(input, { before: "" });

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Audit log</h1>
      <p className="max-w-prose">
        Sign-ins, sign-in links, Install Codes provided and revealed, reassignments, and every change to users and
        organisations, newest first. It never holds an Install Code, a note or a link.
      </p>
      <form method="get" className="flex flex-wrap items-end gap-3" noValidate>
        <FormField id="type" label="Event" errors={errors.type}>
          <select name="type" defaultValue={input.type ?? ""} className={filterClass}>
            <option value="">Any</option>
            {AUDIT_EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="who" label="Who" errors={errors.who}>
          <input name="who" defaultValue={input.who ?? ""} placeholder="email or organisation code" className={filterClass} />
        </FormField>
        <FormField id="reference" label="Request" errors={errors.reference}>
          <input name="reference" defaultValue={input.reference ?? ""} placeholder="RIC0000042" className={`${filterClass} font-mono`} />
        </FormField>
        <FormField id="from" label="From (UK date)" errors={errors.from}>
          <input name="from" type="date" defaultValue={input.from ?? ""} className={filterClass} />
        </FormField>
        <FormField id="to" label="To (UK date)" errors={errors.to}>
          <input name="to" type="date" defaultValue={input.to ?? ""} className={filterClass} />
        </FormField>
        <button type="submit" className="rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100">
          Filter
        </button>
      </form>
      {errors.before ? (
        <p className="text-sm font-medium text-red-700" data-testid="before-error">
          {errors.before.join(" ")}
        </p>
      ) : null}
      <p>
        <a href={`/audit/export${exportQuery ? `?${exportQuery}` : ""}`} className="text-blue-700 underline" data-testid="audit-export">
          Download these events as CSV
        </a>
      </p>
      {rows.length === 0 ? (
        <p>{Object.keys(errors).length > 0 ? "Fix the filter to see events." : "No events match."}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="w-full border-collapse bg-white text-left text-sm" data-testid="audit-table">
            <caption className="sr-only">Audit events{filter.type ? ` of kind ${label(filter.type)}` : ""}, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">When</th>
                <th scope="col" className="p-2">Event</th>
                <th scope="col" className="p-2">Who</th>
                <th scope="col" className="p-2">From address</th>
                <th scope="col" className="p-2">Request</th>
                <th scope="col" className="p-2">Subject</th>
                <th scope="col" className="p-2">Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.sequence} className="border-b border-slate-200 align-top">
                  <td className="p-2 whitespace-nowrap">{formatDateTime(r.at)}</td>
                  <td className="p-2">{label(r.type)}</td>
                  <td className="p-2">{r.actorEmail ? `${r.actorEmail}${r.actorOrganisationCode ? ` (${r.actorOrganisationCode})` : ""}` : "—"}</td>
                  <td className="p-2 font-mono">{r.clientAddress ?? "—"}</td>
                  <td className="p-2 font-mono">{r.requestReference ? <Link href={`/requests/${r.requestReference}`} className="text-blue-700 underline">{r.requestReference}</Link> : "—"}</td>
                  <td className="p-2 break-all">{r.subject ?? "—"}</td>
                  <td className="p-2">{r.detail ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Audit log pages" className="flex gap-4">
        {input.before ? (
          <Link href={`/audit${queryString(input, { before: "" }) ? `?${queryString(input, { before: "" })}` : ""}`} className="text-blue-700 underline">
            Newest events
          </Link>
        ) : null}
        {nextBefore ? (
          <Link href={`/audit?${queryString(input, { before: nextBefore })}`} className="text-blue-700 underline">
            Older events
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
