import http from "node:http";
import { expect, test } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { killHard, newDataDir, portalEnv, runScript, startPortal, type PortalProcess } from "./portal-process";

// Stopping the portal (issue 12, part 3), on the built server in demo mode, each test with its own
// embedded database: SIGTERM lets a request in flight finish and closes the database cleanly; an
// unclean stop (kill -9) leaves a database that the next start opens, with every answered write in it.

test.describe.configure({ timeout: 240_000 });

const SOUTHFIELD_DEVICE = "00-DB-12-34-56-78-90-A1";
const EASTGATE_DEVICE = "00-DB-12-34-56-78-90-A3";
const PENDING_DEVICE = "00-DB-12-34-56-78-90-A4";
const METRICS_TOKEN = "ops-test-metrics-token-0123456789abcdef";

function preparedDataDir(port: number): { dir: string; remove: () => void; key: string } {
  const data = newDataDir();
  const env = portalEnv(data.dir, port);
  runScript(["scripts/db.ts", "prepare"], env);
  const key = runScript(["scripts/apikey.ts", "create", "--org", "NWE", "--name", "ops test"], env).trim();
  return { ...data, key };
}

async function call(portal: PortalProcess, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${portal.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("SIGTERM: the request in flight completes, no new connection is taken, and the database is closed cleanly", async () => {
  const port = 3111;
  const data = preparedDataDir(port);
  let portal: PortalProcess | undefined;
  try {
    portal = await startPortal(data.dir, port);
    const started = portal;
    // A raise whose body arrives in two parts, with SIGTERM in between: it is in flight for certain.
    const body = JSON.stringify({ deviceId: SOUTHFIELD_DEVICE, note: "Raised while the server was being stopped" });
    let sendRest: () => void = () => {};
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/v1/install-code-requests",
          agent: false,
          headers: { authorization: `Bearer ${data.key}`, "content-type": "application/json", "transfer-encoding": "chunked" },
        },
        (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on("error", reject);
      request.write(body.slice(0, 12));
      sendRest = () => request.end(body.slice(12));
    });
    await pause(700);
    started.child.kill("SIGTERM");
    await pause(1_500);
    // Stopped accepting: a new connection is refused while the first request is still open.
    const refused = await fetch(`${portal.url}/api/health`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
    sendRest();
    const result = await answer;
    expect(result.status, result.text).toBe(201);
    const reference = JSON.parse(result.text).reference as string;
    // Exits by itself, with SIGTERM's status, within the bound, having closed the database.
    expect(await started.exited).toBe(143);
    expect(started.output()).toMatch(/"msg":"stopped"/);

    // The next start opens the database; the request that was answered is in it.
    portal = await startPortal(data.dir, port);
    const fetched = await call(portal, data.key, "GET", `/api/v1/install-code-requests/${reference}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json).toMatchObject({ reference, deviceId: SOUTHFIELD_DEVICE, status: "ASSIGNED" });
    expect((await fetch(`${portal.url}/api/ready`)).status).toBe(200);
  } finally {
    if (portal) killHard(portal);
    data.remove();
  }
});

test("SIGTERM while an email is being sent: the stop waits for the mail server's answer and records the email sent, so it is never sent again", async () => {
  const port = 3113;
  const smtpPort = 3114;
  // A mail server that holds every message until the test lets it answer: the send is in flight for certain.
  let answer: () => void = () => {};
  const holding = new Promise<void>((resolve) => (answer = resolve));
  let received = 0;
  let arrived: () => void = () => {};
  const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    closeTimeout: 50,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on("end", () => {
        received++;
        arrived();
        void holding.then(() => callback());
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, "127.0.0.1", () => resolve()));
  const data = preparedDataDir(port);
  let portal: PortalProcess | undefined;
  try {
    portal = await startPortal(data.dir, port, { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
    const started = portal;
    // The raise commits and kicks the dispatcher from the API route: Southfield Power is emailed.
    const raised = await call(portal, data.key, "POST", "/api/v1/install-code-requests", { deviceId: SOUTHFIELD_DEVICE });
    expect(raised.status).toBe(201);
    await firstArrival;
    started.child.kill("SIGTERM");
    // Still waiting for the mail server: the process has not gone.
    await pause(1_500);
    expect(started.child.exitCode).toBeNull();
    answer();
    expect(await started.exited).toBe(143);
    expect(started.output()).toMatch(/"msg":"stopped"/);

    // Started again (without a mail server): the email is recorded as sent, on the request's timeline,
    // so no dispatcher sends it a second time.
    portal = await startPortal(data.dir, port);
    const fetched = await call(portal, data.key, "GET", `/api/v1/install-code-requests/${raised.json.reference}`);
    expect(fetched.status).toBe(200);
    // Each message the mail server took is recorded as sent (the dispatcher may have had more than one in hand).
    const sent = (fetched.json.timeline as { type: string }[]).filter((e) => e.type === "EMAIL_SENT").length;
    expect(received).toBeGreaterThan(0);
    expect(sent).toBe(received);
  } finally {
    answer();
    if (portal) killHard(portal);
    data.remove();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
});

test("kill -9 in the middle of writes: the next start opens the database, and every answered raise is in it", async () => {
  const port = 3112;
  const data = preparedDataDir(port);
  let portal: PortalProcess | undefined;
  try {
    portal = await startPortal(data.dir, port);
    const first = await call(portal, data.key, "POST", "/api/v1/install-code-requests", { deviceId: SOUTHFIELD_DEVICE });
    expect(first.status).toBe(201);
    // Writes in flight when the process dies: their answers never come, and that is all.
    const inFlight = [EASTGATE_DEVICE, SOUTHFIELD_DEVICE].map((deviceId) =>
      call(portal!, data.key, "POST", "/api/v1/install-code-requests", { deviceId, note: "in flight" }).catch(() => null),
    );
    await pause(30);
    killHard(portal);
    await portal.exited;
    await Promise.all(inFlight);

    portal = await startPortal(data.dir, port, { METRICS_TOKEN });
    const again = await call(portal, data.key, "GET", `/api/v1/install-code-requests/${first.json.reference}`);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ reference: first.json.reference, deviceId: SOUTHFIELD_DEVICE });
    // And it takes writes again: an in-flight raise either committed (409 now) or left nothing.
    const retried = await call(portal, data.key, "POST", "/api/v1/install-code-requests", { deviceId: EASTGATE_DEVICE });
    expect([201, 409]).toContain(retried.status);
    expect((await call(portal, data.key, "POST", "/api/v1/install-code-requests", { deviceId: PENDING_DEVICE })).status).toBe(201);

    // The metrics count pages by their route's pattern, beside the API's calls.
    const page = await fetch(`${portal.url}/requests/RIC0000001`, { redirect: "manual" });
    expect(page.status).toBe(307);
    await page.text(); // counted when the answer has finished, not when its headers arrived
    const counted = /portal_http_requests_total\{method="GET",route="\/requests\/\[reference\]",status="307"\} 1/;
    let scraped = "";
    for (let i = 0; i < 20 && !counted.test(scraped); i++) {
      if (i > 0) await pause(250);
      scraped = await (await fetch(`${portal.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    }
    expect(scraped).toMatch(counted);
    expect(scraped).toMatch(/portal_http_requests_total\{method="POST",route="\/api\/v1\/install-code-requests",status="201"\} [12]\b/);
    expect((await fetch(`${portal.url}/api/ready`)).status).toBe(200);
  } finally {
    if (portal) killHard(portal);
    data.remove();
  }
});
