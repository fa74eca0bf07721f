"use client";

import { useActionState, useState } from "react";
import { buttonClass, FormField, FormMessage, inputClass } from "./form-field";

// /requests/bulk: a CSV file up, every row's answer back as a table with counts, and the same rows as
// a CSV download. The download is made from the answer already in the page (a Blob): the portal keeps
// nothing of it (docs/decisions/019-bulk-raise.md).

type BulkRaiseState = {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string[]>;
  result?: {
    counts: { raised: number; alreadyOpen: number; refused: number };
    rows: { row: number; deviceId: string; outcome: string; reference: string | null; detail: string }[];
    csv: string;
    fileName: string;
  };
};

const OUTCOME_CLASS: Record<string, string> = {
  raised: "bg-green-100 text-green-900",
  "already open": "bg-blue-100 text-blue-900",
  refused: "bg-red-100 text-red-900",
};

export function BulkRaiseForm({ action, maxBytes, maxRows }: { action: (state: BulkRaiseState, form: FormData) => Promise<BulkRaiseState>; maxBytes: number; maxRows: number }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const errors = tooLarge ? [tooLarge] : state.fieldErrors?.file;
  return (
    <div className="space-y-8">
      <form
        action={formAction}
        noValidate
        className="space-y-5"
        onSubmit={(event) => {
          // The server refuses a larger file too; saying so here saves sending it.
          if (tooLarge) event.preventDefault();
        }}
      >
        <FormField
          id="file"
          label="CSV file"
          hint={`The first line is the header device_id, or device_id,note to give a note with each Device; then one Device per line. At most ${maxRows.toLocaleString("en-GB")} rows and ${Math.round(maxBytes / (1024 * 1024))} MB.`}
          errors={errors}
        >
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            className={inputClass}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              setTooLarge(file && file.size > maxBytes ? `The file is larger than ${Math.round(maxBytes / (1024 * 1024))} MB: split it into smaller files` : null);
            }}
          />
        </FormField>
        <FormMessage state={state.result ? {} : state} />
        <button type="submit" disabled={pending} className={buttonClass}>
          {pending ? "Raising requests…" : "Raise requests"}
        </button>
        {pending ? <p className="text-sm text-slate-700">Every row is checked and answered: a file of 10,000 rows takes some seconds.</p> : null}
      </form>
      {state.result && !pending ? <BulkRaiseResult result={state.result} /> : null}
    </div>
  );
}

function BulkRaiseResult({ result }: { result: NonNullable<BulkRaiseState["result"]> }) {
  const { raised, alreadyOpen, refused } = result.counts;
  return (
    <section aria-labelledby="bulk-result" className="space-y-4">
      <h2 id="bulk-result" className="text-xl font-bold">
        Result
      </h2>
      <p role="status" data-testid="bulk-counts">
        <span data-testid="count-raised">{raised.toLocaleString("en-GB")}</span> raised,{" "}
        <span data-testid="count-already-open">{alreadyOpen.toLocaleString("en-GB")}</span> already open,{" "}
        <span data-testid="count-refused">{refused.toLocaleString("en-GB")}</span> refused. Each organisation assigned new requests has been sent one email listing
        them.
      </p>
      <p>
        <a
          href="#download"
          download={result.fileName}
          className="text-blue-700 underline"
          onClick={(event) => {
            // The file is made when asked for, from the answer on the page.
            const url = URL.createObjectURL(new Blob([result.csv], { type: "text/csv;charset=utf-8" }));
            event.currentTarget.href = url;
            window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
          }}
        >
          Download results as CSV
        </a>
      </p>
      <div className="table-scroll" tabIndex={0}>
        <table className="w-full border-collapse bg-white text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-200">
          <caption className="sr-only">Every row of the file and its answer, in the file&apos;s order</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col">Row</th>
              <th scope="col">Device ID</th>
              <th scope="col">Outcome</th>
              <th scope="col">Reference</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={r.row} data-testid="bulk-row">
                <td>{r.row.toLocaleString("en-GB")}</td>
                <td className="font-mono break-all">{r.deviceId}</td>
                <td>
                  <span className={`rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap ${OUTCOME_CLASS[r.outcome] ?? ""}`}>{r.outcome}</span>
                </td>
                <td>
                  {r.reference ? (
                    <a href={`/requests/${r.reference}`} className="font-mono text-blue-700 underline">
                      {r.reference}
                    </a>
                  ) : null}
                </td>
                <td>{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
