import type { NextConfig } from "next";
import { staticSecurityHeaderRoutes } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Bundling PGlite breaks it at run time (it resolves its files from its own package folder).
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter"],
  // Never copy the embedded database or generated secrets into a build.
  outputFileTracingExcludes: { "*": ["data/**"] },
  // The help pages read docs/help/*.md at request time (lib/help/help-pages.ts): list them in the
  // build's file trace, so that a deployment made from the trace carries them too.
  outputFileTracingIncludes: { "/help": ["./docs/help/*.md"], "/help/[slug]": ["./docs/help/*.md"] },
  // /requests/bulk uploads a CSV of up to 5 MB (lib/requests/bulk-raise-csv.ts) through a server action.
  experimental: { serverActions: { bodySizeLimit: "6mb" } },
  // The fixed security headers; proxy.ts adds the Content-Security-Policy (a nonce per request).
  async headers() {
    return staticSecurityHeaderRoutes();
  },
};

export default nextConfig;
