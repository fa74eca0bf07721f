import { expect, test } from "@playwright/test";
import { requestSignInLink } from "../support/sign-in";

// The default limit (SIGN_IN_LINKS_PER_ADDRESS=3 in 10 minutes) on the mailbox portal. Bob signs in
// nowhere else in this project.
test("a fourth sign-in link for one address within ten minutes looks the same and sends nothing", async ({ page }) => {
  for (let i = 0; i < 4; i++) await requestSignInLink(page, i % 2 ? "BOB@southfield.example" : "bob@southfield.example");
  await page.goto("/dev/mailbox");
  await expect(page.getByRole("row").filter({ hasText: "bob@southfield.example" })).toHaveCount(3);
});
