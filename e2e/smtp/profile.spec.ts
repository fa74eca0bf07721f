import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { signedIn, signInThroughSink } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { ALICE } from "../support/people";

// Issue 11: a person changes their own email address on /profile. The link goes to the new
// address; confirming it signs every browser of theirs out, the old address is told, and they sign
// in with the new one. A freshly invited person does it, so that no other spec's sign-in is affected.

const sink = smtpSinkForFile();

const INVITATION_SUBJECT = "Invitation to join Northwind Energy in the Install Code Request portal";
const CONFIRM_SUBJECT = "Confirm your new email address for the Install Code Request portal";
const NOTICE_SUBJECT = "Your email address for the Install Code Request portal was changed";

test("a person changes their email address by the link sent to the new one, is signed out, and signs in with it", async ({ browser }) => {
  const stamp = Date.now();
  const oldAddress = `mover-${stamp}@northwind.example`;
  const newAddress = `moved-${stamp}@elsewhere.example`;
  const name = "Max Mover";

  // Alice invites them; they accept and sign in.
  const alice = await signedIn(browser, sink, ALICE, "/settings/users");
  const invite = alice.getByTestId("invite-form");
  const invited = sink.to(oldAddress).length;
  await invite.getByLabel("Email address").fill(oldAddress);
  await invite.getByLabel("Name").fill(name);
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite.page().getByTestId("form-success")).toHaveText(`Invitation sent to ${oldAddress}`);
  const invitation = await sink.waitFor(oldAddress, { after: invited, subject: INVITATION_SUBJECT });
  const page = await (await browser.newContext()).newPage();
  await page.goto(firstLink(invitation));
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByRole("heading", { name: "Your account is ready" })).toBeVisible();
  await signInThroughSink(page, sink, oldAddress);
  await expect(page).toHaveURL("/");

  // On their profile: another account's address is refused, their new one accepted.
  await page.goto("/profile");
  await expect(page.getByRole("heading", { name: "Change email address" })).toBeVisible();
  await expect(page.getByText("ask your organisation's administrator")).toHaveCount(0);
  const form = page.getByTestId("change-email-form");
  await form.getByLabel("New email address").fill(ALICE);
  await form.getByRole("button", { name: "Change email address" }).click();
  await expect(form.getByTestId("profile-new-email-error")).toHaveText("This address belongs to another account");
  const requested = sink.to(newAddress).length;
  await form.getByLabel("New email address").fill(newAddress.toUpperCase());
  await form.getByRole("button", { name: "Change email address" }).click();
  await expect(page.getByTestId("form-success")).toHaveText(`We have sent a link to ${newAddress}: open it to confirm. Until then you sign in with ${oldAddress}.`);
  await expectNoSeriousA11yViolations(page);
  // Nothing has changed yet.
  await page.reload();
  await expect(page.getByTestId("profile-details")).toContainText(oldAddress);

  // The link arrives at the new address.
  const mail = await sink.waitFor(newAddress, { after: requested, subject: CONFIRM_SUBJECT });
  expect(mail.text).toContain(`${name} (Northwind Energy) asked to use ${newAddress} instead of ${oldAddress}`);
  expect(mail.text).toContain("Nothing changes unless you confirm");
  const link = firstLink(mail);
  expect(new URL(link).pathname).toBe("/profile/confirm-email");

  // Opening it (as a mail scanner would), twice, changes nothing; it shows the change.
  const mailbox = await (await browser.newContext()).newPage();
  await mailbox.goto(link);
  await mailbox.goto(link);
  const details = mailbox.getByTestId("email-change-details");
  await expect(details).toContainText(name);
  await expect(details).toContainText(oldAddress);
  await expect(details).toContainText(newAddress);
  await expectNoSeriousA11yViolations(mailbox);
  await page.reload();
  await expect(page.getByTestId("profile-details")).toContainText(oldAddress);

  // Confirmed with the button: the old address is told, the link is spent.
  const noticed = sink.to(oldAddress).length;
  await mailbox.getByRole("button", { name: "Confirm new email address" }).click();
  const done = mailbox.getByRole("status").filter({ hasText: "Your email address is now" });
  await expect(done).toContainText(`Your email address is now ${newAddress}. Sign in again with it.`);
  await expect(done.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in");
  const notice = await sink.waitFor(oldAddress, { after: noticed, subject: NOTICE_SUBJECT });
  expect(notice.text).toContain(`was changed to ${newAddress}`);
  expect(notice.text).toContain("If this was not you, tell your organisation's administrator");
  expect(notice.text ?? "").not.toMatch(/https?:\/\//);
  await mailbox.goto(link);
  await expect(mailbox.getByTestId("email-change-problem")).toContainText("This link has been used");
  await expect(mailbox.getByRole("button", { name: "Confirm new email address" })).toHaveCount(0);

  // Their browser's next request is signed out; they sign in with the new address.
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signInThroughSink(page, sink, newAddress);
  await page.goto("/profile");
  await expect(page.getByTestId("profile-details")).toContainText(newAddress);
  await expect(page.getByTestId("profile-details")).toContainText(name);
  await expect(page.getByTestId("profile-details")).toContainText("Northwind Energy");

  // Alice sees them under their new address.
  await alice.reload();
  await expect(alice.getByTestId("person-row").filter({ hasText: newAddress })).toContainText(name);
  await expect(alice.getByTestId("person-row").filter({ hasText: oldAddress })).toHaveCount(0);
});
