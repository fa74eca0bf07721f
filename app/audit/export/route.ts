import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/session";
import { exportAuditEvents } from "@/lib/audit/list-audit-events";
import { auditCsvColumns, auditCsvRecord } from "@/lib/audit/csv";
import { HTTP_STATUS, isAppError } from "@/lib/errors";

// The audit log as CSV, for the helpdesk only (anyone else: 404), streamed in batches.
export async function GET(request: Request): Promise<Response> {
  const actor = await currentActor();
  if (!actor || !isHelpdesk(actor)) return new Response("Not found", { status: 404 });
  const input = Object.fromEntries([...new URL(request.url).searchParams].filter(([key]) => ["type", "who", "reference", "from", "to"].includes(key)));
  const events = exportAuditEvents(actor, input);
  // Pull the first row now, so that a bad filter is a 400 with its message, not a broken download.
  let first: IteratorResult<Awaited<ReturnType<typeof events.next>>["value"]>;
  try {
    first = await events.next();
  } catch (error) {
    if (!isAppError(error)) throw error;
    const detail = Object.values(error.fieldErrors).flat().join(" ") || error.message;
    return new Response(`${error.message}: ${detail}\n`, { status: HTTP_STATUS[error.code], headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  async function* rows() {
    if (!first.done) yield auditCsvRecord(first.value);
    for await (const row of events) yield auditCsvRecord(row);
  }
  const csv = Readable.from(rows()).pipe(stringify({ header: true, columns: auditCsvColumns }));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(Readable.toWeb(csv) as ReadableStream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-log-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
