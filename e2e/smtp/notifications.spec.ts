import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { SMTP_PORTAL_URL } from "../../playwright.config";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { raise } from "../support/requests";
import { signedIn } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { BOB, DANA, ERIN } from "../support/people";

const sink = smtpSinkForFile();

// Pre-notified by Southfield; other specs raise them only as Northwind (Alice), and a request is
// open once per Device and raising organisation, so Eastgate's raise here is a request of its own.
const SETTINGS_DEVICE = "00-DB-20-10-00-00-00-02"; // ESME, Pending
const FAILING_DEVICE = "00-DB-20-00-00-00-00-02"; // ESME, Whitelisted
const SETTINGS_URL = `${SMTP_PORTAL_URL}/settings/notifications`;
const ALWAYS_SENT =
  "You always get the emails about requests assigned to Southfield Power and about its missed due dates: the five-Working-Day obligation needs them, so they cannot be turned off.";
const TEAM_FOOTER = "You get this email because this address is Southfield Power's team address in the Install Code Request portal, which gets every email about its requests.";

/** A team address no other spec (nor an earlier run against the same sink) has seen. */
const freshTeamAddress = (what: string) => `${what}-${randomBytes(4).toString("hex")}@southfield.example`;

const notesSwitch = (page: Page) => page.getByRole("checkbox", { name: /^Notes\b/ });

/** Saves a team address (empty: none) on Settings → Email notifications and waits for the confirmation. */
async function saveTeamAddress(page: Page, address: string) {
  await page.goto("/settings/notifications");
  const form = page.getByTestId("team-email-form");
  await form.getByLabel("Team email address").fill(address);
  await form.getByRole("button", { name: "Save team address" }).click();
  await expect(form.page().getByTestId("form-success")).toHaveText(address ? `Team address saved: ${address}` : "Team address removed");
}

/** Sets the Notes switch and saves the person's choices. */
async function saveNotesSwitch(page: Page, on: boolean) {
  await page.goto("/settings/notifications");
  await notesSwitch(page).setChecked(on);
  const form = page.getByTestId("email-preferences-form");
  await form.getByRole("button", { name: "Save my email choices" }).click();
  await expect(form.page().getByTestId("form-success")).toHaveText("Your email choices are saved");
}

test("a Supplier sets a team address: the obligation's emails always come, and the team address gets the assignment with its own footer", async ({ browser }) => {
  const team = freshTeamAddress("ops");
  const bob = await signedIn(browser, sink, BOB, "/settings");
  try {
    await bob.getByRole("link", { name: "Email notifications" }).click();
    await expect(bob).toHaveURL("/settings/notifications");
    await expect(bob.getByRole("heading", { level: 1, name: "Email notifications" })).toBeVisible();
    await expect(bob.getByTestId("always-sent")).toHaveText(ALWAYS_SENT);

    const form = bob.getByTestId("team-email-form");
    const field = form.getByLabel("Team email address");
    await field.fill(team);
    await form.getByRole("button", { name: "Save team address" }).click();
    await expect(form.page().getByTestId("form-success")).toHaveText(`Team address saved: ${team}`);
    await expect(field).toHaveValue(team);
    await expectNoSeriousA11yViolations(bob);

    // A bad address: the field says why, and the saved address stays.
    await field.fill("not an address");
    await form.getByRole("button", { name: "Save team address" }).click();
    await expect(form.getByTestId("teamEmail-error")).toHaveText("Enter an email address like operations@example.co.uk, or leave it empty for none");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(form.page().getByTestId("form-success")).toHaveCount(0);
    await bob.reload();
    await expect(bob.getByTestId("team-email-form").getByLabel("Team email address")).toHaveValue(team);

    // Eastgate raises for a Device Southfield pre-notified: the team address is told, and so is Bob.
    const erin = await signedIn(browser, sink, ERIN);
    const [teamBefore, bobBefore] = [sink.to(team).length, sink.to(BOB).length];
    const reference = await raise(erin, SETTINGS_DEVICE);
    await expect(erin.getByTestId("assigned-organisation")).toHaveText("Southfield Power");
    const subject = `${reference}: Install Code requested for Device ${SETTINGS_DEVICE}`;
    const toTeam = await sink.waitFor(team, { after: teamBefore, subject });
    expect(firstLink(toTeam)).toBe(`${SMTP_PORTAL_URL}/requests/${reference}`);
    expect(toTeam.text).toContain(TEAM_FOOTER);
    expect(toTeam.text).toContain(`To change the team address: ${SETTINGS_URL}`);
    expect(toTeam.text).not.toContain("You get this email because you are a member");
    // Bob's own copy says it cannot be turned off; it is not the team's.
    const toBob = await sink.waitFor(BOB, { after: bobBefore, subject });
    expect(toBob.text).toContain(
      "You get this email because you are a member of Southfield Power. The emails about requests assigned to Southfield Power cannot be turned off: the five-Working-Day obligation needs them.",
    );
    expect(toBob.text).not.toContain(TEAM_FOOTER);
    expect(sink.to(team).slice(teamBefore).filter((m) => m.subject === subject)).toHaveLength(1);
  } finally {
    await saveTeamAddress(bob, "");
  }
  await expect(bob.getByTestId("team-email-form").getByLabel("Team email address")).toHaveValue("");
});

