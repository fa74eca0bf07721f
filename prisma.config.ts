import { defineConfig } from "prisma/config";

// The CLI (migrate dev/diff/status) talks to DATABASE_URL, or by default to an embedded database of
// its own under ./data/prisma-cli, never to the one the running portal uses (PGlite has no lock).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "pglite:./data/prisma-cli" },
});
