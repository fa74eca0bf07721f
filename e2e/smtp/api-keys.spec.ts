import { expect, test, type Response } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { signedIn } from "../support/sign-in";
import { smtpSinkForFile } from "../support/smtp-sink";
import { BOB, ERIN } from "../support/people";

const sink = smtpSinkForFile();

const KEY = /^icr_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

const noStore = (response: Response | null) => expect(response?.headers()["cache-control"] ?? "").toMatch(/\bno-store\b/);

test("a Supplier user creates an API key, sees it once, and revokes it; another organisation cannot reach it", async ({ browser, request }) => {
  // The organisation's settings, from the header.
  const erin = await signedIn(browser, sink, ERIN, "/");
  const visited: string[] = [];
  erin.on("request", (r) => visited.push(r.url()));
  await erin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(erin).toHaveURL("/settings");
  await expect(erin.getByRole("heading", { name: "Settings of Eastgate Gas & Power" })).toBeVisible();
  await expect(erin.getByTestId("settings-organisation-code")).toHaveText("EGP");
  await expect(erin.getByRole("link", { name: "Webhooks" })).toHaveAttribute("href", "/settings/webhooks");
  await erin.getByRole("link", { name: "API keys" }).click();
  await expect(erin).toHaveURL("/settings/api-keys");
  await expect(erin.getByRole("heading", { name: "API keys of Eastgate Gas & Power" })).toBeVisible();

  // A name is required.
  await erin.getByRole("button", { name: "Create API key" }).click();
  await expect(erin.getByTestId("name-error")).toHaveText("Give the key a name, such as the system that will use it");

  // Created: the key is shown once, in the answer to the form's POST, which no cache may keep.
  const name = `meter fleet ${Date.now()}`;
  await erin.getByLabel("Name").fill(name);
  const [answer] = await Promise.all([
    erin.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/settings/api-keys"),
    erin.getByRole("button", { name: "Create API key" }).click(),
  ]);
  noStore(answer);
  const shown = erin.getByTestId("new-api-key");
  await expect(shown).toContainText("You will not see it again");
  await expect(shown).toBeFocused();
  const key = await erin.getByTestId("new-api-key-value").inputValue();
  expect(key).toMatch(KEY);
  const prefix = key.slice(0, 12);
  await expect(erin).toHaveURL("/settings/api-keys");
  await expect(erin.getByLabel("Name")).toHaveValue("");
  await expectNoSeriousA11yViolations(erin);

  // The copy button puts it on the clipboard.
  await erin.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await shown.getByRole("button", { name: "Copy key" }).click();
  await expect(erin.getByTestId("copy-result")).toHaveText("Copied to the clipboard.");
  expect(await erin.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // Listed by its prefix and name, never used, active, created by Erin.
  const row = erin.locator(`tr[data-prefix="${prefix}"]`);
  await expect(row).toContainText(name);
  await expect(row).toContainText("Erin Walsh");
  await expect(row.getByTestId("api-key-last-used")).toHaveText("Never used");
  await expect(row.getByTestId("api-key-status")).toHaveText("Active");

  // Leaving the page and coming back with the browser's Back does not bring it back.
  await erin.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Settings" }).click();
  await expect(erin).toHaveURL("/settings");
  await erin.goBack();
  await expect(erin).toHaveURL("/settings/api-keys");
  await expect(row).toContainText(name);
  await expect(erin.getByTestId("new-api-key")).toHaveCount(0);
  expect(await erin.content()).not.toContain(key);

  // Reloading the page never shows the key again; the page itself is not cached either.
  noStore(await erin.reload());
  await expect(erin.getByTestId("new-api-key")).toHaveCount(0);
  expect(await erin.content()).not.toContain(key);
  await expect(row).toContainText(name);

  // The key works: Eastgate's system lists Eastgate's requests over HTTP, and the page shows its use.
  const bearer = { authorization: `Bearer ${key}` };
  const listed = await request.get("/api/v1/install-code-requests", { headers: bearer });
  expect(listed.status()).toBe(200);
  expect(Array.isArray((await listed.json()).requests)).toBe(true);
  await erin.reload();
  await expect(row.getByTestId("api-key-last-used")).not.toHaveText("Never used");

  // Another organisation cannot reach it: the confirmation step is not found.
  const bob = await signedIn(browser, sink, BOB, "/settings/api-keys");
  await expect(bob.locator(`tr[data-prefix="${prefix}"]`)).toHaveCount(0);
  expect((await bob.goto(`/settings/api-keys?revoke=${prefix}`))?.status()).toBe(404);
  await bob.context().close();

  // Revoking asks first, then is final.
  await row.getByRole("link", { name: `Revoke ${name} (${prefix})` }).click();
  await expect(erin).toHaveURL(`/settings/api-keys?revoke=${prefix}`);
  const confirm = erin.getByRole("region", { name: "Revoke an API key" });
  await expect(confirm).toContainText("This cannot be undone");
  await expect(row.getByTestId("api-key-status")).toHaveText("Active");
  await confirm.getByRole("button", { name: "Revoke this key" }).click();
  await expect(erin).toHaveURL(`/settings/api-keys?revoked=${prefix}`);
  await expect(erin.getByTestId("api-key-revoked")).toContainText(`API key ${prefix}`);
  await expect(row.getByTestId("api-key-status")).toContainText("Revoked");
  await expect(row.getByRole("link", { name: /Revoke/ })).toHaveCount(0);

  // Revoked: the API refuses it from the next call on.
  const refused = await request.get("/api/v1/install-code-requests", { headers: bearer });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("UNAUTHENTICATED");

  // Asking to revoke it again says it already is.
  await erin.goto(`/settings/api-keys?revoke=${prefix}`);
  await expect(erin.getByRole("region", { name: "Revoke an API key" })).toContainText("was revoked on");
  await expect(erin.getByRole("button", { name: "Revoke this key" })).toHaveCount(0);

  await erin.reload();
  expect(await erin.content()).not.toContain(key);

  // A person who has stored a new key can hide it at once.
  await erin.getByLabel("Name").fill(`${name} second`);
  await erin.getByRole("button", { name: "Create API key" }).click();
  await expect(erin.getByTestId("new-api-key-value")).toHaveValue(KEY);
  await erin.getByRole("button", { name: "I have stored it: hide the key" }).click();
  await expect(erin.getByTestId("new-api-key")).toHaveCount(0);
  // The key was never in an address the browser asked for.
  expect(visited.length).toBeGreaterThan(0);
  expect(visited.filter((url) => url.includes(key.slice(13)))).toEqual([]);
});
