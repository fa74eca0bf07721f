import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";

// /settings/webhooks in the built portal (NODE_ENV=production: endpoints must be https:// and public).
// Alice (Northwind) is signed in nowhere else in this project's specs.

test("a Supplier adds a webhook endpoint, sees its secret once, and deletes it", async ({ page }) => {
  await page.goto("/settings/webhooks");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings%2Fwebhooks$/);
  await page.getByLabel("Email address").fill("alice@northwind.example");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto("/dev/mailbox");
  await page.getByRole("row").filter({ hasText: "alice@northwind.example" }).first().getByRole("link").click();
  await page.getByTestId("email-text").getByRole("link").click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByText("Your organisation has no endpoints yet.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // A production portal refuses a plain-http address on this machine.
  await page.getByLabel("Address", { exact: true }).fill("http://127.0.0.1:8080/hook");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("url-error")).toHaveText("The address must start with https://: events are sent over HTTPS only");
  await expect(page.getByTestId("error-summary")).toBeFocused();
  await page.getByTestId("error-summary").getByRole("link").first().click();
  await expect(page.getByLabel("Address", { exact: true })).toBeFocused();

  await page.getByLabel("Address", { exact: true }).fill("https://hooks.northwind.example/install-codes");
  await page.getByLabel("Description").fill("Northwind dispatch system");
  await page.getByRole("checkbox", { name: /Note added/ }).uncheck();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await expect(page.getByTestId("webhook-secret-box")).toBeFocused();
  const endpoint = page.getByTestId("webhook-endpoint");
  await expect(endpoint).toHaveCount(1);
  await expect(endpoint.getByRole("heading", { name: "https://hooks.northwind.example/install-codes" })).toBeVisible();
  await expect(endpoint).toContainText("Northwind dispatch system");
  await expect(endpoint).toContainText("request.assigned, request.answered, request.closed, request.reassigned, request.breached, request.declined, request.closed_not_possible");
  await expect(endpoint.getByTestId("webhook-last-delivery")).toHaveText("None yet");
  await expectNoSeriousA11yViolations(page);

  // Shown once: not after a reload.
  await page.reload();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await expect(page.getByTestId("webhook-endpoint")).toHaveCount(1);

  await page.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page.getByText("Your organisation has no endpoints yet.")).toBeVisible();
});
