import { expect, test, type Page } from "@playwright/test";
import { checkPage, visitAndCheck } from "../support/every-page";
import { provideCode, raise } from "../support/requests";
import { requestSignInLink, signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, LABEL_CODE } from "../support/people";

// Every page, for each role and in each state a person reaches it (empty, filled, refused with
// errors, each queue), wide and at 320 px: no WCAG 2.2 A/AA violation at any impact, and nothing to
// scroll sideways at 320 px or 360 px (e2e/support/every-page.ts). The checks are soft, so one run
// lists every failure. The development mailbox's pages: e2e/mailbox/every-page.spec.ts.

const sink = smtpSinkForFile();

// Pre-notified by Southfield (lib/db/seed.ts), raised by no other spec: one per journey below.
const WITHDRAWN_DEVICE = "00-DB-20-24-00-00-00-02";
const ANSWERED_DEVICE = "00-DB-20-25-00-00-00-02";
const DECLINED_DEVICE = "00-DB-20-26-00-00-00-02";
// Each test walks many pages, each checked four times (axe wide and narrow, two widths measured).
test.describe.configure({ timeout: 180_000 });

const GUIDES = ["gaining-supplier", "installing-supplier", "helpdesk", "api"];

/** Submits the page's form with `button` and waits for the error summary at the top. */
async function refuse(page: Page, button: string, label: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(page.getByTestId("error-summary")).toBeVisible();
  await checkPage(page, `${label}, refused`);
}

test("signed out: home, sign-in (empty and refused), check your email, help, and the 404 page", async ({ page }) => {
  await visitAndCheck(page, "/", "Request for Install Code");
  await visitAndCheck(page, "/sign-in", "Sign in");
  await page.getByLabel("Email address").fill("not an address");
  await refuse(page, "Send sign-in link", "/sign-in");
  await requestSignInLink(page, "nobody@nowhere.example");
  await checkPage(page, "/sign-in/check-email");
  await visitAndCheck(page, "/sign-in/confirm", "Sign-in link incomplete");
  await visitAndCheck(page, "/help", /.+/);
  for (const guide of GUIDES) await visitAndCheck(page, `/help/${guide}`, /^Guide for|^Connecting/);
  await visitAndCheck(page, "/no-such-page", "Page not found");
  await visitAndCheck(page, "/invitations/accept?token=not-a-token", /.+/);
});

test("Alice, a gaining Supplier: her queues, raising (empty, refused, raised), withdrawing", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE, "/");
  await checkPage(alice, "/ (Alice)");
  await visitAndCheck(alice, "/requests/new", "Raise a Request for Install Code");
  await alice.getByLabel("Device ID").fill("00-DB-12-34-56-78-90-FF");
  await refuse(alice, "Raise request", "/requests/new");

  const reference = await raise(alice, WITHDRAWN_DEVICE, "The Consumer moved in on 2 November.");
  await checkPage(alice, "request raised (Alice)");
  for (const queue of ["waiting", "answered", "needs-response", "closed", "all"]) {
    await visitAndCheck(alice, `/requests?queue=${queue}`, "Requests", `/requests?queue=${queue} (Alice)`);
  }
  await visitAndCheck(alice, `/requests?queue=all&q=no-such-thing`, "Requests", "/requests, a search that finds nothing (Alice)");

  await visitAndCheck(alice, `/requests/${reference}/withdraw`, "Withdraw request");
  await refuse(alice, "Withdraw request", "withdraw");
  await alice.getByLabel("Raised in error").check();
  await alice.getByRole("button", { name: "Withdraw request", exact: true }).click();
  await expect(alice.getByTestId("form-success")).toBeVisible();
  await checkPage(alice, "request withdrawn (Alice)");

});

test("Alice: search, the unknown request, bulk raising, lodging, her figures, profile and settings", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE, "/");
  await visitAndCheck(alice, `/search?q=${WITHDRAWN_DEVICE}`, "Requests", "/search by Device ID: its requests");
  await visitAndCheck(alice, "/search?q=nothing-like-this", "Search", "/search, nothing found");
  await visitAndCheck(alice, "/requests/RIC9999999", "Page not found", "an unknown request (Alice)");
  await visitAndCheck(alice, "/requests/bulk", "Raise requests from a CSV file");
  await visitAndCheck(alice, "/devices/lodge", "Lodge Install Codes");
  await visitAndCheck(alice, "/performance", /^Performance of/);
  await visitAndCheck(alice, "/profile", "Your profile");
  await visitAndCheck(alice, "/settings", /^Settings of/);
  await visitAndCheck(alice, "/settings/users", /^People of/);
  await alice.getByLabel("Email address").fill("not an address");
  await refuse(alice, "Send invitation", "/settings/users invitation");
  await visitAndCheck(alice, "/settings/notifications", "Email notifications");
  await visitAndCheck(alice, "/settings/api-keys", /^API keys of/);
  await visitAndCheck(alice, "/settings/webhooks", "Webhooks");
  await visitAndCheck(alice, "/help", /.+/, "/help (Alice)");
});

