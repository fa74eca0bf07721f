import { docsAsset } from "@/lib/api/docs-page";

// Swagger UI's script and style sheet, from the installed swagger-ui-dist package.
export async function GET(_request: Request, context: { params: Promise<{ asset: string }> }): Promise<Response> {
  return docsAsset((await context.params).asset);
}
