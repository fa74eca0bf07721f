import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { setDatabaseDown, setDatabaseUp } from "@/lib/db/availability-state";
import { proxy } from "@/proxy";

// While the database is known to be out of reach (lib/db/availability.ts), proxy.ts answers every
// page and API call with 503 and Retry-After at once, in the form the caller reads (a page for a
// browser, the API's error shape for a program); the probes, metrics and static files still answer.

const request = (path: string) => new NextRequest(new URL(path, "http://portal.test"), { headers: { host: "portal.test" } });

describe("the proxy while the database is down", () => {
  afterEach(() => setDatabaseUp());

  it("passes every request through while the database answers", () => {
    const response = proxy(request("/requests"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("answers a page with a 503 page that says what happened and what to do", async () => {
    setDatabaseDown(Date.now());
    const response = proxy(request("/requests/RIC0000001"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBeTruthy();
    const page = await response.text();
    expect(page).toContain("<title>Service unavailable");
    expect(page).toContain("cannot reach its database");
    expect(page).not.toMatch(/Error:|at \w+ \(/); // no stack trace
  });

  it("answers the API with its usual error shape", async () => {
    setDatabaseDown(Date.now());
    const response = proxy(request("/api/v1/install-code-requests"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({ error: { code: "UNAVAILABLE", message: expect.stringMatching(/cannot reach its database/) } });
  });

  it("still lets the health, readiness and metrics probes and static files through", () => {
    setDatabaseDown(Date.now());
    for (const path of ["/api/health", "/api/ready", "/api/metrics", "/_next/static/chunks/main.js", "/favicon.ico"]) {
      expect(proxy(request(path)).status, path).toBe(200);
    }
  });
});
