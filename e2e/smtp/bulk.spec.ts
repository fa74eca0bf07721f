import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import type { ParsedMail } from "mailparser";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, ERIN } from "../support/people";

const sink = smtpSinkForFile();

// Eligible Devices no other spec raises (the suite shares one database): one pre-notified by
// Southfield (a GSME, InstalledNotCommissioned), two by Eastgate (an ESME InstalledNotCommissioned,
// and one Pending).
const FROM_SOUTHFIELD = "00-DB-20-01-00-00-00-02";
const FROM_EASTGATE = "00-DB-30-00-00-00-00-03";
const PENDING_FROM_EASTGATE = "00-DB-30-10-00-00-00-03";

const FILE = [
  "device_id,note",
  `${FROM_SOUTHFIELD},"Consumer moved in on 2 November, meter outside"`,
  `${FROM_EASTGATE.replaceAll("-", "").toLowerCase()},`,
  "00-DB-12-34-56-78-90-C1,",
  "00-DB-12-34-56-78-90-D1,",
  "00-DB-12-34-56-78-90-FF,",
  "00-DB-12-34-56-78-90-A2,",
  "00-DB-12,",
  '"=HYPERLINK(""http://evil.example"")",',
  `${PENDING_FROM_EASTGATE},`,
  `${FROM_SOUTHFIELD},`,
].join("\n");

const WORDS = {
  commissioned: "Device 00-DB-12-34-56-78-90-C1 is commissioned: an Install Code can only be requested for a Device that is not yet commissioned",
  typeTwo: "Device 00-DB-12-34-56-78-90-D1 is an in-home display (IHD), a Type 2 Device: an Install Code can only be requested for a Type 1 Device",
  unknown: "No Device 00-DB-12-34-56-78-90-FF in the Smart Metering Inventory",
  own: "Your organisation pre-notified this Device, so it already holds the Install Code",
  malformed: "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0",
};

async function upload(page: Page, content: string) {
  await page.getByLabel("CSV file").setInputFiles({ name: "devices.csv", mimeType: "text/csv", buffer: Buffer.from(content) });
  await page.getByRole("button", { name: "Raise requests" }).click();
}

/** The result table's rows as [row, device ID, outcome, reference, reason]. */
async function resultRows(page: Page): Promise<string[][]> {
  const rows = page.getByTestId("bulk-row");
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push((await rows.nth(i).locator("td").allInnerTexts()).map((t) => t.trim()));
  return out;
}

async function mailWithSubject(address: string, subject: string, after: number): Promise<ParsedMail> {
  await expect.poll(() => sink.to(address).slice(after).map((m) => m.subject), { timeout: 20_000 }).toContain(subject);
  return sink.to(address).slice(after).find((m) => m.subject === subject)!;
}

