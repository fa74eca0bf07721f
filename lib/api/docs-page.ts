import { readFile } from "node:fs/promises";
import path from "node:path";

// /api/docs: the OpenAPI document rendered by Swagger UI (swagger-ui-dist, a kept package), served
// from this portal: no CDN. Its script runs under the portal's Content-Security-Policy with the
// request's nonce (docs/decisions/021-service-user-api.md).

const ASSETS: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
};

export async function docsAsset(name: string): Promise<Response> {
  const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!type) return new Response("Not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const file = await readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", name));
  return new Response(new Uint8Array(file), { headers: { "Content-Type": type, "Cache-Control": "public, max-age=86400" } });
}

/** The nonce proxy.ts put in the request's Content-Security-Policy header, for this page's scripts. */
export function nonceOf(request: Request): string {
  const match = /'nonce-([A-Za-z0-9+/=]+)'/.exec(request.headers.get("content-security-policy") ?? "");
  return match?.[1] ?? "";
}

export function docsPage(nonce: string): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API documentation – Install Code Request portal</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<main>
<h1 style="font-family: system-ui, sans-serif; margin: 1rem 1.25rem 0">Install Code Request portal: Service User API</h1>
<p style="font-family: system-ui, sans-serif; margin: 0.5rem 1.25rem">The document itself: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Create an API key on the portal's Settings page, then use "Authorize".</p>
<div id="swagger-ui"></div>
</main>
<script nonce="${nonce}" src="/api/docs/swagger-ui-bundle.js"></script>
<script nonce="${nonce}">
window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: false, tryItOutEnabled: false });
</script>
</body>
</html>
`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
