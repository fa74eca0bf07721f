import { expect, test } from "@playwright/test";
import { SMTP_PORTAL_URL } from "../../playwright.config";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, ERIN, LABEL_CODE } from "../support/people";

const sink = smtpSinkForFile();

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
  // The error summary at the top takes the focus and leads to the field.
  await expect(alice.getByTestId("error-summary")).toBeFocused();
  await expect(alice).toHaveTitle(/^Error: Raise a request/);
  await alice.getByTestId("error-summary").getByRole("link").click();
  await expect(alice.getByLabel("Device ID")).toBeFocused();
  await expectNoSeriousA11yViolations(alice);
  await alice.getByLabel("Device ID").fill("00-DB-12-34-56-78-90-C1");
  await alice.getByRole("button", { name: "Raise request" }).click();
  await expect(alice.getByTestId("deviceId-error")).toHaveText(
    "Device 00-DB-12-34-56-78-90-C1 is commissioned: an Install Code can only be requested for a Device that is not yet commissioned",
  );

  // Raise, in lower case without separators: the Device ID is normalised.
  const bobMailsBefore = sink.to(BOB).length;
  const reference = await raise(alice, "00db1234567890a1", "Consumer switched to us on 1 November.\nMeter is in the garage.");
  await expect(alice.getByTestId("device-id")).toHaveText("00-DB-12-34-56-78-90-A1");
  await expect(alice.getByTestId("assigned-organisation")).toHaveText("Southfield Power");
  await expect(alice.getByTestId("request-status")).toHaveText("Assigned");
  await expect(alice.getByTestId("note-body")).toHaveText("Consumer switched to us on 1 November.\nMeter is in the garage.");
  await expectNoSeriousA11yViolations(alice);

  // The Device in words, not DUIS's values; its ID copied with one button, which says so.
  await expect(alice.getByTestId("device-type")).toHaveText("Electricity meter (ESME)");
  await expect(alice.getByTestId("smi-status")).toHaveText("Installed, not commissioned");
  await alice.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await alice.getByRole("button", { name: "Copy Device ID 00-DB-12-34-56-78-90-A1" }).click();
  await expect(alice.getByTestId("copy-status")).toHaveText("Copied");
  expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe("00-DB-12-34-56-78-90-A1");
  // At 320 px the ID may wrap between its groups, never inside one, and stays on the screen.
  await alice.setViewportSize({ width: 320, height: 800 });
  const id = alice.getByTestId("device-id");
  // Lines a group's boxes sit on (the text may come as several boxes on one line).
  const linesPerGroup = await id.evaluate((el) =>
    [...el.children].filter((c) => c.tagName === "SPAN").map((group) => new Set([...group.getClientRects()].map((r) => Math.round(r.top))).size),
  );
  expect(linesPerGroup).toEqual(Array(8).fill(1));
  expect(await id.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(320);
  await alice.setViewportSize({ width: 1280, height: 720 });

  // Raising again returns the open request.
  expect(await raise(alice, "00-DB-12-34-56-78-90-A1")).toBe(reference);
  await expect(alice.getByText("already has an open request for this Device")).toBeVisible();

  // Bob is emailed: reference, Device, raiser, due date, link; no note body.
  const assigned = await sink.waitFor(BOB, { after: bobMailsBefore });
  expect(assigned.subject).toBe(`${reference}: Install Code requested for Device 00-DB-12-34-56-78-90-A1`);
  expect(assigned.text).toContain("Raised by: Northwind Energy");
  expect(assigned.text).toMatch(/^Respond by the end of \w+day \d+ \w+ \d{4} \(5 Working Days left\)$/m);
  expect(assigned.text).not.toContain("garage");
  const link = firstLink(assigned);
  expect(link).toBe(`${SMTP_PORTAL_URL}/requests/${reference}`);

  // The timeline folds the emails into what caused them: no "Email queued" / "Email sent" lines,
  // the times on demand.
  const raised = alice.getByTestId("timeline").locator(":scope > li").first();
  await expect(async () => {
    await alice.reload();
    await expect(raised).toContainText("Raised by Alice Hughes (Northwind Energy) — Southfield Power emailed", { timeout: 1_000 });
  }).toPass();
  await expect(alice.getByTestId("timeline")).not.toContainText(/Email (queued|sent)/);
  const sentLine = raised.getByTestId("timeline-emails").getByText(/^To Southfield Power: queued .+, sent .+$/).first();
  await expect(sentLine).toBeHidden();
  await raised.getByText(/^Email details/).click();
  await expect(sentLine).toBeVisible();

  // Bob follows the link, signs in on the way, and lands on the request.
  const bob = await signedIn(browser, sink, BOB, `/requests/${reference}`);
  await expect(bob.getByRole("heading", { name: `Request ${reference}` })).toBeVisible();
  await expect(bob.getByTestId("close-link")).toHaveCount(0);
  await expect(bob.getByTestId("withdraw-link")).toHaveCount(0);
  await expect(bob.getByTestId("reassign-link")).toHaveCount(0);
  await expectNoSeriousA11yViolations(bob);

  // A wrong CRC is refused before anything is stored.
  await bob.getByRole("textbox", { name: "Install Code", exact: true }).fill("83FED3407A939723A5C639B26916D505C3B6");
  await bob.getByRole("button", { name: "Provide the Install Code" }).click();
  await expect(bob.getByTestId("installCode-error")).toHaveText("Install Code CRC does not match: check the label");
  // The error summary at the top says it too, takes the focus, links to the field, and the title says "Error".
  await expect(bob.getByTestId("error-summary")).toBeFocused();
  await expect(bob).toHaveTitle(/^Error: /);
  await bob.getByTestId("error-summary").getByRole("link", { name: "Install Code CRC does not match: check the label" }).click();
  await expect(bob.getByRole("textbox", { name: "Install Code", exact: true })).toBeFocused();
  await expect(bob.getByTestId("install-code")).toHaveText("Not provided yet.");

  const aliceMailsBefore = sink.to(ALICE).length;
  await bob.getByRole("textbox", { name: "Install Code", exact: true }).fill(LABEL_CODE);
  await bob.getByRole("button", { name: "Provide the Install Code" }).click();
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
  await alice.getByRole("button", { name: "Reveal Install Code" }).click();
  await expect(alice.getByTestId("install-code-value")).toHaveText(BARE_CODE);
  await expect(alice.getByTestId("install-code")).toHaveText("83FE D340 7A93 9723 A5C6 39B2 6916 D505");
  await alice.reload();
  await expect(alice.getByTestId("timeline")).toContainText("Alice Hughes (Northwind Energy) revealed the Install Code");

  // Closing asks first, on its own page, saying what will happen.
  await alice.getByTestId("close-link").click();
  await expect(alice.getByRole("heading", { name: "Close request" })).toBeVisible();
  await expect(alice.getByRole("heading", { name: "What will happen" })).toBeVisible();
  await expectNoSeriousA11yViolations(alice);
  await alice.reload(); // rendered by the server: the form carries its action's fields

  // Bob forges the close form he is not shown: the server refuses it.
  const closeForm = alice.locator("form", { has: alice.getByRole("button", { name: "Close request" }) });
  const fields = await closeForm.evaluate((form: HTMLFormElement) =>
    Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)])),
  );
  const forged = await bob.request.post(`/requests/${reference}/close`, { multipart: fields });
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
  await alice.request.post(`/requests/${reference}/close`, { multipart: fields });
  await alice.goto(`/requests/${reference}`);
  await expect(alice.getByTestId("request-status")).toHaveText("Closed");
  await expect(alice.getByRole("button", { name: "Add note" })).toHaveCount(0);
  await expect(alice.getByTestId("close-link")).toHaveCount(0);
  await expect(alice.getByTestId("timeline")).toContainText("Closed by Alice Hughes (Northwind Energy)");
});

