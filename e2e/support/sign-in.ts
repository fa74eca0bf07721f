import { expect, type Browser, type Page } from "@playwright/test";
import { firstLink, type SmtpSink } from "./smtp-sink";

/** The sign-in email's subject (emails/sign-in.ts): other emails to the same person are not it. */
export const SIGN_IN_SUBJECT = "Your sign-in link for the Install Code Request portal";

/** Fills the sign-in form and waits for the "Check your email" page. */
export async function requestSignInLink(page: Page, email: string, path = "/sign-in") {
  await page.goto(path);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
}

/** Opens a sign-in link from an email and confirms it (the link itself spends nothing). */
export async function followSignInLink(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in as `email` with the magic link that arrives at the SMTP sink. */
export async function signInThroughSink(page: Page, sink: SmtpSink, email: string, path = "/sign-in") {
  const before = sink.to(email).length;
  await requestSignInLink(page, email, path);
  const mail = await sink.waitFor(email, { after: before, subject: SIGN_IN_SUBJECT });
  await followSignInLink(page, firstLink(mail));
}

/**
 * A fresh browser session signed in as `email` through the real SMTP sink. It starts at `path` (a
 * path, or a full link from an email), is sent to sign in (from the home page, which anyone may
 * read, through its Sign in link), and must land back on `path`.
 */
export async function signedIn(browser: Browser, sink: SmtpSink, email: string, path = "/requests"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const before = sink.to(email).length;
  await page.goto(path);
  if (path === "/") {
    // The home page is open to everyone: its own Sign in link leads on, and back.
    await page.getByRole("main").getByRole("link", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
  } else {
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  }
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const mail = await sink.waitFor(email, { after: before, subject: SIGN_IN_SUBJECT });
  await followSignInLink(page, firstLink(mail));
  await expect(page).toHaveURL(path);
  return page;
}
