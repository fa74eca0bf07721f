import { expect, type Locator, type Page } from "@playwright/test";
import { firstLink, type SmtpSink } from "./smtp-sink";
import { SIGN_IN_SUBJECT } from "./sign-in";

// Keyboard only: move with Tab (and Shift+Tab) until the control is focused, as a person without a
// mouse does, and check at every stop that the focus can be seen.

const MAX_TABS = 120;

/** Tabs forward until `target` has the focus (failing after MAX_TABS), and checks the focus is visible. */
export async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < MAX_TABS; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) {
      await expectVisibleFocus(target);
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The focused control shows a focus indicator: an outline at least 2 px wide (WCAG 2.4.7, 2.4.11). */
export async function expectVisibleFocus(target: Locator): Promise<void> {
  await expect(target).toBeFocused();
  const outline = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style, "the focused control has an outline").not.toBe("none");
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

/** Tabs to the control and presses Enter. */
export async function activate(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press("Enter");
}

/** Tabs to the field and types into it. */
export async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.type(text);
}

/** A fresh session signed in with the keyboard only: the sign-in form, then the emailed link's button. */
export async function signInByKeyboard(page: Page, sink: SmtpSink, email: string, path: string): Promise<void> {
  const before = sink.to(email).length;
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await typeInto(page, page.getByLabel("Email address"), email);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const mail = await sink.waitFor(email, { after: before, subject: SIGN_IN_SUBJECT });
  await page.goto(firstLink(mail));
  await activate(page, page.getByRole("button", { name: "Sign in" }));
  await expect(page).toHaveURL(path);
}
