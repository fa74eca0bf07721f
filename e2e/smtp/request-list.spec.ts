import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signInThroughSink } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";

const sink = smtpSinkForFile();

// Pre-notified by Northwind (seed), touched by no other spec: Southfield asks Northwind for their codes.
const NORTHWIND_DEVICE = "00-DB-10-11-00-00-00-01";
const OTHER_NORTHWIND_DEVICE = "00-DB-10-12-00-00-00-01";

const queues = (page: Page) => page.getByRole("navigation", { name: "Queues" });
const currentQueue = (page: Page) => queues(page).locator("[aria-current=page]");

/** The Due column's days ("Mon, 30 Nov 2026"), as instants, in the order shown. */
async function dueDays(page: Page): Promise<number[]> {
  const cells = await page.locator("tbody td[data-label=Due]").allInnerTexts();
  return cells.map((text) => Date.parse(text.replace(/^\w+, /, "").split("\n")[0].trim()));
}

/** Rows shown, when the whole queue fits on one page. */
async function onePage(page: Page): Promise<number> {
  await expect(page.getByRole("navigation", { name: "Pages" })).toHaveCount(0);
  return page.locator("tbody tr").count();
}

test("a Supplier works from queues with counts, the home page says what needs a response, and the columns sort", async ({ browser }) => {
  // Bob (Southfield) raises a request for a Device Northwind pre-notified: he waits for Alice's answer.
  const bob = await (await browser.newContext()).newPage();
  await signInThroughSink(bob, sink, "bob@southfield.example");
  const reference = await raise(bob, NORTHWIND_DEVICE);
  await raise(bob, OTHER_NORTHWIND_DEVICE);
  await bob.goto("/requests?queue=waiting");
  await expect(currentQueue(bob)).toHaveText(/^Waiting for an answer \(\d+\)$/);
  await expect(bob.getByRole("link", { name: reference })).toBeVisible();

  // Alice (Northwind) is told on the home page, and lands in the queue.
  const alice = await (await browser.newContext()).newPage();
  await signInThroughSink(alice, sink, "alice@northwind.example");
  await alice.goto("/");
  const needs = alice.getByTestId("queue-counts").getByRole("link", { name: /^\d+ needs? your response$/ });
  const count = Number((await needs.innerText()).match(/^\d+/)![0]);
  expect(count).toBeGreaterThanOrEqual(2);
  await needs.click();
  await expect(alice).toHaveURL(/\/requests\?queue=needs-response$/);
  await expect(currentQueue(alice)).toHaveText(`Needs your response (${count})`);
  await expect(alice.locator("tbody tr", { hasText: reference })).toContainText("Raised by Southfield Power");
  expect(await onePage(alice)).toBe(count);
  await expectNoSeriousA11yViolations(alice);

  // A plain visit opens the same queue; every tab is there, with its count but for All.
  await alice.goto("/requests");
  await expect(currentQueue(alice)).toHaveText(`Needs your response (${count})`);
  const labels = (await queues(alice).getByRole("link").allInnerTexts()).map((t) => t.replace(/\(\d[\d,]*\+?\)/, "(n)"));
  expect(labels).toEqual(["Needs your response (n)", "Waiting for an answer (n)", "Answered — verify and close (n)", "Closed", "All"]);
  await queues(alice).getByRole("link", { name: "Closed", exact: true }).click();
  await expect(alice).toHaveURL(/\/requests\?queue=closed$/);
  await expect(currentQueue(alice)).toHaveText("Closed");
  if ((await alice.locator("tbody tr").count()) === 0) await expect(alice.getByTestId("empty-state")).toContainText("No closed requests yet");
  else for (const status of await alice.locator("tbody td[data-label=Status]").allInnerTexts()) expect(status).toBe("Closed");

  // All, sorted by the Due column one way and the other; the headings say how.
  await queues(alice).getByRole("link", { name: "All", exact: true }).click();
  await expect(alice.getByRole("columnheader", { name: "Raised" })).toHaveAttribute("aria-sort", "descending");
  await alice.getByRole("link", { name: "Due", exact: true }).click();
  await expect(alice).toHaveURL(/\/requests\?queue=all&sort=due-asc$/);
  await expect(alice.getByRole("columnheader", { name: "Due" })).toHaveAttribute("aria-sort", "ascending");
  await expect(alice.getByRole("columnheader", { name: "Raised" })).not.toHaveAttribute("aria-sort");
  const ascending = await dueDays(alice);
  expect(ascending.length).toBeGreaterThan(1);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await alice.getByRole("link", { name: "Due", exact: true }).click();
  await expect(alice).toHaveURL(/\/requests\?queue=all&sort=due-desc$/);
  await expect(alice.getByRole("columnheader", { name: "Due" })).toHaveAttribute("aria-sort", "descending");
  const descending = await dueDays(alice);
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  // Filtering keeps the queue and the order.
  await alice.getByLabel("Status").selectOption("ASSIGNED");
  await alice.getByRole("button", { name: "Filter" }).click();
  await expect(alice).toHaveURL(/\/requests\?queue=all&sort=due-desc&(.*&)?status=ASSIGNED(&|$)/);
  await expect(alice.getByRole("columnheader", { name: "Due" })).toHaveAttribute("aria-sort", "descending");
  await expectNoSeriousA11yViolations(alice);

  // On a 320 px phone the rows are cards: nothing scrolls sideways, each value says what it is.
  await alice.setViewportSize({ width: 320, height: 800 });
  await alice.goto("/requests?queue=all");
  // The list's own content (the page's header is measured by the every-page check).
  expect(await alice.locator("main").evaluate((main) => main.scrollWidth - main.clientWidth)).toBe(0);
  expect(await alice.locator("table").evaluate((table) => table.getBoundingClientRect().right)).toBeLessThanOrEqual(320);
  const label = await alice.locator("tbody td[data-label='Device ID']").first().evaluate((td) => getComputedStyle(td, "::before").content);
  expect(label).toBe('"Device ID"');
  await expect(alice.getByRole("link", { name: "Due", exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(alice);
});

test("the helpdesk works from At risk, Breached and Unassignable, with Raised by and Assigned to in their own columns", async ({ page }) => {
  await signInThroughSink(page, sink, "dana@dcc.example");
  await page.goto("/");
  await expect(page.getByTestId("queue-counts").getByRole("link")).toHaveText([/^\d+ at risk of breaching$/, /^\d+ breached$/, /^\d+ unassignable: reassign or close$/]);

  // The dashboard's Declined line opens the Unassignable queue.
  await page.goto("/helpdesk");
  await page.getByTestId("open-by-status").getByRole("link", { name: "Declined" }).click();
  await expect(page).toHaveURL(/\/requests\?queue=unassignable$/);
  await expect(currentQueue(page)).toHaveText(/^Unassignable \(\d+\)$/);

  await page.goto("/requests");
  await expect(currentQueue(page)).toHaveText(/^At risk \(\d+\)$/);
  const labels = (await queues(page).getByRole("link").allInnerTexts()).map((t) => t.replace(/\(\d[\d,]*\+?\)/, "(n)"));
  expect(labels).toEqual(["At risk (n)", "Breached (n)", "Unassignable (n)", "All"]);
  // At risk opens soonest due first.
  if ((await page.locator("tbody tr").count()) > 0) await expect(page.getByRole("columnheader", { name: "Due" })).toHaveAttribute("aria-sort", "ascending");
  else await expect(page.getByTestId("empty-state")).toContainText("Nothing at risk");
  await expectNoSeriousA11yViolations(page);

  // The request Southfield raised of Northwind, in All: both parties, each in its column.
  await page.goto(`/requests?q=${NORTHWIND_DEVICE}`);
  await expect(currentQueue(page)).toHaveText("All");
  const row = page.locator("tbody tr").first();
  await expect(row.locator("td[data-label='Raised by']")).toHaveText("Southfield Power");
  await expect(row.locator("td[data-label='Assigned to']")).toHaveText("Northwind Energy");
  await expect(page.getByRole("columnheader", { name: "Other party" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});

test("a Supplier finds a request by its Device ID written any way, or by its reference, and bad input is explained, not an error", async ({ page }) => {
  await signInThroughSink(page, sink, "alice@northwind.example");
  await page.goto("/requests?queue=all");
  await expectNoSeriousA11yViolations(page);
  const firstReference = (await page.locator("tbody tr").first().locator("a").innerText()).trim();
  const firstDevice = (await page.locator("tbody tr").first().locator("td").nth(1).innerText()).trim();

  await page.getByLabel("Search", { exact: true }).fill(firstDevice.replaceAll("-", "").toLowerCase());
  await page.getByRole("main").getByRole("button", { name: /filter|search|show/i }).click();
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toContainText(firstDevice);
  for (const text of await rows.allInnerTexts()) expect(text).toContain(firstDevice);
  await expect(page.getByLabel("Search", { exact: true })).toHaveValue(firstDevice.replaceAll("-", "").toLowerCase());

  await page.goto(`/requests?q=${firstReference.toLowerCase()}`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(firstReference);

  const damaged = await page.goto("/requests?before=not-a-cursor");
  expect(damaged?.status()).toBe(200);
  await expect(page.getByTestId("filter-error")).toContainText("showing every request");
  await expectNoSeriousA11yViolations(page);

  // A queue or an order that is not there: said so, and every request shown under All.
  for (const [query, message] of [
    ["queue=bogus", 'There is no queue "bogus": showing every request.'],
    ["queue=breached", 'There is no queue "breached": showing every request.'],
    ["sort=sideways", 'There is no sort order "sideways": showing every request.'],
  ]) {
    const response = await page.goto(`/requests?${query}`);
    expect(response?.status(), query).toBe(200);
    await expect(page.getByTestId("filter-error")).toHaveText(message);
    await expect(currentQueue(page)).toHaveText("All");
    await expect(rows.first()).toBeVisible();
  }
});

test("the helpdesk sees the SMI imports; a Supplier gets not found", async ({ browser }) => {
  const dana = await (await browser.newContext()).newPage();
  await signInThroughSink(dana, sink, "dana@dcc.example");
  await dana.getByRole("link", { name: "SMI imports" }).click();
  await expect(dana.getByRole("heading", { name: "Smart Metering Inventory imports" })).toBeVisible();
  await expectNoSeriousA11yViolations(dana);

  const bob = await (await browser.newContext()).newPage();
  await signInThroughSink(bob, sink, "bob@southfield.example");
  await expect(bob.getByRole("link", { name: "SMI imports" })).toHaveCount(0);
  expect((await bob.goto("/inventory/imports"))?.status()).toBe(404);
});
