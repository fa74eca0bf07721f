import { stringify } from "csv-stringify/sync";
import { safeCell } from "@/lib/audit/csv";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { isAppError } from "@/lib/errors";
import { reportTable, viewMonthlyReport } from "@/lib/sla/report";

// One month's obligation report as CSV: the page's table, row for row, the totals last. The helpdesk
// only (anyone else: 404); a month without a report is a 404 that says why.

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ month: string }> };

export async function GET(_request: Request, { params }: Context): Promise<Response> {
  const actor = await currentActor();
  if (!actor || !isHelpdesk(actor)) return new Response("Not found", { status: 404 });
  const { month } = await params;
  let table: ReturnType<typeof reportTable>;
  let name: string;
  try {
    const { report } = await viewMonthlyReport(actor, month, now());
    table = reportTable(report);
    name = report.month;
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    const detail = Object.values(error.fieldErrors).flat().join(" ");
    return new Response(`${error.message}: ${detail}\n`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const csv = stringify([table.headings, ...table.rows, table.totals].map((row) => row.map(safeCell)));
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="obligation-report-${name}.csv"`,
      "cache-control": "no-store",
    },
  });
}
