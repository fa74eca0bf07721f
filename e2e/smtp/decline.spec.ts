import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, ERIN } from "../support/people";

// "Not our Device" (issue 13 part 4): the assigned Supplier declines, the raiser is told, the helpdesk
// finds the request in its Unassignable queue and reassigns it, or closes it as not possible.

const sink = smtpSinkForFile();

// Eligible Devices pre-notified by Southfield that only this spec raises for (lib/db/seed.ts).
const REASSIGNED_DEVICE = "00-DB-20-20-00-00-00-02";
const NOT_POSSIBLE_DEVICE = "00-DB-20-21-00-00-00-02";
const REASSIGN_REASON = "The SMI shows Eastgate took over this meter";
const OTHER_WORDS = "The landlord's own supplier swapped this meter in October";
const NOT_POSSIBLE_REASON = "No Supplier holds this Device's Install Code: reinstall and pre-notify it again";

test("Bob declines as not his Device, Alice is told, the helpdesk finds it unassignable and reassigns it", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE);
  const bobMailsBefore = sink.to(BOB).length;
  const aliceMailsBefore = sink.to(ALICE).length;
  const reference = await raise(alice, REASSIGNED_DEVICE);
  const requested = await sink.waitFor(BOB, { after: bobMailsBefore, subject: `${reference}: Install Code requested for Device ${REASSIGNED_DEVICE}` });

  // Bob opens it from his email: he may answer or decline. "Other" needs his words.
  const bob = await signedIn(browser, sink, BOB, firstLink(requested));
  await expectNoSeriousA11yViolations(bob);
  await bob.getByTestId("decline-link").click();
  await expect(bob.getByRole("heading", { name: "Decline request: not your Device" })).toBeVisible();
  await expectNoSeriousA11yViolations(bob);
  await bob.getByRole("button", { name: "Decline request" }).click();
  await expect(bob.getByTestId("reason-error")).toHaveText(
    "Choose why you are declining: not pre-notified by us, Device already commissioned by us, or other",
  );
  await bob.getByRole("radio", { name: "Other" }).check();
  await bob.getByRole("button", { name: "Decline request" }).click();
  await expect(bob.getByTestId("detail-error")).toHaveText('Say why you are declining: the reason "other" needs a few words');
  await expect(bob.getByTestId("error-summary")).toContainText('Say why you are declining: the reason "other" needs a few words');

  await bob.getByRole("radio", { name: "Not pre-notified by us" }).check();
  await bob.getByRole("button", { name: "Decline request" }).click();
  await expect(bob.getByTestId("request-status")).toHaveText("Declined");
  await expect(bob.getByTestId("decline-reason")).toHaveText("Not pre-notified by us");
  // Declined: no more asking him for a code, nor to decline again.
  await expect(bob.getByRole("textbox", { name: "Install Code", exact: true })).toHaveCount(0);
  await expect(bob.getByTestId("decline-link")).toHaveCount(0);
  await expect(bob.getByTestId("timeline")).toContainText(
    "Bob Patel (Southfield Power) declined the request: not their Device to answer for. Reason: Not pre-notified by us",
  );
  await expectNoSeriousA11yViolations(bob);

  // Alice is emailed (always: the email cannot be turned off), and sees why on the page.
  const declined = await sink.waitFor(ALICE, { after: aliceMailsBefore, subject: `${reference} declined by Southfield Power` });
  expect(declined.text).toContain("Reason given: not pre-notified by us.");
  expect(declined.text).toContain("cannot be turned off");
  await alice.goto(firstLink(declined));
  await expect(alice.getByTestId("request-status")).toHaveText("Declined");
  await expect(alice.getByTestId("declined")).toContainText("Declined by Southfield Power");
  await expect(alice.getByTestId("decline-reason")).toHaveText("Not pre-notified by us");
  await expect(alice.getByTestId("declined")).toContainText("The DCC Helpdesk will reassign the request to another Supplier or close it as not possible.");
  await expectNoSeriousA11yViolations(alice);

  // Dana finds it in the Unassignable queue from her dashboard.
  const dana = await signedIn(browser, sink, DANA, "/helpdesk");
  const queue = dana.getByTestId("open-by-status").getByRole("listitem").filter({ hasText: "Declined" });
  await expect(queue).toContainText("unassignable");
  await queue.getByRole("link", { name: "Declined" }).click();
  await expect(dana).toHaveURL(/\/requests\?queue=unassignable$/);
  await expect(dana.getByRole("navigation", { name: "Queues" }).locator("[aria-current=page]")).toHaveText(/^Unassignable \(\d+\)$/);
  await dana.getByRole("link", { name: reference }).click();
  await expect(dana.getByTestId("declined")).toContainText("This request is in the Unassignable queue");
  await expect(dana.getByTestId("close-not-possible-link")).toBeVisible();
  await expectNoSeriousA11yViolations(dana);

  // She reassigns it to Eastgate: Erin is asked, with a due date of her own.
  const erinMailsBefore = sink.to(ERIN).length;
  await dana.getByTestId("reassign-link").click();
  await dana.getByLabel("Assign to").fill("EGP");
  await dana.getByLabel("Reason").fill(REASSIGN_REASON);
  await dana.getByRole("button", { name: "Reassign request" }).click();
  await expect(dana.getByTestId("request-status")).toHaveText("Assigned");
  await expect(dana.getByTestId("assigned-organisation")).toHaveText("Eastgate Gas & Power");
  await expect(dana.getByTestId("declined")).toHaveCount(0);
  await expect(dana.getByTestId("close-not-possible-link")).toHaveCount(0);
  const assigned = await sink.waitFor(ERIN, { after: erinMailsBefore, subject: `${reference}: Install Code requested for Device ${REASSIGNED_DEVICE}` });
  const erin = await signedIn(browser, sink, ERIN, firstLink(assigned));
  await expect(erin.getByTestId("request-status")).toHaveText("Assigned");
  await expect(erin.getByTestId("decline-link")).toBeVisible();
  await expect(erin.getByRole("textbox", { name: "Install Code", exact: true })).toBeVisible();
  await expect(erin.getByTestId("timeline").locator(":scope > li")).toContainText([
    "Raised by Alice Hughes (Northwind Energy)",
    "Assigned to Southfield Power, the Supplier that pre-notified the Device",
    "Bob Patel (Southfield Power) declined the request: not their Device to answer for. Reason: Not pre-notified by us",
    `Reassigned to Eastgate Gas & Power by Dana Okafor (DCC Service Desk). Reason: ${REASSIGN_REASON}`,
  ]);

  await sink.waitFor(ALICE, { after: aliceMailsBefore, subject: `${reference} updated: The DCC Helpdesk reassigned the request to Eastgate Gas & Power` });
});

