import { expect, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./axe";

// The every-page checks (issue 13): each page, in each state a person reaches it, has no WCAG 2.2 A/AA
// violation wide and at 320 px, and nothing to scroll sideways at 320 px or 360 px (WCAG 1.4.10,
// reflow). The checks are soft: one run lists every page that fails, and the element too wide.

const WIDE = { width: 1280, height: 800 };
const NARROW = [360, 320];

/**
 * The elements sticking out of a `width` px window, innermost first (the one to fix), except what is
 * inside a region that scrolls by itself (a wide table in its `.table-scroll`, which is allowed).
 */
async function tooWide(page: Page): Promise<{ scrollWidth: number; clientWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const clientWidth = root.clientWidth;
    /**
     * Whether an ancestor clips or scrolls what sticks out of `el`: one that overflows by itself (a
     * wide table in its `.table-scroll`) does not push the page. An absolutely positioned element
     * escapes every such ancestor inside its containing block (a visually hidden label in a table
     * whose scroll region is not positioned does push the page).
     */
    const clipped = (el: Element) => {
      const position = (e: Element) => getComputedStyle(e).position;
      let escaping = ["absolute", "fixed"].includes(position(el));
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const positioned = position(a) !== "static";
        if ((!escaping || positioned) && getComputedStyle(a).overflowX !== "visible") return true;
        escaping = (escaping && !positioned) || ["absolute", "fixed"].includes(position(a));
      }
      return false;
    };
    const wide = [...document.body.querySelectorAll("*")].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > clientWidth + 0.5 && !clipped(el);
    });
    // A word longer than its line sticks out of its element, whose own box still fits: its text names it.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const parent = node.parentElement;
      if (parent && range.getBoundingClientRect().right > clientWidth + 0.5 && getComputedStyle(parent).overflowX === "visible" && !clipped(parent) && !wide.includes(parent)) wide.push(parent);
    }
    const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 3).join(".")}` : "";
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id}${cls}> right=${Math.round(el.getBoundingClientRect().right)} "${text}"`;
    };
    return { scrollWidth: root.scrollWidth, clientWidth, culprits: innermost.slice(0, 5).map(describe) };
  });
}

/** Two animation frames: what lays itself out on a resize (the chart) has done so. */
async function settled(page: Page) {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/**
 * At `width` px (WCAG 1.4.10, reflow): the page fits, with nothing to scroll sideways; a failure names
 * the elements that stick out. The window stays `width` px wide.
 */
export async function expectNoSidewaysScroll(page: Page, label: string, width: number) {
  await page.setViewportSize({ width, height: 720 });
  await settled(page);
  const { scrollWidth, clientWidth, culprits } = await tooWide(page);
  expect.soft(scrollWidth, `${label}: ${scrollWidth} px wide in a ${clientWidth} px window; too wide: ${culprits.join("; ") || "(no element named)"}`).toBeLessThanOrEqual(clientWidth);
}

/**
 * Checks the page as it stands: axe wide, then no sideways scroll at 360 px and 320 px, then axe at
 * 320 px (where the cards, the stacked tabs and the wrapped header take over). `label` names the page
 * and state in every failure. The window is wide again afterwards.
 */
export async function checkPage(page: Page, label: string) {
  // Every page has a title (WCAG 2.4.2). After a form's server action Next.js streams the page's
  // metadata after its content: wait for the title to be back before axe looks.
  await expect(page, `${label}: the page's title`).toHaveTitle(/\S/);
  await page.setViewportSize(WIDE);
  await expectNoA11yViolations(page, `${label} (1280 px)`);
  for (const width of NARROW) await expectNoSidewaysScroll(page, label, width);
  await expectNoA11yViolations(page, `${label} (320 px)`);
  await page.setViewportSize(WIDE);
}

/** Opens `path`, checks that its h1 is `heading` (so a redirect to sign-in cannot pass), then checks it. */
export async function visitAndCheck(page: Page, path: string, heading: string | RegExp, label = path) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
  await checkPage(page, label);
}
