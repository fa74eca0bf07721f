import { expect, test, type Browser, type Page, type Response } from "@playwright/test";
import { SMTP_SINK_PORT } from "../../playwright.config";
import { getWithHost } from "../support/host-header";
import { escapeAttribute, OtherOrigin } from "../support/other-origin";
import { followSignInLink, requestSignInLink, signInThroughSink } from "../support/sign-in";
import { firstLink, SmtpSink } from "../support/smtp-sink";
import { ALICE } from "../support/people";

const sink = new SmtpSink(SMTP_SINK_PORT);
const otherSite = new OtherOrigin();
test.beforeAll(async () => {
  await sink.start();
  await otherSite.start();
});
test.afterAll(async () => {
  await sink.stop();
  await otherSite.stop();
});

const DEVICE = "00-DB-30-11-00-00-00-03"; // Whitelisted, pre-notified by Eastgate: Northwind may ask for its code

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughSink(page, sink, email);
  await expect(page.getByTestId("organisation-name")).toBeVisible();
  return page;
}

/** Alice's open request for DEVICE: raised by the first test that needs it, found again by the others. */
async function openRequest(page: Page): Promise<string> {
  await page.goto("/requests/new");
  await page.getByLabel("Device ID").fill(DEVICE);
  await page.getByRole("button", { name: "Raise request" }).click();
  await expect(page).toHaveURL(/\/requests\/RIC\d{7}\?(raised|existing)=1$/);
  return page.url().match(/RIC\d{7}/)![0];
}

/** Every response from the portal to `page`, from now on. */
function portalResponses(page: Page, baseURL: string): Response[] {
  const seen: Response[] = [];
  page.on("response", (response) => {
    if (response.url().startsWith(baseURL)) seen.push(response);
  });
  return seen;
}

/** Console errors the browser reports against the Content-Security-Policy (a blocked script, style or frame). */
function policyErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      errors.push(message.text());
    }
  });
  return errors;
}

function scriptSrc(csp: string): string {
  return csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
}

function expectSecurityHeaders(url: string, headers: Record<string, string>) {
  const csp = headers["content-security-policy"] ?? "";
  expect(scriptSrc(csp), url).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'$/);
  expect(csp, url).not.toContain("unsafe-eval");
  for (const directive of [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "connect-src 'self'",
  ]) {
    expect(csp, url).toContain(directive);
  }
  // Served over http here: no HSTS, no upgrade of requests to https.
  expect(csp, url).not.toContain("upgrade-insecure-requests");
  expect(headers["strict-transport-security"], url).toBeUndefined();
  expect(headers["x-frame-options"], url).toBe("DENY");
  expect(headers["x-content-type-options"], url).toBe("nosniff");
  expect(headers["referrer-policy"], url).toBe(new URL(url).pathname === "/sign-in/confirm" ? "no-referrer" : "same-origin");
  expect(headers["cross-origin-opener-policy"], url).toBe("same-origin");
  for (const feature of ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]) {
    expect(headers["permissions-policy"], url).toContain(feature);
  }
}