test("dana, the helpdesk, reassigns an open request to Eastgate, and erin then sees it", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE);
  const reference = await raise(alice, "00-DB-12-34-56-78-90-A4");
  await expect(alice.getByTestId("assigned-organisation")).toHaveText("Southfield Power");

  const dana = await signedIn(browser, sink, DANA, `/requests/${reference}`);
  await expect(dana.getByTestId("close-link")).toHaveCount(0);
  await expect(dana.getByTestId("withdraw-link")).toHaveCount(0);
  await expect(dana.getByRole("button", { name: "Provide the Install Code" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(dana);
  const erinMailsBefore = sink.to(ERIN).length;
  await dana.getByTestId("reassign-link").click();
  await dana.getByLabel("Assign to").fill("EGP");
  await dana.getByLabel("Reason").fill("Southfield confirmed Eastgate installed this meter");
  await dana.getByRole("button", { name: "Reassign request" }).click();
  await expect(dana.getByTestId("form-success")).toHaveText("Request reassigned to Eastgate Gas & Power, who has been emailed. Its five Working Days start now.");
  await expect(dana.getByTestId("assigned-organisation")).toHaveText("Eastgate Gas & Power");
  await expect(dana.getByTestId("timeline")).toContainText("Reassigned to Eastgate Gas & Power by Dana Okafor");

  const reassigned = await sink.waitFor(ERIN, { after: erinMailsBefore });
  expect(reassigned.subject).toBe(`${reference}: Install Code requested for Device 00-DB-12-34-56-78-90-A4`);

  const erin = await signedIn(browser, sink, ERIN);
  await erin.getByRole("link", { name: reference }).click();
  await expect(erin.getByRole("heading", { name: `Request ${reference}` })).toBeVisible();
  await expect(erin.getByRole("button", { name: "Provide the Install Code" })).toBeVisible();

  // Southfield is no longer a party.
  const bob = await signedIn(browser, sink, BOB);
  const response = await bob.goto(`/requests/${reference}`);
  expect(response?.status()).toBe(404);

  // No code yet: Alice cannot close it, but withdraws it, saying why; Eastgate is told.
  await alice.goto(`/requests/${reference}`);
  await expect(alice.getByTestId("close-link")).toHaveCount(0);
  await alice.getByTestId("withdraw-link").click();
  await expect(alice.getByRole("heading", { name: "Withdraw request" })).toBeVisible();
  // No reason chosen: refused at the top of the page, nothing changes.
  await alice.getByRole("button", { name: "Withdraw request" }).click();
  await expect(alice.getByTestId("error-summary")).toContainText("Choose why you are withdrawing the request");
  await alice.getByLabel("No longer needed").check();
  const erinBefore = sink.to(ERIN).length;
  await alice.getByRole("button", { name: "Withdraw request" }).click();
  await expect(alice.getByTestId("form-success")).toHaveText("Request withdrawn. Eastgate Gas & Power has been told by email that it need not provide the Install Code.");
  await expect(alice.getByTestId("request-status")).toHaveText("Closed");
  await expect(alice.getByTestId("withdraw-reason")).toHaveText("No longer needed");
  await expect(alice.getByText("This request is closed and can no longer be changed.")).toBeVisible();
  const withdrawn = await sink.waitFor(ERIN, { after: erinBefore });
  expect(withdrawn.subject).toBe(`${reference} withdrawn by Northwind Energy`);
});
