import { expect, test } from "@playwright/test";
import { SMTP_SINK_PORT } from "../../playwright.config";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { firstLink, SmtpSink } from "../support/smtp-sink";

const sink = new SmtpSink(SMTP_SINK_PORT);
test.beforeAll(() => sink.start());
test.afterAll(() => sink.stop());

const ALICE = "alice@northwind.example";
const BOB = "bob@southfield.example";
const ERIN = "erin@eastgate.example";
const DANA = "dana@dcc.example";
const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5"; // DOMAIN.md's public example, with its CRC
const BARE_CODE = "83FED3407A939723A5C639B26916D505";

test("alice gets an Install Code from bob; erin cannot see it; only alice can close", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE);
  await expectNoSeriousA11yViolations(alice);

  // Bad input is explained beside the field, keeps what was typed, and raises nothing.
  await alice.goto("/requests/new");
  await expectNoSeriousA11yViolations(alice);
  await alice.getByLabel("Device ID").fill("00-DB-12");
  await alice.getByRole("button", { name: "Raise request" }).click();
  await expect(alice.getByTestId("deviceId-error")).toHaveText("Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0");
  await expect(alice.getByLabel("Device ID")).toHaveValue("00-DB-12");
  await expect(alice.getByLabel("Device ID")).toHaveAttribute("aria-invalid", "true");
  await expect(alice.getByLabel("Device ID")).toBeFocused();
  await expectNoSeriousA11yViolations(alice);
  await alice.getByLabel("Device ID").fill("00-DB-12-34-56-78-90-C1");
  await alice.getByRole("button", { name: "Raise request" }).click();
  await expect(alice.getByTestId("deviceId-error")).toHaveText(
    "Device 00-DB-12-34-56-78-90-C1 is Commissioned: an Install Code can only be requested for a Device that is not yet commissioned",
  );

  // Raise, in lower case without separators: the Device ID is normalised.
  const bobMailsBefore = sink.to(BOB).length;
  const reference = await raise(alice, "00db1234567890a1", "Consumer switched to us on 1 November.\nMeter is in the garage.");
  await expect(alice.getByTestId("device-id")).toHaveText("00-DB-12-34-56-78-90-A1");
  await expect(alice.getByTestId("assigned-organisation")).toHaveText("Southfield Power");
  await expect(alice.getByTestId("request-status")).toHaveText("Assigned");
  await expect(alice.getByTestId("note-body")).toHaveText("Consumer switched to us on 1 November.\nMeter is in the garage.");
  await expectNoSeriousA11yViolations(alice);

  // Raising again returns the open request.
  expect(await raise(alice, "00-DB-12-34-56-78-90-A1")).toBe(reference);
  await expect(alice.getByText("already has an open request for this Device")).toBeVisible();

  // Bob is emailed: reference, Device, raiser, due date, link; no note body.
  const assigned = await sink.waitFor(BOB, { after: bobMailsBefore });
  expect(assigned.subject).toBe(`${reference}: Install Code requested for Device 00-DB-12-34-56-78-90-A1`);
  expect(assigned.text).toContain("Raised by: Northwind Energy");
  expect(assigned.text).toMatch(/Respond by: \w+day \d+ \w+ \d{4} at 23:59 \(UK time\)/);
  expect(assigned.text).not.toContain("garage");
  const link = firstLink(assigned);
  expect(link).toBe(`http://127.0.0.1:3101/requests/${reference}`);

  // Bob follows the link, signs in on the way, and lands on the request.
  const bob = await signedIn(browser, sink, BOB, `/requests/${reference}`);
  await expect(bob.getByRole("heading", { name: `Request ${reference}` })).toBeVisible();
  await expect(bob.getByRole("button", { name: "Close request" })).toHaveCount(0);
  await expect(bob.getByLabel("Assign to")).toHaveCount(0);
  await expectNoSeriousA11yViolations(bob);

  // A wrong CRC is refused before anything is stored.
  await bob.getByLabel("Install Code", { exact: true }).fill("83FED3407A939723A5C639B26916D505C3B6");
  await bob.getByRole("button", { name: "Provide install code" }).click();
  await expect(bob.getByTestId("installCode-error")).toHaveText("Install Code CRC does not match: check the label");
  await expect(bob.getByTestId("install-code")).toHaveText("Not provided yet.");

  const aliceMailsBefore = sink.to(ALICE).length;
  await bob.getByLabel("Install Code", { exact: true }).fill(LABEL_CODE);
  await bob.getByRole("button", { name: "Provide install code" }).click();
  await expect(bob.getByTestId("form-success")).toContainText("Install Code saved");
  await expect(bob.getByTestId("request-status")).toHaveText("Responded");

  // Alice is told by email, without the code.
  const updated = await sink.waitFor(ALICE, { after: aliceMailsBefore });
  expect(updated.subject).toBe(`${reference} updated: Southfield Power provided the Install Code`);
  for (const mail of sink.received) {
    expect(`${mail.subject}\n${mail.text}\n${mail.html}`.toUpperCase()).not.toContain(BARE_CODE);
  }

  // Alice sees it masked, reveals it (without the CRC), and the reveal is on the timeline.
  await alice.goto(firstLink(updated));
  await expect(alice.getByTestId("install-code")).toContainText("hidden");
  await expect(alice.getByTestId("install-code")).not.toContainText("83FE");
  await alice.getByRole("button", { name: "Reveal install code" }).click();
  await expect(alice.getByTestId("install-code-value")).toHaveText(BARE_CODE);
  await expect(alice.getByTestId("install-code")).toHaveText("83FE D340 7A93 9723 A5C6 39B2 6916 D505");
  await alice.reload();
  await expect(alice.getByTestId("timeline")).toContainText("Alice Hughes (Northwind Energy) revealed the Install Code");

  // Bob forges the close form he is not shown: the server refuses it.
  const closeForm = alice.locator("form", { has: alice.getByRole("button", { name: "Close request" }) });
  const fields = await closeForm.evaluate((form: HTMLFormElement) =>
    Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)])),
  );
  const forged = await bob.request.post(`/requests/${reference}`, { multipart: fields });
  expect(forged.status()).toBeLessThan(500);
  await bob.reload();
  await expect(bob.getByTestId("request-status")).toHaveText("Responded");
  await expect(bob.getByTestId("timeline")).not.toContainText("Closed by");

  // Erin, a third Supplier, gets a 404 for the request, and does not see it listed.
  const erin = await signedIn(browser, sink, ERIN);
  await expect(erin.getByRole("link", { name: reference })).toHaveCount(0);
  const response = await erin.goto(`/requests/${reference}`);
  expect(response?.status()).toBe(404);
  await expect(erin.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  // The title does not confirm the reference either.
  await expect(erin).toHaveTitle(/^Page not found · /);
  await expect(erin.getByText("00-DB-12-34-56-78-90-A1")).toHaveCount(0);
  await expectNoSeriousA11yViolations(erin);

  // The very same submission from Alice (as a browser without JavaScript sends it) closes it: the
  // forgery above reached the server and was refused for who sent it, not for its form.
  await alice.request.post(`/requests/${reference}`, { multipart: fields });
  await alice.reload();
  await expect(alice.getByTestId("request-status")).toHaveText("Closed");
  await expect(alice.getByRole("button", { name: "Add note" })).toHaveCount(0);
  await expect(alice.getByRole("button", { name: "Close request" })).toHaveCount(0);
  await expect(alice.getByTestId("timeline")).toContainText("Closed by Alice Hughes (Northwind Energy)");
});