test("Bob, the installing Supplier: the request to answer (refused, answered, replacing), declining, lodging", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE);
  const reference = await raise(alice, ANSWERED_DEVICE);
  const declined = await raise(alice, DECLINED_DEVICE);

  const bob = await signedIn(browser, sink, BOB, `/requests/${reference}`);
  await checkPage(bob, "a request to answer (Bob)");
  await bob.getByLabel("Install Code", { exact: true }).fill(`${LABEL_CODE.slice(0, -1)}6`);
  await refuse(bob, "Provide the Install Code", "a request to answer");
  await provideCode(bob, LABEL_CODE);
  await checkPage(bob, "a request answered (Bob)");
  await visitAndCheck(bob, `/requests/${reference}/replace-code`, /Replace/);
  await refuse(bob, "Replace the Install Code", "replace-code");
  for (const queue of ["needs-response", "waiting", "answered", "closed", "all"]) {
    await visitAndCheck(bob, `/requests?queue=${queue}`, "Requests", `/requests?queue=${queue} (Bob)`);
  }

  await visitAndCheck(bob, `/requests/${declined}/decline`, /^Decline request/);
  await refuse(bob, "Decline request", "decline");
  await visitAndCheck(bob, "/devices/lodge", "Lodge Install Codes", "/devices/lodge (Bob)");
  await bob.getByRole("button", { name: /Lodge/ }).first().click();
  await expect(bob.getByTestId("error-summary")).toBeVisible();
  await checkPage(bob, "/devices/lodge, refused");

  // Alice reads the answer, reveals it and closes the request: her pages in those states.
  await alice.goto(`/requests/${reference}`);
  await checkPage(alice, "a request answered (Alice)");
  await alice.getByRole("button", { name: /Reveal/ }).click();
  await expect(alice.getByTestId("install-code-value")).toBeVisible();
  await checkPage(alice, "the Install Code revealed (Alice)");
  await visitAndCheck(alice, `/requests/${reference}/close`, "Close request");
  await alice.getByRole("button", { name: "Close request", exact: true }).click();
  await expect(alice.getByTestId("form-success")).toBeVisible();
  await checkPage(alice, "a request closed (Alice)");
});

test("Dana, the helpdesk: dashboard, queues, a declined request (reassign, close as not possible), reports, audit, organisations", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE);
  const reference = await raise(alice, DECLINED_DEVICE);
  const bob = await signedIn(browser, sink, BOB, `/requests/${reference}/decline`);
  // Already declined when this test runs again (a retry): the page then says so, with no form.
  const reason = bob.getByLabel("Not pre-notified by us");
  if (await reason.isVisible()) {
    await reason.check();
    await bob.getByRole("button", { name: "Decline request", exact: true }).click();
    await expect(bob.getByTestId("form-success")).toBeVisible();
  }

  const dana = await signedIn(browser, sink, DANA, "/helpdesk");
  await checkPage(dana, "/helpdesk");
  for (const queue of ["at-risk", "breached", "unassignable", "all"]) {
    await visitAndCheck(dana, `/requests?queue=${queue}`, "Requests", `/requests?queue=${queue} (Dana)`);
  }
  await visitAndCheck(dana, `/requests/${reference}`, new RegExp(reference), "a declined request (Dana)");
  await visitAndCheck(dana, `/requests/${reference}/reassign`, "Reassign request");
  await refuse(dana, "Reassign request", "reassign");
  await visitAndCheck(dana, `/requests/${reference}/close-not-possible`, /not possible/i);
  await refuse(dana, "Close as not possible", "close-not-possible");

  await visitAndCheck(dana, "/helpdesk/emails", "Emails waiting or failed");
  await visitAndCheck(dana, "/helpdesk/reports", "Install Code obligation reports");
  const month = await dana.locator('a[href^="/helpdesk/reports/"]').first().getAttribute("href");
  expect(month).toBeTruthy();
  await visitAndCheck(dana, month!, /^Install Code obligation report: /);
  await visitAndCheck(dana, "/helpdesk/reports/2099-13", /.+/, "an impossible report month");
  await visitAndCheck(dana, "/audit", "Audit log");
  await visitAndCheck(dana, "/admin/organisations", "Organisations");
  await visitAndCheck(dana, "/admin/organisations/SFP", "Southfield Power");
  await visitAndCheck(dana, "/inventory/imports", "Smart Metering Inventory imports");
  await visitAndCheck(dana, `/search?q=${reference}`, new RegExp(reference), "/search by reference (Dana)");
});
