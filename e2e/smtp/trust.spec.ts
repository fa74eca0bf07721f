import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { followSignInLink, requestSignInLink, signInThroughSink } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";

const sink = smtpSinkForFile();

test("a query value that names an object's prototype is a page with a message, not a server error", async ({ page }) => {
  for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
    const response = await page.goto(`/sign-in?error=${key}`);
    expect(response?.status(), key).toBe(200);
    await expect(page.getByTestId("sign-in-error")).toHaveText("Sign-in failed. Ask for a new link below.");
  }
  await signInThroughSink(page, sink, "alice@northwind.example");
  await expect(page.getByTestId("organisation-name")).toHaveText("Northwind Energy");
  for (const status of ["__proto__", "constructor", "toString"]) {
    const response = await page.goto(`/requests?status=${status}`);
    expect(response?.status(), status).toBe(200);
    await expect(page.getByText(`There is no status "${status}": showing every request.`)).toBeVisible();
  }
  for (const path of ["/requests/__proto__", "/requests/constructor", "/audit?type=__proto__"]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
  }
});

test("the helpdesk reads who signed in, from where, on the audit log, filters it and downloads it; a Supplier cannot", async ({ browser }) => {
  // Erin signs in, then someone tries her spent link again: refused, and on the record.
  const erin = await (await browser.newContext()).newPage();
  const before = sink.to("erin@eastgate.example").length;
  await requestSignInLink(erin, "erin@eastgate.example");
  const link = firstLink(await sink.waitFor("erin@eastgate.example", { after: before }));
  await followSignInLink(erin, link);
  await expect(erin.getByTestId("organisation-name")).toHaveText("Eastgate Gas & Power");
  const replay = await (await browser.newContext()).newPage();
  await followSignInLink(replay, link);
  await expect(replay.getByTestId("sign-in-error")).toHaveText("That sign-in link has expired or was already used. Ask for a new one below.");

  const dana = await (await browser.newContext()).newPage();
  await signInThroughSink(dana, sink, "dana@dcc.example");
  await expect(dana.getByTestId("organisation-name")).toHaveText("DCC Service Desk");
  await dana.getByRole("link", { name: "Audit log" }).click();
  await expect(dana.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expectNoSeriousA11yViolations(dana);

  const signIn = dana.getByTestId("audit-table").getByRole("row").filter({ hasText: "dana@dcc.example (DCC)" }).filter({ hasText: /^.*sign in(?! link).*$/ });
  await expect(signIn.first()).toContainText("127.0.0.1");

  await dana.getByLabel("Event").selectOption({ label: "sign in link requested" });
  await dana.getByLabel("Who").fill("DANA@dcc.example");
  await dana.getByRole("button", { name: "Filter" }).click();
  await expect(dana).toHaveURL(/type=SIGN_IN_LINK_REQUESTED/);
  const rows = dana.getByTestId("audit-table").locator("tbody tr");
  await expect(rows.first()).toContainText("sign in link requested");
  for (const text of await rows.allInnerTexts()) expect(text).toContain("dana@dcc.example");

  await dana.goto("/audit?type=SIGN_IN_REFUSED&who=erin@eastgate.example");
  await expect(dana.getByTestId("audit-table").locator("tbody tr").first()).toContainText("the link had expired or was already used");

  // A bad date is explained beside its field.
  await dana.goto("/audit?from=31-12-2026");
  await expect(dana.getByTestId("from-error")).toHaveText("Enter a date like 2026-11-30");
  await expectNoSeriousA11yViolations(dana);

  const download = await dana.request.get("/audit/export?type=SIGN_IN");
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toContain("text/csv");
  const csv = await download.text();
  expect(csv.split("\n")[0]).toBe("sequence,at,type,actor_email,actor_organisation,client_address,request,subject,detail");
  expect(csv).toContain(",SIGN_IN,dana@dcc.example,DCC,127.0.0.1,");
  expect(csv).not.toMatch(/token=|callback/i);

  const alice = await (await browser.newContext()).newPage();
  await signInThroughSink(alice, sink, "alice@northwind.example");
  await expect(alice.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  expect((await alice.goto("/audit"))?.status()).toBe(404);
  expect((await alice.request.get("/audit/export")).status()).toBe(404);
  expect((await alice.context().request.get("/audit/export?type=SIGN_IN")).status()).toBe(404);
});

test("signing out ends the session on the server: the old cookie opens nothing", async ({ browser }) => {
  const context = await browser.newContext();
  const erin = await context.newPage();
  await signInThroughSink(erin, sink, "erin@eastgate.example");
  await expect(erin.getByTestId("organisation-name")).toHaveText("Eastgate Gas & Power");
  const stolen = await context.storageState();

  await erin.getByRole("button", { name: "Sign out" }).click();
  await expect(erin).toHaveURL(/\/sign-in\?signedOut=1$/);

  // Someone who copied the cookie before the sign-out gets the sign-in page.
  const thief = await (await browser.newContext({ storageState: stolen })).newPage();
  await thief.goto("/requests");
  await expect(thief).toHaveURL(/\/sign-in\?callbackUrl=%2Frequests$/);
});
