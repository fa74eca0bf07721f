import type { Metadata } from "next";
import { titleOr404 } from "@/components/page-not-found";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { listInventoryImports } from "@/lib/inventory/import/list-imports";

export async function generateMetadata(): Promise<Metadata> {
  const actor = await currentActor();
  return titleOr404(!actor || isHelpdesk(actor), "SMI imports");
}

const STATUS_LABEL: Record<string, string> = { RUNNING: "Running", FINISHED: "Finished", FAILED: "Failed" };
const count = (n: number) => n.toLocaleString("en-GB");

export default async function InventoryImportsPage() {
  const actor = await requireActor();
  if (!isHelpdesk(actor)) notFound();
  const imports = await listInventoryImports(actor);

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Smart Metering Inventory imports</h1>
      <p className="max-w-prose">
        The latest loads of SMI extracts (<code>npm run inventory:import</code>), newest first. A failed or interrupted import is
        finished by running the same command on the same file again.
      </p>
      {imports.length === 0 ? (
        <p>No imports yet.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="w-full border-collapse bg-white text-left text-sm" data-testid="imports-table">
            <caption className="sr-only">SMI imports, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">Started</th>
                <th scope="col" className="p-2">Finished</th>
                <th scope="col" className="p-2">Source</th>
                <th scope="col" className="p-2 text-right">Rows read</th>
                <th scope="col" className="p-2 text-right">Loaded</th>
                <th scope="col" className="p-2 text-right">Rejected</th>
                <th scope="col" className="p-2">Status</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id} className="border-b border-slate-200 align-top">
                  <td className="p-2 whitespace-nowrap">{formatDateTime(i.startedAt)}</td>
                  <td className="p-2 whitespace-nowrap">{i.finishedAt ? formatDateTime(i.finishedAt) : "—"}</td>
                  <td className="p-2 break-all font-mono">{i.sourceName}</td>
                  <td className="p-2 text-right">{count(i.rowsRead)}</td>
                  <td className="p-2 text-right">{count(i.rowsLoaded)}</td>
                  <td className="p-2 text-right">{count(i.rowsRejected)}</td>
                  <td className="p-2">
                    {STATUS_LABEL[i.status] ?? i.status}
                    {i.error ? <span className="block text-red-700">{i.error}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
