import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Fails on any serious or critical WCAG 2.x A/AA violation on the page as it stands. */
export async function expectNoSeriousA11yViolations(page: Page) {
  // A sandboxed iframe runs no script, so axe cannot enter it (it would hang): the only one is the
  // development mailbox's rendering of an email's HTML, which is content, not the portal's UI.
  const results = await new AxeBuilder({ page })
    .exclude("iframe[sandbox]")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/**
 * Fails on any WCAG 2.x / 2.2 A or AA violation at all, whatever its impact (the every-page checks,
 * e2e/smtp/every-page.spec.ts). `label` says which page and state, in the failure.
 */
export async function expectNoA11yViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .exclude("iframe[sandbox]")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  expect.soft(results.violations.map((v) => `${label}: ${v.id} (${v.impact}): ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}
