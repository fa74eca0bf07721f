import * as devices from "@/app/api/v1/devices/[deviceId]/route";
import * as lodged from "@/app/api/v1/devices/[deviceId]/install-code/route";
import * as requests from "@/app/api/v1/install-code-requests/route";
import * as bulk from "@/app/api/v1/install-code-requests/bulk/route";
import * as one from "@/app/api/v1/install-code-requests/[reference]/route";
import * as notes from "@/app/api/v1/install-code-requests/[reference]/notes/route";
import * as installCode from "@/app/api/v1/install-code-requests/[reference]/install-code/route";
import * as close from "@/app/api/v1/install-code-requests/[reference]/close/route";
import * as reassign from "@/app/api/v1/install-code-requests/[reference]/reassign/route";
import * as decline from "@/app/api/v1/install-code-requests/[reference]/decline/route";
import * as withdraw from "@/app/api/v1/install-code-requests/[reference]/withdraw/route";
import * as closeNotPossible from "@/app/api/v1/install-code-requests/[reference]/close-not-possible/route";
import * as openapi from "@/app/api/v1/openapi.json/route";

// Calls /api/v1's route handlers as Next would: a real Request, the path's parameters, the answer's
// status, headers and JSON. Paths are matched against the route files' own templates.

type Handler = (request: Request, context: { params?: Promise<Record<string, string>> }) => Promise<Response>;
type Module = Partial<Record<"GET" | "POST" | "PUT" | "DELETE", unknown>>;

/** Each route file under app/api/v1, by its path template ({name} for a [name] folder). */
export const API_ROUTE_FILES: Record<string, { file: string; module: Module }> = {
  "/api/v1/install-code-requests": { file: "app/api/v1/install-code-requests/route.ts", module: requests },
  "/api/v1/install-code-requests/bulk": { file: "app/api/v1/install-code-requests/bulk/route.ts", module: bulk },
  "/api/v1/install-code-requests/{reference}": { file: "app/api/v1/install-code-requests/[reference]/route.ts", module: one },
  "/api/v1/install-code-requests/{reference}/notes": { file: "app/api/v1/install-code-requests/[reference]/notes/route.ts", module: notes },
  "/api/v1/install-code-requests/{reference}/install-code": { file: "app/api/v1/install-code-requests/[reference]/install-code/route.ts", module: installCode },
  "/api/v1/install-code-requests/{reference}/close": { file: "app/api/v1/install-code-requests/[reference]/close/route.ts", module: close },
  "/api/v1/install-code-requests/{reference}/reassign": { file: "app/api/v1/install-code-requests/[reference]/reassign/route.ts", module: reassign },
  "/api/v1/install-code-requests/{reference}/decline": { file: "app/api/v1/install-code-requests/[reference]/decline/route.ts", module: decline },
  "/api/v1/install-code-requests/{reference}/withdraw": { file: "app/api/v1/install-code-requests/[reference]/withdraw/route.ts", module: withdraw },
  "/api/v1/install-code-requests/{reference}/close-not-possible": { file: "app/api/v1/install-code-requests/[reference]/close-not-possible/route.ts", module: closeNotPossible },
  "/api/v1/devices/{deviceId}": { file: "app/api/v1/devices/[deviceId]/route.ts", module: devices },
  "/api/v1/devices/{deviceId}/install-code": { file: "app/api/v1/devices/[deviceId]/install-code/route.ts", module: lodged },
  "/api/v1/openapi.json": { file: "app/api/v1/openapi.json/route.ts", module: openapi },
};

function match(pathname: string): { module: Module; params: Record<string, string> } {
  const segments = pathname.split("/");
  for (const [template, route] of Object.entries(API_ROUTE_FILES)) {
    const parts = template.split("/");
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    if (parts.every((part, i) => (part.startsWith("{") ? ((params[part.slice(1, -1)] = decodeURIComponent(segments[i]!)), true) : part === segments[i]))) {
      return { module: route.module, params };
    }
  }
  throw new Error(`no route file for ${pathname}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer is whatever JSON the route sent: the tests assert its shape
export type ApiResponse = { status: number; headers: Headers; json: any };

export async function api(
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  options: { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const url = new URL(path, "http://127.0.0.1:3000");
  const { module, params } = match(url.pathname);
  const handler = module[method] as Handler | undefined;
  if (!handler) return { status: 405, headers: new Headers(), json: null };
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  // As Next.js calls it: a route with no dynamic segment gets no params at all.
  const context = Object.keys(params).length > 0 ? { params: Promise.resolve(params) } : {};
  const response = await handler(new Request(url, { method, headers, body }), context as { params: Promise<Record<string, string>> });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}
