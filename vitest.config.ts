import path from "node:path";
import { defineConfig } from "vitest/config";

// Tests get their own secrets and data folder, never the portal's ./data.
const testEnv = {
  NODE_ENV: "test" as const,
  DATA_DIR: path.resolve("data/test"),
  AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
  INSTALL_CODE_KEY: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
  APP_URL: "http://portal.test",
  // Tests that read log lines point the logger at their own destination; the rest stay quiet.
  LOG_LEVEL: "silent",
};

export default defineConfig({
  resolve: { alias: { "@": path.resolve(".") } },
  test: {
    env: testEnv,
    // Integration files each open their own database; two at once is plenty on two cores.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Some unit tests start an in-memory PGlite (~3 s on a quiet machine): give them room on a busy one.
        test: { name: "unit", include: ["lib/**/*.test.ts", "emails/**/*.test.ts", "tests/unit/**/*.test.ts"], testTimeout: 20_000, hookTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // Migrates one database per run; each test file's database is a copy of it (docs/decisions/032).
          globalSetup: ["tests/helpers/database-template.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
