"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { formStateFromError, type FormState } from "@/lib/errors";
import { addNote } from "@/lib/requests/add-note";
import { bulkRaiseRequests } from "@/lib/requests/bulk-raise";
import { BULK_CSV_MAX_BYTES, bulkRaiseResultCsv, parseBulkRaiseCsv, resultFileName, rowDetail, tooLargeMessage } from "@/lib/requests/bulk-raise-csv";
import { closeRequestAsNotPossible } from "@/lib/requests/close-not-possible";
import { closeRequest, withdrawRequest } from "@/lib/requests/close-request";
import type { RequestDone } from "@/components/request-done";
import { formatReference, parseReference } from "@/lib/requests/reference";
import { declineRequest } from "@/lib/requests/decline-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";

// Server actions: parse the form, call one use case, report. The rules live in lib/requests; the
// same zod schemas validate here and in the REST API to come.

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function refresh(reference: string) {
  revalidatePath(`/requests/${reference}`);
  revalidatePath("/requests");
}

/**
 * After a change: back to the request page, whose banner at the top says what was done (the words
 * are the page's, components/request-done.ts: nothing typed travels in the address).
 */
function done(reference: string, what: RequestDone): never {
  // The reference as the use case understood it (it accepts spaces, lower case): the canonical one.
  const number = parseReference(reference);
  const canonical = number === null ? reference : formatReference(number);
  refresh(canonical);
  redirect(`/requests/${encodeURIComponent(canonical)}?done=${what}`);
}

export async function raiseRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = { deviceId: field(form, "deviceId"), note: field(form, "note") };
  let destination: string;
  try {
    const result = await raiseRequest(actor, values);
    destination = `/requests/${result.reference}?${result.created ? "raised" : result.noteAdded ? "existing=1&noteAdded" : "existing"}=1`;
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath("/requests");
  redirect(destination);
}

export async function addNoteAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { body: field(form, "body") };
  try {
    await addNote(actor, { reference, body: values.body });
  } catch (error) {
    return formStateFromError(error, values);
  }
  done(reference, "note-added");
}

export async function provideInstallCodeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { installCode: field(form, "installCode"), reason: field(form, "reason") };
  const replacing = form.has("reason");
  try {
    await provideInstallCode(actor, { reference, ...values });
  } catch (error) {
    // The typed value is kept only on the user's own screen (it never leaves the form state).
    return formStateFromError(error, values);
  }
  done(reference, replacing ? "code-replaced" : "code-provided");
}

export type RevealState = FormState & { installCode?: string };

export async function revealInstallCodeAction(_prev: RevealState, form: FormData): Promise<RevealState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  try {
    const { installCode } = await revealInstallCode(actor, { reference, codeId: field(form, "codeId") });
    refresh(reference);
    return { ok: true, installCode };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function closeRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  try {
    await closeRequest(actor, { reference });
  } catch (error) {
    return formStateFromError(error);
  }
  done(reference, "closed");
}

export async function withdrawRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { reason: field(form, "reason"), detail: field(form, "detail") };
  try {
    // No reason chosen is no value, so that the list's own message answers it.
    await withdrawRequest(actor, { reference, reason: values.reason || undefined, detail: values.detail });
  } catch (error) {
    return formStateFromError(error, values);
  }
  done(reference, "withdrawn");
}

export async function reassignRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { organisationCode: field(form, "organisationCode"), reason: field(form, "reason") };
  try {
    await reassignRequest(actor, { reference, ...values });
  } catch (error) {
    return formStateFromError(error, values);
  }
  done(reference, "reassigned");
}

export async function declineRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { reason: field(form, "reason"), detail: field(form, "detail") };
  try {
    // No reason chosen is no value, so that the list's own message answers it.
    await declineRequest(actor, { reference, reason: values.reason || undefined, detail: values.detail });
  } catch (error) {
    return formStateFromError(error, values);
  }
  done(reference, "declined");
}

export async function closeNotPossibleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { reason: field(form, "reason") };
  try {
    await closeRequestAsNotPossible(actor, { reference, ...values });
  } catch (error) {
    return formStateFromError(error, values);
  }
  done(reference, "closed-not-possible");
}

/** A bulk raise's answer as the page shows it, and the CSV it downloads (made here: nothing is kept). */
export type BulkRaiseState = FormState & {
  result?: {
    counts: { raised: number; alreadyOpen: number; refused: number };
    rows: { row: number; deviceId: string; outcome: string; reference: string | null; detail: string }[];
    csv: string;
    fileName: string;
  };
};

export async function bulkRaiseAction(_prev: BulkRaiseState, form: FormData): Promise<BulkRaiseState> {
  const actor = await requireActor();
  const file = form.get("file");
  const refused = (message: string): BulkRaiseState => ({ ok: false, message, fieldErrors: { file: [message] } });
  if (!(file instanceof File) || (file.size === 0 && !file.name)) return refused("Choose a CSV file to upload");
  if (file.size > BULK_CSV_MAX_BYTES) return refused(tooLargeMessage(file.size));
  const parsed = parseBulkRaiseCsv(await file.text());
  if (!parsed.ok) return refused(parsed.message);
  try {
    const result = await bulkRaiseRequests(actor, parsed.rows);
    revalidatePath("/requests");
    const { raised, alreadyOpen, refused: notRaised } = result.counts;
    return {
      ok: true,
      message: `${raised.toLocaleString("en-GB")} raised, ${alreadyOpen.toLocaleString("en-GB")} already open, ${notRaised.toLocaleString("en-GB")} refused`,
      result: {
        counts: result.counts,
        rows: result.rows.map((r) => ({ row: r.row, deviceId: r.deviceId, outcome: r.outcome, reference: r.outcome === "refused" ? null : r.reference, detail: rowDetail(r) })),
        csv: bulkRaiseResultCsv(result),
        fileName: resultFileName(now()),
      },
    };
  } catch (error) {
    return formStateFromError(error);
  }
}
