import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { provideCode, raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, ERIN, LABEL_CODE } from "../support/people";

// The search box in the header (issue 13, part 8; lib/requests/find.ts), and what a request page
// says about itself: its title, the 404 page's, and what it prints.

const sink = smtpSinkForFile();

/** Pre-notified by Northwind (lib/db/seed.ts), raised here only: Pending and Whitelisted. */
const SEARCHED_DEVICE = "00-DB-10-10-00-00-00-01";
const PRINTED_DEVICE = "00-DB-10-01-00-00-00-01";
const BARE_CODE = "83FED3407A939723A5C639B26916D505";

async function search(page: Page, text: string) {
  const box = page.getByRole("search", { name: "Site search" });
  await box.getByRole("searchbox", { name: "Search requests" }).fill(text);
  await box.getByRole("button", { name: "Search" }).click();
}

test("a reference opens the request, a Device ID in any spelling lists its requests, anything else is explained; another Supplier's request is not found", async ({ browser }) => {
  const bob = await signedIn(browser, sink, BOB);
  const reference = await raise(bob, SEARCHED_DEVICE);
  await expect(bob).toHaveTitle(`Request ${reference} · Install Code Requests`);

  // A reference, typed in lower case with spaces around it.
  await bob.goto("/requests");
  await search(bob, `  ${reference.toLowerCase()} `);
  await expect(bob).toHaveURL(`/requests/${reference}`);
  await expect(bob.getByRole("heading", { level: 1 })).toHaveText(`Request ${reference}`);

  // A Device ID, without hyphens, in lower case, in two groups: the list filtered by that Device.
  for (const typed of ["00db101000000001", "00:db:10:10:00:00:00:01", "00DB1010 00000001"]) {
    await search(bob, typed);
    await expect(bob).toHaveURL(`/requests?q=${SEARCHED_DEVICE}`);
    await expect(bob.getByRole("link", { name: reference })).toBeVisible();
  }

  // Anything else: what can be searched, and the box again with what was typed.
  await search(bob, "meter in the garage");
  await expect(bob).toHaveURL("/search?q=meter+in+the+garage");
  await expect(bob).toHaveTitle("Search · Install Code Requests");
  await expect(bob.getByTestId("search-answer")).toContainText("Nothing matched “meter in the garage”: it is neither a request reference nor a Device ID.");
  await expect(bob.getByTestId("search-answer")).toContainText("You can search for a request reference like RIC0000042, or a Device ID like 00-DB-12-34-56-78-90-A0");
  await expect(bob.getByRole("search", { name: "Search requests" }).getByLabel("Reference or Device ID")).toHaveValue("meter in the garage");
  await expectNoSeriousA11yViolations(bob);

  // The Device of a request Bob may not see, and one with no request at all: the same answer.
  await search(bob, "00-DB-12-34-56-78-90-FF");
  await expect(bob.getByTestId("search-answer")).toContainText("No requests for Device 00-DB-12-34-56-78-90-FF that you can see.");

  // Erin (Eastgate) is no party to Bob's request: told exactly what a reference that does not exist gets.
  const erin = await signedIn(browser, sink, ERIN);
  await search(erin, reference);
  await expect(erin).toHaveURL(`/search?q=${reference}`);
  const notVisible = (await erin.getByTestId("search-answer").innerText()).replace(reference, "<ref>");
  expect(notVisible).toContain(`No request <ref> that you can see.`);
  await search(erin, "RIC9999999");
  const absent = (await erin.getByTestId("search-answer").innerText()).replace("RIC9999999", "<ref>");
  expect(absent).toBe(notVisible);
  await search(erin, SEARCHED_DEVICE);
  await expect(erin.getByTestId("search-answer")).toContainText(`No requests for Device ${SEARCHED_DEVICE} that you can see.`);
  await expect(erin.getByText(reference)).toHaveCount(0);

  // Her 404 for the request names neither it nor its Device, in the heading or the title.
  const response = await erin.goto(`/requests/${reference}`);
  expect(response?.status()).toBe(404);
  await expect(erin.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(erin).toHaveTitle("Page not found · Install Code Requests");
  const missing = await erin.goto("/no/such/page");
  expect(missing?.status()).toBe(404);
  await expect(erin).toHaveTitle("Page not found · Install Code Requests");

  // The helpdesk finds it too.
  const dana = await signedIn(browser, sink, DANA);
  await search(dana, reference);
  await expect(dana).toHaveURL(`/requests/${reference}`);
});

test("the search works without JavaScript", async ({ browser }) => {
  const signedInPage = await signedIn(browser, sink, BOB);
  // Bob's open request for the Device (raised by the test above, or now).
  await raise(signedInPage, SEARCHED_DEVICE);
  const state = await signedInPage.context().storageState();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: state });
  const page = await context.newPage();
  await page.goto("/requests");
  await search(page, SEARCHED_DEVICE.toLowerCase());
  await expect(page).toHaveURL(`/requests?q=${SEARCHED_DEVICE}`);
  await search(page, "not a thing");
  await expect(page.getByTestId("search-answer")).toContainText("Nothing matched");
  await context.close();
});

test("a request page prints its facts and timeline, never the Install Code, the header or the forms", async ({ browser }) => {
  const bob = await signedIn(browser, sink, BOB);
  const reference = await raise(bob, PRINTED_DEVICE);
  const alice = await signedIn(browser, sink, ALICE, `/requests/${reference}`);
  await provideCode(alice, LABEL_CODE);

  await bob.reload();
  await bob.getByRole("button", { name: "Reveal install code" }).click();
  await expect(bob.getByTestId("install-code-value")).toHaveText(BARE_CODE);

  await bob.emulateMedia({ media: "print" });
  const printed = await bob.locator("body").innerText();
  // innerText leaves out what is not displayed: exactly what the printer gets.
  expect(printed.replace(/\s/g, "")).not.toContain(BARE_CODE);
  expect(printed).toContain("The Install Code is not printed.");
  expect(printed).toContain(`Request ${reference}`);
  expect(printed).toContain(PRINTED_DEVICE);
  expect(printed).toContain("Northwind Energy");
  await expect(bob.getByRole("heading", { name: "Timeline" })).toBeVisible();
  // (Role queries skip hidden elements: these are CSS ones, so that a missing element cannot pass.)
  const header = bob.locator("body > header");
  const buttons = bob.locator("main button");
  const forms = bob.locator("main form");
  await expect(header).toHaveCount(1);
  expect(await buttons.count()).toBeGreaterThan(0);
  expect(await forms.count()).toBeGreaterThan(0);
  await expect(header).toBeHidden();
  for (const button of await buttons.all()) await expect(button).toBeHidden();
  for (const form of await forms.all()) await expect(form).toBeHidden();

  await bob.emulateMedia({ media: "screen" });
  await expect(bob.getByTestId("install-code")).toHaveText("83FE D340 7A93 9723 A5C6 39B2 6916 D505");
  await expect(header).toBeVisible();
});
