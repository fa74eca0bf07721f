import { openApiDocument } from "@/lib/api/openapi";

// The API's OpenAPI 3.1 document: public (it holds no data), generated from the zod schemas.
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}
