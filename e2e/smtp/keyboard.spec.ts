import { expect, test, type Browser } from "@playwright/test";
import { activate, signInByKeyboard, tabTo, typeInto } from "../support/keyboard";
import { smtpSinkForFile } from "../support/smtp-sink";
import { ALICE, BOB, DANA, LABEL_CODE } from "../support/people";

// The whole story without a mouse (issue 13): raise, provide a code, confirm and close; decline and
// reassign. Every move is Tab, Space or Enter, and the focus is visible at every stop.

const sink = smtpSinkForFile();

// Eligible Devices pre-notified by Southfield that only this spec raises for (lib/db/seed.ts).
const ANSWERED_DEVICE = "00-DB-20-22-00-00-00-02";
const DECLINED_DEVICE = "00-DB-20-23-00-00-00-02";

async function keyboardUser(browser: Browser, email: string, path: string) {
  const page = await (await browser.newContext()).newPage();
  await signInByKeyboard(page, sink, email, path);
  return page;
}

async function raiseByKeyboard(browser: Browser, deviceId: string): Promise<string> {
  const alice = await keyboardUser(browser, ALICE, "/requests");
  await activate(alice, alice.getByRole("link", { name: "Raise a request" }));
  await expect(alice).toHaveURL(/\/requests\/new$/);
  await typeInto(alice, alice.getByLabel("Device ID"), deviceId);
  await activate(alice, alice.getByRole("button", { name: "Raise request" }));
  await expect(alice).toHaveURL(/\/requests\/RIC\d{7}\?raised=1$/);
  await expect(alice.getByTestId("form-success")).toContainText("Request raised and assigned to Southfield Power");
  return alice.url().match(/RIC\d{7}/)![0];
}

test("raise, provide the code, confirm and close: keyboard only", async ({ browser }) => {
  const reference = await raiseByKeyboard(browser, ANSWERED_DEVICE);

  const bob = await keyboardUser(browser, BOB, `/requests/${reference}`);
  // A code that fails its check first: the error summary takes the focus and leads to the field.
  await typeInto(bob, bob.getByRole("textbox", { name: "Install Code", exact: true }), `${LABEL_CODE.slice(0, -1)}6`);
  await bob.keyboard.press("Enter");
  const summary = bob.getByTestId("error-summary");
  await expect(summary).toBeFocused();
  await activate(bob, summary.getByRole("link"));
  await expect(bob.getByRole("textbox", { name: "Install Code", exact: true })).toBeFocused();
  await bob.keyboard.press("ControlOrMeta+a");
  await bob.keyboard.type(LABEL_CODE);
  await activate(bob, bob.getByRole("button", { name: "Provide the Install Code" }));
  await expect(bob.getByTestId("form-success")).toContainText("Install Code saved");

  const alice = await keyboardUser(browser, ALICE, `/requests/${reference}`);
  await activate(alice, alice.getByRole("button", { name: /Reveal/ }));
  await expect(alice.getByTestId("install-code-value")).toHaveText(LABEL_CODE.slice(0, 32));
  await activate(alice, alice.getByRole("link", { name: "Close request" }));
  await expect(alice.getByRole("heading", { name: "Close request" })).toBeVisible();
  await activate(alice, alice.getByRole("button", { name: "Close request" }));
  await expect(alice.getByTestId("form-success")).toHaveText("Request closed. It can no longer be changed.");
  await expect(alice.getByTestId("request-status")).toHaveText("Closed");
});

test("decline, then the helpdesk reassigns: keyboard only", async ({ browser }) => {
  const reference = await raiseByKeyboard(browser, DECLINED_DEVICE);

  const bob = await keyboardUser(browser, BOB, `/requests/${reference}`);
  await activate(bob, bob.getByRole("link", { name: "Not your Device? Decline the request" }));
  await expect(bob.getByRole("heading", { name: "Decline request: not your Device" })).toBeVisible();
  // Into the list of reasons: the first is focused, Space chooses it.
  await tabTo(bob, bob.getByRole("radio", { name: "Not pre-notified by us" }));
  await bob.keyboard.press("Space");
  await expect(bob.getByRole("radio", { name: "Not pre-notified by us" })).toBeChecked();
  await activate(bob, bob.getByRole("button", { name: "Decline request" }));
  await expect(bob.getByTestId("form-success")).toContainText("Request declined.");
  await expect(bob.getByTestId("request-status")).toHaveText("Declined");

  const dana = await keyboardUser(browser, DANA, `/requests/${reference}`);
  await activate(dana, dana.getByRole("link", { name: "Reassign request" }));
  await typeInto(dana, dana.getByLabel("Assign to"), "EGP");
  await typeInto(dana, dana.getByLabel("Reason"), "Eastgate installed this meter");
  await activate(dana, dana.getByRole("button", { name: "Reassign request" }));
  await expect(dana.getByTestId("form-success")).toContainText("Request reassigned to Eastgate Gas & Power");
  await expect(dana.getByTestId("assigned-organisation")).toHaveText("Eastgate Gas & Power");
});
