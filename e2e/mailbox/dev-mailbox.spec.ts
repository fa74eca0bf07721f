import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { requestSignInLink } from "../support/sign-in";

test("with no mail server, a newcomer signs in through the development mailbox", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
  await expect(page.getByText("erin@eastgate.example")).toBeVisible();

  await requestSignInLink(page, "erin@eastgate.example");
  await page.getByRole("link", { name: "development mailbox" }).click();
  await expect(page.getByRole("heading", { name: "Development mailbox" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const row = page.getByRole("row").filter({ hasText: "erin@eastgate.example" }).first();
  await row.getByRole("link", { name: "Your sign-in link for the Install Code Request portal" }).click();
  await expect(page.getByRole("heading", { name: "Your sign-in link for the Install Code Request portal" })).toBeVisible();
  await expect(page.getByTestId("email-to")).toHaveText("erin@eastgate.example");
  await expectNoSeriousA11yViolations(page);

  await page.getByTestId("email-text").getByRole("link").click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("organisation-name")).toHaveText("Eastgate Gas & Power");

  // Malformed addresses are "not found" pages, never errors.
  expect((await page.goto(`/dev/mailbox/${"-".repeat(36)}`))?.status()).toBe(404);
  expect((await page.goto("/requests/not-a-reference"))?.status()).toBe(404);
  expect((await page.goto("/requests/RIC9999999"))?.status()).toBe(404);
  const bogus = await page.goto("/requests?status=BOGUS");
  expect(bogus?.status()).toBe(200);
  await expect(page.getByText('There is no status "BOGUS": showing every request.')).toBeVisible();
});

test("a deep link visited while signed out comes back after sign-in", async ({ page }) => {
  await page.goto("/helpdesk?from=deep-link");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fhelpdesk%3Ffrom%3Ddeep-link$/);
  await page.getByLabel("Email address").fill("dana@dcc.example");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto("/dev/mailbox");
  await page.getByRole("row").filter({ hasText: "dana@dcc.example" }).first().getByRole("link").click();
  await page.getByTestId("email-text").getByRole("link").click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/helpdesk\?from=deep-link$/);
  await expect(page.getByTestId("organisation-name")).toHaveText("DCC Service Desk");
});
