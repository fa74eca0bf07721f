import type { Metadata } from "next";
import Link from "next/link";
import { BulkRaiseForm } from "@/components/bulk-raise";
import { requireActor } from "@/lib/auth/session";
import { BULK_CSV_MAX_BYTES } from "@/lib/requests/bulk-raise-csv";
import { canRaise } from "@/lib/requests/permissions";
import { BULK_RAISE_MAX_ROWS } from "@/lib/requests/schemas";
import { bulkRaiseAction } from "../actions";

export const metadata: Metadata = { title: "Raise requests from a CSV file" };

export default async function BulkRaisePage() {
  const actor = await requireActor();
  return (
    <div className="max-w-5xl space-y-6">
      <p>
        <Link href="/requests" className="text-blue-700 underline">
          Back to requests
        </Link>
      </p>
      <h1 className="text-2xl font-bold">Raise requests from a CSV file</h1>
      {canRaise(actor) ? (
        <>
          <p className="max-w-2xl">
            One Request for Install Code for each Device in the file, each checked as if raised on its own: each row is answered raised, already
            open (your organisation already has an open request for that Device: its reference) or refused (why). A Device twice in the file is
            raised once; its second row is answered already open. Row 1 is the first line after the header. Each Supplier assigned new requests
            gets one email listing them.
          </p>
          <pre className="w-fit max-w-full overflow-x-auto rounded bg-slate-100 p-3 text-sm" aria-label="An example file" tabIndex={0}>
            {"device_id,note\n00-DB-12-34-56-78-90-A1,Consumer moved in on 2 November\n00-DB-12-34-56-78-90-A4,"}
          </pre>
          <BulkRaiseForm action={bulkRaiseAction} maxBytes={BULK_CSV_MAX_BYTES} maxRows={BULK_RAISE_MAX_ROWS} />
        </>
      ) : (
        <p>Requests are raised by Suppliers. As the DCC Helpdesk you can see and reassign every request.</p>
      )}
    </div>
  );
}
