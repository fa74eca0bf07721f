import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA } from "../support/people";

const sink = smtpSinkForFile();

// Eligible (Pending, Whitelisted), pre-notified by Southfield, and raised by no other spec.
const ANSWERED_DEVICE = "00-DB-20-10-00-00-00-02";
const UNANSWERED_DEVICE = "00-DB-20-00-00-00-00-02"; // ESME, Whitelisted
const CODE = "00112233445566778899AABBCCDDEEFF";

/** Moves the portal's clock (lib/clock.ts) instead of waiting; null puts it back. */
async function setClock(request: APIRequestContext, at: string | null) {
  const response = await request.post("/dev/clock", { data: { at } });
  expect(response.status()).toBe(200);
}

/** The report table's rows as their cells' text, header and totals included ("—" read as empty). */
async function tableCells(page: Page): Promise<string[][]> {
  return page.getByTestId("report-table").locator("tr").evaluateAll((rows) =>
    rows.map((row) =>
      [...row.querySelectorAll("th, td")].map((cell) => {
        const text = (cell.querySelector("[aria-hidden=true]") ? "" : cell.textContent) ?? "";
        return text.trim();
      }),
    ),
  );
}

test("the helpdesk reads a month's obligation report, prints it without the site's navigation, and downloads the same rows as CSV", async ({ browser, request }) => {
  // Signed in at the real time; then the portal's clock goes back to February 2024, a month no other spec uses.
  const alice = await signedIn(browser, sink, ALICE);
  const bob = await signedIn(browser, sink, BOB);
  const dana = await signedIn(browser, sink, DANA, "/helpdesk/reports");
  try {
    // Thursday 8 February: raised, and answered by Southfield the next day (1 Working Day).
    await setClock(request, "2024-02-08T10:00:00Z");
    const answered = await raise(alice, ANSWERED_DEVICE);
    await setClock(request, "2024-02-09T11:00:00Z");
    await bob.goto(`/requests/${answered}`);
    await bob.getByRole("textbox", { name: "Install Code", exact: true }).fill(CODE);
    await bob.getByRole("button", { name: "Provide the Install Code" }).click();
    await expect(bob.getByTestId("form-success")).toContainText("Install Code saved");
    // Monday 26 February: raised, due at the end of Monday 4 March, so not yet due when the month ends.
    await setClock(request, "2024-02-26T10:00:00Z");
    await raise(alice, UNANSWERED_DEVICE);

    await setClock(request, "2024-03-05T09:00:00Z");
    await dana.goto("/helpdesk/reports/2024-02");
    await expect(dana.getByRole("heading", { level: 1 })).toHaveText("Install Code obligation report: February 2024");
    await expect(dana.getByTestId("report-dates")).toContainText("Figures as of the end of Thursday 29 February 2024 (UK time).");
    const southfield = dana.getByTestId("report-row").filter({ has: dana.getByRole("rowheader", { name: "Southfield Power" }) });
    // Received 2; 1 within five Working Days; none late; 1 unanswered, not yet due; none reassigned, closed or declined; none missed; median 1.
    await expect(southfield.locator("td")).toHaveText(["SFP", "2", "1", "0", "1", "1", "0", "0", "0", "0", "1"]);
    const shown = await tableCells(dana);
    expect(shown[0]).toContain("Answered within five Working Days");
    expect(shown.at(-1)![0]).toBe("Total");
    await expect(dana.getByRole("heading", { name: "How these figures are counted" })).toBeVisible();
    await expectNoSeriousA11yViolations(dana);

    // Printed: the report and its explanation, without the site's header, navigation or buttons.
    await dana.emulateMedia({ media: "print" });
    await expect(dana.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(dana.locator("body > header")).toBeHidden();
    await expect(dana.getByRole("button", { name: "Print" })).toBeHidden();
    await expect(dana.getByTestId("report-csv")).toBeHidden();
    await expect(dana.getByTestId("report-table")).toBeVisible();
    await expect(southfield).toBeVisible();
    await expect(dana.getByRole("heading", { name: "How these figures are counted" })).toBeVisible();
    expect(await dana.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
    await dana.emulateMedia({ media: "screen" });
    await expect(dana.getByRole("navigation", { name: "Main" })).toBeVisible();

    // The CSV: the rows shown, header and totals included.
    const downloading = dana.waitForEvent("download");
    await dana.getByTestId("report-csv").click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("obligation-report-2024-02.csv");
    const csv = parse(await readFile((await download.path())!, "utf8")) as string[][];
    expect(csv).toEqual(shown);
  } finally {
    await setClock(request, null);
  }
});
