import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, DANA } from "../support/people";

const sink = smtpSinkForFile();

test("a helpdesk administrator adds a Supplier, finds it, renames it, suspends it after confirming, and reinstates it; a Supplier gets 404", async ({ browser }) => {
  // A code and name no other spec (or earlier run against the same database) uses.
  const stamp = Date.now().toString(36).toUpperCase();
  const code = `E2E${stamp}`;
  const name = `Harbour Light ${stamp}`;
  const renamed = `Harbour Light & Power ${stamp}`;

  // The helpdesk's administrator reaches the organisations from the header.
  const dana = await signedIn(browser, sink, DANA, "/");
  await dana.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisations" }).click();
  await expect(dana).toHaveURL("/admin/organisations");
  await expect(dana.getByRole("heading", { name: "Organisations", level: 1 })).toBeVisible();
  await expect(dana.locator('tr[data-code="NWE"]')).toContainText("Northwind Energy");
  await expectNoSeriousA11yViolations(dana);

  // An empty form says what is missing, field by field.
  await dana.getByRole("button", { name: "Add Supplier" }).click();
  await expect(dana.getByTestId("code-error")).toContainText("Enter the SEC Party code");
  await expect(dana.getByTestId("name-error")).toHaveText("Enter the organisation's name");
  // The error summary at the top takes the focus, its first link leads to the first field to fix.
  await expect(dana.getByTestId("error-summary")).toBeFocused();
  await dana.getByTestId("error-summary").getByRole("link").first().click();
  await expect(dana.getByLabel("SEC Party code")).toBeFocused();

  // An existing code is refused, naming whose it is.
  await dana.getByLabel("SEC Party code").fill("nwe");
  await dana.getByLabel("Name", { exact: true }).fill(name);
  await dana.getByRole("button", { name: "Add Supplier" }).click();
  await expect(dana.getByTestId("code-error")).toHaveText("NWE is already Northwind Energy's code");
  await expect(dana.getByLabel("Name", { exact: true })).toHaveValue(name);

  // Added (the code as typed, in lower case): the page names it and says to invite its first administrator.
  await dana.getByLabel("SEC Party code").fill(code.toLowerCase());
  await dana.getByLabel("Team email (optional)").fill(`Ops@Harbour-${stamp}.Example`);
  await dana.getByRole("button", { name: "Add Supplier" }).click();
  await expect(dana).toHaveURL(`/admin/organisations?created=${code}`);
  const created = dana.getByTestId("organisation-created");
  await expect(created).toContainText(`${name} (${code}) has been added.`);
  await expect(created.getByRole("link", { name: "invite its first administrator" })).toHaveAttribute("href", `/settings/users?organisation=${code}`);
  await expectNoSeriousA11yViolations(dana);

  // Found by a search on part of its name, in any case; the others are not listed.
  await dana.getByLabel("Search by code or name").fill(`light ${stamp.toLowerCase()}`);
  await dana.getByRole("main").getByRole("button", { name: "Search" }).click();
  await expect(dana).toHaveURL(/\/admin\/organisations\?search=light/);
  const row = dana.locator(`tr[data-code="${code}"]`);
  await expect(row).toContainText(name);
  await expect(row).toContainText(`ops@harbour-${stamp.toLowerCase()}.example`);
  await expect(row.getByTestId("organisation-status")).toHaveText("Active");
  await expect(dana.getByTestId("organisation-row")).toHaveCount(1);

  // Its own page: the facts, and its people (another page) linked.
  await row.getByRole("link", { name: code }).click();
  await expect(dana).toHaveURL(`/admin/organisations/${code}`);
  await expect(dana.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(dana.getByTestId("organisation-facts")).toContainText("Supplier");
  await expect(dana.getByRole("link", { name: `People of ${name}` })).toHaveAttribute("href", `/settings/users?organisation=${code}`);

  // Renamed.
  await dana.getByLabel("New name").fill(renamed);
  await dana.getByRole("button", { name: "Rename" }).click();
  await expect(dana.getByTestId("form-success")).toHaveText(`Renamed to ${renamed}`);
  await expect(dana.getByRole("heading", { name: renamed, level: 1 })).toBeVisible();

  // Suspending asks first, saying what will happen; cancelling changes nothing.
  await dana.getByRole("link", { name: `Suspend ${renamed}…` }).click();
  await expect(dana).toHaveURL(`/admin/organisations/${code}?suspend=1`);
  const confirmation = dana.getByTestId("suspend-confirmation");
  await expect(confirmation).toContainText("its people are signed out at once and cannot sign in");
  await expect(confirmation).toContainText("its API keys are refused");
  await expect(confirmation).toContainText("its open requests stay visible to the other party and the helpdesk, who can reassign them");
  await expectNoSeriousA11yViolations(dana);
  await confirmation.getByRole("link", { name: "Cancel" }).click();
  await expect(dana).toHaveURL(`/admin/organisations/${code}`);
  await expect(dana.getByTestId("organisation-status")).toHaveText("Active");

  await dana.getByRole("link", { name: `Suspend ${renamed}…` }).click();
  await dana.getByTestId("suspend-confirmation").getByRole("button", { name: `Suspend ${renamed}` }).click();
  await expect(dana).toHaveURL(`/admin/organisations/${code}?suspended=1`);
  await expect(dana.getByTestId("organisation-done")).toHaveText(`${renamed} is suspended.`);
  await expect(dana.getByTestId("organisation-status")).toContainText("Suspended since");

  // The list says so too, in words.
  await dana.goto(`/admin/organisations?search=${code}`);
  await expect(dana.locator(`tr[data-code="${code}"]`).getByTestId("organisation-status")).toHaveText("Suspended");
  await expect(dana.locator(`tr[data-code="${code}"]`)).toContainText(renamed);

  // Reinstated.
  await dana.locator(`tr[data-code="${code}"]`).getByRole("link", { name: code }).click();
  await dana.getByRole("button", { name: `Reinstate ${renamed}` }).click();
  await expect(dana).toHaveURL(`/admin/organisations/${code}?reinstated=1`);
  await expect(dana.getByTestId("organisation-done")).toHaveText(`${renamed} is reinstated: its people can sign in again.`);
  await expect(dana.getByTestId("organisation-status")).toHaveText("Active");
  await expectNoSeriousA11yViolations(dana);

  // A Supplier's administrator is not offered the organisations, and cannot reach them: 404.
  const alice = await signedIn(browser, sink, ALICE, "/");
  await expect(alice.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toBeVisible();
  await expect(alice.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisations" })).toHaveCount(0);
  for (const path of ["/admin/organisations", `/admin/organisations/${code}`, "/admin/organisations/NWE"]) {
    const response = await alice.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(alice.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(alice).toHaveTitle(/^Page not found · /);
    await expect(alice.getByText(renamed)).toHaveCount(0);
  }
});