test("every response carries the security headers, and the page's scripts carry the request's nonce", async ({ browser, baseURL }) => {
  const page = await (await browser.newContext()).newPage();
  const responses = portalResponses(page, baseURL!);
  const errors = policyErrors(page);

  // Next.js puts the nonce of this request's policy on every script of the page, and a new request
  // gets a new nonce.
  const first = await page.goto("/sign-in");
  const nonce = (await first!.allHeaders())["content-security-policy"].match(/'nonce-([^']+)'/)![1];
  const scriptNonces = await page.locator("script").evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  const second = await page.reload();
  expect((await second!.allHeaders())["content-security-policy"]).not.toContain(nonce);

  // Signing in: the sign-in page, "Check your email", the confirmation link, the callback's redirects.
  const before = sink.to(ALICE).length;
  await requestSignInLink(page, ALICE);
  const link = firstLink(await sink.waitFor(ALICE, { after: before }));
  await followSignInLink(page, link);
  await expect(page.getByTestId("organisation-name")).toHaveText("Northwind Energy");

  const reference = await openRequest(page);
  await page.goto("/requests?queue=waiting");
  await expect(page.getByRole("link", { name: reference })).toBeVisible();
  await page.goto(`/requests/${reference}`);
  await expect(page.getByRole("heading", { name: `Request ${reference}` })).toBeVisible();
  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page).toHaveTitle(/^Page not found · /);

  const csrf = await page.request.get("/api/auth/csrf");
  expect(csrf.status()).toBe(200);
  expectSecurityHeaders(csrf.url(), csrf.headers());

  const paths = responses.map((r) => new URL(r.url()).pathname);
  for (const path of ["/sign-in", "/sign-in/check-email", "/sign-in/confirm", "/requests", `/requests/${reference}`, "/no-such-page"]) {
    expect(paths).toContain(path);
  }
  expect(paths.some((p) => p.startsWith("/api/auth/"))).toBe(true);
  expect(paths.some((p) => p.startsWith("/_next/static/"))).toBe(true);
  for (const response of responses) expectSecurityHeaders(response.url(), await response.allHeaders());
  // The portal's own scripts and styles all ran under the policy.
  expect(errors).toEqual([]);
});

test("the policy blocks scripts injected into a page's markup, while the portal's own scripts run", async ({ page, baseURL }) => {
  // What a stored cross-site scripting flaw would put into the page the server sends: a script, a
  // same-origin script file and an event handler, none carrying the request's nonce.
  const injected =
    '<script>window.__pwned = "inline"</script>' +
    '<script src="/injected.js"></script>' +
    '<img id="injected" src="/no-such-image" alt="" onerror="window.__pwned = \'handler\'">';
  await page.route(`${baseURL}/injected.js`, (route) =>
    route.fulfill({ contentType: "text/javascript", body: 'window.__pwned = "file"' }),
  );
  await page.route(`${baseURL}/sign-in`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/<body[^>]*>/, (body) => body + injected);
    expect(html).toContain(injected);
    await route.fulfill({ response, body: html }); // the portal's own headers, policy included
  });
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = violations;
    document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });

  await page.goto("/sign-in");
  // The form's checks run in the browser: the portal's scripts, with their nonce, are allowed.
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByTestId("email-error")).toHaveText("Enter your email address");

  await expect
    .poll(() => page.evaluate(() => [...(window as unknown as { __violations: string[] }).__violations].sort()))
    .toEqual(["script-src-attr inline", "script-src-elem inline", `script-src-elem ${baseURL}/injected.js`].sort());
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
});

