import { apiError, apiRoute, bodyObject, field } from "@/lib/api/handler";
import { bulkJson } from "@/lib/api/representations";
import { bulkRaiseRequests } from "@/lib/requests/bulk-raise";
import { BULK_CSV_MAX_BYTES, parseBulkRaiseCsv } from "@/lib/requests/bulk-raise-csv";

// Up to 10,000 raises in one call, as a CSV (device_id[,note]) or JSON {"rows": [...]}: every row is
// answered as a single raise would answer it, and each assigned Supplier gets one email for the batch.
export const POST = apiRoute({ idempotent: true, accepts: "json-or-csv", maxBodyBytes: BULK_CSV_MAX_BYTES }, async (call) => {
  let rows: unknown;
  if (call.contentType === "csv") {
    const parsed = parseBulkRaiseCsv(call.body as string);
    if (!parsed.ok) return apiError(422, "VALIDATION", parsed.message, { fields: { file: [parsed.message] } });
    rows = parsed.rows;
  } else {
    rows = field(bodyObject(call), "rows");
  }
  return { status: 200, body: bulkJson(await bulkRaiseRequests(call.actor, rows as never)) };
});
