import { expect, test } from "@playwright/test";
import { SMTP_PORTAL_URL } from "../../playwright.config";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { followSignInLink, requestSignInLink, signInThroughSink } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";

const sink = smtpSinkForFile();

test("a signed-out visitor is sent to sign in, and a magic link from a real email signs Alice in", async ({ page }) => {
  await page.goto("/requests");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Frequests$/);
  await expectNoSeriousA11yViolations(page);
  // Demo mode with a mail server: the demo accounts are listed, the development mailbox is not.
  await expect(page.getByTestId("demo-account")).toHaveCount(4);
  await expect(page.getByRole("link", { name: "development mailbox" })).toHaveCount(0);

  const before = sink.to("alice@northwind.example").length;
  await page.getByLabel("Email address").fill("alice@northwind.example");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // With a mail server configured, there is no development mailbox.
  await expect(page.getByRole("link", { name: "development mailbox" })).toHaveCount(0);

  const mail = await sink.waitFor("alice@northwind.example", { after: before });
  expect(mail.subject).toBe("Your sign-in link for the Install Code Request portal");
  const link = firstLink(mail);
  expect(link.startsWith(`${SMTP_PORTAL_URL}/sign-in/confirm?`)).toBe(true);

  // Opening the link (as a mail scanner would) signs nobody in and spends nothing.
  await page.request.get(link);
  await page.goto(link);
  await expect(page.getByText("Continue as alice@northwind.example?")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${SMTP_PORTAL_URL}/requests`);
  await expect(page.getByTestId("organisation-name")).toHaveText("Northwind Energy");
  await expectNoSeriousA11yViolations(page);

  // The link works once.
  await page.context().clearCookies();
  await followSignInLink(page, link);
  await expect(page.getByTestId("sign-in-error")).toContainText("expired or was already used");
});

test("signing out ends the session", async ({ page }) => {
  await signInThroughSink(page, sink, "alice@northwind.example");
  await expect(page.getByTestId("organisation-name")).toHaveText("Northwind Energy");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("status")).toHaveText("You have signed out.");
  await page.goto("/requests");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByTestId("organisation-name")).toHaveCount(0);
});

test("an unknown address sees the same page and receives nothing", async ({ page }) => {
  await requestSignInLink(page, "mallory@unknown.example");
  const unknownPage = await page.getByRole("main").innerText();

  // A known address afterwards: once its email has arrived, the unknown one would have too.
  const before = sink.to("bob@southfield.example").length;
  await requestSignInLink(page, "bob@southfield.example");
  expect(await page.getByRole("main").innerText()).toBe(unknownPage);
  await sink.waitFor("bob@southfield.example", { after: before });
  expect(sink.to("mallory@unknown.example")).toEqual([]);
});

test("the sign-in form explains a missing or malformed address without sending anything", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByTestId("email-error")).toHaveText("Enter your email address");
  await page.getByLabel("Email address").fill("not-an-address");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByTestId("email-error")).toHaveText("Enter an email address like name@example.com");
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the development mailbox does not exist when SMTP_URL is set", async ({ page }) => {
  const response = await page.goto("/dev/mailbox");
  expect(response?.status()).toBe(404);
});
