import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("the path a user returns to after signing in", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeCallbackPath("/requests/RIC0000001")).toBe("/requests/RIC0000001");
    expect(safeCallbackPath("/requests?status=ASSIGNED#top")).toBe("/requests?status=ASSIGNED#top");
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("never sends the user to another site", () => {
    for (const evil of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/%09/evil.example/../",
      "javascript:alert(1)",
      "evil.example",
      " /requests",
    ]) {
      const path = safeCallbackPath(evil);
      expect(new URL(path, "http://portal.test").origin, evil).toBe("http://portal.test");
      expect(path.startsWith("//"), evil).toBe(false);
    }
    expect(safeCallbackPath("/\t/evil.example")).toBe("/");
    expect(safeCallbackPath("https://evil.example/")).toBe("/");
  });

  it("does not send a signed-in user back to the sign-in page (a redirect loop)", () => {
    expect(safeCallbackPath("/sign-in")).toBe("/");
    expect(safeCallbackPath("/sign-in?callbackUrl=%2F")).toBe("/");
    expect(safeCallbackPath("/sign-in/check-email")).toBe("/");
  });

  it("treats nothing as the home page", () => {
    expect(safeCallbackPath(undefined)).toBe("/");
    expect(safeCallbackPath(null)).toBe("/");
    expect(safeCallbackPath("")).toBe("/");
  });
});
