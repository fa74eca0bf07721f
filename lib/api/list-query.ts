import { z } from "zod";
import { isHelpdesk, type Actor } from "../auth/actor";
import { AppError, validate } from "../errors";
import { LIST_SORTS, QUEUE_IDS } from "../requests/queues";
import { REQUEST_STATUSES } from "../requests/schemas";

// GET /api/v1/install-code-requests's query, in the API's words, turned into the list's own input
// (lib/requests/schemas.ts's listRequestsSchema checks it: one rule for the page and the API).

const flag = z
  .enum(["true", "false", "1", "0"], { error: "Use true or false" })
  .optional()
  .meta({ description: "true or false" });

export const listQuerySchema = z.object({
  queue: z
    .enum(QUEUE_IDS)
    .optional()
    .meta({
      description:
        "Only the requests of one of your queues, as the portal's tabs show them. Suppliers: needs-response, waiting, answered, closed, all; the helpdesk: at-risk, breached, unassignable, all.",
    }),
  sort: z
    .enum(LIST_SORTS)
    .optional()
    .meta({ description: "The order: by the date raised or the due date, each ascending or descending. Default: the queue's own, else raised-desc (newest first)." }),
  status: z.enum(REQUEST_STATUSES).optional().meta({ description: "Only requests in this status." }),
  deviceId: z.string().optional().meta({ description: "Only requests for this Device (any case, any separators).", example: "00-DB-12-34-56-78-90-A0" }),
  assignedToMe: flag.meta({ description: "Only requests assigned to your organisation (Suppliers)." }),
  overdue: flag.meta({ description: "Only requests not answered and past due, or answered late." }),
  organisation: z.string().optional().meta({ description: "Helpdesk only: requests raised by or assigned to the organisation with this code." }),
  cursor: z.string().optional().meta({ description: "`nextCursor` of the previous page." }),
  limit: z.string().optional().meta({ description: "Requests per page, 1 to 100 (default 50).", example: "50" }),
});

/** API field name for each of the list's own. */
export const LIST_FIELD_NAMES = { q: "deviceId", after: "cursor", party: "assignedToMe" };

const yes = (v: string | undefined) => v === "true" || v === "1";

export function listInputFrom(actor: Actor, query: URLSearchParams): { input: Record<string, unknown>; pageSize: number } {
  const known = Object.fromEntries([...query].filter(([name]) => Object.hasOwn(listQuerySchema.shape, name)));
  const q = validate(
    listQuerySchema.extend({ limit: z.coerce.number({ error: "A whole number from 1 to 100" }).int("A whole number from 1 to 100").min(1, "At least 1").max(100, "At most 100").optional() }),
    known,
  );
  if (yes(q.assignedToMe) && isHelpdesk(actor)) {
    throw AppError.validation({ assignedToMe: ["The DCC Helpdesk is not assigned requests: use organisation to see a Supplier's"] });
  }
  return {
    input: {
      queue: q.queue,
      sort: q.sort,
      status: q.status,
      q: q.deviceId,
      party: yes(q.assignedToMe) ? "assigned" : undefined,
      overdue: yes(q.overdue) ? "true" : undefined,
      organisation: q.organisation,
      after: q.cursor,
    },
    pageSize: q.limit ?? 50,
  };
}
