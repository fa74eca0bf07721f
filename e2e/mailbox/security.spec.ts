import { expect, test } from "@playwright/test";
import { getWithHost } from "../support/host-header";
import { requestSignInLink } from "../support/sign-in";

test("the mailbox shows an email's HTML with its own inline styles under the portal's policy", async ({ page }) => {
  await requestSignInLink(page, "dana@dcc.example");
  const mailbox = await page.goto("/dev/mailbox");
  const csp = (await mailbox!.allHeaders())["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");

  const row = page.getByRole("row").filter({ hasText: "dana@dcc.example" }).first();
  await row.getByRole("link", { name: "Your sign-in link for the Install Code Request portal" }).click();
  const email = page.frameLocator('iframe[title="HTML version of the email"]');
  // The sandboxed srcdoc frame inherits the page's policy: its styles must still apply.
  await expect(email.getByRole("link", { name: "Sign in" })).toHaveCSS("background-color", "rgb(29, 78, 216)");
});

test("the development mailbox does not answer to another host name (DNS rebinding)", async ({ baseURL }) => {
  const { port } = new URL(baseURL!);
  const refused = await getWithHost(baseURL!, "/dev/mailbox", `rebound.example:${port}`);
  expect(refused.status).toBe(421);
  expect(refused.body).not.toContain("Development mailbox");
  const answered = await getWithHost(baseURL!, "/dev/mailbox", `127.0.0.1:${port}`);
  expect(answered.status).toBe(200);
  expect(answered.body).toContain("Development mailbox");
});

test("a newcomer browsing http://localhost is answered although APP_URL names 127.0.0.1", async ({ page, baseURL }) => {
  const { port } = new URL(baseURL!);
  const response = await page.goto(`http://localhost:${port}/sign-in`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
});
