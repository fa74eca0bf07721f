import { expect, type Page } from "@playwright/test";

/** Raises a request through the form; returns its reference (a new one, or the open one for the Device). */
export async function raise(page: Page, deviceId: string, note?: string): Promise<string> {
  await page.goto("/requests/new");
  await page.getByLabel("Device ID").fill(deviceId);
  if (note) await page.getByLabel("Note").fill(note);
  await page.getByRole("button", { name: "Raise request" }).click();
  await expect(page).toHaveURL(/\/requests\/RIC\d{7}\?(raised=1|existing=1(&noteAdded=1)?)$/);
  return page.url().match(/RIC\d{7}/)![0];
}

/** The assigned Supplier answers the open request page with `installCode`. */
export async function provideCode(page: Page, installCode: string) {
  await page.getByLabel("Install Code", { exact: true }).fill(installCode);
  await page.getByRole("button", { name: "Provide the Install Code" }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Responded");
}
