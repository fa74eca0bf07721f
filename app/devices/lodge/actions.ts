"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { lodgeInstallCode, lodgeInstallCodesFromCsv, withdrawLodgedInstallCode, type LodgeSummary } from "@/lib/install-code/lodge";

// Server actions of /devices/lodge: parse the form, call one use case, report. The rules live in
// lib/install-code/lodge.ts; the same zod schemas validate the REST API's PUT and DELETE.

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** The largest upload read (10,000 rows of a Device ID and a 36-digit label code are about 620 kB). */
const MAX_FILE_BYTES = 1_000_000;

export async function lodgeInstallCodeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const deviceId = field(form, "deviceId");
  try {
    const result = await lodgeInstallCode(actor, { deviceId, installCode: field(form, "installCode") });
    revalidatePath("/devices/lodge");
    const done = result.outcome === "replaced" ? "Install Code replaced" : "Install Code lodged";
    return { ok: true, message: `${done} for Device ${result.deviceId}: ${result.masked}. A request raised for it will be answered at once.` };
  } catch (error) {
    // The typed code is kept only on the user's own screen (it never leaves the form state).
    return formStateFromError(error, { deviceId, installCode: field(form, "installCode") });
  }
}

export type LodgeCsvState = FormState & { summary?: LodgeSummary };

export async function lodgeCsvAction(_prev: LodgeCsvState, form: FormData): Promise<LodgeCsvState> {
  const actor = await requireActor();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { ok: false, message: "Choose a CSV file", fieldErrors: { file: ["Choose a CSV file"] } };
  if (file.size > MAX_FILE_BYTES) {
    return { ok: false, message: "The file is too large", fieldErrors: { file: ["The file is larger than 1 MB: split it into files of at most 10,000 rows"] } };
  }
  try {
    const summary = await lodgeInstallCodesFromCsv(actor, await file.text());
    revalidatePath("/devices/lodge");
    const { lodged, replaced, refused } = summary.counts;
    return { ok: true, message: `${lodged} lodged, ${replaced} replaced, ${refused} refused`, summary };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function withdrawLodgedInstallCodeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  let deviceId: string;
  try {
    ({ deviceId } = await withdrawLodgedInstallCode(actor, { deviceId: field(form, "deviceId") }));
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath("/devices/lodge");
  // The row goes from the list: the page says what happened.
  redirect(`/devices/lodge?withdrawn=${deviceId}`);
}
