import { expect, test } from "@playwright/test";
import { provideCode, raise } from "../support/requests";
import { DESKTOP, PHONE, saveScreenshot } from "../support/screenshots";
import { signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, LABEL_CODE } from "../support/people";

// The README's screenshots of the signed-in pages (the signed-out ones: e2e/mailbox/newcomer.spec.ts),
// taken along the story they show: Bob (Southfield Power) asks Northwind Energy for two Install
// Codes, Alice (Northwind) answers one, the DCC Helpdesk watches. Written to docs/screenshots/ only
// with SCREENSHOTS=1 (e2e/support/screenshots.ts); every run checks what each page shows.

const sink = smtpSinkForFile();

/** Pre-notified by Northwind (lib/db/seed.ts), raised by no other spec: InstalledNotCommissioned and Whitelisted. */
const ANSWERED_DEVICE = "00-DB-10-12-00-00-00-01";
const WAITING_DEVICE = "00-DB-10-11-00-00-00-01";

test("the main pages, on a desktop and on a phone", async ({ browser }, testInfo) => {
  const bob = await signedIn(browser, sink, BOB);
  await bob.setViewportSize(DESKTOP);

  const waiting = await raise(bob, WAITING_DEVICE);
  await bob.goto("/requests/new");
  await bob.getByLabel("Device ID").fill(ANSWERED_DEVICE.replace(/-/g, "").toLowerCase());
  await bob.getByLabel("Note").fill("The Consumer moved to us on 2 November. The meter is in the hall cupboard.");
  await saveScreenshot(bob, testInfo, "raise");
  const answered = await raise(bob, ANSWERED_DEVICE, "The Consumer moved to us on 2 November. The meter is in the hall cupboard.");

  const alice = await signedIn(browser, sink, ALICE, `/requests/${answered}`);
  await provideCode(alice, LABEL_CODE);

  // Bob's own queue opens on what he must answer; "All" shows both of the requests he raised.
  await bob.goto("/requests?queue=all");
  await expect(bob.getByRole("link", { name: answered })).toBeVisible();
  await expect(bob.getByRole("link", { name: waiting })).toBeVisible();
  await saveScreenshot(bob, testInfo, "requests");

  await bob.goto(`/requests/${answered}`);
  await expect(bob.getByRole("heading", { level: 1 })).toHaveText(`Request ${answered}`);
  await expect(bob.getByTestId("request-status")).toHaveText("Responded");
  await expect(bob.getByTestId("assigned-organisation")).toHaveText("Northwind Energy");
  // The code is masked until revealed: the screenshot shows no code.
  await expect(bob.getByTestId("install-code")).not.toContainText("83FE");
  await saveScreenshot(bob, testInfo, "request", { fullPage: true });

  // At the customer's door: the same page on a 360 px phone.
  await bob.setViewportSize(PHONE);
  await bob.reload();
  await expect(bob.getByRole("heading", { level: 1 })).toHaveText(`Request ${answered}`);
  await saveScreenshot(bob, testInfo, "request-360", { fullPage: true });

  const dana = await signedIn(browser, sink, DANA, "/helpdesk");
  await dana.setViewportSize(DESKTOP);
  await dana.reload();
  await expect(dana.getByRole("heading", { level: 1 })).toHaveText("Helpdesk dashboard");
  await saveScreenshot(dana, testInfo, "helpdesk", { fullPage: true });
});
