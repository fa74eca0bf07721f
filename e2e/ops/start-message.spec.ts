import { expect, test } from "@playwright/test";
import { newDataDir, startPortal, type PortalProcess } from "./portal-process";

// `npm start` / `npm run serve` (scripts/next-start.mjs) says where to go once the server answers: the
// sign-in page at APP_URL, and the development mailbox only when emails go there (demo mode, no
// SMTP_URL).

test.describe.configure({ timeout: 180_000 });

async function stop(portal: PortalProcess | undefined) {
  if (!portal) return;
  portal.child.kill("SIGTERM");
  await portal.exited;
}

async function announcement(portal: PortalProcess): Promise<string> {
  await expect.poll(() => portal.output(), { timeout: 20_000 }).toContain("Install Code Request portal ready at");
  return portal.output();
}

test("demo mode without a mail server: the sign-in page and the development mailbox, at APP_URL", async () => {
  const port = 3121;
  const data = newDataDir();
  let portal: PortalProcess | undefined;
  try {
    portal = await startPortal(data.dir, port);
    const output = await announcement(portal);
    expect(output).toContain(`Install Code Request portal ready at http://127.0.0.1:${port}\n`);
    expect(output).toContain(`  Sign in:             http://127.0.0.1:${port}/sign-in\n`);
    expect(output).toContain(`  Development mailbox: http://127.0.0.1:${port}/dev/mailbox`);
    expect(output).toContain("Demo accounts are listed on the sign-in page.");
    // Said once, and the addresses answer.
    expect(output.split("portal ready at").length).toBe(2);
    expect((await fetch(`http://127.0.0.1:${port}/sign-in`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/dev/mailbox`)).status).toBe(200);
  } finally {
    await stop(portal);
    data.remove();
  }
});

test("with SMTP_URL set there is no mailbox to point at; with no APP_URL the address follows PORT", async () => {
  const port = 3122;
  const data = newDataDir();
  let portal: PortalProcess | undefined;
  try {
    // Nothing listens on port 9: emails wait in the outbox, which is all this needs.
    portal = await startPortal(data.dir, port, { SMTP_URL: "smtp://127.0.0.1:9", APP_URL: "" });
    const output = await announcement(portal);
    expect(output).toContain(`  Sign in:             http://localhost:${port}/sign-in\n`);
    expect(output).not.toContain("Development mailbox");
  } finally {
    await stop(portal);
    data.remove();
  }
});