test("a Supplier raises from a CSV file: every row answered in a table with counts, the same rows downloaded, one email per assigned Supplier", async ({ browser }) => {
  const [bobBefore, erinBefore] = [sink.to(BOB).length, sink.to(ERIN).length];
  const alice = await signedIn(browser, sink, ALICE);
  await alice.getByRole("link", { name: "Raise from a CSV file" }).click();
  await expect(alice).toHaveURL("/requests/bulk");
  await expect(alice.getByRole("heading", { level: 1 })).toHaveText("Raise requests from a CSV file");
  await expectNoSeriousA11yViolations(alice);

  await upload(alice, FILE);
  await expect(alice.getByTestId("bulk-counts")).toContainText("3 raised, 1 already open, 6 refused");
  const rows = await resultRows(alice);
  const reference = (row: number) => rows[row - 1][3];
  for (const row of [1, 2, 9]) expect(reference(row)).toMatch(/^RIC\d{7}$/);
  expect(rows).toEqual([
    ["1", FROM_SOUTHFIELD, "raised", reference(1), "The note was added to it"],
    ["2", FROM_EASTGATE, "raised", reference(2), ""],
    ["3", "00-DB-12-34-56-78-90-C1", "refused", "", WORDS.commissioned],
    ["4", "00-DB-12-34-56-78-90-D1", "refused", "", WORDS.typeTwo],
    ["5", "00-DB-12-34-56-78-90-FF", "refused", "", WORDS.unknown],
    ["6", "00-DB-12-34-56-78-90-A2", "refused", "", WORDS.own],
    ["7", "00-DB-12", "refused", "", WORDS.malformed],
    ["8", '=HYPERLINK("http://evil.example")', "refused", "", WORDS.malformed],
    ["9", PENDING_FROM_EASTGATE, "raised", reference(9), ""],
    ["10", FROM_SOUTHFIELD, "already open", reference(1), "The Device is also on row 1 of this file"],
  ]);
  await expectNoSeriousA11yViolations(alice);

  // The download: the same rows, with the formula neutralised.
  const [download] = await Promise.all([alice.waitForEvent("download"), alice.getByRole("link", { name: "Download results as CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^bulk-raise-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile((await download.path())!, "utf8")).trim().split("\n");
  expect(csv).toEqual([
    "device_id,outcome,reference,reason",
    `${FROM_SOUTHFIELD},raised,${reference(1)},The note was added to it`,
    `${FROM_EASTGATE},raised,${reference(2)},`,
    `00-DB-12-34-56-78-90-C1,refused,,${WORDS.commissioned}`,
    `00-DB-12-34-56-78-90-D1,refused,,"${WORDS.typeTwo}"`,
    `00-DB-12-34-56-78-90-FF,refused,,${WORDS.unknown}`,
    `00-DB-12-34-56-78-90-A2,refused,,"${WORDS.own}"`,
    `00-DB-12,refused,,"${WORDS.malformed}"`,
    `"'=HYPERLINK(""http://evil.example"")",refused,,"${WORDS.malformed}"`,
    `${PENDING_FROM_EASTGATE},raised,${reference(9)},`,
    `${FROM_SOUTHFIELD},already open,${reference(1)},The Device is also on row 1 of this file`,
  ]);

  // One email to Eastgate listing both of its new requests, one to Southfield; never the note.
  const toErin = await mailWithSubject(ERIN, "2 Requests for Install Code assigned to your organisation by Northwind Energy", erinBefore);
  expect(toErin.text).toContain(`${reference(2)}  Device ${FROM_EASTGATE}`);
  expect(toErin.text).toContain(`${reference(9)}  Device ${PENDING_FROM_EASTGATE}`);
  const toBob = await mailWithSubject(BOB, "1 Request for Install Code assigned to your organisation by Northwind Energy", bobBefore);
  expect(toBob.text).toContain(`${reference(1)}  Device ${FROM_SOUTHFIELD}`);
  expect(toBob.text).not.toContain("Consumer moved in");
  expect(sink.to(ERIN).slice(erinBefore).filter((m) => m.subject?.includes("Install Code"))).toHaveLength(1);

  // Each raised request is a request like any other, with its note, timeline and link from the table.
  await alice.getByRole("link", { name: reference(1) }).first().click();
  await expect(alice).toHaveURL(`/requests/${reference(1)}`);
  await expect(alice.getByTestId("device-id")).toHaveText(FROM_SOUTHFIELD);
  await expect(alice.getByText("Consumer moved in on 2 November, meter outside")).toBeVisible();

  // The same file again: what was raised is now already open, with the same references.
  await alice.goto("/requests/new");
  await alice.getByRole("link", { name: "Raise requests from a CSV file" }).click();
  await upload(alice, FILE);
  await expect(alice.getByTestId("bulk-counts")).toContainText("0 raised, 4 already open, 6 refused");
  const again = await resultRows(alice);
  expect(again.filter((r) => r[2] === "already open").map((r) => r[3])).toEqual([reference(1), reference(2), reference(9), reference(1)]);

  // Withdrawn, so that no later spec finds them open (moving the clock a year on would breach them
  // and email Alice in the middle of its sign-in).
  for (const row of [1, 2, 9]) {
    await alice.goto(`/requests/${reference(row)}/withdraw`);
    await alice.getByLabel("Raised in error").check();
    await alice.getByRole("button", { name: "Withdraw request" }).click();
    await expect(alice.getByTestId("request-status")).toHaveText("Closed");
  }
});

test("a file that cannot be read is refused with what to change; the helpdesk is told that Suppliers raise", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE, "/requests/bulk");
  await upload(alice, `${FROM_SOUTHFIELD}\n${FROM_EASTGATE}\n`);
  await expect(alice.getByTestId("file-error")).toHaveText(
    "The file has no header: its first line is a Device ID. The first line must be the header device_id, or device_id,note to give a note with each Device",
  );
  await expect(alice.getByTestId("bulk-counts")).toHaveCount(0);
  await expectNoSeriousA11yViolations(alice);

  const dana = await signedIn(browser, sink, DANA, "/requests/bulk");
  await expect(dana.getByText("Requests are raised by Suppliers")).toBeVisible();
  await expect(dana.getByLabel("CSV file")).toHaveCount(0);
});
