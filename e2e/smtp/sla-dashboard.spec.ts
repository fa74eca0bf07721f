import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA } from "../support/people";

const sink = smtpSinkForFile();

// The portal's clock (lib/clock.ts) is moved through /dev/clock, never by waiting; put it back after.
test.afterEach(async ({ request }) => {
  expect((await request.post("/dev/clock", { data: { at: null } })).ok()).toBe(true);
});

// Whitelisted, pre-notified by Southfield, and raised by no other spec (they share one database).
const DEVICE = "00-DB-20-11-00-00-00-02";
// Thursday 27 May 2027, 10:00 UK time (BST). Monday 31 May is the Spring bank holiday, so the five
// Working Days are 28 May, 1, 2, 3 and 4 June: due at the end of Friday 4 June.
const RAISED = "2027-05-27T09:00:00Z";
// Eight Working Days later (28 May, 1, 2, 3, 4, 7, 8, 9 June): Wednesday 9 June, 10:00 UK time.
const LATER = "2027-06-09T09:00:00Z";

// The second test reads the request the first one raised.
test.describe.configure({ mode: "serial" });
let reference = "";

test("a request left unanswered: the helpdesk sees it breached, the Supplier statistics and the chart, and downloads the breached list", async ({ browser, request }) => {
  expect((await request.post("/dev/clock", { data: { at: RAISED } })).ok()).toBe(true);
  const alice = await signedIn(browser, sink, ALICE);
  reference = await raise(alice, DEVICE);

  expect((await request.post("/dev/clock", { data: { at: LATER } })).ok()).toBe(true);

  // Dana, the helpdesk, opens the dashboard from the header.
  const dana = await signedIn(browser, sink, DANA, "/");
  await dana.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(dana).toHaveURL("/helpdesk");
  await expect(dana.getByRole("heading", { name: "Helpdesk dashboard" })).toBeVisible();
  const breached = dana.getByTestId("breached-table");
  const row = breached.locator("tbody tr", { hasText: reference });
  await expect(row).toContainText("Southfield Power (SFP)");
  await expect(row).toContainText("Northwind Energy");
  await expect(row.getByTestId("due-badge")).toHaveText("Overdue by 3 Working Days"); // 7, 8 and 9 June
  const shown = await breached.locator("tbody tr td:first-child").allInnerTexts();

  // The breached list as CSV has the rows shown, in the same order.
  const [download] = await Promise.all([dana.waitForEvent("download"), dana.getByTestId("export-breached").click()]);
  expect(download.suggestedFilename()).toBe("helpdesk-breached-2027-06-09.csv");
  const csv = (await readFile((await download.path())!, "utf8")).trim().split("\n");
  expect(csv[0]).toBe("reference,device_id,raised_by_code,raised_by,assigned_to_code,assigned_to,raised_at,due_at,due");
  expect(csv.slice(1).map((line) => line.split(",")[0])).toEqual(shown.map((text) => text.trim()));
  // Raised a few seconds after the clock was set; due at the end of Friday 4 June, UK time.
  expect(csv.find((line) => line.startsWith(reference))).toMatch(
    new RegExp(`^${reference},${DEVICE},NWE,Northwind Energy,SFP,Southfield Power,2027-05-27T09:0\\d:\\d\\d\\.\\d{3}Z,2027-06-04T22:59:59\\.999Z,Overdue by 3 Working Days$`),
  );

  // The Supplier statistics for a custom range around the raise: the period is a link.
  await dana.getByLabel("Period", { exact: true }).selectOption("custom");
  await dana.getByLabel("From (UK date)").fill("2027-05-01");
  await dana.getByLabel("To (UK date)").fill("2027-06-30");
  await dana.getByRole("button", { name: "Show" }).click();
  await expect(dana).toHaveURL("/helpdesk?period=custom&from=2027-05-01&to=2027-06-30");
  await expect(dana.getByTestId("period-label")).toContainText("1 May 2027 to 30 Jun 2027");
  const southfield = dana.getByTestId("supplier-SFP");
  await expect(southfield.locator("th")).toHaveText("Southfield Power (SFP)");
  // Received 1, answered 0, no median or 90th percentile, 0% in time (it breached), breached 1.
  const cells = await southfield.locator("td").allInnerTexts();
  expect(cells.slice(0, 6)).toEqual(["1", "0", "—", "—", "0%", "1"]);
  expect(Number(cells[6])).toBeGreaterThanOrEqual(1); // breached now: this one, and any other spec's

  // The chart, its summary in words, and the same figures as a table.
  const chart = dana.getByTestId("weekly-chart");
  await expect(chart.locator("svg.recharts-surface").filter({ hasText: "24 May" })).toBeVisible(); // the week's label on the axis
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible(); // the week's bar
  await expect(dana.getByTestId("weekly-summary")).toContainText("from the week of 22 Mar 2027 to the week of 7 Jun 2027: 1 raised and 0 answered");
  await dana.getByText("The chart's figures as a table").click();
  const week = dana.getByTestId("weekly-table").locator("tr", { hasText: "24 May 2027" });
  await expect(week.locator("td")).toHaveText(["1", "0"]);
  await expectNoSeriousA11yViolations(dana);
});

test("the installing Supplier sees the request overdue on its list, by text, and its own figures; not the dashboard", async ({ browser, request }) => {
  expect(reference).not.toBe("");
  expect((await request.post("/dev/clock", { data: { at: LATER } })).ok()).toBe(true);
  const bob = await signedIn(browser, sink, BOB);
  await expect(bob.locator("tbody tr", { hasText: reference }).getByTestId("due-badge")).toHaveText("Overdue by 3 Working Days");
  await expectNoSeriousA11yViolations(bob);
  await bob.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Performance" }).click();
  await expect(bob.getByRole("heading", { name: "Performance of Southfield Power" })).toBeVisible();
  await expect(bob.getByTestId("supplier-SFP").locator("td").nth(6)).not.toHaveText("0");
  await expectNoSeriousA11yViolations(bob);

  // Nobody but the helpdesk reaches the dashboard or its downloads.
  expect((await bob.goto("/helpdesk"))?.status()).toBe(404);
  expect((await bob.request.get("/helpdesk/export?table=breached")).status()).toBe(404);
});
