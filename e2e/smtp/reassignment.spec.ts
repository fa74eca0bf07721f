import { expect, test, type Locator } from "@playwright/test";
import type { ParsedMail } from "mailparser";
import { SMTP_PORTAL_URL } from "../../playwright.config";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, ERIN } from "../support/people";

const sink = smtpSinkForFile();

// Eligible (InstalledNotCommissioned), pre-notified by Southfield, and raised by no other spec: the
// suite shares one database, and raising again for an open request returns that request.
const DEVICE = "00-DB-20-12-00-00-00-02";
const SOUTHFIELD_LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5"; // DOMAIN.md's public example, with its CRC
const SOUTHFIELD_CODE = "83FED3407A939723A5C639B26916D505";
const EASTGATE_CODE = "00112233445566778899AABBCCDDEEFF";
const REASON = "Southfield says Eastgate installed this meter on 3 November";
const REASSIGNED_PROMPT = "The request has been reassigned to your organisation: provide the Install Code you hold for this Device.";
const REVEAL = "Reveal Install Code";

/** The "Given by ..." line of one listed Install Code. */
const givenBy = (item: Locator) => item.getByText(/^Given by /);

/** Waits for an email to `address` with this subject, among those after the first `after`. */
async function mailWithSubject(address: string, subject: string, after: number): Promise<ParsedMail> {
  await expect.poll(() => sink.to(address).slice(after).map((m) => m.subject), { timeout: 20_000 }).toContain(subject);
  return sink.to(address).slice(after).find((m) => m.subject === subject)!;
}

/** The fields of a form as a browser without JavaScript would post them. */
async function formFields(form: Locator): Promise<Record<string, string>> {
  return form.evaluate((f: HTMLFormElement) => Object.fromEntries([...new FormData(f).entries()].map(([k, v]) => [k, String(v)])));
}

/** "by the end of Monday 9 November 2026 (5 Working Days left)" from an email's "Respond …" line: the page says the same. */
function duePhrase(mail: ParsedMail): string {
  return (mail.text ?? "").match(/^Respond (by the end of \w+day \d{1,2} \w+ \d{4} \(5 Working Days left\))$/m)![1];
}

/** Clicks this code's own Reveal button: the bare code is read out, shown in groups of four. */
async function expectInstallCodeRevealed(item: Locator, code: string) {
  await item.getByRole("button", { name: REVEAL }).click();
  await expect(item.getByTestId("install-code-value")).toHaveText(code);
  await expect(item.getByTestId("install-code")).toHaveText(code.match(/.{4}/g)!.join(" "));
}

