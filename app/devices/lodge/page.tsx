import type { Metadata } from "next";
import Link from "next/link";
import { DeviceId } from "@/components/device-id";
import { formatDateTime } from "@/components/format";
import { inputClass, secondaryButtonClass } from "@/components/form-field";
import { LodgeCsvForm, LodgeInstallCodeForm, WithdrawLodgedCodeForm } from "@/components/lodge-forms";
import { isSupplierUser } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { isAppError, type FieldErrors } from "@/lib/errors";
import { listLodgedInstallCodes, type LodgedCodePage } from "@/lib/install-code/lodge";
import { parseDeviceId } from "@/lib/inventory/device-id";
import { deviceStatusLabel, deviceTypeLabel } from "@/lib/inventory/labels";
import { lodgeCsvAction, lodgeInstallCodeAction, withdrawLodgedInstallCodeAction } from "./actions";

export const metadata: Metadata = { title: "Lodge Install Codes" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A query value the page knows, or nothing (no arrays, nothing from a prototype). */
function param(params: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  return typeof value === "string" ? value : undefined;
}

export default async function LodgePage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!isSupplierUser(actor)) {
    return (
      <div className="max-w-2xl space-y-6">
        <h1 className="text-2xl font-bold">Lodge Install Codes</h1>
        <p>
          Install Codes are lodged by Suppliers: only the Supplier that pre-notified a Device can lodge its code in advance. Lodged codes are
          seen by nobody but that Supplier, so the DCC Helpdesk sees none.
        </p>
      </div>
    );
  }

  const params = await searchParams;
  const input = { deviceId: param(params, "deviceId"), after: param(params, "after") };
  let page: LodgedCodePage;
  let errors: FieldErrors = {};
  try {
    page = await listLodgedInstallCodes(actor, input);
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    errors = error.fieldErrors;
    page = await listLodgedInstallCodes(actor);
  }
  const filtered = Object.keys(errors).length === 0 && Boolean(input.deviceId);
  const replacing = parseDeviceId(param(params, "replace") ?? "") ?? undefined;
  const withdrawn = parseDeviceId(param(params, "withdrawn") ?? "");

  return (
    <div className="space-y-8">
      <div className="max-w-prose space-y-3">
        <h1 className="text-2xl font-bold">Lodge Install Codes</h1>
        <p>
          Leaving a Device installed but not commissioned? Lodge its Install Code now. When another Supplier raises a Request for Install Code
          for it, the request is answered at once with the code you lodged, and your five Working Days are met the moment it is raised.
        </p>
        <p className="text-sm text-slate-700">
          Only {actor.organisationName} sees its lodged codes, and never in full here. The raising Supplier sees a code only through the request
          it answers. A code stays lodged for later requests until you withdraw or replace it, or until the Smart Metering Inventory says the
          Device is commissioned.
        </p>
      </div>

      {withdrawn ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-900" data-testid="withdrawn">
          Install Code withdrawn for Device {withdrawn}.
        </p>
      ) : null}

      <section aria-labelledby="lodge-heading" className="max-w-2xl space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="lodge-heading" className="text-lg font-semibold">
          {replacing ? `Replace the Install Code of ${replacing}` : "Lodge one Install Code"}
        </h2>
        <LodgeInstallCodeForm action={lodgeInstallCodeAction} deviceId={replacing} />
      </section>

      <section aria-labelledby="csv-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="csv-heading" className="text-lg font-semibold">
          Lodge many from a CSV file
        </h2>
        <LodgeCsvForm action={lodgeCsvAction} />
      </section>

      <section aria-labelledby="lodged-heading" className="space-y-3">
        <h2 id="lodged-heading" className="text-lg font-semibold">
          Install Codes lodged by {actor.organisationName} ({page.total.toLocaleString("en-GB")})
        </h2>
        <form method="get" className="flex flex-wrap items-end gap-3">
          <div className="space-y-1">
            <label htmlFor="filter-deviceId" className="block font-medium">
              Find a Device
            </label>
            <input
              id="filter-deviceId"
              name="deviceId"
              defaultValue={input.deviceId ?? ""}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors.deviceId ? true : undefined}
              aria-describedby={errors.deviceId ? "filter-deviceId-error" : undefined}
              className={`${inputClass} font-mono`}
            />
          </div>
          <button type="submit" className={secondaryButtonClass}>
            Find
          </button>
        </form>
        {Object.keys(errors).length > 0 ? (
          <div id="filter-deviceId-error" className="text-red-700" data-testid="filter-error">
            {Object.values(errors)
              .flat()
              .map((message) => (
                <p key={message}>{message}: showing every lodged code.</p>
              ))}
          </div>
        ) : null}
        {page.codes.length === 0 ? (
          <p>{filtered ? "Your organisation has no Install Code lodged for that Device." : "No Install Codes lodged yet."}</p>
        ) : (
          <div className="table-scroll" tabIndex={0}>
            <table className="w-full border-collapse text-left text-sm" data-testid="lodged-codes">
              <caption className="sr-only">Install Codes lodged by {actor.organisationName}, newest first</caption>
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="p-2">Device ID</th>
                  <th scope="col" className="p-2">Device</th>
                  <th scope="col" className="p-2">Install Code</th>
                  <th scope="col" className="p-2">Lodged on</th>
                  <th scope="col" className="p-2">By</th>
                  <th scope="col" className="p-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.codes.map((c) => (
                  <tr key={c.deviceId} className="border-b border-slate-200" data-testid="lodged-code">
                    <td className="p-2">
                      <DeviceId value={c.deviceId} />
                    </td>
                    <td className="p-2">
                      {deviceTypeLabel(c.deviceType)}
                      <span className="block text-slate-700">SMI status: {deviceStatusLabel(c.deviceStatus)}</span>
                    </td>
                    <td className="p-2 font-mono">{c.masked}</td>
                    <td className="p-2">{formatDateTime(c.lodgedAt)}</td>
                    <td className="p-2">{c.lodgedBy ?? "A removed user"}</td>
                    <td className="flex flex-wrap items-center gap-4 p-2">
                      <Link
                        href={`/devices/lodge?replace=${c.deviceId}#lodge-heading`}
                        aria-label={`Replace the Install Code lodged for Device ${c.deviceId}`}
                        className="inline-flex min-h-6 items-center text-blue-700 underline"
                      >
                        Replace
                      </Link>
                      <WithdrawLodgedCodeForm action={withdrawLodgedInstallCodeAction} deviceId={c.deviceId} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {input.after && Object.keys(errors).length === 0 ? (
          <p>
            <Link href={`/devices/lodge${filtered ? `?${new URLSearchParams({ deviceId: input.deviceId! })}` : ""}`} className="text-blue-700 underline">
              Newest lodged codes
            </Link>
          </p>
        ) : null}
        {page.next ? (
          <p>
            <Link href={`/devices/lodge?${new URLSearchParams({ ...(filtered ? { deviceId: input.deviceId! } : {}), after: page.next })}`} className="text-blue-700 underline">
              Older lodged codes
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}
