import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { signedIn, signInThroughSink } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { ALICE } from "../support/people";

// Issue 11: an administrator invites a person by email, they accept and sign in as one of the
// organisation's people; removed, their browser is signed out on its next request.

const sink = smtpSinkForFile();

const INVITATION_SUBJECT = "Invitation to join Northwind Energy in the Install Code Request portal";

test("an administrator invites a person, who accepts, signs in as Northwind's, and is signed out when removed", async ({ browser }) => {
  const invitee = `newcomer-${Date.now()}@northwind.example`;
  const name = "Nia Newcomer";

  // Alice finds People under Settings.
  const alice = await signedIn(browser, sink, ALICE, "/settings");
  await alice.getByRole("link", { name: "People" }).click();
  await expect(alice).toHaveURL("/settings/users");
  await expect(alice.getByRole("heading", { name: "People of Northwind Energy" })).toBeVisible();
  await expect(alice.getByTestId("person-row").filter({ hasText: ALICE })).toContainText("Supplier administrator");

  // A refusal: Bob already belongs to Southfield.
  const invite = alice.getByTestId("invite-form");
  await invite.getByLabel("Email address").fill("bob@southfield.example");
  await invite.getByLabel("Name").fill("Bob");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite.getByTestId("invite-email-error")).toContainText("already has an account with another organisation");

  // Invited.
  const before = sink.to(invitee).length;
  await invite.getByLabel("Email address").fill(invitee);
  await invite.getByLabel("Name").fill(name);
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite.page().getByTestId("form-success")).toHaveText(`Invitation sent to ${invitee}`);
  await alice.reload();
  await expect(alice.getByTestId("invitation-row").filter({ hasText: invitee })).toContainText(name);
  await expectNoSeriousA11yViolations(alice);

  // The email arrives with the link.
  const mail = await sink.waitFor(invitee, { after: before, subject: INVITATION_SUBJECT });
  expect(mail.text).toContain("Alice Hughes (Northwind Energy) has invited you");
  const link = firstLink(mail);
  expect(new URL(link).pathname).toBe("/invitations/accept");

  // Opening the link (as a mail scanner would) accepts nothing: it shows the invitation, twice.
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await page.goto(link);
  const details = page.getByTestId("invitation-details");
  await expect(details).toContainText("Northwind Energy");
  await expect(details).toContainText(name);
  await expect(details).toContainText(invitee);
  await expect(details).toContainText("Supplier user");
  await expectNoSeriousA11yViolations(page);
  await alice.reload();
  await expect(alice.getByTestId("person-row").filter({ hasText: invitee })).toHaveCount(0);

  // Accepted with the button; the link is spent.
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByRole("heading", { name: "Your account is ready" })).toBeVisible();
  await page.goto(link);
  await expect(page.getByTestId("invitation-problem")).toContainText("This invitation has been accepted");
  await expect(page.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);

  // They sign in and are one of Northwind's people.
  await signInThroughSink(page, sink, invitee);
  await expect(page).toHaveURL("/");
  await expect(page.getByTestId("organisation-name")).toHaveText("Northwind Energy");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
  await expect(page).toHaveURL("/profile");
  const profile = page.getByTestId("profile-details");
  await expect(profile).toContainText(name);
  await expect(profile).toContainText(invitee);
  await expect(profile).toContainText("Supplier user");
  await expect(page.getByRole("heading", { name: "Change email address" })).toBeVisible();
  // A Supplier user has no People page.
  await page.goto("/settings");
  await expect(page.getByRole("link", { name: "Email notifications" })).toBeVisible();
  await expect(page.getByRole("link", { name: "People" })).toHaveCount(0);

  // Alice sees them with their open session, and removes them after reading what that does.
  await alice.reload();
  const row = alice.getByTestId("person-row").filter({ hasText: invitee });
  await expect(row).toContainText("Supplier user");
  await expect(row.locator("td").nth(3)).toHaveText("1");
  await row.getByRole("link", { name: "Remove" }).click();
  await expect(alice).toHaveURL(/\/settings\/users\?remove=/);
  await expect(alice.getByRole("heading", { name: `Remove ${name} from Northwind Energy` })).toBeVisible();
  await expect(alice.getByText("is signed out at once, on every device, and cannot sign in again")).toBeVisible();
  await expect(alice.getByText("The requests, notes and Install Codes they handled stay with Northwind Energy.")).toBeVisible();
  await expectNoSeriousA11yViolations(alice);
  await alice.getByRole("button", { name: `Remove ${name}` }).click();
  await expect(alice.getByTestId("person-removed")).toContainText(`${name} (${invitee}) has been removed`);
  await expect(alice.getByTestId("person-row").filter({ hasText: invitee })).toHaveCount(0);
  await expect(alice.getByTestId("removed-person").filter({ hasText: invitee })).toContainText("Left the organisation on");

  // Their browser's next request is signed out.
  await page.goto("/requests");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await expect(page.getByTestId("organisation-name")).toHaveCount(0);
});
