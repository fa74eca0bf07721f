import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { DESKTOP, saveScreenshot } from "../support/screenshots";

// The newcomer's first minutes (issue 13, part 7), on the demo portal with no mail server: the home
// page says what the portal is for and how the process goes before anyone signs in; the sign-in page
// lists the demo accounts, what each can try, and where their emails are. Signs nobody in (this
// project's sign-in link limits are the defaults, which other specs count on).

test.use({ viewport: DESKTOP });

const PARTIES = ["Gaining Supplier", "The portal", "Installing Supplier", "Gaining Supplier", "Gaining Supplier"];

test("signed out, the home page explains the process in five steps, each with its party, and links the help", async ({ page }, testInfo) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle("Install Code Requests");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Request for Install Code");

  const steps = page.getByTestId("process-steps");
  await expect(steps.getByRole("heading", { level: 2 })).toHaveText("How it works, in five steps");
  const items = steps.getByRole("listitem");
  await expect(items).toHaveCount(5);
  for (const [i, party] of PARTIES.entries()) {
    await expect(items.nth(i).getByRole("heading", { level: 3 })).toHaveText(new RegExp(`^Step ${i + 1}: ${party}: `));
  }
  await expect(items.nth(0)).toContainText("raises a request for a Device ID");
  await expect(items.nth(1)).toContainText("assigns the request to the Supplier that pre-notified the Device");
  await expect(items.nth(2)).toContainText("provides the Install Code within five Working Days");
  await expect(items.nth(3)).toContainText("is told, and verifies the code");
  await expect(items.nth(4)).toContainText("closes the request");
  await expect(steps).toContainText("DCC Helpdesk: sees every request");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  // The tab shows the portal's icon (app/icon.svg).
  const icon = await page.locator('head link[rel="icon"]').getAttribute("href");
  const iconResponse = await page.request.get(icon!);
  expect(iconResponse.status()).toBe(200);
  expect(iconResponse.headers()["content-type"]).toContain("image/svg+xml");
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, testInfo, "home", { fullPage: true });

  await page.getByRole("main").getByRole("link", { name: "read the help" }).click();
  await expect(page).toHaveURL(/\/help$/);
  await page.goBack();
  await page.getByRole("main").getByRole("link", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the demo sign-in page lists the accounts with what each can try, and links the development mailbox", async ({ page }, testInfo) => {
  await page.goto("/sign-in");
  await expect(page).toHaveTitle("Sign in · Install Code Requests");
  const accounts = page.getByTestId("demo-account");
  await expect(accounts).toHaveCount(4);
  const expected = [
    ["Alice Hughes", "Northwind Energy", "alice@northwind.example", "A gaining Supplier: raise a request for Device 00-DB-12-34-56-78-90-A1"],
    ["Bob Patel", "Southfield Power", "bob@southfield.example", "An installing Supplier: answer the requests assigned to Southfield Power"],
    ["Erin Walsh", "Eastgate Gas & Power", "erin@eastgate.example", "A third Supplier"],
    ["Dana Okafor", "DCC Service Desk", "dana@dcc.example", "The DCC Helpdesk: see every request, reassign one"],
  ];
  for (const [i, [name, organisation, email, tryThis]] of expected.entries()) {
    for (const text of [name, organisation, email, tryThis]) await expect(accounts.nth(i)).toContainText(text);
  }
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, testInfo, "sign-in", { fullPage: true });

  // "Use this account" puts the address in the form; nothing is sent until the button is pressed.
  await accounts.nth(3).getByRole("link", { name: "Use this account: Dana Okafor" }).click();
  await expect(page).toHaveURL(/\/sign-in\?email=dana%40dcc\.example&callbackUrl=%2F$/);
  await expect(page.getByLabel("Email address")).toHaveValue("dana@dcc.example");
  // An address that is not a demo account is not put in the form.
  await page.goto("/sign-in?email=mallory%40unknown.example");
  await expect(page.getByLabel("Email address")).toHaveValue("");

  // The development mailbox is one link away, from the page and from its steps.
  await expect(page.getByRole("link", { name: "development mailbox" })).toHaveCount(2);
  await page.getByTestId("demo-accounts").getByRole("link", { name: "development mailbox" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Development mailbox");
});
