import { expect, test } from "@playwright/test";
import { checkPage, visitAndCheck } from "../support/every-page";
import { requestSignInLink } from "../support/sign-in";

// The every-page checks (e2e/smtp/every-page.spec.ts) for the pages only a portal without a mail
// server has: the development mailbox, empty of nothing and with an email open.

test("the development mailbox and an email in it: accessible, and no sideways scroll at 320 px", async ({ page }) => {
  await requestSignInLink(page, "alice@northwind.example");
  await visitAndCheck(page, "/dev/mailbox", "Development mailbox");
  await page.getByRole("link", { name: /sign-in link/i }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/sign-in link/i);
  await checkPage(page, "an email in the development mailbox");
});
