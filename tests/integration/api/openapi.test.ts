import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/keys";
import { addDevice, closeSeededDatabase, ON_POSTGRES, openSeededDatabase } from "../requests/support";
import { api, API_ROUTE_FILES } from "./client";

// The OpenAPI document: valid OpenAPI 3.1, listing every route handler under app/api/v1 with each of
// its methods, and enough on its own for a Supplier's system to do the whole lifecycle: the test
// below finds every path and method by operationId in the document it fetched, fills the path
// templates, sends the document's own examples where it can, and validates every answer against the
// document's response schema for its status.

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema: object }> }> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

function routeFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFilesUnder(full) : entry.name === "route.ts" ? [full] : [];
  });
}

describe(`the OpenAPI document (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let document: Document;
  beforeAll(async () => {
    await openSeededDatabase();
    const answer = await api("GET", "/api/v1/openapi.json");
    expect(answer.status).toBe(200);
    document = answer.json;
  });
  afterAll(closeSeededDatabase);

  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("lists every route handler under app/api/v1, with each method it exports, and nothing else", async () => {
    const files = routeFilesUnder("app/api/v1").sort();
    expect(Object.values(API_ROUTE_FILES).map((r) => r.file).sort()).toEqual(files);
    const exported = Object.entries(API_ROUTE_FILES)
      .filter(([template]) => template !== "/api/v1/openapi.json")
      .flatMap(([template, route]) => ["GET", "POST", "PUT", "DELETE"].filter((m) => m in route.module).map((m) => `${m.toLowerCase()} ${template}`));
    const documented = Object.entries(document.paths).flatMap(([template, operations]) => Object.keys(operations).map((m) => `${m} ${template}`));
    expect(documented.sort()).toEqual(exported.sort());
    for (const operations of Object.values(document.paths)) for (const operation of Object.values(operations)) expect(operation.operationId).toBeTruthy();
  });

  it("is all a Supplier's system needs for the whole lifecycle", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, schema] of Object.entries(document.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    const operations = new Map(
      Object.entries(document.paths).flatMap(([template, methods]) => Object.entries(methods).map(([method, op]) => [op.operationId, { template, method: method.toUpperCase(), op }] as const)),
    );
    const gaining = (await createApiKey({ organisationCode: "NWE", name: "lifecycle raiser" })).key;
    const installing = (await createApiKey({ organisationCode: "SFP", name: "lifecycle answerer" })).key;

    async function call(operationId: string, key: string, params: Record<string, string>, body?: unknown) {
      const found = operations.get(operationId);
      expect(found, operationId).toBeDefined();
      const { template, method, op } = found!;
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
      const answer = await api(method as "GET" | "POST", url, { key, body });
      const response = op.responses[String(answer.status)];
      expect(response, `${operationId} answered ${answer.status}, which the document does not list: ${JSON.stringify(answer.json)}`).toBeDefined();
      const schema = response!.content?.["application/json"]?.schema;
      if (schema) {
        const check = ajv.compile({ ...schema, $defs: undefined });
        expect(check(answer.json), `${operationId} ${answer.status}: ${ajv.errorsText(check.errors)}`).toBe(true);
      }
      return answer;
    }

    const deviceId = await addDevice("SFP");
    const device = await call("getDevice", gaining, { deviceId });
    expect(device.json.raise.possible).toBe(true);
    const raised = await call("raiseRequest", gaining, {}, { deviceId, note: "Customer moved in on 1 December" });
    expect(raised.status).toBe(201);
    const reference: string = raised.json.reference;
    // The installing Supplier's system finds what it owes in its list.
    const owed = await call("listRequests", installing, {});
    expect(owed.json.requests.map((r: { reference: string }) => r.reference)).toContain(reference);
    expect((await call("addNote", installing, { reference }, { body: "On it" })).status).toBe(201);
    // The document's own example body answers.
    const example = (document.paths["/api/v1/install-code-requests/{reference}/install-code"]!.post as unknown as { requestBody: { content: Record<string, { example: unknown }> } }).requestBody.content["application/json"]!.example;
    expect((await call("provideInstallCode", installing, { reference }, example)).status).toBe(200);
    const read = await call("getRequest", gaining, { reference });
    expect(read.json.installCode).toMatch(/^[0-9A-F]{32}$/);
    expect((await call("closeRequest", gaining, { reference })).json.status).toBe("CLOSED");
    // Refusals are in the document too, with its error schema.
    expect((await call("closeRequest", gaining, { reference })).status).toBe(409);
    expect((await call("getRequest", installing, { reference: "RIC9999999" })).status).toBe(404);
  });
});