test("a note holding markup and script shows as text and runs nothing", async ({ browser }) => {
  const alice = await signedIn(browser, ALICE);
  const dialogs: string[] = [];
  alice.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const reference = await openRequest(alice);
  const hostile = `<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b> on ${reference}`;

  await alice.getByRole("textbox", { name: "Note" }).fill(hostile);
  await alice.getByRole("button", { name: "Add note" }).click();
  await expect(alice.getByTestId("form-success")).toHaveText("Your note was added to the timeline.");
  const note = alice.getByTestId("note-body").filter({ hasText: "<b>bold</b>" });
  await expect(note).toHaveText(hostile);
  await expect(note.locator("img, script, b")).toHaveCount(0);

  // And as the server renders it for a fresh load.
  await alice.reload();
  await expect(note).toHaveText(hostile);
  await expect(note.locator("img, script, b")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("a form on another site cannot run a server action, even when the browser sends the session cookie", async ({ browser, baseURL }) => {
  const alice = await signedIn(browser, ALICE);
  const reference = await openRequest(alice);
  await alice.goto(`/requests/${reference}`); // rendered by the server: the form carries its action's fields
  const form = alice.locator("form", { has: alice.getByRole("button", { name: "Add note" }) });
  const fields = await form.evaluate((f: HTMLFormElement) => [...new FormData(f).entries()].map(([k, v]) => [k, String(v)]));
  expect(fields.some(([name]) => name.startsWith("$ACTION"))).toBe(true);

  // The attacker's page carries the very fields of the portal's form (action id included).
  const forged = `Forged from another site for ${reference}`;
  otherSite.serve(
    `<form method="post" enctype="multipart/form-data" action="${baseURL}/requests/${reference}">` +
      fields
        .map(([name, value]) =>
          name === "body"
            ? `<textarea name="body">${escapeAttribute(forged)}</textarea>`
            : `<input type="hidden" name="${escapeAttribute(name)}" value="${escapeAttribute(value)}">`,
        )
        .join("") +
      `<button type="submit">Claim your prize</button></form>`,
  );
  await alice.goto(otherSite.url);
  const [response] = await Promise.all([
    alice.waitForResponse((r) => r.url() === `${baseURL}/requests/${reference}` && r.request().method() === "POST"),
    alice.getByRole("button", { name: "Claim your prize" }).click(),
  ]);
  const sent = await response.request().allHeaders();
  expect(sent.origin).toBe(new URL(otherSite.url).origin);
  expect(sent.cookie).toContain("next-auth.session-token=");
  expect(response.status()).toBeGreaterThanOrEqual(400);
  await alice.goto(`/requests/${reference}`);
  await expect(alice.getByRole("heading", { name: `Request ${reference}` })).toBeVisible();
  await expect(alice.getByTestId("timeline")).not.toContainText(forged);

  // The same submission from the portal's own origin adds the note: the one above was refused for
  // where it came from.
  const own = `Added from the portal for ${reference}`;
  const multipart = Object.fromEntries(fields.map(([name, value]) => [name, name === "body" ? own : value]));
  const accepted = await alice.request.post(`/requests/${reference}`, { multipart, headers: { Origin: baseURL! } });
  expect(accepted.status()).toBeLessThan(400);
  await alice.reload();
  await expect(alice.getByTestId("timeline")).toContainText(own);
  await expect(alice.getByTestId("timeline")).not.toContainText(forged);
});

test("another site cannot show the portal in a frame", async ({ page, baseURL }) => {
  const errors = policyErrors(page);
  otherSite.serve(`<iframe src="${baseURL}/sign-in" title="The portal, framed" onload="document.title = 'frame loaded'"></iframe>`);
  const framed = page.waitForResponse(`${baseURL}/sign-in`);
  await page.goto(otherSite.url);
  // The portal answered; the browser refused to show the answer inside another site.
  expect((await framed).status()).toBe(200);
  await expect(page).toHaveTitle("frame loaded");
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(frame?.url()).not.toContain(baseURL!);
  await expect(page.frameLocator("iframe").getByRole("heading", { name: "Sign in" })).toHaveCount(0);
  await expect(page.frameLocator("iframe").getByLabel("Email address")).toHaveCount(0);
  expect(errors.some((e) => e.includes("frame-ancestors"))).toBe(true);
});

test("a request naming another host is refused, whatever the path; the portal's own names are answered", async ({ baseURL }) => {
  const { port } = new URL(baseURL!);
  for (const path of ["/sign-in", "/api/auth/csrf", "/api/auth/session", "/requests"]) {
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const refused = await getWithHost(baseURL!, path, host);
      expect(refused, `${host}${path}`).toEqual({
        status: 421,
        body: "Misdirected request: this portal does not answer to that host name.\n",
      });
    }
  }
  // APP_URL is http://127.0.0.1:<port>: the other loopback names on that port are the portal too.
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    const answered = await getWithHost(baseURL!, "/sign-in", host);
    expect(answered.status, host).toBe(200);
    expect(answered.body, host).toContain("Send sign-in link");
  }
  expect((await getWithHost(baseURL!, "/sign-in", "localhost:1")).status).toBe(421);
});
