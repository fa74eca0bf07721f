import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Bundling PGlite breaks it at run time (it resolves its files from its own package folder).
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter"],
  // Never copy the embedded database or generated secrets into a build.
  outputFileTracingExcludes: { "*": ["data/**"] },
};

export default nextConfig;