test("dana, the helpdesk, reassigns an open request to Eastgate, and erin then sees it", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE);
  const reference = await raise(alice, "00-DB-12-34-56-78-90-A4");
  await expect(alice.getByTestId("assigned-organisation")).toHaveText("Southfield Power");

  const dana = await signedIn(browser, sink, DANA, `/requests/${reference}`);
  await expect(dana.getByRole("button", { name: "Close request" })).toHaveCount(0);
  await expect(dana.getByRole("button", { name: "Provide install code" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(dana);
  const erinMailsBefore = sink.to(ERIN).length;
  await dana.getByLabel("Assign to").fill("EGP");
  await dana.getByLabel("Reason").fill("Southfield confirmed Eastgate installed this meter");
  await dana.getByRole("button", { name: "Reassign" }).click();
  await expect(dana.getByTestId("assigned-organisation")).toHaveText("Eastgate Gas & Power");
  await expect(dana.getByTestId("timeline")).toContainText("Reassigned to Eastgate Gas & Power by Dana Okafor");

  const reassigned = await sink.waitFor(ERIN, { after: erinMailsBefore });
  expect(reassigned.subject).toBe(`${reference}: Install Code requested for Device 00-DB-12-34-56-78-90-A4`);

  const erin = await signedIn(browser, sink, ERIN);
  await erin.getByRole("link", { name: reference }).click();
  await expect(erin.getByRole("heading", { name: `Request ${reference}` })).toBeVisible();
  await expect(erin.getByRole("button", { name: "Provide install code" })).toBeVisible();

  // Southfield is no longer a party.
  const bob = await signedIn(browser, sink, BOB);
  const response = await bob.goto(`/requests/${reference}`);
  expect(response?.status()).toBe(404);

  // Alice closes it with the button.
  await alice.goto(`/requests/${reference}`);
  await alice.getByRole("button", { name: "Close request" }).click();
  await expect(alice.getByTestId("request-status")).toHaveText("Closed");
  await expect(alice.getByText("This request is closed and can no longer be changed.")).toBeVisible();
});
