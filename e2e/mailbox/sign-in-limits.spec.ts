import { expect, test } from "@playwright/test";
import { requestSignInLink } from "../support/sign-in";

// The default limit (SIGN_IN_LINKS_PER_ADDRESS=3 in 10 minutes) on the mailbox portal. Bob signs in
// nowhere else in this project.
test("a fourth sign-in link for one address within ten minutes looks the same and sends nothing, however it is asked for", async ({ page }) => {
  await requestSignInLink(page, "bob@southfield.example");
  await requestSignInLink(page, "BOB@southfield.example");

  // Straight at next-auth's endpoint, as a script would: a JSON body is read like the form.
  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  const ask = (path: string, email: string) =>
    page.request.post(path, { data: { email, csrfToken, callbackUrl: "/", json: "true" }, maxRedirects: 0 });
  const third = await ask("/api/auth/signin/email", "bob@southfield.example");
  expect(third.status()).toBe(200);
  const sent = (await third.json()).url;
  expect(sent).toMatch(/\/api\/auth\/verify-request\?provider=email&type=email$/);

  // Over the limit: the same answer, whatever the path's encoding or the address's spelling.
  for (const [path, email] of [
    ["/api/auth/signin/email", "bob@southfield.example"],
    ["/api/auth/signin/%65mail", "bob@southfield.example"],
    ["/api/auth/signin/email", "bob@southfield.example,1"],
    ["/api/auth/signin/email", " Bob@Southfield.Example "],
  ]) {
    const response = await ask(path, email);
    expect(response.status(), `${path} ${email}`).toBe(200);
    expect((await response.json()).url, `${path} ${email}`).toBe(sent);
  }
  await requestSignInLink(page, "bob@southfield.example");

  await page.goto("/dev/mailbox");
  await expect(page.getByRole("row").filter({ hasText: "bob@southfield.example" })).toHaveCount(3);
});
