import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { lookUpDeviceSchema } from "../requests/look-up-device";
import { ONLY_SUPPLIERS_RAISE_MESSAGE } from "../requests/permissions";
import {
  addNoteSchema,
  bulkRaiseSchema,
  closeNotPossibleSchema,
  DECLINE_DETAIL_MAX,
  DECLINE_REASON_CODES,
  WITHDRAW_DETAIL_MAX,
  WITHDRAW_REASON_CODES,
  provideInstallCodeSchema,
  raiseRequestSchema,
  reassignRequestSchema,
} from "../requests/schemas";
import { NOT_DECLINED_MESSAGE, NOTHING_TO_CLOSE_MESSAGE, WITHDRAW_AFTER_ANSWER_MESSAGE } from "../requests/state";
import { listQuerySchema } from "./list-query";
import { lodgeInstallCodeSchema } from "../install-code/lodge-schemas";
import { bulkResultSchema, deviceSchema, errorSchema, lodgedSchema, requestDetailSchema, requestPageSchema, requestSummarySchema } from "./representations";

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the use cases validate with
// (request bodies) and the API answers with (lib/api/representations.ts): not written by hand.
// tests/integration/api/openapi.test.ts checks that it validates and lists every route handler.

const json = <T extends z.ZodType>(schema: T, example?: unknown) => ({ "application/json": { schema, ...(example !== undefined ? { example } : {}) } });
const error = (description: string, example?: { code: string; message: string }) => ({
  description,
  content: json(errorSchema, example ? { error: example } : undefined),
});

const referenceParam = z.object({ reference: z.string().meta({ example: "RIC0000042", description: "The request's reference." }) });
const idempotencyHeader = z.object({
  "Idempotency-Key": z.string().optional().meta({ description: "Any unique string (a UUID): a retry with the same key and body gets the first answer instead of acting twice. Kept 24 hours.", example: "5f0c7f7e-3c1b-4c52-9d1e-1b2f0d4a6e11" }),
});

const COMMON_ERRORS = {
  401: error("No API key, or a key that is unknown, mistyped or revoked.", { code: "UNAUTHENTICATED", message: "Send an API key: Authorization: Bearer <key>" }),
  429: error("Too many calls with this key (or raises by this organisation) in a minute: see Retry-After.", { code: "RATE_LIMITED", message: "Try again in 12 seconds." }),
};
const BODY_ERRORS = {
  400: error("The body is not valid JSON.", { code: "MALFORMED_JSON", message: "The body is not valid JSON" }),
  422: error("The input is invalid: `fields` says what is wrong with each field.", { code: "VALIDATION", message: "Check the highlighted fields" }),
};
const NOT_FOUND = { 404: error("No such request, or one this organisation cannot see (never told apart).", { code: "NOT_FOUND", message: "No request with that reference" }) };

const body = <T extends z.ZodType>(schema: T, example: unknown) => ({ body: { required: true, content: json(schema, example) } });

