import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { expectNoSidewaysScroll } from "../support/every-page";
import { requestSignInLink } from "../support/sign-in";

// The help pages (docs/help, rendered by app/help): read signed out by a newcomer, linked from every
// page's header, accessible, and readable on a 320 px screen without scrolling sideways.

const GUIDES = [
  { slug: "gaining-supplier", title: "Guide for gaining Suppliers", section: "Which Devices qualify" },
  { slug: "installing-supplier", title: "Guide for installing Suppliers", section: "Lodge codes in advance" },
  { slug: "helpdesk", title: "Guide for the DCC Helpdesk", section: "Reassign a request" },
  { slug: "api", title: "Connecting your systems", section: "API keys" },
];

const DESKTOP = { width: 1280, height: 720 };

/** At 320 px wide (WCAG 1.4.10 reflow): the page fits, with nothing to scroll sideways. */
async function expectReflowAt320(page: Page) {
  await expectNoSidewaysScroll(page, page.url(), 320);
  await page.setViewportSize(DESKTOP);
}

/** Scripts or styles the Content-Security-Policy blocked: the pages must work under it. */
function collectBlocked(page: Page): string[] {
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) blocked.push(message.text());
  });
  return blocked;
}

test("a newcomer, signed out, opens the help from the sign-in page and reads each guide", async ({ page }) => {
  const blocked = collectBlocked(page);
  await page.setViewportSize(DESKTOP);
  await page.goto("/sign-in");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Help", exact: true }).click();

  await expect(page).toHaveURL(/\/help$/);
  await expect(page).toHaveTitle("Help · Install Code Requests");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Help");
  await expect(page.getByRole("heading", { level: 2, name: "Where the rules come from" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await expectReflowAt320(page);

  for (const guide of GUIDES) {
    await page.goto("/help");
    await page.getByRole("main").getByRole("link", { name: guide.title, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/help/${guide.slug}$`));
    await expect(page).toHaveTitle(`${guide.title} · Help · Install Code Requests`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(guide.title);
    // Breadcrumbs lead back up; the contents list leads down to each section.
    const breadcrumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(breadcrumbs.getByRole("link")).toHaveText(["Home", "Help"]);
    await page.getByRole("navigation", { name: "Contents" }).getByRole("link", { name: guide.section, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/help/${guide.slug}#`));
    await expect(page.getByRole("heading", { level: 2, name: guide.section, exact: true })).toBeInViewport();
    await expectNoSeriousA11yViolations(page);
    await expectReflowAt320(page);
    // Signed out throughout: the header offers no signed-in links.
    await expect(page.getByTestId("organisation-name")).toHaveCount(0);
  }

  // The header leads back to the help from a guide.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Help", exact: true }).click();
  await expect(page).toHaveURL(/\/help$/);

  // A guide's rule links to its source on the index page, at the heading that names it.
  await page.goto("/help/gaining-supplier");
  await page.getByRole("main").getByRole("link", { name: "SEC Appendix AC" }).first().click();
  await expect(page).toHaveURL(/\/help#sec-appendix-ac-five-working-days$/);
  await expect(page.getByRole("heading", { level: 3, name: "SEC Appendix AC: five Working Days" })).toBeInViewport();
  expect(blocked).toEqual([]);
});

test("an unknown guide, and the index under a guide's address, are the portal's 404 page", async ({ page }) => {
  for (const path of ["/help/no-such-guide", "/help/index", "/help/..%2Fpackage"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page).toHaveTitle(/^Page not found · /);
    // The 404 page has the header, so the help is still one link away.
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Help", exact: true })).toBeVisible();
  }
});

test("signed in, the header links to the help, and a guide still fits a 320 px screen", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await requestSignInLink(page, "alice@northwind.example");
  await page.goto("/dev/mailbox");
  await page.getByRole("row").filter({ hasText: "alice@northwind.example" }).first().getByRole("link").click();
  await page.getByTestId("email-text").getByRole("link").click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("organisation-name")).toHaveText("Northwind Energy");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Help", exact: true }).click();
  await expect(page).toHaveURL(/\/help$/);
  await page.getByRole("main").getByRole("link", { name: "Guide for gaining Suppliers", exact: true }).click();
  // The guide's links lead into the portal.
  await page.getByRole("main").locator('a[href="/requests/new"]').click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Raise a Request for Install Code");
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Guide for gaining Suppliers");
  // Every header link wraps onto the narrow screen rather than pushing the page sideways.
  await expectReflowAt320(page);
  await expectNoSeriousA11yViolations(page);
});
