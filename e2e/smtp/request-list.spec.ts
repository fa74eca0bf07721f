import { expect, test } from "@playwright/test";
import { SMTP_SINK_PORT } from "../../playwright.config";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { signInThroughSink } from "../support/sign-in";
import { SmtpSink } from "../support/smtp-sink";

const sink = new SmtpSink(SMTP_SINK_PORT);
test.beforeAll(() => sink.start());
test.afterAll(() => sink.stop());

// Earlier specs in this project raised requests for Alice (Northwind); this one finds them again.
test("a Supplier finds a request by its Device ID written any way, or by its reference, and the filters explain bad input", async ({ page }) => {
  await signInThroughSink(page, sink, "alice@northwind.example");
  await page.goto("/requests");
  await expectNoSeriousA11yViolations(page);
  const firstReference = (await page.locator("tbody tr").first().locator("a").innerText()).trim();
  const firstDevice = (await page.locator("tbody tr").first().locator("td").nth(1).innerText()).trim();

  await page.getByLabel("Search", { exact: true }).fill(firstDevice.replaceAll("-", "").toLowerCase());
  await page.getByRole("main").getByRole("button", { name: /filter|search|show/i }).click();
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toContainText(firstDevice);
  for (const text of await rows.allInnerTexts()) expect(text).toContain(firstDevice);
  await expect(page.getByLabel("Search", { exact: true })).toHaveValue(firstDevice.replaceAll("-", "").toLowerCase());

  await page.goto(`/requests?q=${firstReference.toLowerCase()}`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(firstReference);

  const damaged = await page.goto("/requests?before=not-a-cursor");
  expect(damaged?.status()).toBe(200);
  await expect(page.getByTestId("filter-error")).toContainText("showing every request");
  await expectNoSeriousA11yViolations(page);
});

test("the helpdesk sees the SMI imports; a Supplier gets not found", async ({ browser }) => {
  const dana = await (await browser.newContext()).newPage();
  await signInThroughSink(dana, sink, "dana@dcc.example");
  await dana.getByRole("link", { name: "SMI imports" }).click();
  await expect(dana.getByRole("heading", { name: "Smart Metering Inventory imports" })).toBeVisible();
  await expectNoSeriousA11yViolations(dana);

  const bob = await (await browser.newContext()).newPage();
  await signInThroughSink(bob, sink, "bob@southfield.example");
  await expect(bob.getByRole("link", { name: "SMI imports" })).toHaveCount(0);
  expect((await bob.goto("/inventory/imports"))?.status()).toBe(404);
});
