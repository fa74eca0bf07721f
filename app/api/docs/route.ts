import { docsPage, nonceOf } from "@/lib/api/docs-page";

// The API's documentation, rendered from /api/v1/openapi.json by a self-hosted Swagger UI.
export function GET(request: Request): Response {
  return docsPage(nonceOf(request));
}
