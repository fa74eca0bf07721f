import { defineConfig, devices } from "@playwright/test";

// e2e runs the built portal (npm run build) twice: once sending mail through a real SMTP sink that
// the tests start on 127.0.0.1:2526, once with no SMTP server (the development mailbox).
// Each server gets a new embedded database under data/e2e-*.

// E2E_PORT_BASE moves all three (the sink, then the two portals) so that two runs can share a machine.
const PORT_BASE = Number(process.env.E2E_PORT_BASE) || 0;
export const SMTP_SINK_PORT = PORT_BASE ? PORT_BASE : 2526;
const SMTP_PORT = PORT_BASE ? PORT_BASE + 1 : 3101;
const MAILBOX_PORT = PORT_BASE ? PORT_BASE + 2 : 3102;
/** The SMTP portal's address, as its emails' links give it. */
export const SMTP_PORTAL_URL = `http://127.0.0.1:${SMTP_PORT}`;

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  },
};

function server(port: number, dataDir: string, extra: Record<string, string>) {
  return {
    command: `rm -rf ${dataDir} && npm run serve`,
    url: `http://127.0.0.1:${port}/sign-in`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe" as const,
    env: {
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      SMTP_URL: "",
      ...extra,
    },
  };
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: { trace: "retain-on-failure" },
  projects: [
    {
      name: "smtp",
      testMatch: /smtp\/.*\.spec\.ts/,
      use: { ...chromium, baseURL: SMTP_PORTAL_URL },
    },
    {
      // No browser: these start, stop and kill portal servers of their own (e2e/ops/portal-process.ts).
      name: "ops",
      testMatch: /ops\/.*\.spec\.ts/,
    },
    {
      name: "mailbox",
      testMatch: /mailbox\/.*\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${MAILBOX_PORT}` },
    },
  ],
  webServer: [
    // Every spec signs its people in again and again, all from 127.0.0.1: lift the sign-in link limits
    // here (the mailbox portal keeps the defaults, and e2e/mailbox/sign-in-limits.spec.ts tests them).
    server(SMTP_PORT, `data/e2e-smtp${PORT_BASE ? `-${PORT_BASE}` : ""}`, {
      SMTP_URL: `smtp://127.0.0.1:${SMTP_SINK_PORT}`,
      SIGN_IN_LINKS_PER_ADDRESS: "1000",
      SIGN_IN_LINKS_PER_CLIENT: "10000",
    }),
    server(MAILBOX_PORT, `data/e2e-mailbox${PORT_BASE ? `-${PORT_BASE}` : ""}`, {}),
  ],
});