test("turning the Notes switch off is saved: after a reload it is still off", async ({ browser }) => {
  const bob = await signedIn(browser, sink, BOB, "/settings/notifications");
  await expect(notesSwitch(bob)).toBeChecked();
  try {
    await saveNotesSwitch(bob, false);
    await bob.reload();
    await expect(notesSwitch(bob)).not.toBeChecked();
    // The other switches stay as they were.
    await expect(bob.getByRole("checkbox", { name: /^Answers to Southfield Power's requests/ })).toBeChecked();
    await expect(bob.getByRole("checkbox", { name: /^Reminders/ })).toBeChecked();
    await expect(bob.getByRole("checkbox", { name: /^Once a day, in one digest/ })).not.toBeChecked();
  } finally {
    await saveNotesSwitch(bob, true);
  }
  await bob.reload();
  await expect(notesSwitch(bob)).toBeChecked();
});

test("an email refused for good is listed for the helpdesk with its error, shown on the request, and delivered by Retry", async ({ browser }) => {
  const team = freshTeamAddress("ops-refused");
  const note = `Meter cupboard locked ${randomBytes(4).toString("hex")}`;

  // Eastgate raises for a Device Southfield pre-notified; Bob is asked.
  const erin = await signedIn(browser, sink, ERIN);
  const bobBefore = sink.to(BOB).length;
  const reference = await raise(erin, FAILING_DEVICE);
  const assigned = await sink.waitFor(BOB, { after: bobBefore, subject: `${reference}: Install Code requested for Device ${FAILING_DEVICE}` });
  const bob = await signedIn(browser, sink, BOB, firstLink(assigned));
  const dana = await signedIn(browser, sink, DANA, "/helpdesk/emails");

  try {
    // Southfield's team address is one the mail server refuses (550); Bob wants no note emails, so a
    // note goes to the team address only.
    sink.refused.add(team);
    await saveTeamAddress(bob, team);
    await saveNotesSwitch(bob, false);

    const bobBeforeNote = sink.to(BOB).length;
    await erin.goto(`/requests/${reference}`);
    await erin.getByLabel("Note", { exact: true }).fill(note);
    await erin.getByRole("button", { name: "Add note" }).click();
    await expect(erin.getByTestId("timeline")).toContainText("Note from Erin Walsh (Eastgate Gas & Power)");

    // The helpdesk sees the failed email, to whom, about which request, and the server's answer.
    const row = dana.getByTestId("email-problem").filter({ hasText: team });
    await expect(async () => {
      await dana.reload();
      await expect(row.getByRole("cell", { name: "Failed", exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(row).toContainText(`${reference} updated: Eastgate Gas & Power added a note`);
    await expect(row.getByRole("link", { name: reference })).toBeVisible();
    await expect(row).toContainText("550");
    await expect(row).toContainText(`<${team}>: mailbox unavailable`);
    await expectNoSeriousA11yViolations(dana);

    // Southfield is told on the request's page, without the address.
    await bob.goto(`/requests/${reference}`);
    const notice = bob.getByTestId("undelivered-email");
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText("We could not deliver the email about this request to Southfield Power");
    await expect(notice).toContainText("The DCC Service Desk has been told and can send it again.");
    await expect(bob.getByTestId("timeline")).toContainText("Email to Southfield Power could not be delivered: the DCC Service Desk can see it and send it again");
    await expect(bob.getByText(team)).toHaveCount(0);

    // The address is put right; the helpdesk presses Retry, and the email arrives.
    sink.refused.delete(team);
    const teamBefore = sink.to(team).length;
    await row.getByRole("button", { name: "Retry" }).click();
    const delivered = await sink.waitFor(team, { after: teamBefore, subject: `${reference} updated: Eastgate Gas & Power added a note` });
    expect(firstLink(delivered)).toBe(`${SMTP_PORTAL_URL}/requests/${reference}`);
    expect(delivered.text).toContain(TEAM_FOOTER);
    expect(`${delivered.text}\n${delivered.html}`).not.toContain(note);
    // Bob chose no note emails: he got none.
    expect(sink.to(BOB).slice(bobBeforeNote).filter((m) => m.subject?.includes("added a note"))).toHaveLength(0);

    // No longer failed: gone from the helpdesk's list, and the notice is gone from the request.
    await expect(async () => {
      await dana.reload();
      await expect(dana.getByTestId("email-problem").filter({ hasText: team })).toHaveCount(0, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await bob.reload();
    await expect(bob.getByTestId("undelivered-email")).toHaveCount(0);

    // The list is the helpdesk's only: a Supplier gets the 404 page.
    const notFound = await bob.goto("/helpdesk/emails");
    expect(notFound?.status()).toBe(404);
    await expect(bob.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(bob.getByTestId("email-problems")).toHaveCount(0);
  } finally {
    sink.refused.delete(team);
    await saveTeamAddress(bob, "");
    await saveNotesSwitch(bob, true);
  }
});
