import { describe, expect, it } from "vitest";
import { appUrlFrom } from "./app-url";
import { allowedHosts, hostAllowed } from "./host-check";

describe("hostAllowed", () => {
  it("answers only APP_URL's own host and port", () => {
    const appUrl = "https://portal.example.org";
    expect(hostAllowed("portal.example.org", appUrl)).toBe(true);
    expect(hostAllowed("PORTAL.Example.ORG", appUrl)).toBe(true);
    expect(hostAllowed("portal.example.org:443", appUrl)).toBe(true);
    expect(hostAllowed("portal.example.org:8443", appUrl)).toBe(false);
    expect(hostAllowed("evil.example", appUrl)).toBe(false);
    expect(hostAllowed("portal.example.org.evil.example", appUrl)).toBe(false);
    // Loopback names are the portal only when APP_URL itself is a loopback address.
    expect(hostAllowed("localhost:443", appUrl)).toBe(false);
    expect(hostAllowed("127.0.0.1", appUrl)).toBe(false);
  });

  it("takes the port from APP_URL, or the scheme's default port", () => {
    expect(hostAllowed("portal.example.org:8080", "http://portal.example.org:8080")).toBe(true);
    expect(hostAllowed("portal.example.org", "http://portal.example.org:8080")).toBe(false);
    expect(hostAllowed("portal.example.org:80", "http://portal.example.org")).toBe(true);
    expect(hostAllowed("portal.example.org:443", "http://portal.example.org")).toBe(false);
  });

  it("answers every loopback name on the same port when APP_URL is a loopback address", () => {
    for (const appUrl of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
      expect(allowedHosts(appUrl)).toEqual(["localhost:3000", "127.0.0.1:3000", "[::1]:3000"]);
      expect(hostAllowed("localhost:3000", appUrl)).toBe(true);
      expect(hostAllowed("127.0.0.1:3000", appUrl)).toBe(true);
      expect(hostAllowed("[::1]:3000", appUrl)).toBe(true);
      expect(hostAllowed("127.0.0.1:3001", appUrl)).toBe(false);
      expect(hostAllowed("evil.example:3000", appUrl)).toBe(false);
      // A public name that resolves to 127.0.0.1 is exactly what DNS rebinding uses.
      expect(hostAllowed("localtest.me:3000", appUrl)).toBe(false);
    }
  });

  it("lets a newcomer on http://127.0.0.1:3000 in with the default APP_URL", () => {
    expect(hostAllowed("127.0.0.1:3000", appUrlFrom(undefined, undefined))).toBe(true);
    expect(hostAllowed("127.0.0.1:4000", appUrlFrom("", "4000"))).toBe(true);
  });

  it("refuses a missing or malformed Host", () => {
    const appUrl = "http://127.0.0.1:3101";
    for (const host of [null, undefined, "", " 127.0.0.1:3101", "user@127.0.0.1:3101", "127.0.0.1:3101/x", "127.0.0.1:abc"]) {
      expect(hostAllowed(host, appUrl)).toBe(false);
    }
  });

  it("refuses everything when APP_URL is not a URL", () => {
    expect(allowedHosts("not a url")).toEqual([]);
    expect(hostAllowed("localhost:3000", "not a url")).toBe(false);
  });
});

describe("appUrlFrom", () => {
  it("defaults to localhost on PORT and trims trailing slashes", () => {
    expect(appUrlFrom(undefined, undefined)).toBe("http://localhost:3000");
    expect(appUrlFrom("", "4000")).toBe("http://localhost:4000");
    expect(appUrlFrom("https://portal.example.org//", 3000)).toBe("https://portal.example.org");
  });
});