test("the helpdesk closes a declined request as not possible, and Alice reads why", async ({ browser }) => {
  const alice = await signedIn(browser, sink, ALICE);
  const bobMailsBefore = sink.to(BOB).length;
  const aliceMailsBefore = sink.to(ALICE).length;
  const reference = await raise(alice, NOT_POSSIBLE_DEVICE);
  const requested = await sink.waitFor(BOB, { after: bobMailsBefore, subject: `${reference}: Install Code requested for Device ${NOT_POSSIBLE_DEVICE}` });

  // Bob declines with words of his own: Alice and the helpdesk read them on the page, never in an email.
  const bob = await signedIn(browser, sink, BOB, firstLink(requested));
  await bob.getByTestId("decline-link").click();
  await bob.getByRole("radio", { name: "Other" }).check();
  await bob.getByLabel("Your reason, if other").fill(OTHER_WORDS);
  await bob.getByRole("button", { name: "Decline request" }).click();
  await expect(bob.getByTestId("request-status")).toHaveText("Declined");
  await expect(bob.getByTestId("decline-reason")).toHaveText(`Other: ${OTHER_WORDS}`);
  const declined = await sink.waitFor(ALICE, { after: aliceMailsBefore, subject: `${reference} declined by Southfield Power` });
  expect(declined.text).toContain("Reason given: other (its words are on the request page).");
  expect(`${declined.text}${declined.html}`).not.toContain("landlord");

  // Dana must say why before closing it.
  const dana = await signedIn(browser, sink, DANA, `/requests/${reference}`);
  await expect(dana.getByTestId("decline-reason")).toHaveText(`Other: ${OTHER_WORDS}`);
  await dana.getByTestId("close-not-possible-link").click();
  await dana.getByRole("button", { name: "Close as not possible" }).click();
  await expect(dana.getByTestId("notPossibleReason-error")).toHaveText("Say why the request cannot be answered: the raising Supplier reads it");
  await dana.getByTestId("error-summary").getByRole("link").click();
  await expect(dana.getByLabel("Why it cannot be answered")).toBeFocused();
  await dana.getByLabel("Why it cannot be answered").fill(NOT_POSSIBLE_REASON);
  await dana.getByRole("button", { name: "Close as not possible" }).click();
  await expect(dana.getByTestId("request-status")).toHaveText("Closed");
  await expect(dana.getByTestId("not-possible-reason")).toHaveText(NOT_POSSIBLE_REASON);
  await expect(dana.getByTestId("reassign-link")).toHaveCount(0);

  // Alice is emailed that it was closed; the reason is on the page, not in the email.
  const closed = await sink.waitFor(ALICE, { after: aliceMailsBefore, subject: `${reference} closed as not possible` });
  expect(`${closed.text}${closed.html}`).not.toContain("reinstall");
  await alice.goto(firstLink(closed));
  await expect(alice.getByTestId("request-status")).toHaveText("Closed");
  await expect(alice.getByTestId("not-possible")).toContainText("Closed as not possible by the DCC Helpdesk");
  await expect(alice.getByTestId("not-possible-reason")).toHaveText(NOT_POSSIBLE_REASON);
  await expect(alice.getByTestId("timeline")).toContainText(`Closed as not possible by Dana Okafor (DCC Service Desk). Reason: ${NOT_POSSIBLE_REASON}`);
  await expect(alice.getByTestId("close-link")).toHaveCount(0);
  await expect(alice.getByTestId("withdraw-link")).toHaveCount(0);
  await expectNoSeriousA11yViolations(alice);

  // Erin, no party to it, gets the 404 page.
  const erin = await signedIn(browser, sink, ERIN);
  const notFound = await erin.goto(`/requests/${reference}`);
  expect(notFound?.status()).toBe(404);
});
