import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";

// The README's screenshots (docs/screenshots/) are taken by the e2e specs that walk through the pages
// they show. They are written there only with SCREENSHOTS=1, so that a test run never changes the
// repository; otherwise they go with the run's other output (test-results/, not committed).
//   SCREENSHOTS=1 npx playwright test e2e/mailbox/newcomer.spec.ts e2e/smtp/screenshots.spec.ts

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 780 };

export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string, options: { fullPage?: boolean } = {}) {
  const file = process.env.SCREENSHOTS ? path.resolve("docs/screenshots", `${name}.png`) : testInfo.outputPath(`${name}.png`);
  // Nothing mid-transition, no blinking caret, no focus ring from the last click.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: file, animations: "disabled", caret: "hide", fullPage: options.fullPage ?? false });
}
