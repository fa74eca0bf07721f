import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, ERIN, LABEL_CODE } from "../support/people";

// Lodging an Install Code in advance (issue 9, part 4): Bob (SFP) lodges the code of a Device SFP
// pre-notified; Alice (NWE) raises a request for it and finds it answered at once.

const sink = smtpSinkForFile();

const BARE_CODE = "83FED3407A939723A5C639B26916D505";
// Seeded: a GSME, InstalledNotCommissioned, pre-notified by SFP; no other spec uses it.
const DEVICE = "00-DB-20-01-00-00-00-02";
const COMMISSIONED = "00-DB-12-34-56-78-90-C1";

test("bob lodges a code in advance; alice's request is answered the moment she raises it; nobody else sees the code", async ({ browser }) => {
  const bob = await signedIn(browser, sink, BOB, "/");
  await bob.getByRole("link", { name: "Lodged codes" }).click();
  await expect(bob).toHaveURL("/devices/lodge");
  await expect(bob.getByRole("heading", { name: "Lodge Install Codes", level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(bob);

  // A Device Bob's organisation did not pre-notify is refused beside the field, keeping what he typed.
  await bob.getByLabel("Device ID", { exact: true }).fill("00-DB-12-34-56-78-90-A2");
  await bob.getByRole("textbox", { name: "Install Code", exact: true }).fill(LABEL_CODE);
  await bob.getByRole("button", { name: "Lodge Install Code" }).click();
  await expect(bob.getByTestId("deviceId-error")).toHaveText(
    "Device 00-DB-12-34-56-78-90-A2 was not pre-notified by your organisation: only the Supplier that pre-notified a Device can lodge its Install Code",
  );
  await expect(bob.getByTestId("error-summary")).toBeFocused();
  await bob.getByTestId("error-summary").getByRole("link").first().click();
  await expect(bob.getByLabel("Device ID", { exact: true })).toBeFocused();

  // Lodged, in lower case without separators: shown back masked, and listed.
  await bob.getByLabel("Device ID", { exact: true }).fill(DEVICE.replaceAll("-", "").toLowerCase());
  await bob.getByRole("textbox", { name: "Install Code", exact: true }).fill(LABEL_CODE);
  await bob.getByRole("button", { name: "Lodge Install Code" }).click();
  await expect(bob.getByTestId("form-success")).toHaveText(
    `Install Code lodged for Device ${DEVICE}: •••••••• (32 hexadecimal digits, hidden). A request raised for it will be answered at once.`,
  );
  await expect(bob.getByRole("textbox", { name: "Install Code", exact: true })).toHaveValue("");
  const row = bob.getByTestId("lodged-code").filter({ hasText: DEVICE });
  await expect(row).toContainText("Bob Patel");
  await expect(row).toContainText("32 hexadecimal digits, hidden");
  // The Device in words, not DUIS's values.
  await expect(row).toContainText("Gas meter (GSME)");
  await expect(row).toContainText("SMI status: Installed, not commissioned");
  await expect(bob.locator("body")).not.toContainText("83FE");

  // Many at once: each row of the file is answered in a table.
  await bob.getByLabel("CSV file", { exact: true }).setInputFiles({
    name: "codes.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`device_id,install_code\n${DEVICE},${LABEL_CODE}\n${COMMISSIONED},${LABEL_CODE}\nnot-a-device,${LABEL_CODE}\n`),
  });
  await bob.getByRole("button", { name: "Upload and lodge" }).click();
  const results = bob.getByTestId("lodge-results");
  await expect(results).toContainText("3 rows: 0 lodged, 1 replaced, 2 refused");
  await expect(results.getByRole("row").nth(1)).toContainText(`2${DEVICE}Replaced`);
  await expect(results.getByRole("row").nth(2)).toContainText(
    `Device ${COMMISSIONED} is commissioned: an Install Code can only be lodged for a Device that is not yet commissioned`,
  );
  await expect(results.getByRole("row").nth(3)).toContainText("Device ID must be 16 hexadecimal digits");
  await expect(results).not.toContainText("83FE");
  await expectNoSeriousA11yViolations(bob);

  // Nobody else sees it: not Erin's list, not the helpdesk (told that only Suppliers lodge).
  const erin = await signedIn(browser, sink, ERIN, "/devices/lodge");
  await expect(erin.getByRole("heading", { name: /Install Codes lodged by Eastgate Gas & Power/ })).toBeVisible();
  await expect(erin.getByText(DEVICE)).toHaveCount(0);
  const dana = await signedIn(browser, sink, DANA, "/devices/lodge");
  await expect(dana.getByText("Install Codes are lodged by Suppliers")).toBeVisible();
  await expect(dana.getByText(DEVICE)).toHaveCount(0);
  await expect(dana.getByRole("link", { name: "Lodged codes" })).toHaveCount(0);

  // Alice raises a request for the Device: it is answered at once.
  const alice = await signedIn(browser, sink, ALICE, "/requests");
  const aliceMailsBefore = sink.to(ALICE).length;
  const reference = await raise(alice, DEVICE);
  await expect(alice.getByText(/Request raised and answered at once: Southfield Power had lodged the Install Code in advance/)).toBeVisible();
  await expect(alice.getByTestId("request-status")).toHaveText("Responded");
  await expect(alice.getByTestId("timeline")).toContainText(/Answered at once: the Install Code was lodged on \w+day \d+ \w+ \d{4} by Southfield Power/);
  await expect(alice.getByTestId("install-code")).toContainText("hidden");
  await expectNoSeriousA11yViolations(alice);

  // She is emailed that the answer is ready, without the code, and reveals it on the request.
  const answered = await sink.waitFor(ALICE, { after: aliceMailsBefore });
  expect(answered.subject).toMatch(new RegExp(`^${reference} updated: Southfield Power provided the Install Code \\(lodged in advance on \\w+day \\d+ \\w+ \\d{4}\\)$`));
  for (const mail of sink.received) expect(`${mail.subject}\n${mail.text}\n${mail.html}`.toUpperCase()).not.toContain(BARE_CODE);
  await alice.goto(firstLink(answered));
  await alice.getByRole("button", { name: "Reveal Install Code" }).click();
  await expect(alice.getByTestId("install-code-value")).toHaveText(BARE_CODE);

  // Erin, no party to the request, gets a 404 for it.
  const response = await erin.goto(`/requests/${reference}`);
  expect(response?.status()).toBe(404);

  // Bob withdraws the code: gone from his list, said so.
  await bob.goto("/devices/lodge");
  await bob.getByRole("button", { name: `Withdraw the Install Code lodged for Device ${DEVICE}` }).click();
  await expect(bob.getByTestId("withdrawn")).toHaveText(`Install Code withdrawn for Device ${DEVICE}.`);
  await expect(bob.getByTestId("lodged-code").filter({ hasText: DEVICE })).toHaveCount(0);
});
