import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/session";
import { HTTP_STATUS, isAppError } from "@/lib/errors";
import { dashboardCsv, type DashboardCsv } from "@/lib/sla/dashboard-csv";

// One table of the helpdesk dashboard as CSV (?table=at-risk|breached|suppliers|weekly and the
// page's period), for the helpdesk only (anyone else: 404).
export async function GET(request: Request): Promise<Response> {
  const actor = await currentActor();
  if (!actor || !isHelpdesk(actor)) return new Response("Not found", { status: 404 });
  // Single values of the known fields only: a repeated or unknown key is ignored.
  const params = new URL(request.url).searchParams;
  const input = Object.fromEntries(["table", "period", "from", "to"].filter((key) => params.getAll(key).length === 1).map((key) => [key, params.get(key)]));
  let csv: DashboardCsv;
  try {
    csv = await dashboardCsv(actor, input);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const detail = Object.values(error.fieldErrors).flat().join(" ") || error.message;
    return new Response(`${error.message}: ${detail}\n`, { status: HTTP_STATUS[error.code], headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const body = Readable.from(csv.rows).pipe(stringify({ header: true, columns: csv.columns }));
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csv.filename}"`,
      "cache-control": "no-store",
    },
  });
}
