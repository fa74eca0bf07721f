import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { safeCallbackPath } from "./callback-path";

const APP_URL = "https://portal.example.org";
// The portal may be served on a port, or configured with a path after its origin: only the origin counts.
const APP_URLS = [APP_URL, "http://127.0.0.1:3101", "https://portal.example.org/portal"];

/** Where a browser goes when it follows `path` from a page of the portal. */
function followedFrom(appUrl: string, path: string): URL {
  return new URL(path, appUrl);
}

function expectStaysOnSite(path: string, appUrl: string, input: string) {
  const label = JSON.stringify(input);
  expect(path.startsWith("/"), label).toBe(true);
  expect(path.startsWith("//"), label).toBe(false);
  expect(path, label).not.toMatch(/[\u0000-\u001F\u007F-\u009F\\]/);
  expect(followedFrom(appUrl, path).origin, label).toBe(new URL(appUrl).origin);
}

describe("the path a user returns to after signing in", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeCallbackPath("/requests/RIC0000001", APP_URL)).toBe("/requests/RIC0000001");
    expect(safeCallbackPath("/requests?status=ASSIGNED#top", APP_URL)).toBe("/requests?status=ASSIGNED#top");
    expect(safeCallbackPath("/", APP_URL)).toBe("/");
  });

  it("keeps an absolute URL on the portal's own origin, as a path", () => {
    expect(safeCallbackPath("https://portal.example.org/requests/RIC0000001?x=1", APP_URL)).toBe("/requests/RIC0000001?x=1");
    expect(safeCallbackPath("HTTPS://Portal.Example.org:443/requests", APP_URL)).toBe("/requests");
    expect(safeCallbackPath("http://127.0.0.1:3101/requests#top", "http://127.0.0.1:3101")).toBe("/requests#top");
    expect(safeCallbackPath("https://portal.example.org/requests", "https://portal.example.org/portal")).toBe("/requests");
  });

  it("keeps encoded characters that are harmless on this site", () => {
    expect(safeCallbackPath("/requests?q=100%25", APP_URL)).toBe("/requests?q=100%25");
    expect(safeCallbackPath("/requests?device=00-DB-12-34-56-78-90-A0&q=a%20b", APP_URL)).toBe(
      "/requests?device=00-DB-12-34-56-78-90-A0&q=a%20b",
    );
    expect(safeCallbackPath("/requests?next=%2F%2Fevil.example", APP_URL)).toBe("/requests?next=%2F%2Fevil.example");
  });

  it("reads a dot segment the way a browser would, staying on this site", () => {
    expect(safeCallbackPath("/./requests", APP_URL)).toBe("/requests");
    expect(safeCallbackPath("/a/../requests", APP_URL)).toBe("/requests");
  });

  // Each of these, followed by a browser or after a server's extra decoding round, could leave the site.
  const HOSTILE: [string, string][] = [
    ["an absolute URL", "https://evil.example/"],
    ["an absolute URL on another port of this host", "https://portal.example.org:8443/requests"],
    ["an http URL to this host (scheme downgrade)", "http://portal.example.org/requests"],
    ["this host as a user name", "https://portal.example.org@evil.example/"],
    ["this host as a subdomain", "https://portal.example.org.evil.example/"],
    ["an absolute URL on this host whose path collapses into //", "https://portal.example.org/a/..//evil.example"],
    ["an absolute URL on this host with encoded slashes", "https://portal.example.org/%2F%2Fevil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a bare host name", "evil.example"],
    ["a leading space", " /requests"],
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with a path", "//evil.example/requests"],
    ["three slashes", "///evil.example"],
    ["slash then backslash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["a backslash later in the path", "/requests\\..\\..\\/evil.example"],
    ["a backslash in the query", "/requests?q=a\\b"],
    ["a tab between slashes", "/\t/evil.example"],
    ["a newline between slashes", "/\n/evil.example"],
    ["a carriage return between slashes", "/\r/evil.example"],
    ["a NUL", "/\u0000/evil.example"],
    ["a C1 control", "/\u0085/evil.example"],
    ["DEL", "/\u007F/evil.example"],
    ["an encoded tab", "/%09/evil.example/../"],
    ["an encoded newline", "/%0a/evil.example"],
    ["an encoded NUL", "/%00/evil.example"],
    ["a slash then a dot slash", "/.//evil.example"],
    ["a dot segment collapsing into //", "/a/..//evil.example"],
    ["two dot segments collapsing into //", "/a/b/../..//evil.example"],
    ["an encoded dot segment", "/%2e%2e//evil.example"],
    ["an upper-case encoded dot segment", "/a/%2E%2E//evil.example"],
    ["a mixed dot segment", "/a/.%2e//evil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["lower-case encoded slashes", "/%2f%2fevil.example"],
    ["an encoded second slash", "/%2Fevil.example"],
    ["an encoded backslash", "/%5Cevil.example"],
    ["an encoded backslash after a slash", "/%5C%5Cevil.example"],
    ["double-encoded slashes", "/%252F%252Fevil.example"],
    ["double-encoded backslash", "/%255Cevil.example"],
    ["double-encoded dot segment", "/a/%252e%252e//evil.example"],
    ["triple-encoded slashes", "/%25252F%25252Fevil.example"],
    ["encoded slashes too deep to unwrap", "/%2525252F%2525252Fevil.example"],
    ["an encoded newline, double-encoded", "/%250A/evil.example"],
    ["an encoded C1 control", "/%C2%85/evil.example"],
    ["encoded slashes around invalid UTF-8", "/%2F%C0%2Fevil.example"],
  ];

  it.each(HOSTILE)("sends the user home instead of following %s: %j", (_label, input) => {
    for (const appUrl of APP_URLS) {
      const path = safeCallbackPath(input, appUrl);
      expectStaysOnSite(path, appUrl, input);
      expect(path, input).toBe("/");
    }
  });

  it("does not send a signed-in user back to the sign-in page (a redirect loop)", () => {
    for (const page of [
      "/sign-in",
      "/sign-in?callbackUrl=%2F",
      "/sign-in/check-email",
      "/sign-in/",
      "/a/../sign-in",
      "/./sign-in",
      "/%73ign-in",
      "/%2573ign-in",
      "/SIGN-IN",
      "https://portal.example.org/sign-in",
    ]) {
      expect(safeCallbackPath(page, APP_URL), page).toBe("/");
    }
    expect(safeCallbackPath("/sign-in-help", APP_URL)).toBe("/sign-in-help");
  });

  it("treats nothing as the home page", () => {
    expect(safeCallbackPath(undefined, APP_URL)).toBe("/");
    expect(safeCallbackPath(null, APP_URL)).toBe("/");
    expect(safeCallbackPath("", APP_URL)).toBe("/");
  });

  // Characters that build the hostile forms above, so that random strings often come close to one.
  const hostilePiece = fc.constantFrom(
    "/", "//", "\\", ".", "..", "%", "%2", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "%25", "%252F", "%09", "%0a", "%00",
    "\t", "\n", "\r", "\u0000", "\u0085", " ", "?", "#", "@", ":", "evil.example", "sign-in", "http:", "https:", "a",
  );
  const hostileString = fc.array(hostilePiece, { maxLength: 12 }).map((pieces) => pieces.join(""));

  const anyInput = fc.oneof(
    fc.string({ unit: "binary" }),
    hostileString,
    hostileString.map((s) => `/${s}`),
    hostileString.map((s) => `${APP_URL}/${s}`),
  );

  it.prop([anyInput, fc.constantFrom(...APP_URLS)], { numRuns: 3000 })(
    "for any input, gives a path that a browser follows to this site only",
    (input, appUrl) => {
      expectStaysOnSite(safeCallbackPath(input, appUrl), appUrl, input);
    },
  );

  const segment = fc
    .stringMatching(/^[A-Za-z0-9._~-]{1,12}$/)
    .filter((s) => s !== "." && s !== ".." && s.toLowerCase() !== "sign-in");
  const query = fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[A-Za-z0-9-]{0,12}$/)), { maxLength: 3 });

  it.prop([fc.array(segment, { maxLength: 6 }), query, fc.constantFrom(...APP_URLS)])(
    "keeps any ordinary path on this site, with its query",
    (segments, params, appUrl) => {
      const search = params.length > 0 ? `?${params.map(([k, v]) => `${k}=${v}`).join("&")}` : "";
      const path = `/${segments.join("/")}${search}`;
      expect(safeCallbackPath(path, appUrl)).toBe(path);
    },
  );
});