test("code given, reassigned, the new assignee cannot reveal it and is asked for a code, the raiser still can", async ({ browser }) => {
  const storyMailsFrom = sink.received.length;

  // Alice (Northwind) raises; Southfield pre-notified the Device, so Bob is asked.
  const alice = await signedIn(browser, sink, ALICE);
  const bobMailsBefore = sink.to(BOB).length;
  const aliceMailsBefore = sink.to(ALICE).length;
  const reference = await raise(alice, DEVICE);
  await expect(alice.getByTestId("device-id")).toHaveText(DEVICE);
  await expect(alice.getByTestId("assigned-organisation")).toHaveText("Southfield Power");
  const requested = await sink.waitFor(BOB, { after: bobMailsBefore });
  expect(requested.subject).toBe(`${reference}: Install Code requested for Device ${DEVICE}`);

  // Bob gives Southfield's code.
  const bob = await signedIn(browser, sink, BOB, firstLink(requested));
  await bob.getByRole("textbox", { name: "Install Code", exact: true }).fill(SOUTHFIELD_LABEL_CODE);
  await bob.getByRole("button", { name: "Provide the Install Code" }).click();
  await expect(bob.getByTestId("form-success")).toContainText("Install Code saved");
  await expect(bob.getByTestId("request-status")).toHaveText("Responded");
  await expect(givenBy(bob.getByTestId("install-code-item"))).toHaveText(/^Given by Southfield Power on [^,]+, \d{2}:\d{2}$/);
  await mailWithSubject(ALICE, `${reference} updated: Southfield Power provided the Install Code`, aliceMailsBefore);

  // Dana, the helpdesk, learns that a code was given, never a digit of it nor its length; she reassigns.
  const dana = await signedIn(browser, sink, DANA, `/requests/${reference}`);
  await expect(dana.getByTestId("install-code-item")).toHaveCount(1);
  await expect(givenBy(dana.getByTestId("install-code-item"))).toContainText("Given by Southfield Power on ");
  await expect(dana.getByTestId("install-code")).toHaveText(/^Provided\b/);
  await expect(dana.getByTestId("install-code")).not.toHaveText(/\d|hexadecimal/);
  await expect(dana.getByRole("button", { name: REVEAL })).toHaveCount(0);
  const erinMailsBefore = sink.to(ERIN).length;
  await dana.getByTestId("reassign-link").click();
  await expect(dana.getByRole("heading", { name: "What will happen" })).toBeVisible();
  await expectNoSeriousA11yViolations(dana);
  await dana.getByLabel("Assign to").fill("EGP");
  await dana.getByLabel("Reason").fill(REASON);
  await dana.getByRole("button", { name: "Reassign request" }).click();
  await expect(dana.getByTestId("assigned-organisation")).toHaveText("Eastgate Gas & Power");
  await expect(dana.getByTestId("request-status")).toHaveText("Assigned");
  await expect(givenBy(dana.getByTestId("install-code-item"))).toContainText(", before the request was reassigned");
  await expect(dana.getByRole("button", { name: REVEAL })).toHaveCount(0);
  await expect(dana.getByTestId("install-code")).not.toHaveText(/\d/);

  // Erin (Eastgate) is emailed a link with a due date of her own, and follows it.
  const assigned = await sink.waitFor(ERIN, { after: erinMailsBefore });
  expect(assigned.subject).toBe(`${reference}: Install Code requested for Device ${DEVICE}`);
  expect(assigned.text).toContain("The DCC Helpdesk has reassigned to your organisation a Request for Install Code.");
  expect(assigned.text).toContain("Raised by: Northwind Energy");
  expect(firstLink(assigned)).toBe(`${SMTP_PORTAL_URL}/requests/${reference}`);
  const erin = await signedIn(browser, sink, ERIN, firstLink(assigned));
  await expect(erin.getByRole("heading", { name: `Request ${reference}` })).toBeVisible();
  await expect(erin.getByTestId("request-status")).toHaveText("Assigned");
  await expect(erin.getByTestId("assigned-organisation")).toHaveText("Eastgate Gas & Power");
  await expect(erin.getByTestId("due-line")).toHaveText(duePhrase(assigned));
  // Southfield's answer does not count as Eastgate's: nothing says this request was responded to.
  await expect(erin.getByText("Responded", { exact: true })).toHaveCount(0);
  await expect(erin.getByTestId("install-code-item")).toHaveCount(0);
  await expect(erin.getByTestId("install-code")).toHaveText("Not provided yet.");
  await expect(erin.getByTestId("code-wanted")).toHaveText(REASSIGNED_PROMPT);
  await expect(erin.getByRole("button", { name: REVEAL })).toHaveCount(0);
  await expect(erin.getByRole("textbox", { name: "Install Code", exact: true })).toBeVisible();
  await expect(erin.getByTestId("timeline")).toContainText(`Reassigned to Eastgate Gas & Power by Dana Okafor (DCC Service Desk). Reason: ${REASON}`);
  await expectNoSeriousA11yViolations(erin);

  // Erin gives Eastgate's own code: it is hers to see, and she is no longer asked.
  const aliceMailsBeforeEastgate = sink.to(ALICE).length;
  await erin.getByRole("textbox", { name: "Install Code", exact: true }).fill(EASTGATE_CODE);
  await erin.getByRole("button", { name: "Provide the Install Code" }).click();
  await expect(erin.getByTestId("form-success")).toContainText("Install Code saved");
  await expect(erin.getByTestId("request-status")).toHaveText("Responded");
  await expect(erin.getByTestId("install-code-item")).toHaveCount(1);
  await expect(givenBy(erin.getByTestId("install-code-item"))).toHaveText(/^Given by Eastgate Gas & Power on [^,]+, \d{2}:\d{2}$/);
  await expect(erin.getByTestId("code-wanted")).toHaveCount(0);

  // Alice sees both codes, newest first, each with its own Reveal button, and reads each one.
  const updated = await mailWithSubject(ALICE, `${reference} updated: Eastgate Gas & Power provided the Install Code`, aliceMailsBeforeEastgate);
  await alice.goto(firstLink(updated));
  const codes = alice.getByTestId("install-code-item");
  await expect(codes).toHaveCount(2);
  const eastgate = codes.nth(0);
  const southfield = codes.nth(1);
  await expect(givenBy(eastgate)).toHaveText(/^Given by Eastgate Gas & Power on [^,]+, \d{2}:\d{2}$/);
  await expect(givenBy(southfield)).toHaveText(/^Given by Southfield Power on [^,]+, \d{2}:\d{2}, before the request was reassigned$/);
  for (const item of [eastgate, southfield]) {
    await expect(item.getByTestId("install-code")).toContainText("hidden");
    // Two buttons of one name: each is described by its own "Given by" line, so a screen reader can tell them apart.
    await expect(item.getByRole("button", { name: REVEAL })).toHaveAccessibleDescription(await givenBy(item).innerText());
  }
  await expectNoSeriousA11yViolations(alice);

  // Erin posts Alice's own Reveal form for Southfield's code: refused, nothing revealed or recorded.
  const revealSouthfield = await formFields(southfield.locator("form", { has: alice.getByRole("button", { name: REVEAL }) }));
  const forged = await erin.request.post(`/requests/${reference}`, { multipart: revealSouthfield });
  expect(forged.status()).toBeLessThan(500);
  expect((await forged.text()).toUpperCase()).not.toContain(SOUTHFIELD_CODE);

  await expectInstallCodeRevealed(eastgate, EASTGATE_CODE);
  await expectInstallCodeRevealed(southfield, SOUTHFIELD_CODE);
  await expectNoSeriousA11yViolations(alice);

  // The very same post from Alice reveals it (a third reveal): Erin's was refused for who sent it.
  await alice.request.post(`/requests/${reference}`, { multipart: revealSouthfield });
  await alice.reload();
  const timeline = alice.getByTestId("timeline").locator(":scope > li");
  await expect(timeline).toContainText([
    "Raised by Alice Hughes (Northwind Energy)",
    "Assigned to Southfield Power, the Supplier that pre-notified the Device",
    "Bob Patel (Southfield Power) provided the Install Code",
    `Reassigned to Eastgate Gas & Power by Dana Okafor (DCC Service Desk). Reason: ${REASON}`,
    "Erin Walsh (Eastgate Gas & Power) provided the Install Code",
    "Alice Hughes (Northwind Energy) revealed the Install Code",
    "Alice Hughes (Northwind Energy) revealed the Install Code",
    "Alice Hughes (Northwind Energy) revealed the Install Code",
  ]);
  await expect(timeline.filter({ hasText: "revealed the Install Code" })).toHaveCount(3);
  await expect(alice.getByTestId("timeline")).not.toContainText("Erin Walsh (Eastgate Gas & Power) revealed");

  // Southfield is no longer a party: Bob gets the 404 page, and the request is not in his list.
  const notFound = await bob.goto(`/requests/${reference}`);
  expect(notFound?.status()).toBe(404);
  await expect(bob.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(bob.getByText(DEVICE)).toHaveCount(0);
  await bob.goto("/requests?queue=all");
  await expect(bob.getByRole("link", { name: reference })).toHaveCount(0);

  // Bob was told it was reassigned (with no link to the request, no longer his; the footer links to his
  // email settings), Alice of each step; no email in the story holds a code.
  const away = await mailWithSubject(BOB, `${reference} reassigned to Eastgate Gas & Power`, bobMailsBefore);
  expect(away.text).not.toContain("/requests/");
  expect(away.text).toContain("/settings/notifications");
  await mailWithSubject(ALICE, `${reference} updated: The DCC Helpdesk reassigned the request to Eastgate Gas & Power`, aliceMailsBefore);
  const story = sink.received.slice(storyMailsFrom);
  expect(story.length).toBeGreaterThanOrEqual(10); // 4 sign-in links, 2 assignments, 1 reassigned-away, 3 updates
  for (const mail of story) {
    const content = `${mail.subject}\n${mail.text}\n${mail.html}`.toUpperCase().replace(/[\s-]/g, "");
    expect(content, `email "${mail.subject}"`).not.toContain(SOUTHFIELD_CODE);
    expect(content, `email "${mail.subject}"`).not.toContain(EASTGATE_CODE);
  }
});
