import { expect, test, type Browser, type Page } from "@playwright/test";
import { raise } from "../support/requests";
import { signedIn, signInThroughSink } from "../support/sign-in";
import { firstLink, smtpSinkForFile } from "../support/smtp-sink";
import { DANA } from "../support/people";

// Issue 11's "done when": a new Supplier onboarded and staffed entirely through the portal, with
// every step in the audit log. A helpdesk administrator adds the Supplier and invites its first
// administrator, who invites a colleague, who raises a request.

const sink = smtpSinkForFile();

/** Eligible (InstalledNotCommissioned), pre-notified by Eastgate; no other spec raises for it. */
const DEVICE = "00-DB-30-12-00-00-00-03";

async function invite(page: Page, email: string, name: string, administrator: boolean) {
  const form = page.getByTestId("invite-form");
  await form.getByLabel("Email address").fill(email);
  await form.getByLabel("Name").fill(name);
  if (administrator) await form.getByLabel("Administrator").check();
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(form.page().getByTestId("form-success")).toHaveText(`Invitation sent to ${email}`);
}

/** Accepts the invitation emailed to `email` in a browser of their own, then signs them in. */
async function accept(browser: Browser, email: string, organisation: string): Promise<Page> {
  const mail = await sink.waitFor(email, { after: 0, subject: `Invitation to join ${organisation} in the Install Code Request portal` });
  const page = await (await browser.newContext()).newPage();
  await page.goto(firstLink(mail));
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByRole("heading", { name: "Your account is ready" })).toBeVisible();
  await signInThroughSink(page, sink, email);
  await expect(page.getByTestId("organisation-name")).toHaveText(organisation);
  return page;
}

test("a helpdesk administrator onboards a Supplier and its administrator, who invites a colleague, who raises a request; every step is in the audit log", async ({ browser }) => {
  const stamp = Date.now().toString(36).toUpperCase();
  const code = `ONB${stamp}`;
  const organisation = `Onboard Energy ${stamp}`;
  const boss = `boss-${stamp.toLowerCase()}@onboard.example`;
  const worker = `worker-${stamp.toLowerCase()}@onboard.example`;

  // The DCC adds the Supplier and invites its first administrator.
  const dana = await signedIn(browser, sink, DANA, "/admin/organisations");
  await dana.getByLabel("SEC Party code").fill(code);
  await dana.getByLabel("Name", { exact: true }).fill(organisation);
  await dana.getByRole("button", { name: "Add Supplier" }).click();
  await expect(dana.getByTestId("organisation-created")).toContainText(`${organisation} (${code}) has been added.`);
  await dana.getByRole("link", { name: "invite its first administrator" }).click();
  await expect(dana).toHaveURL(`/settings/users?organisation=${code}`);
  await invite(dana, boss, "Bo Boss", true);

  // Its administrator accepts, signs in and invites a colleague.
  const bossPage = await accept(browser, boss, organisation);
  await bossPage.goto("/settings/users");
  await expect(bossPage.getByTestId("person-row").filter({ hasText: boss })).toContainText("Supplier administrator");
  await invite(bossPage, worker, "Wren Worker", false);

  // The colleague accepts, signs in and raises a request: it is Onboard Energy's, assigned to Eastgate.
  const workerPage = await accept(browser, worker, organisation);
  const reference = await raise(workerPage, DEVICE);
  await expect(workerPage.getByTestId("raising-organisation")).toContainText(`${organisation} (Wren Worker)`);
  await expect(workerPage.getByTestId("assigned-organisation")).toHaveText("Eastgate Gas & Power");
  // Its administrator sees it in the organisation's list.
  await bossPage.goto("/requests?queue=waiting");
  await expect(bossPage.getByRole("link", { name: reference })).toBeVisible();

  // Every step is in the audit log, naming who did it.
  const auditRows = async (type: string) => {
    await dana.goto(`/audit?type=${type}`);
    return dana.getByTestId("audit-table").locator("tbody tr");
  };
  await expect((await auditRows("ORGANISATION_CREATED")).filter({ hasText: code }).first()).toContainText(DANA);
  const invited = await auditRows("USER_INVITED");
  // The first administrator's invitation was Dana's; the colleague's, the administrator's.
  const ofOrganisation = invited.filter({ hasText: `to ${organisation}` });
  await expect(ofOrganisation.filter({ hasText: "as supplier administrator" })).toHaveCount(1);
  await expect(ofOrganisation.filter({ hasText: "as supplier administrator" })).toContainText(DANA);
  await expect(ofOrganisation.filter({ hasText: "as supplier user" })).toHaveCount(1);
  await expect(ofOrganisation.filter({ hasText: "as supplier user" })).toContainText(`${boss} (${code})`);
  await expect(ofOrganisation.filter({ hasText: "as supplier user" })).toContainText(worker);
  const accepted = await auditRows("INVITATION_ACCEPTED");
  await expect(accepted.filter({ hasText: boss })).toHaveCount(1);
  await expect(accepted.filter({ hasText: worker })).toHaveCount(1);
});
