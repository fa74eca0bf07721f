"use client";

import { useActionState, useEffect, useRef } from "react";
import { buttonClass, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";
import { useActionForm } from "./request-forms";

// The forms of /devices/lodge. Each takes its server action as a prop; the action calls one use case
// (lib/install-code/lodge.ts). No form ever shows a lodged code back: only its length, masked.

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
type Action<S = FormState> = (state: S, form: FormData) => Promise<S>;

export function LodgeInstallCodeForm({ action, deviceId }: { action: Action; deviceId?: string }) {
  const { state, formAction, pending, form } = useActionForm(action);
  // React empties the form after each submission; a refused one gets its values back, a success
  // stays empty (its message shows the Device and the code masked).
  const values = state.ok ? { deviceId: "", installCode: "" } : state.values;
  return (
    <form ref={form} action={formAction} noValidate className="space-y-4">
      <FormField id="deviceId" label="Device ID" hint="16 hexadecimal digits, with or without hyphens, like 00-DB-12-34-56-78-90-A0" errors={state.fieldErrors?.deviceId}>
        <input name="deviceId" defaultValue={values?.deviceId ?? deviceId} autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
      </FormField>
      <FormField
        id="installCode"
        label="Install Code"
        hint="12, 16, 24 or 32 hexadecimal digits, or as printed on the label with its 4-digit CRC at the end (the CRC is checked, then dropped)"
        errors={state.fieldErrors?.installCode}
      >
        <input name="installCode" defaultValue={values?.installCode} autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
      </FormField>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Lodge Install Code
      </button>
    </form>
  );
}

export type LodgeRow = { line: number; deviceId: string; outcome: "lodged" | "replaced" | "refused"; reason?: string };
type CsvState = FormState & { summary?: { rows: LodgeRow[]; counts: { lodged: number; replaced: number; refused: number } } };

const OUTCOME: Record<LodgeRow["outcome"], string> = { lodged: "Lodged", replaced: "Replaced", refused: "Refused" };

export function LodgeCsvForm({ action }: { action: Action<CsvState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state.fieldErrors?.file) file.current?.focus();
  }, [state]);
  const summary = state.summary;
  return (
    <div className="space-y-4">
      <form action={formAction} noValidate className="space-y-4">
        <FormField
          id="file"
          label="CSV file"
          hint="A header line device_id,install_code, then one Device a line; at most 10,000 rows (1 MB). Each row is lodged, replaced or refused on its own."
          errors={state.fieldErrors?.file}
        >
          <input ref={file} type="file" name="file" accept=".csv,text/csv" className="block max-w-full" />
        </FormField>
        <FormMessage state={state} />
        <button type="submit" disabled={pending} className={secondaryButtonClass}>
          Upload and lodge
        </button>
      </form>
      {summary ? (
        <div className="table-scroll" tabIndex={0}>
          <table className="w-full border-collapse text-left text-sm" data-testid="lodge-results">
            <caption className="mb-2 text-left font-medium">
              {summary.rows.length} rows: {summary.counts.lodged} lodged, {summary.counts.replaced} replaced, {summary.counts.refused} refused
            </caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">Line</th>
                <th scope="col" className="p-2">Device ID</th>
                <th scope="col" className="p-2">Result</th>
                <th scope="col" className="p-2">Reason</th>
              </tr>
            </thead>
            <tbody>
              {summary.rows.map((r) => (
                <tr key={r.line} className="border-b border-slate-200">
                  <td className="p-2">{r.line}</td>
                  <td className="p-2 font-mono">{r.deviceId}</td>
                  <td className="p-2">{OUTCOME[r.outcome]}</td>
                  <td className="p-2">{r.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

export function WithdrawLodgedCodeForm({ action, deviceId }: { action: Action; deviceId: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="deviceId" value={deviceId} />
      <button type="submit" disabled={pending} aria-label={`Withdraw the Install Code lodged for Device ${deviceId}`} className="inline-flex min-h-6 items-center text-blue-700 underline disabled:opacity-70">
        Withdraw
      </button>
      {state.ok ? null : <FormMessage state={state} />}
    </form>
  );
}