function registry(): OpenAPIRegistry {
  const r = new OpenAPIRegistry();
  r.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key of your organisation (icr_…), created on the portal's Settings → API keys page. It acts as your organisation.",
  });

  r.registerPath({
    operationId: "listRequests",
    method: "get",
    path: "/api/v1/install-code-requests",
    summary: "List requests",
    description: "The requests your organisation raised or is assigned (the helpdesk: all), newest first, a page at a time. Never reveals an Install Code.",
    request: { query: listQuerySchema },
    responses: { 200: { description: "A page of requests.", content: json(requestPageSchema) }, ...COMMON_ERRORS, 422: BODY_ERRORS[422] },
  });
  r.registerPath({
    operationId: "raiseRequest",
    method: "post",
    path: "/api/v1/install-code-requests",
    summary: "Raise a request for a Device's Install Code",
    description:
      "Checks the Device in the Smart Metering Inventory and assigns the request to the Supplier that pre-notified it, which is emailed. Suppliers only. If the Device's code was lodged in advance, the request is answered at once.",
    request: { headers: idempotencyHeader, ...body(raiseRequestSchema, { deviceId: "00-DB-12-34-56-78-90-A0", note: "Customer moved in on 1 December" }) },
    responses: {
      201: { description: "Raised.", content: json(requestSummarySchema), headers: z.object({ Location: z.string() }) },
      403: error("The helpdesk cannot raise requests.", { code: "FORBIDDEN", message: ONLY_SUPPLIERS_RAISE_MESSAGE }),
      409: error("Your organisation already has an open request for the Device: `reference` names it.", { code: "CONFLICT", message: "Your organisation already has an open request for this Device: RIC0000042" }),
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "raiseRequestsInBulk",
    method: "post",
    path: "/api/v1/install-code-requests/bulk",
    summary: "Raise up to 10,000 requests in one call",
    description:
      "A CSV (`Content-Type: text/csv`, header `device_id` or `device_id,note`, at most 5 MB) or JSON `{\"rows\": [{\"deviceId\", \"note\"}]}`. Every row is answered as a single raise would answer it: raised, already open (a Device repeated in the call is raised once) or refused, with the reason. All rows are raised, or (on a fault) none. Each assigned Supplier gets one email listing its new requests. Limited per organisation per hour (429).",
    request: {
      headers: idempotencyHeader,
      body: {
        required: true,
        content: {
          ...json(bulkRaiseSchema, { rows: [{ deviceId: "00-DB-12-34-56-78-90-A1" }, { deviceId: "00-DB-12-34-56-78-90-A3", note: "Customer moved in on 1 December" }] }),
          "text/csv": { schema: z.string(), example: "device_id,note\n00-DB-12-34-56-78-90-A1,\n00-DB-12-34-56-78-90-A3,Customer moved in on 1 December\n" },
        },
      },
    },
    responses: {
      200: { description: "Every row answered.", content: json(bulkResultSchema) },
      403: error("The helpdesk cannot raise requests."),
      413: error("More than 5 MB.", { code: "PAYLOAD_TOO_LARGE", message: "The body can be at most 5,242,880 bytes" }),
      415: error("Neither JSON nor CSV."),
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "getRequest",
    method: "get",
    path: "/api/v1/install-code-requests/{reference}",
    summary: "Get a request, with its notes, timeline and (for whom it is meant) the Install Code",
    request: { params: referenceParam },
    responses: { 200: { description: "The request.", content: json(requestDetailSchema) }, ...NOT_FOUND, ...COMMON_ERRORS },
  });
  r.registerPath({
    operationId: "addNote",
    method: "post",
    path: "/api/v1/install-code-requests/{reference}/notes",
    summary: "Add a note",
    description: "Plain text, up to 4,000 characters; never an Install Code (refused). The other parties are emailed that there is a note, never its text.",
    request: { params: referenceParam, headers: idempotencyHeader, ...body(addNoteSchema.omit({ reference: true }), { body: "The meter is in the garage." }) },
    responses: {
      201: { description: "Added.", content: json(z.object({ reference: z.string(), noteId: z.string() }).meta({ id: "NoteAdded" })) },
      409: error("The request is closed.", { code: "CONFLICT", message: "This request is closed: it can no longer be changed" }),
      ...NOT_FOUND,
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "provideInstallCode",
    method: "post",
    path: "/api/v1/install-code-requests/{reference}/install-code",
    summary: "Answer with the Install Code (the assigned Supplier)",
    description:
      "12 to 32 hexadecimal digits, with or without the 4-digit CRC printed on the label (checked when given). To replace an earlier code of yours, say why in `reason` (plain text, up to 300 characters, shown to the raiser on the request page; required for a replacement, ignored otherwise).",
    request: { params: referenceParam, headers: idempotencyHeader, ...body(provideInstallCodeSchema.omit({ reference: true }), { installCode: "83FED3407A939723A5C639B26916D505C3B5" }) },
    responses: {
      200: { description: "Answered: the raiser is emailed that the answer is ready.", content: json(requestSummarySchema) },
      403: error("Your organisation is not assigned this request.", { code: "FORBIDDEN", message: "Only the organisation this request is assigned to can provide the Install Code" }),
      409: error("The request is closed."),
      ...NOT_FOUND,
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "closeRequest",
    method: "post",
    path: "/api/v1/install-code-requests/{reference}/close",
    summary: "Close a request (the raiser, once it has the code)",
    description: "Only once an Install Code has been given (status RESPONDED): before that, withdraw the request instead.",
    request: { params: referenceParam, headers: idempotencyHeader },
    responses: {
      200: { description: "Closed: read-only from now on.", content: json(requestSummarySchema) },
      403: error("Only the raising organisation can close it.", { code: "FORBIDDEN", message: "Only the organisation that raised this request can close it" }),
      409: error("No Install Code given yet, or already closed.", { code: "CONFLICT", message: NOTHING_TO_CLOSE_MESSAGE }),
      ...NOT_FOUND,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "withdrawRequest",
    method: "post",
    path: "/api/v1/install-code-requests/{reference}/withdraw",
    summary: "Withdraw a request before any Install Code is given (the raiser)",
    description:
      "Ends the request (status CLOSED) with a reason: RAISED_IN_ERROR, NO_LONGER_NEEDED or OTHER with `detail` (plain text, up to 300 characters, never an Install Code). The assigned Supplier is emailed the listed reason (never your words).",
    request: {
      params: referenceParam,
      headers: idempotencyHeader,
      ...body(
        z.object({
          reason: z.enum(WITHDRAW_REASON_CODES).meta({ description: "Why your organisation withdraws it." }),
          detail: z.string().max(WITHDRAW_DETAIL_MAX).optional().meta({ description: "Required for OTHER; ignored otherwise." }),
        }),
        { reason: "NO_LONGER_NEEDED" },
      ),
    },
    responses: {
      200: { description: "Withdrawn: closed, read-only from now on.", content: json(requestSummarySchema) },
      403: error("Only the raising organisation can withdraw it.", { code: "FORBIDDEN", message: "Only the organisation that raised this request can withdraw it" }),
      409: error("An Install Code has been given (close it instead), or already closed.", { code: "CONFLICT", message: WITHDRAW_AFTER_ANSWER_MESSAGE }),
      ...NOT_FOUND,
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "reassignRequest",
    method: "post",
    path: "/api/v1/install-code-requests/{reference}/reassign",
    summary: "Reassign a request to another Supplier (the DCC Helpdesk)",
    request: {
      params: referenceParam,
      headers: idempotencyHeader,
      ...body(
        z.object({ organisation: reassignRequestSchema.shape.organisationCode.meta({ description: "The Supplier's SEC Party code or full name." }), reason: reassignRequestSchema.shape.reason }),
        { organisation: "EGP", reason: "The SMI shows Eastgate pre-notified this Device" },
      ),
    },
    responses: {
      200: { description: "Reassigned: the new assignee's five Working Days start now.", content: json(requestSummarySchema) },
      403: error("Only the DCC Helpdesk reassigns.", { code: "FORBIDDEN", message: "Only the DCC Helpdesk can reassign a request" }),
      409: error("The request is closed."),
      ...NOT_FOUND,
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "declineRequest",
    method: "post",
    path: "/api/v1/install-code-requests/{reference}/decline",
    summary: "Decline a request: not our Device (the assigned Supplier)",
    description:
      "Instead of an Install Code, say why your organisation cannot answer: NOT_PRE_NOTIFIED (you did not pre-notify the Device), ALREADY_COMMISSIONED (you have already commissioned it) or OTHER with `detail` (plain text, up to 300 characters, never an Install Code). This is your response: your five Working Days stop. The request goes to the DCC Helpdesk, which reassigns it or closes it as not possible; the raiser is emailed the listed reason (never your words).",
    request: {
      params: referenceParam,
      headers: idempotencyHeader,
      ...body(
        z.object({
          reason: z.enum(DECLINE_REASON_CODES).meta({ description: "Why your organisation declines." }),
          detail: z.string().max(DECLINE_DETAIL_MAX).optional().meta({ description: "Required for OTHER; ignored otherwise." }),
        }),
        { reason: "NOT_PRE_NOTIFIED" },
      ),
    },
    responses: {
      200: { description: "Declined: the request waits for the DCC Helpdesk (status DECLINED).", content: json(requestSummarySchema) },
      403: error("Your organisation is not assigned this request.", { code: "FORBIDDEN", message: "Only the organisation this request is assigned to can decline it" }),
      409: error("Already declined or answered, or closed.", { code: "CONFLICT", message: "Your organisation has already declined this request: the DCC Helpdesk will reassign it or close it as not possible" }),
      ...NOT_FOUND,
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "closeRequestAsNotPossible",
    method: "post",
    path: "/api/v1/install-code-requests/{reference}/close-not-possible",
    summary: "Close a declined request as not possible (the DCC Helpdesk)",
    description: "For a request its assigned Supplier declined and no other Supplier can answer. The reason (plain text, up to 500 characters) is shown to the raiser, who is emailed that the request was closed.",
    request: { params: referenceParam, headers: idempotencyHeader, ...body(closeNotPossibleSchema.omit({ reference: true }), { reason: "The SMI shows no Supplier holds this Device's Install Code" }) },
    responses: {
      200: { description: "Closed: read-only from now on.", content: json(requestSummarySchema) },
      403: error("Only the DCC Helpdesk closes a request as not possible.", { code: "FORBIDDEN", message: "Only the DCC Helpdesk can close a request as not possible" }),
      409: error("The request is not declined, or is closed.", { code: "CONFLICT", message: NOT_DECLINED_MESSAGE }),
      ...NOT_FOUND,
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "getDevice",
    method: "get",
    path: "/api/v1/devices/{deviceId}",
    summary: "Look up a Device in the Smart Metering Inventory",
    description: "The SMI's facts, and whether your organisation can raise a request for it now (if not, why).",
    request: { params: z.object({ deviceId: lookUpDeviceSchema.shape.deviceId.meta({ example: "00-DB-12-34-56-78-90-A0" }) }) },
    responses: {
      200: { description: "The Device.", content: json(deviceSchema) },
      404: error("No such Device in the SMI.", { code: "NOT_FOUND", message: "No Device 00-DB-12-34-56-78-90-A0 in the Smart Metering Inventory" }),
      422: BODY_ERRORS[422],
      ...COMMON_ERRORS,
    },
  });
  const deviceParam = z.object({ deviceId: lookUpDeviceSchema.shape.deviceId.meta({ example: "00-DB-12-34-56-78-90-A0" }) });
  r.registerPath({
    operationId: "lodgeInstallCode",
    method: "put",
    path: "/api/v1/devices/{deviceId}/install-code",
    summary: "Lodge a Device's Install Code in advance (the installing Supplier)",
    description:
      "For a Device your organisation pre-notified that is not commissioned yet. A request raised for it later is answered at once with this code. Only your organisation can see it until then; it is dropped when the SMI says the Device is commissioned. Lodging again replaces it.",
    request: { params: deviceParam, ...body(lodgeInstallCodeSchema.omit({ deviceId: true }), { installCode: "83FED3407A939723A5C639B26916D505C3B5" }) },
    responses: {
      201: { description: "Lodged.", content: json(lodgedSchema) },
      200: { description: "Replaced your earlier code.", content: json(lodgedSchema) },
      403: error("The helpdesk does not lodge codes.", { code: "FORBIDDEN", message: "Only Supplier users can lodge an Install Code" }),
      ...BODY_ERRORS,
      ...COMMON_ERRORS,
    },
  });
  r.registerPath({
    operationId: "withdrawLodgedInstallCode",
    method: "delete",
    path: "/api/v1/devices/{deviceId}/install-code",
    summary: "Withdraw a lodged Install Code",
    request: { params: deviceParam },
    responses: {
      204: { description: "Withdrawn." },
      403: error("The helpdesk does not lodge codes."),
      404: error("Your organisation has no code lodged for the Device.", { code: "NOT_FOUND", message: "Your organisation has no Install Code lodged for Device 00-DB-12-34-56-78-90-A0" }),
      422: BODY_ERRORS[422],
      ...COMMON_ERRORS,
    },
  });
  return r;
}

let cached: object | null = null;

/** The document (built once per process). */
export function openApiDocument(): object {
  cached ??= new OpenApiGeneratorV31(registry().definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Install Code Request portal: Service User API",
      version: "1.1.0",
      description:
        "The Request for Install Code process of SEC modification SECMP0121, for Suppliers' and the DCC Helpdesk's systems. Authenticate with `Authorization: Bearer <API key>`. Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`. Install Codes are secrets: only the raising organisation and the organisation that gave a code can read it, and every read is recorded.",
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
  });
  return cached;
}
