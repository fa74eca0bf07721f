import { expect, test } from "@playwright/test";

// The API's documentation, as an integration engineer first meets it: rendered in a real browser
// under the portal's Content-Security-Policy, from the portal's own copy of Swagger UI (no CDN);
// and the API itself over real HTTP, refusing a call without a key in its documented error shape.

test("/api/docs renders every operation from the portal itself, with no script blocked", async ({ page }) => {
  const blocked: string[] = [];
  const elsewhere: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) blocked.push(message.text());
  });
  page.on("request", (request) => {
    if (!request.url().startsWith(new URL(page.url() === "about:blank" ? "http://127.0.0.1" : page.url()).origin) && !request.url().startsWith("data:")) elsewhere.push(request.url());
  });
  const response = await page.goto("/api/docs");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Install Code Request portal: Service User API", exact: true })).toBeVisible();
  for (const summary of ["Raise a request for a Device's Install Code", "List requests", "Answer with the Install Code (the assigned Supplier)", "Look up a Device in the Smart Metering Inventory"]) {
    await expect(page.getByText(summary, { exact: true })).toBeVisible();
  }
  await expect(page.getByRole("button", { name: /Authorize/ })).toBeVisible();
  expect(blocked).toEqual([]);
  expect(elsewhere.filter((url) => !url.startsWith("http://127.0.0.1"))).toEqual([]);
});

test("the API answers over HTTP: its document is public, every call needs a key", async ({ request }) => {
  const document = await request.get("/api/v1/openapi.json");
  expect(document.status()).toBe(200);
  expect((await document.json()).openapi).toBe("3.1.0");
  const refused = await request.post("/api/v1/install-code-requests", { data: { deviceId: "00-DB-12-34-56-78-90-A1" } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer/);
  expect(await refused.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Send an API key: Authorization: Bearer <key>" } });
});
