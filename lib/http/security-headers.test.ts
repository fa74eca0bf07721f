import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  newNonce,
  perRequestSecurityHeaders,
  PERMISSIONS_POLICY,
  staticSecurityHeaderRoutes,
} from "./security-headers";

const directives = (policy: string) =>
  new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe("contentSecurityPolicy", () => {
  it("allows scripts only with the request's nonce, never inline or by eval in production", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc123==", appUrl: "http://localhost:3000", development: false }));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("font-src")).toEqual(["'self'"]);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds 'unsafe-eval' for next dev only", () => {
    const dev = directives(contentSecurityPolicy({ nonce: "n", appUrl: "http://localhost:3000", development: true }));
    expect(dev.get("script-src")).toEqual(["'self'", "'nonce-n'", "'strict-dynamic'", "'unsafe-eval'"]);
  });

  it("upgrades insecure requests when the portal is served over https", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "n", appUrl: "https://portal.example.org", development: false }));
    expect(policy.get("upgrade-insecure-requests")).toEqual([]);
  });
});

describe("perRequestSecurityHeaders", () => {
  it("sends HSTS only when APP_URL is https", () => {
    const https = perRequestSecurityHeaders({ nonce: "n", appUrl: "https://portal.example.org", development: false });
    expect(https["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(https["Content-Security-Policy"]).toContain("'nonce-n'");
    const http = perRequestSecurityHeaders({ nonce: "n", appUrl: "http://localhost:3000", development: false });
    expect(Object.keys(http)).toEqual(["Content-Security-Policy"]);
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("staticSecurityHeaderRoutes", () => {
  it("sends the fixed headers everywhere, and no referrer from the sign-in confirmation page", () => {
    const [all, confirm] = staticSecurityHeaderRoutes();
    expect(all.source).toBe("/:path*");
    expect(Object.fromEntries(all.headers.map((h) => [h.key, h.value]))).toEqual({
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "Permissions-Policy": PERMISSIONS_POLICY,
      "Cross-Origin-Opener-Policy": "same-origin",
    });
    // Later entries win in next.config.ts headers().
    expect(confirm).toEqual({ source: "/sign-in/confirm", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] });
  });

  it("switches off camera, microphone, geolocation, payment and usb", () => {
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]) {
      expect(PERMISSIONS_POLICY.split(", ")).toContain(`${feature}=()`);
    }
  });
});
