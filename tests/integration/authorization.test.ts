import { readdirSync, readFileSync, existsSync } from "node:fs";
import { ApiKeyTable } from "@/components/api-key-table";
import { NOT_FOUND_TITLE } from "@/components/page-not-found";
import { ProcessSteps } from "@/components/process-steps";
import { DeviceId } from "@/components/device-id";
import { RequestActionPage } from "@/components/request-action-page";
import { RequestTable } from "@/components/request-table";
import { WebhookEndpointList } from "@/components/webhook-endpoints";
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { authenticateApiKey, createApiKey } from "@/lib/api-keys/keys";
import type { Actor } from "@/lib/auth/actor";
import { hashSessionToken, sessionCookieName } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { DEMO_DEVICES } from "@/lib/db/seed";
import { env } from "@/lib/env";
import type { FormState } from "@/lib/errors";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { mailboxEnabled } from "@/lib/notifications/mailbox";
import { startEmailDispatcher, stopEmailDispatcher } from "@/lib/notifications/schedule";
import { startScheduler, stopScheduler } from "@/lib/sla/schedule";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { formatReference } from "@/lib/requests/reference";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import * as actions from "@/app/requests/actions";
import * as settingsActions from "@/app/settings/api-keys/actions";
import * as webhookActions from "@/app/settings/webhooks/actions";
import * as notificationActions from "@/app/settings/notifications/actions";
import * as lodgeActions from "@/app/devices/lodge/actions";
import * as emailActions from "@/app/helpdesk/emails/actions";
import * as organisationActions from "@/app/admin/organisations/actions";
import { createOrganisation, setOrganisationSuspended } from "@/lib/people/organisations";
import { OPERATOR } from "@/lib/people/permissions";
import * as peopleActions from "@/app/settings/users/actions";
import * as profileActions from "@/app/profile/actions";
import * as invitationActions from "@/app/invitations/accept/actions";
import * as confirmEmailActions from "@/app/profile/confirm-email/actions";
import { createHash } from "node:crypto";
import { invitePerson } from "@/lib/people/invitations";
import { transaction } from "@/lib/db/transaction";
import { markEmailFailed } from "@/lib/notifications/failed";
import { queueEmail } from "@/lib/notifications/outbox";
import { lodgeInstallCode, ONLY_SUPPLIERS_MESSAGE } from "@/lib/install-code/lodge";
import { declineRequest } from "@/lib/requests/decline-request";
import { addDevice, addUser, closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseAndProvide, raiseFresh, requestRow } from "./requests/support";

// Every page, route handler and server action, called as each kind of caller would reach it through
// the portal: with a real session cookie, a real database, and Next's own redirect() and notFound().
// The use-case matrix (requests/permissions.test.ts) says what the rules are; this says that every
// door in app/ applies them, including the ones a signed-out or half-broken account knocks on.

// The caller of the case being run: next/headers reads it, so each call sees its own cookie.
const request = vi.hoisted(() => ({
  cookies: new Map<string, string>(),
  path: "/",
  forwardedFor: "192.0.2.10",
}));

vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined),
    has: (name: string) => request.cookies.has(name),
    getAll: () => [...request.cookies].map(([name, value]) => ({ name, value })),
  }),
  headers: async () => new Headers({ "x-portal-path": request.path, "x-forwarded-for": request.forwardedFor }),
}));

vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// The development mailbox exists only without SMTP_URL; env() is parsed once per process, so the
// "real mail server" rows switch it here rather than in process.env.
const mailServer = vi.hoisted(() => ({ smtpUrl: undefined as string | undefined, realDeployment: false }));
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return {
    ...real,
    env: () => ({
      ...real.env(),
      metricsToken: "authorization-test-metrics-token-0123456789",
      ...(mailServer.smtpUrl ? { smtpUrl: mailServer.smtpUrl } : {}),
      // DATABASE_URL set: no demo mode (the database itself stays the test's).
      ...(mailServer.realDeployment ? { demoMode: false, smtpUrl: "smtp://mail.example:587" } : {}),
    }),
  };
});

const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
const BARE_CODE = "83FED3407A939723A5C639B26916D505";
const NEW_CODE = "00112233445566778899AABBCCDDEEFF";
const NOT_FOUND_MESSAGE = "No request with that reference";
const UNKNOWN_REFERENCE = "RIC9999999";

const WHO = ["raiser", "assignee", "third", "helpdesk", "mismatched", "forged", "anonymous", "expired"] as const;
type Who = (typeof WHO)[number];
const DESCRIBED: Record<Who, string> = {
  raiser: "raiser (alice, NWE)",
  assignee: "assignee (bob, SFP)",
  third: "third Supplier (erin, EGP)",
  helpdesk: "helpdesk (dana, DCC)",
  mismatched: "helpdesk-role user in a Supplier organisation",
  forged: "helpdesk role and helpdesk kind on a user of a Supplier organisation",
  anonymous: "anonymous",
  expired: "expired session (alice)",
};
const SUPPLIERS: readonly Who[] = ["raiser", "assignee", "third"];

/**
 * ok: the page rendered (or the handler answered 200); sign-in: sent to /sign-in with a callback to
 * the very URL asked for; redirect:<url>: anywhere else.
 */
type Outcome = "ok" | "404" | "sign-in" | `redirect:${string}` | `status:${number}`;

type Fixture = {
  answered: string;
  reassigned: string;
  emailId: string;
  organisationName: Record<Who, string | null>;
  /** One API key of each organisation, made with `npm run apikey`. */
  apiKeys: Record<KeyOrganisation, { prefix: string; name: string }>;
  /** Northwind's webhook endpoint, which only Northwind's people see on /settings/webhooks. */
  webhookUrl: string;
  /** A Device pre-notified by SFP whose Install Code Bob lodged. */
  lodgedDevice: string;
};

const KEY_ORGANISATIONS = ["NWE", "SFP", "EGP", "DCC"] as const;
type KeyOrganisation = (typeof KEY_ORGANISATIONS)[number];
/** The organisation whose settings a signed-in caller manages. */
const ORGANISATION_OF: Partial<Record<Who, KeyOrganisation>> = { raiser: "NWE", assignee: "SFP", third: "EGP", helpdesk: "DCC" };

type RouteRow = {
  route: string;
  /** The file under app/ that serves it: the table is checked against the files that exist. */
  file: string;
  url: (f: Fixture) => { path: string; params: Record<string, string>; searchParams?: Record<string, string> };
  expected: Record<Who, Outcome>;
  /** Route handlers: the method called (GET by default). */
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** With SMTP_URL set, as a real deployment runs. */
  mailServer?: boolean;
  /** As a real deployment: DATABASE_URL and SMTP_URL set, so no demo mode. */
  realDeployment?: boolean;
  /** Request headers a route handler is called with besides the session cookie (a bearer token). */
  headers?: Record<string, string>;
  /** Sets up what the row needs (the background timers /api/ready checks) and returns its undoing. */
  around?: () => Promise<() => Promise<void>>;
  /** What a person sees on an "ok" page that shows it was rendered for them. */
  shows?: (who: Who, text: string, f: Fixture) => void;
};

/** Callers the portal must treat as nobody: no session, an ended one, or a user it refuses. */
const SIGNED_OUT: readonly Who[] = ["mismatched", "forged", "anonymous", "expired"];
const signedIn = (outcome: (who: Who) => Outcome, signedOut: Outcome = "sign-in"): Record<Who, Outcome> =>
  Object.fromEntries(WHO.map((who) => [who, SIGNED_OUT.includes(who) ? signedOut : outcome(who)])) as Record<Who, Outcome>;
const everyone = (outcome: Outcome): Record<Who, Outcome> => Object.fromEntries(WHO.map((who) => [who, outcome])) as Record<Who, Outcome>;

/** Being written in parallel: listed here so that they are tested the moment they land. */
const NOT_YET_IN_THIS_TREE = new Set<string>([]);
/**
 * next-auth's own handler: the sign-in flow, reached before anyone has a session (sign-in-link
 * tests). /dev/clock: the e2e clock, in demo mode only, which these tests are in or not depending on
 * the database they run on (tests/integration/sla/dev-clock.test.ts covers it).
 */
const NOT_IN_THE_TABLE = new Set(["app/api/auth/[...nextauth]/route.ts", "app/dev/clock/route.ts"]);

// Organisations (issue 11): the helpdesk's administrators only. Anyone else gets 404, a Supplier's
// administrator at its own organisation included (it manages its people at /settings/users).
const ORGANISATION_ROUTES: RouteRow[] = [
  {
    route: "/admin/organisations",
    file: "app/admin/organisations/page.tsx",
    url: () => ({ path: "/admin/organisations", params: {} }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => {
      for (const name of ["Northwind Energy", "Southfield Power", "Eastgate Gas & Power", "DCC Service Desk"]) expect(text).toContain(name);
      expect(text).toContain("Add a Supplier");
      expect(text).not.toContain("has been added");
    },
  },
  {
    route: "/admin/organisations?search=south",
    file: "app/admin/organisations/page.tsx",
    url: () => ({ path: "/admin/organisations?search=south", params: {}, searchParams: { search: "south" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => {
      expect(text).toContain('Organisations matching "south"');
      expect(text).toContain("Southfield Power");
      expect(text).not.toContain("Northwind Energy");
    },
  },
  {
    route: "/admin/organisations?created=EGP",
    file: "app/admin/organisations/page.tsx",
    url: () => ({ path: "/admin/organisations?created=EGP", params: {}, searchParams: { created: "EGP" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => {
      expect(text).toContain("Eastgate Gas & Power (EGP) has been added.");
      expect(text).toContain("invite its first administrator");
    },
  },
  {
    route: "/admin/organisations?search=__proto__&created=__proto__",
    file: "app/admin/organisations/page.tsx",
    url: () => ({ path: "/admin/organisations?search=__proto__&created=__proto__", params: {}, searchParams: { search: "__proto__", created: "__proto__" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => {
      expect(text).toContain(`No organisation's code or name contains "__proto__".`);
      expect(text).not.toContain("has been added");
    },
  },
  {
    route: "/admin/organisations/[code] (SFP)",
    file: "app/admin/organisations/[code]/page.tsx",
    url: () => ({ path: "/admin/organisations/SFP", params: { code: "SFP" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => {
      expect(text).toContain("Southfield Power");
      expect(text).toContain("People of Southfield Power");
      expect(text).toContain("Suspend Southfield Power…");
      expect(text).not.toContain("When you do");
    },
  },
  {
    route: "/admin/organisations/[code] (NWE, the raiser's own organisation)",
    file: "app/admin/organisations/[code]/page.tsx",
    url: () => ({ path: "/admin/organisations/nwe", params: { code: "nwe" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => expect(text).toContain("Northwind Energy"),
  },
  {
    route: "/admin/organisations/[code]?suspend=1 (SFP: the confirmation)",
    file: "app/admin/organisations/[code]/page.tsx",
    url: () => ({ path: "/admin/organisations/SFP?suspend=1", params: { code: "SFP" }, searchParams: { suspend: "1" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => {
      expect(text).toContain("Suspend Southfield Power? When you do:");
      expect(text).toContain("its people are signed out at once and cannot sign in");
      expect(text).toContain("its API keys are refused");
      expect(text).toContain("its open requests stay visible to the other party and the helpdesk, who can reassign them");
    },
  },
  {
    route: "/admin/organisations/[code]?suspend=1 (DCC: never suspended)",
    file: "app/admin/organisations/[code]/page.tsx",
    url: () => ({ path: "/admin/organisations/DCC?suspend=1", params: { code: "DCC" }, searchParams: { suspend: "1" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => {
      expect(text).toContain("it cannot be suspended");
      expect(text).not.toContain("When you do");
    },
  },
  {
    route: "/admin/organisations/[code] (no such code)",
    file: "app/admin/organisations/[code]/page.tsx",
    url: () => ({ path: "/admin/organisations/ZZZ404", params: { code: "ZZZ404" } }),
    expected: signedIn(() => "404"),
  },
  {
    route: "/admin/organisations/[code] (__proto__)",
    file: "app/admin/organisations/[code]/page.tsx",
    url: () => ({ path: "/admin/organisations/__proto__", params: { code: "__proto__" } }),
    expected: signedIn(() => "404"),
  },
];

/** The demo people, each their organisation's administrator: whose names a people page may show. */
const PEOPLE_EMAIL: Record<"raiser" | "assignee" | "third" | "helpdesk", string> = {
  raiser: "alice@northwind.example",
  assignee: "bob@southfield.example",
  third: "erin@eastgate.example",
  helpdesk: "dana@dcc.example",
};

/** Issue 11's people pages: an organisation's people for its administrators (and the helpdesk's), one's own profile, an invitation. */
const PEOPLE_ROUTES: RouteRow[] = [
  {
    // Every demo person administers their own organisation, and sees its people only.
    route: "/settings/users",
    file: "app/settings/users/page.tsx",
    url: () => ({ path: "/settings/users", params: {} }),
    expected: signedIn(() => "ok"),
    shows: (who, text, f) => {
      expect(text).toContain(`People of ${f.organisationName[who]}`);
      for (const [other, email] of Object.entries(PEOPLE_EMAIL)) {
        if (other === who) expect(text).toContain(email);
        else expect(text).not.toContain(email);
      }
    },
  },
  {
    // Another organisation's people: the helpdesk administrator's and SFP's own administrator's only.
    route: "/settings/users?organisation=SFP",
    file: "app/settings/users/page.tsx",
    url: () => ({ path: "/settings/users?organisation=SFP", params: {}, searchParams: { organisation: "SFP" } }),
    expected: signedIn((who) => (who === "helpdesk" || who === "assignee" ? "ok" : "404")),
    shows: (_who, text) => {
      expect(text).toContain("People of Southfield");
      expect(text).toContain(PEOPLE_EMAIL.assignee);
      expect(text).not.toContain(PEOPLE_EMAIL.raiser);
      expect(text).not.toContain(PEOPLE_EMAIL.helpdesk);
    },
  },
  {
    route: "/settings/users?organisation=__proto__",
    file: "app/settings/users/page.tsx",
    url: () => ({ path: "/settings/users?organisation=__proto__", params: {}, searchParams: { organisation: "__proto__" } }),
    expected: signedIn(() => "404"),
  },
  {
    route: "/settings/users?remove=__proto__",
    file: "app/settings/users/page.tsx",
    url: () => ({ path: "/settings/users?remove=__proto__", params: {}, searchParams: { remove: "__proto__" } }),
    expected: signedIn(() => "404"),
  },
  {
    route: "/profile",
    file: "app/profile/page.tsx",
    url: () => ({ path: "/profile", params: {} }),
    expected: signedIn(() => "ok"),
    shows: (who, text, f) => {
      expect(text).toContain(PEOPLE_EMAIL[who as keyof typeof PEOPLE_EMAIL]);
      expect(text).toContain(f.organisationName[who]);
      expect(text).toContain(who === "helpdesk" ? "Helpdesk administrator" : "Supplier administrator");
      // Anyone changes their own address here (issue 11), by a link to the new address.
      expect(text).toContain("Change email address");
      expect(text).not.toContain("ask your organisation's administrator");
      for (const [other, email] of Object.entries(PEOPLE_EMAIL)) if (other !== who) expect(text).not.toContain(email);
    },
  },
  {
    // Public (the invitee has no account yet); an unknown link says so and offers no button.
    route: "/invitations/accept?token=bogus",
    file: "app/invitations/accept/page.tsx",
    url: () => ({ path: "/invitations/accept?token=bogus", params: {}, searchParams: { token: "bogus" } }),
    expected: everyone("ok"),
    shows: (_who, text) => {
      expect(text).toContain("This invitation link is not valid");
      expect(text).not.toContain("Organisation");
    },
  },
];

/** Issue 11's own email change: the confirmation page is public (opened from the new address's mailbox). */
const EMAIL_CHANGE_ROUTES: RouteRow[] = [
  {
    // An unknown link says so, names nobody and offers no button, whoever opens it.
    route: "/profile/confirm-email?token=bogus",
    file: "app/profile/confirm-email/page.tsx",
    url: () => ({ path: "/profile/confirm-email?token=bogus", params: {}, searchParams: { token: "bogus" } }),
    expected: everyone("ok"),
    shows: (_who, text) => {
      expect(text).toContain("This link is not valid");
      expect(text).not.toContain("Confirm new email address");
      for (const email of Object.values(PEOPLE_EMAIL)) expect(text).not.toContain(email);
    },
  },
];

/**
 * The header's search (app/search). The fixture's first request (its "answered" one, in a new
 * database) is RIC0000001, for the new Device 0A-00-00-00-00-00-00-01: the rows' expected redirects
 * name them, and check that they still are.
 */
const FIRST_REFERENCE = "RIC0000001";
const FIRST_DEVICE = "0A-00-00-00-00-00-00-01";
const SEARCH_ROUTES: RouteRow[] = [
  {
    route: "/search?q=<the answered request, lower case>",
    file: "app/search/page.tsx",
    url: (f) => {
      expect(f.answered).toBe(FIRST_REFERENCE);
      return { path: `/search?q=${f.answered.toLowerCase()}`, params: {}, searchParams: { q: f.answered.toLowerCase() } };
    },
    // A Supplier that is no party to it is told what it would be told of a request that does not exist.
    expected: signedIn((who) => (who === "third" ? "ok" : `redirect:/requests/${FIRST_REFERENCE}`)),
    shows: (_who, text) => expect(text).toContain(`No request ${FIRST_REFERENCE} that you can see.`),
  },
  {
    route: "/search?q=<no such request>",
    file: "app/search/page.tsx",
    url: () => ({ path: `/search?q=${UNKNOWN_REFERENCE}`, params: {}, searchParams: { q: UNKNOWN_REFERENCE } }),
    expected: signedIn(() => "ok"),
    shows: (_who, text) => expect(text).toContain(`No request ${UNKNOWN_REFERENCE} that you can see.`),
  },
  {
    route: "/search?q=<the answered request's Device, without hyphens>",
    file: "app/search/page.tsx",
    url: (f) => {
      expect(f.answered).toBe(FIRST_REFERENCE);
      const q = FIRST_DEVICE.replace(/-/g, "").toLowerCase();
      return { path: `/search?q=${q}`, params: {}, searchParams: { q } };
    },
    expected: signedIn((who) => (who === "third" ? "ok" : `redirect:/requests?q=${FIRST_DEVICE}`)),
    shows: (_who, text) => expect(text).toContain(`No requests for Device ${FIRST_DEVICE} that you can see.`),
  },
  {
    route: "/search?q=<neither>",
    file: "app/search/page.tsx",
    url: () => ({ path: "/search?q=%3Cb%3Ehello", params: {}, searchParams: { q: "<b>hello" } }),
    expected: signedIn(() => "ok"),
    shows: (_who, text) => {
      expect(text).toContain("Nothing matched");
      expect(text).toContain("<b>hello");
      expect(text).toContain("a request reference like RIC0000042");
    },
  },
  {
    route: "/search?q=__proto__&q=constructor",
    file: "app/search/page.tsx",
    url: () => ({ path: "/search?q=__proto__&q=constructor", params: {}, searchParams: { q: ["__proto__", "constructor"] } as unknown as Record<string, string> }),
    expected: signedIn(() => "ok"),
    shows: (_who, text) => expect(text).toContain("Nothing matched"),
  },
];

const ROUTES: RouteRow[] = [
  ...ORGANISATION_ROUTES,
  // The Service User API answers keys only: a browser's session cookie is no key (401 for everyone),
  // so no page can be made to act through it. Keyed callers: tests/integration/api/authorization.test.ts.
  ...(
    [
      ["GET", "app/api/v1/install-code-requests/route.ts", () => "/api/v1/install-code-requests", {}],
      ["POST", "app/api/v1/install-code-requests/route.ts", () => "/api/v1/install-code-requests", {}],
      ["POST", "app/api/v1/install-code-requests/bulk/route.ts", () => "/api/v1/install-code-requests/bulk", {}],
      ["GET", "app/api/v1/install-code-requests/[reference]/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}`, "reference"],
      ["POST", "app/api/v1/install-code-requests/[reference]/notes/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}/notes`, "reference"],
      ["POST", "app/api/v1/install-code-requests/[reference]/install-code/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}/install-code`, "reference"],
      ["POST", "app/api/v1/install-code-requests/[reference]/close/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}/close`, "reference"],
      ["POST", "app/api/v1/install-code-requests/[reference]/reassign/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}/reassign`, "reference"],
      ["POST", "app/api/v1/install-code-requests/[reference]/decline/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}/decline`, "reference"],
      ["POST", "app/api/v1/install-code-requests/[reference]/withdraw/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}/withdraw`, "reference"],
      ["POST", "app/api/v1/install-code-requests/[reference]/close-not-possible/route.ts", (f: Fixture) => `/api/v1/install-code-requests/${f.answered}/close-not-possible`, "reference"],
      ["GET", "app/api/v1/devices/[deviceId]/route.ts", () => `/api/v1/devices/${DEMO_DEVICES.eligibleFromSouthfield}`, "deviceId"],
      ["PUT", "app/api/v1/devices/[deviceId]/install-code/route.ts", () => `/api/v1/devices/${DEMO_DEVICES.eligibleFromSouthfield}/install-code`, "deviceId"],
      ["DELETE", "app/api/v1/devices/[deviceId]/install-code/route.ts", () => `/api/v1/devices/${DEMO_DEVICES.eligibleFromSouthfield}/install-code`, "deviceId"],
    ] as const
  ).map(
    ([method, file, path, param]): RouteRow => ({
      route: `${method} ${file.slice(3, -9)}`,
      file,
      method,
      url: (f) => {
        const p = path(f);
        return { path: p, params: typeof param === "string" ? { [param]: p.split("/")[4]! } : {} };
      },
      expected: everyone("status:401"),
    }),
  ),
  {
    // Every Supplier lodges for its own Devices and sees only its own lodged codes; the helpdesk is told
    // that only Suppliers lodge (and sees none).
    route: "/devices/lodge",
    file: "app/devices/lodge/page.tsx",
    url: () => ({ path: "/devices/lodge", params: {} }),
    expected: signedIn(() => "ok"),
    shows: (who, text, f) => {
      if (who === "helpdesk") {
        expect(text).toContain("Install Codes are lodged by Suppliers");
        expect(text).not.toContain(f.lodgedDevice);
        return;
      }
      expect(text).toContain(`Install Codes lodged by ${f.organisationName[who]}`);
      if (who === "assignee") expect(text).toContain(f.lodgedDevice);
      else expect(text).not.toContain(f.lodgedDevice);
      expect(text).not.toContain("83FED340");
    },
  },
  {
    route: "/devices/lodge?deviceId=__proto__&after=garbage",
    file: "app/devices/lodge/page.tsx",
    url: () => ({ path: "/devices/lodge?deviceId=__proto__&after=garbage", params: {}, searchParams: { deviceId: "__proto__", after: "garbage" } }),
    expected: signedIn(() => "ok"),
    shows: (who, text) => {
      if (who === "helpdesk") expect(text).toContain("Install Codes are lodged by Suppliers");
      else expect(text).toContain("Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0: showing every lodged code.");
    },
  },
  {
    route: "/api/v1/openapi.json",
    file: "app/api/v1/openapi.json/route.ts",
    url: () => ({ path: "/api/v1/openapi.json", params: {} }),
    expected: everyone("ok"),
  },
  // Probes and the metrics scraper: no session, no API key (docs/decisions/026-health-and-metrics.md).
  {
    route: "/api/health",
    file: "app/api/health/route.ts",
    url: () => ({ path: "/api/health", params: {} }),
    expected: everyone("ok"),
  },
  {
    route: "/api/ready (dispatcher and scheduler running)",
    file: "app/api/ready/route.ts",
    url: () => ({ path: "/api/ready", params: {} }),
    around: async () => {
      startEmailDispatcher();
      startScheduler();
      return async () => {
        stopEmailDispatcher();
        await stopScheduler();
      };
    },
    expected: everyone("ok"),
  },
  {
    route: "/api/ready (no dispatcher running)",
    file: "app/api/ready/route.ts",
    url: () => ({ path: "/api/ready", params: {} }),
    expected: everyone("status:503"),
  },
  {
    route: "/api/metrics without the token",
    file: "app/api/metrics/route.ts",
    url: () => ({ path: "/api/metrics", params: {} }),
    expected: everyone("404"),
  },
  {
    route: "/api/metrics with a wrong token",
    file: "app/api/metrics/route.ts",
    url: () => ({ path: "/api/metrics", params: {} }),
    headers: { authorization: "Bearer authorization-test-metrics-token-0123456780" },
    expected: everyone("404"),
  },
  {
    route: "/api/metrics with the token",
    file: "app/api/metrics/route.ts",
    url: () => ({ path: "/api/metrics", params: {} }),
    headers: { authorization: "Bearer authorization-test-metrics-token-0123456789" },
    expected: everyone("ok"),
  },
  {
    route: "/api/docs",
    file: "app/api/docs/route.ts",
    url: () => ({ path: "/api/docs", params: {} }),
    expected: everyone("ok"),
  },
  {
    route: "/api/docs/swagger-ui.css",
    file: "app/api/docs/[asset]/route.ts",
    url: () => ({ path: "/api/docs/swagger-ui.css", params: { asset: "swagger-ui.css" } }),
    expected: everyone("ok"),
  },
  {
    route: "/api/docs/package.json (only the viewer's own files)",
    file: "app/api/docs/[asset]/route.ts",
    url: () => ({ path: "/api/docs/package.json", params: { asset: "package.json" } }),
    expected: everyone("404"),
  },
  {
    route: "/settings",
    file: "app/settings/page.tsx",
    url: () => ({ path: "/settings", params: {} }),
    // Any user of an organisation manages its settings (issue 11 will keep them to administrators).
    expected: signedIn(() => "ok"),
    shows: (who, text, f) => {
      expect(text).toContain(`Settings of ${f.organisationName[who]}`);
      expect(text).toContain(ORGANISATION_OF[who]);
    },
  },
  {
    // A person's own email switches and their organisation's team address.
    route: "/settings/notifications",
    file: "app/settings/notifications/page.tsx",
    url: () => ({ path: "/settings/notifications", params: {} }),
    expected: signedIn(() => "ok"),
    shows: (who, text, f) => {
      expect(text).toContain("Email notifications");
      expect(text).toContain(`${f.organisationName[who]}'s team address`);
      expect(text).toContain("cannot be turned off");
    },
  },
  {
    route: "/settings/api-keys",
    file: "app/settings/api-keys/page.tsx",
    url: () => ({ path: "/settings/api-keys", params: {} }),
    expected: signedIn(() => "ok"),
    // Its own organisation's keys, and nobody else's (the helpdesk sees the DCC's only).
    shows: (who, text, f) => {
      for (const organisation of KEY_ORGANISATIONS) {
        if (organisation === ORGANISATION_OF[who]) expect(text).toContain(f.apiKeys[organisation].prefix);
        else expect(text).not.toContain(f.apiKeys[organisation].prefix);
      }
    },
  },
  {
    route: "/settings/api-keys?revoke=<Northwind's key>",
    file: "app/settings/api-keys/page.tsx",
    url: (f) => ({ path: `/settings/api-keys?revoke=${f.apiKeys.NWE.prefix}`, params: {}, searchParams: { revoke: f.apiKeys.NWE.prefix } }),
    // Another organisation's key is not found, for the helpdesk too.
    expected: signedIn((who) => (who === "raiser" ? "ok" : "404")),
    shows: (_who, text) => expect(text).toContain("Revoke an API key"),
  },
  {
    route: "/settings/api-keys?revoke=<the DCC's key>",
    file: "app/settings/api-keys/page.tsx",
    url: (f) => ({ path: `/settings/api-keys?revoke=${f.apiKeys.DCC.prefix}`, params: {}, searchParams: { revoke: f.apiKeys.DCC.prefix } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => expect(text).toContain("Revoke an API key"),
  },
  {
    route: "/settings/api-keys?revoke=__proto__",
    file: "app/settings/api-keys/page.tsx",
    url: () => ({ path: "/settings/api-keys?revoke=__proto__", params: {}, searchParams: { revoke: "__proto__" } }),
    expected: signedIn(() => "404"),
  },
  {
    // Open to everyone: the five steps; signed in, for which organisation; signed out, where to sign in.
    route: "/",
    file: "app/page.tsx",
    url: () => ({ path: "/", params: {} }),
    expected: everyone("ok"),
    shows: (who, text, f) => {
      expect(text).toContain("How it works, in five steps");
      const organisation = f.organisationName[who];
      if (organisation) expect(text).toContain(`Signed in for ${organisation}`);
      else {
        expect(text).toContain("Sign in");
        expect(text).not.toContain("Signed in for");
        expect(text).toContain("This is a demo");
      }
    },
  },
  {
    route: "/ (a real deployment)",
    file: "app/page.tsx",
    url: () => ({ path: "/", params: {} }),
    realDeployment: true,
    expected: everyone("ok"),
    shows: (_who, text) => {
      expect(text).toContain("How it works, in five steps");
      expect(text).not.toContain("This is a demo");
    },
  },
  {
    route: "/requests?queue=all",
    file: "app/requests/page.tsx",
    url: () => ({ path: "/requests?queue=all", params: {}, searchParams: { queue: "all" } }),
    expected: signedIn(() => "ok"),
    shows: (who, text, f) => {
      if (who === "third") expect(text).not.toContain(f.answered);
      else expect(text).toContain(f.answered);
    },
  },
  {
    route: "/requests?status=__proto__",
    file: "app/requests/page.tsx",
    url: () => ({ path: "/requests?status=__proto__", params: {}, searchParams: { status: "__proto__" } }),
    expected: signedIn(() => "ok"),
    shows: (_who, text) => expect(text).toContain('There is no status "__proto__"'),
  },
  {
    route: "/requests/new",
    file: "app/requests/new/page.tsx",
    url: () => ({ path: "/requests/new", params: {} }),
    // The helpdesk gets the page, but told that Suppliers raise requests (the action refuses it too).
    expected: signedIn(() => "ok"),
    shows: (who, text) => {
      if (who === "helpdesk") expect(text).toContain("Requests are raised by Suppliers");
      else expect(text).toContain("Ask for the Install Code of a Device");
    },
  },
  {
    route: "/requests/bulk",
    file: "app/requests/bulk/page.tsx",
    url: () => ({ path: "/requests/bulk", params: {} }),
    // Like /requests/new: the helpdesk gets the page, told that Suppliers raise requests (the action refuses it too).
    expected: signedIn(() => "ok"),
    shows: (who, text) => {
      if (who === "helpdesk") expect(text).toContain("Requests are raised by Suppliers");
      else expect(text).toContain("One Request for Install Code for each Device in the file");
    },
  },
  {
    route: "/requests/[reference] (raised by NWE, assigned to SFP, answered)",
    file: "app/requests/[reference]/page.tsx",
    url: (f) => ({ path: `/requests/${f.answered}`, params: { reference: f.answered } }),
    expected: signedIn((who) => (who === "third" ? "404" : "ok")),
    shows: (_who, text, f) => expect(text).toContain(f.answered),
  },
  // Each action's own page (decision 035), on the answered request: the party that may act now gets
  // the form with what will happen; another party the page saying why not; a stranger 404.
  ...(
    [
      ["close", "raiser"],
      ["withdraw", null],
      ["decline", null],
      ["reassign", "helpdesk"],
      ["close-not-possible", null],
      ["replace-code", "assignee"],
    ] as const
  ).map(
    ([action, mayAct]): RouteRow => ({
      route: `/requests/[reference]/${action} (answered)`,
      file: `app/requests/[reference]/${action}/page.tsx`,
      url: (f) => ({ path: `/requests/${f.answered}/${action}`, params: { reference: f.answered } }),
      expected: signedIn((who) => (who === "third" ? "404" : "ok")),
      shows: (who, text, f) => {
        expect(text).toContain(f.answered);
        if (who === mayAct) expect(text).toContain("What will happen");
        else expect(text).toContain(`Back to request ${f.answered}`);
      },
    }),
  ),
  {
    route: "/requests/[reference] (lower case)",
    file: "app/requests/[reference]/page.tsx",
    url: (f) => ({ path: `/requests/${f.answered.toLowerCase()}`, params: { reference: f.answered.toLowerCase() } }),
    expected: signedIn((who) => (who === "third" ? "404" : "ok")),
    shows: (_who, text, f) => expect(text).toContain(f.answered),
  },
  {
    route: "/requests/[reference] (no such request)",
    file: "app/requests/[reference]/page.tsx",
    url: () => ({ path: `/requests/${UNKNOWN_REFERENCE}`, params: { reference: UNKNOWN_REFERENCE } }),
    expected: signedIn(() => "404"),
  },
  {
    route: "/requests/[reference] (reassigned from SFP to EGP)",
    file: "app/requests/[reference]/page.tsx",
    url: (f) => ({ path: `/requests/${f.reassigned}`, params: { reference: f.reassigned } }),
    // The former assignee loses the request; the new one gains it.
    expected: signedIn((who) => (who === "assignee" ? "404" : "ok")),
    shows: (who, text, f) => {
      expect(text).toContain(f.reassigned);
      // The email to Eastgate (the new assignee) failed: Eastgate and the helpdesk are told, the raiser not.
      const notice = "We could not deliver the email about this request to Eastgate";
      if (who === "third" || who === "helpdesk") expect(text).toContain(notice);
      else expect(text).not.toContain(notice);
    },
  },
  {
    route: "/sign-in",
    file: "app/sign-in/page.tsx",
    url: () => ({ path: "/sign-in", params: {} }),
    // Someone signed in is sent on; a session that is no session gets the form, not a loop.
    expected: signedIn(() => "redirect:/", "ok"),
    // Demo mode without a mail server: the demo accounts, what each can try, and the mailbox.
    shows: (_who, text) => {
      expect(text).toContain("Demo accounts");
      for (const email of ["alice@northwind.example", "bob@southfield.example", "erin@eastgate.example", "dana@dcc.example"]) expect(text).toContain(email);
      expect(text).toContain("A gaining Supplier: raise a request for Device 00-DB-12-34-56-78-90-A1");
      expect(text).toContain("development mailbox");
    },
  },
  {
    route: "/sign-in (demo mode with SMTP_URL)",
    file: "app/sign-in/page.tsx",
    url: () => ({ path: "/sign-in", params: {} }),
    mailServer: true,
    expected: signedIn(() => "redirect:/", "ok"),
    shows: (_who, text) => {
      expect(text).toContain("Demo accounts");
      expect(text).not.toContain("development mailbox");
    },
  },
  {
    route: "/sign-in (a real deployment: DATABASE_URL and SMTP_URL)",
    file: "app/sign-in/page.tsx",
    url: () => ({ path: "/sign-in?email=alice%40northwind.example", params: {}, searchParams: { email: "alice@northwind.example" } }),
    realDeployment: true,
    expected: signedIn(() => "redirect:/", "ok"),
    // No demo accounts, no mailbox: nothing says who can sign in.
    shows: (_who, text) => {
      expect(text).toContain("We will email you a link");
      expect(text).not.toContain("Demo accounts");
      expect(text).not.toContain("alice@northwind.example");
      expect(text).not.toContain("mailbox");
    },
  },
  {
    route: "/sign-in?callbackUrl=//evil.example",
    file: "app/sign-in/page.tsx",
    url: () => ({ path: "/sign-in?callbackUrl=//evil.example", params: {}, searchParams: { callbackUrl: "//evil.example" } }),
    expected: signedIn(() => "redirect:/", "ok"),
  },
  {
    route: "/sign-in/check-email",
    file: "app/sign-in/check-email/page.tsx",
    url: () => ({ path: "/sign-in/check-email", params: {} }),
    expected: everyone("ok"),
  },
  {
    route: "/sign-in/confirm",
    file: "app/sign-in/confirm/page.tsx",
    url: () => ({
      path: "/sign-in/confirm?token=t&email=alice%40northwind.example",
      params: {},
      searchParams: { token: "t", email: "alice@northwind.example" },
    }),
    expected: everyone("ok"),
  },
  {
    // The help (docs/help): read before signing in, so open to everyone, signed in or not.
    route: "/help",
    file: "app/help/page.tsx",
    url: () => ({ path: "/help", params: {} }),
    expected: everyone("ok"),
    shows: (_who, text) => expect(text).toContain("Guide for gaining Suppliers"),
  },
  {
    route: "/help/[slug]",
    file: "app/help/[slug]/page.tsx",
    url: () => ({ path: "/help/helpdesk", params: { slug: "helpdesk" } }),
    expected: everyone("ok"),
    shows: (_who, text) => expect(text).toContain("Guide for the DCC Helpdesk"),
  },
  {
    route: "/help/[slug] (no such guide)",
    file: "app/help/[slug]/page.tsx",
    url: () => ({ path: "/help/no-such-guide", params: { slug: "no-such-guide" } }),
    expected: everyone("404"),
  },
  {
    // Demo mode (SMTP_URL unset, as in these tests): the mailbox is open to anyone who can reach the
    // port, signed in or not (README, "Demo mode is for one machine").
    route: "/dev/mailbox (no mail server: demo mode)",
    file: "app/dev/mailbox/page.tsx",
    url: () => ({ path: "/dev/mailbox", params: {} }),
    expected: everyone("ok"),
  },
  {
    route: "/dev/mailbox/[id] (no mail server: demo mode)",
    file: "app/dev/mailbox/[id]/page.tsx",
    url: (f) => ({ path: `/dev/mailbox/${f.emailId}`, params: { id: f.emailId } }),
    expected: everyone("ok"),
  },
  {
    route: "/dev/mailbox (SMTP_URL set)",
    file: "app/dev/mailbox/page.tsx",
    url: () => ({ path: "/dev/mailbox", params: {} }),
    mailServer: true,
    expected: everyone("404"),
  },
  {
    route: "/dev/mailbox/[id] (SMTP_URL set)",
    file: "app/dev/mailbox/[id]/page.tsx",
    url: (f) => ({ path: `/dev/mailbox/${f.emailId}`, params: { id: f.emailId } }),
    mailServer: true,
    expected: everyone("404"),
  },
  {
    route: "/audit",
    file: "app/audit/page.tsx",
    url: () => ({ path: "/audit", params: {} }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
  },
  {
    route: "/inventory/imports",
    file: "app/inventory/imports/page.tsx",
    url: () => ({ path: "/inventory/imports", params: {} }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
  },
  {
    route: "/audit/export",
    file: "app/audit/export/route.ts",
    url: () => ({ path: "/audit/export", params: {} }),
    // A route handler cannot send a browser to sign in usefully (it is a download): 404 like any stranger.
    expected: { ...everyone("404"), helpdesk: "ok" },
  },
  {
    route: "/helpdesk",
    file: "app/helpdesk/page.tsx",
    url: () => ({ path: "/helpdesk", params: {} }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => expect(text).toContain("Helpdesk dashboard"),
  },
  {
    route: "/helpdesk/emails",
    file: "app/helpdesk/emails/page.tsx",
    url: () => ({ path: "/helpdesk/emails", params: {} }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text, f) => {
      expect(text).toContain("Emails waiting or failed");
      // The fixture's failed email: recipient, request, the server's error.
      expect(text).toContain("erin@eastgate.example");
      expect(text).toContain(f.reassigned);
      expect(text).toContain("550 5.1.1 mailbox unavailable");
    },
  },
  {
    route: "/helpdesk/emails?status=FAILED",
    file: "app/helpdesk/emails/page.tsx",
    url: () => ({ path: "/helpdesk/emails?status=FAILED", params: {}, searchParams: { status: "FAILED" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
  },
  {
    route: "/helpdesk/export?table=suppliers",
    file: "app/helpdesk/export/route.ts",
    url: () => ({ path: "/helpdesk/export?table=suppliers", params: {}, searchParams: { table: "suppliers" } }),
    expected: { ...everyone("404"), helpdesk: "ok" },
  },
  {
    route: "/helpdesk/reports",
    file: "app/helpdesk/reports/page.tsx",
    url: () => ({ path: "/helpdesk/reports", params: {} }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
  },
  {
    route: "/helpdesk/reports/[month]",
    file: "app/helpdesk/reports/[month]/page.tsx",
    url: () => ({ path: "/helpdesk/reports/2026-11", params: { month: "2026-11" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => expect(text).toContain("Install Code obligation report: November 2026"),
  },
  {
    route: "/helpdesk/reports/[month]/csv",
    file: "app/helpdesk/reports/[month]/csv/route.ts",
    url: () => ({ path: "/helpdesk/reports/2026-11/csv", params: { month: "2026-11" } }),
    expected: { ...everyone("404"), helpdesk: "ok" },
  },
  {
    route: "/helpdesk/reports?month=2026-10",
    file: "app/helpdesk/reports/page.tsx",
    url: () => ({ path: "/helpdesk/reports?month=2026-10", params: {}, searchParams: { month: "2026-10" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "redirect:/helpdesk/reports/2026-10" : "404")),
  },
  {
    route: "/helpdesk/reports?month=__proto__",
    file: "app/helpdesk/reports/page.tsx",
    url: () => ({ path: "/helpdesk/reports?month=__proto__", params: {}, searchParams: { month: "__proto__" } }),
    // The helpdesk gets the list back with the field's message (tests/integration/sla/report.test.ts).
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
  },
  {
    // Not a month: the helpdesk is told so (never a 500); anyone else still learns nothing.
    route: "/helpdesk/reports/[month] (2026-13)",
    file: "app/helpdesk/reports/[month]/page.tsx",
    url: () => ({ path: "/helpdesk/reports/2026-13", params: { month: "2026-13" } }),
    expected: signedIn((who) => (who === "helpdesk" ? "ok" : "404")),
    shows: (_who, text) => expect(text).toContain("There is no report for that month"),
  },
  {
    route: "/helpdesk/reports/[month]/csv (2026-13)",
    file: "app/helpdesk/reports/[month]/csv/route.ts",
    url: () => ({ path: "/helpdesk/reports/2026-13/csv", params: { month: "2026-13" } }),
    expected: everyone("404"),
  },
  {
    // A Supplier's own obligation statistics; the helpdesk has the dashboard instead.
    route: "/performance",
    file: "app/performance/page.tsx",
    url: () => ({ path: "/performance", params: {} }),
    expected: signedIn((who) => (who === "helpdesk" ? "redirect:/helpdesk" : "ok")),
    shows: (who, text, f) => expect(text).toContain(`Performance of ${f.organisationName[who]}`),
  },
  {
    // Any user of a Supplier manages its endpoints (issue 11 will keep it to administrators); the
    // helpdesk is told it has none. Each organisation sees only its own.
    route: "/settings/webhooks",
    file: "app/settings/webhooks/page.tsx",
    url: () => ({ path: "/settings/webhooks", params: {} }),
    expected: signedIn(() => "ok"),
    shows: (who, text, f) => {
      if (who === "helpdesk") {
        expect(text).toContain("The DCC Helpdesk is neither, so it has no webhooks");
        expect(text).not.toContain("Add an endpoint");
        return;
      }
      expect(text).toContain("Add an endpoint");
      if (who === "raiser") expect(text).toContain(f.webhookUrl);
      else expect(text).not.toContain(f.webhookUrl);
    },
  },
  ...PEOPLE_ROUTES,
  ...EMAIL_CHANGE_ROUTES,
  ...SEARCH_ROUTES,
];

/** Pages and route handlers that exist under app/, as paths relative to the project. */
function routeFiles(dir = "app"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return routeFiles(full);
    return /^(page|route)\.(tsx?|jsx?|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** Files under app/ that declare server actions. */
function serverActionFiles(dir = "app"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return serverActionFiles(full);
    if (!/\.(tsx?|jsx?|mjs)$/.test(entry.name)) return [];
    return /^\s*["']use server["']/m.test(readFileSync(full, "utf8")) ? [full] : [];
  });
}

/** Components that only lay out the data they are given (no hooks), rendered into the text too. */
const DISPLAY_COMPONENTS = new Set<unknown>([RequestTable, ApiKeyTable, WebhookEndpointList, ProcessSteps, DeviceId, RequestActionPage]);

/** The visible text of a rendered page's element tree (the page's own markup and its tables'). */
function textOf(node: unknown): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (typeof node === "object" && "props" in node) {
    const element = node as { type?: unknown; props: { children?: unknown } };
    if (DISPLAY_COMPONENTS.has(element.type)) return textOf((element.type as (props: unknown) => unknown)(element.props));
    return textOf(element.props.children);
  }
  return "";
}

/** The props of the first element in the tree that has a prop of this name (e.g. the header's user). */
function findProps(node: unknown, name: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) return node.map((child) => findProps(child, name)).find(Boolean);
  if (node === null || typeof node !== "object" || !("props" in node)) return undefined;
  const props = (node as { props: Record<string, unknown> }).props;
  if (name in props) return { [name]: props[name] };
  return findProps(props.children, name);
}

type NextError = { digest?: unknown };

/** What a thrown redirect() or notFound() means to the browser; anything else is rethrown (a 500). */
function fromThrown(error: unknown, path: string): Outcome {
  const digest = (error as NextError)?.digest;
  if (typeof digest === "string") {
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "404";
    if (digest.startsWith("NEXT_REDIRECT;")) return fromLocation(digest.split(";").slice(2, -2).join(";"), path);
  }
  throw error;
}

function fromLocation(location: string, path: string): Outcome {
  if (location === `/sign-in?callbackUrl=${encodeURIComponent(path)}`) return "sign-in";
  return `redirect:${location}`;
}

async function callRoute(row: RouteRow, url: ReturnType<RouteRow["url"]>, token: string | null): Promise<{ outcome: Outcome; tree?: unknown }> {
  const mod = (await import(/* @vite-ignore */ path.resolve(row.file))) as {
    default?: (props: unknown) => unknown;
    GET?: (request: NextRequest, context: unknown) => Promise<Response>;
    POST?: (request: NextRequest, context: unknown) => Promise<Response>;
    PUT?: (request: NextRequest, context: unknown) => Promise<Response>;
    DELETE?: (request: NextRequest, context: unknown) => Promise<Response>;
  };
  const props = { params: Promise.resolve(url.params), searchParams: Promise.resolve(url.searchParams ?? {}) };
  try {
    if (row.file.endsWith(`/page.tsx`)) {
      const tree = await mod.default!(props);
      return { outcome: "ok", tree };
    }
    const cookie = token ? `${sessionCookieName()}=${token}` : "";
    const method = row.method ?? "GET";
    const response = await mod[method]!(new NextRequest(`${env().appUrl}${url.path}`, { method, headers: { cookie, "x-forwarded-for": request.forwardedFor, ...row.headers } }), {
      params: Promise.resolve(url.params),
    });
    if (response.status === 200) return { outcome: "ok" };
    if (response.status === 404) return { outcome: "404" };
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, env().appUrl);
      return { outcome: fromLocation(target.pathname + target.search, url.path) };
    }
    return { outcome: `status:${response.status}` };
  } catch (error) {
    return { outcome: fromThrown(error, url.path) };
  }
}

/** The page's <title> (before the layout's template), as its metadata or generateMetadata says. */
async function pageTitle(row: RouteRow, url: ReturnType<RouteRow["url"]>): Promise<unknown> {
  const mod = (await import(/* @vite-ignore */ path.resolve(row.file))) as {
    metadata?: { title?: unknown };
    generateMetadata?: (props: unknown) => Promise<{ title?: unknown }>;
  };
  const props = { params: Promise.resolve(url.params), searchParams: Promise.resolve(url.searchParams ?? {}) };
  if (mod.generateMetadata) return (await mod.generateMetadata(props)).title;
  return mod.metadata?.title;
}

describe(`authorization of every page, route and server action (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;
  let fixture: Fixture;
  let mole: { email: string };
  let forger: { email: string };

  /** A new session for `who` (a refused one is deleted when read, so each case needs its own). */
  async function sessionFor(who: Who): Promise<string | null> {
    const email: Record<Who, string | null> = {
      raiser: people.alice.email,
      assignee: people.bob.email,
      third: people.erin.email,
      helpdesk: people.dana.email,
      mismatched: mole.email,
      forged: forger.email,
      anonymous: null,
      expired: people.alice.email,
    };
    const address = email[who];
    if (!address) return null;
    const user = await db().user.findUniqueOrThrow({ where: { email: address } });
    const now = Date.now();
    // Expired: idle past the timeout, well inside the absolute lifetime.
    const createdAt = new Date(who === "expired" ? now - (env().sessionIdleMinutes + 10) * 60_000 : now);
    const expires = new Date(who === "expired" ? now - 60_000 : now + env().sessionIdleMinutes * 60_000);
    const token = `authz-${who}-${Math.random().toString(36).slice(2)}`;
    await db().session.create({ data: { sessionToken: hashSessionToken(token), userId: user.id, createdAt, lastSeenAt: createdAt, expires } });
    return token;
  }

  /** The Actor a signed-in caller acts as; the others have none. */
  function actorOf(who: Who): Actor | undefined {
    return ({ raiser: people.alice, assignee: people.bob, third: people.erin, helpdesk: people.dana } as Partial<Record<Who, Actor>>)[who];
  }

  async function actAs(who: Who, path: string): Promise<string | null> {
    const token = await sessionFor(who);
    request.cookies = new Map(token ? [[sessionCookieName(), token]] : []);
    request.path = path;
    return token;
  }

  beforeAll(async () => {
    people = await openSeededDatabase();
    // A database that lost its guards: HELPDESK roles stored on users of a Supplier organisation
    // (Northwind, the raiser of every request here, so that power leaking from either side would
    // show). The CHECK alone kept out the first; the composite foreign key the second, whose
    // recorded organisation kind is HELPDESK too and so matches no organisation at all.
    await db().$executeRawUnsafe(`ALTER TABLE "User" DROP CONSTRAINT "User_role_matches_organisation_kind"`);
    await db().$executeRawUnsafe(`ALTER TABLE "User" DROP CONSTRAINT "User_organisationId_organisationKind_fkey"`);
    const nwe = await db().organisation.findUniqueOrThrow({ where: { code: "NWE" } });
    mole = await db().user.create({
      data: { email: "mole@northwind.example", name: "Mole", role: "HELPDESK", organisationId: nwe.id, organisationKind: "SUPPLIER" },
      select: { email: true },
    });
    forger = await db().user.create({
      data: { email: "forger@northwind.example", name: "Forger", role: "HELPDESK", organisationId: nwe.id, organisationKind: "HELPDESK" },
      select: { email: true },
    });

    const answered = (await raiseAndProvide(people.alice, people.bob, LABEL_CODE)).reference;
    const reassigned = (await raiseAndProvide(people.alice, people.bob, LABEL_CODE)).reference;
    await reassignRequest(people.dana, { reference: reassigned, organisationCode: "EGP", reason: "Eastgate installed it" });
    await dispatcherIdle();
    const email = await db().email.findFirstOrThrow({ select: { id: true } });
    // An email to Eastgate about the reassigned request that the portal gave up on.
    const { id: reassignedId } = await requestRow(reassigned);
    await transaction(async (tx) => {
      const failed = await queueEmail(tx, { to: people.erin.email, email: { subject: `Request ${reassigned} reassigned to you`, text: "t", html: "h" }, category: "ANSWER", about: reassignedId, organisationId: people.erin.organisationId, userId: people.erin.userId });
      await markEmailFailed(tx, { id: failed.id, to: people.erin.email, organisationId: people.erin.organisationId, requestId: reassignedId, requestIds: [] }, new Error("550 5.1.1 mailbox unavailable"), new Date());
    });
    const apiKeys = {} as Fixture["apiKeys"];
    for (const organisation of KEY_ORGANISATIONS) {
      const name = `${organisation} reporting system`;
      apiKeys[organisation] = { prefix: (await createApiKey({ organisationCode: organisation, name })).summary.prefix, name };
    }
    // Breaches only (none happen here): nothing is ever posted to it.
    const { endpoint } = await createWebhookEndpoint(people.alice, { url: "https://hooks.northwind.example/install-codes", events: ["request.breached"] });
    const lodgedDevice = await addDevice("SFP");
    await lodgeInstallCode(people.bob, { deviceId: lodgedDevice, installCode: LABEL_CODE });
    fixture = {
      webhookUrl: endpoint.url,
      lodgedDevice,
      answered,
      reassigned,
      emailId: email.id,
      organisationName: {
        raiser: people.alice.organisationName,
        assignee: people.bob.organisationName,
        third: people.erin.organisationName,
        helpdesk: people.dana.organisationName,
        mismatched: null,
        forged: null,
        anonymous: null,
        expired: null,
      },
      apiKeys,
    };
  });
  afterEach(() => {
    mailServer.smtpUrl = undefined;
    mailServer.realDeployment = false;
  });
  afterAll(closeSeededDatabase);

  describe("pages and route handlers", () => {
    it("lists every page and route handler under app/ (a new one must be added to the table)", () => {
      const inTable = new Set(ROUTES.map((r) => r.file));
      const onDisk = routeFiles();
      expect(onDisk.filter((file) => !inTable.has(file) && !NOT_IN_THE_TABLE.has(file))).toEqual([]);
      // A row whose file is gone is a route that was renamed: only the audit routes may be missing.
      expect([...inTable].filter((file) => !existsSync(file) && !NOT_YET_IN_THIS_TREE.has(file))).toEqual([]);
      for (const file of NOT_IN_THE_TABLE) expect(existsSync(file), file).toBe(true);
      // Every page of one request has a row where a Supplier that is no party to it gets 404.
      // (The API's are reached with keys, not sessions: tests/integration/api/authorization.test.ts.)
      for (const file of onDisk.filter((f) => f.includes("[reference]") && !f.startsWith("app/api/v1/"))) {
        const strangerRow = ROUTES.find((r) => r.file === file && r.url(fixture).path.includes(fixture.answered) && r.expected.third === "404");
        expect(strangerRow, file).toBeDefined();
      }
    });

    it("runs in demo mode's mail rule: no SMTP_URL, so the development mailbox exists", () => {
      // The mailbox rows above assume it; if a test set-up ever sets SMTP_URL they must be re-read.
      expect(env().smtpUrl).toBeUndefined();
      expect(mailboxEnabled()).toBe(true);
      mailServer.smtpUrl = "smtp://mail.example:587";
      expect(mailboxEnabled()).toBe(false);
    });

    const cases = ROUTES.filter((row) => existsSync(row.file)).flatMap((row) => WHO.map((who) => [row.route, DESCRIBED[who], row.expected[who], row, who] as const));

    it.each(cases)("%s as %s: %s", async (_route, _described, expected, row, who) => {
      const url = row.url(fixture);
      const token = await actAs(who, url.path);
      if (row.mailServer || row.realDeployment) {
        await dispatcherIdle();
        mailServer.smtpUrl = "smtp://mail.example:587";
        mailServer.realDeployment = Boolean(row.realDeployment);
      }
      const undo = row.around ? await row.around() : undefined;
      let result: Awaited<ReturnType<typeof callRoute>>;
      let title: unknown;
      try {
        result = await callRoute(row, url, token);
        if (row.file.endsWith("/page.tsx") && (result.outcome === "ok" || result.outcome === "404")) title = await pageTitle(row, url);
      } finally {
        await undo?.();
      }
      const { outcome, tree } = result;
      expect(outcome).toBe(expected);
      // The tab's title of a 404 says so, and names nothing the page would not show (issue 13, part 6).
      if (row.file.endsWith("/page.tsx") && outcome === "404") expect(title).toBe(NOT_FOUND_TITLE);
      if (row.file.endsWith("/page.tsx") && outcome === "ok") expect(title).not.toBe(NOT_FOUND_TITLE);
      if (outcome === "ok" && row.shows && tree !== undefined) row.shows(who, textOf(tree), fixture);
    });
  });

  describe("the root layout, around every page", () => {
    it.each(WHO.map((who) => [DESCRIBED[who], who] as const))("names the person signed in, and nobody else, as %s", async (_described, who) => {
      await actAs(who, "/");
      const { default: RootLayout } = await import("@/app/layout");
      const tree = await RootLayout({ children: null });
      const header = findProps(tree, "user");
      const person = actorOf(who);
      // Only the helpdesk is offered the audit log; only its administrators (dana is one) the organisations.
      expect(header).toEqual({
        user: person ? { name: person.name, email: person.email, organisationName: person.organisationName, helpdesk: who === "helpdesk", organisations: who === "helpdesk" } : null,
      });
    });
  });

  describe("server actions", () => {
    type Act = (typeof ACTIONS)[number];
    const ACTIONS = [
      "raiseRequestAction",
      "bulkRaiseAction",
      "addNoteAction",
      "provideInstallCodeAction",
      "revealInstallCodeAction",
      "closeRequestAction",
      "withdrawRequestAction",
      "reassignRequestAction",
      "declineRequestAction",
      "closeNotPossibleAction",
    ] as const satisfies readonly (keyof typeof actions)[];

    /** ok: the success state; raised: sent to the new request's page; refused:<message>; not-found. */
    type ActionOutcome = "ok" | "raised" | "not-found" | "sign-in" | `refused:${string}`;

    const PROVIDE_REFUSED = "refused:Only the organisation this request is assigned to can provide the Install Code";
    const REVEAL_REFUSED = "refused:Only the organisation that raised this request and the organisation that gave this Install Code can see it";
    const CLOSE_REFUSED = "refused:Only the organisation that raised this request can close it";
    const WITHDRAW_REFUSED = "refused:Only the organisation that raised this request can withdraw it";
    const REASSIGN_REFUSED = "refused:Only the DCC Helpdesk can reassign a request";
    const DECLINE_REFUSED = "refused:Only the organisation this request is assigned to can decline it";
    const CLOSE_NOT_POSSIBLE_REFUSED = "refused:Only the DCC Helpdesk can close a request as not possible";

    const onRequest = (outcome: (who: Who) => ActionOutcome): Record<Who, ActionOutcome> =>
      Object.fromEntries(WHO.map((who) => [who, SIGNED_OUT.includes(who) ? "sign-in" : who === "third" ? "not-found" : outcome(who)])) as Record<
        Who,
        ActionOutcome
      >;

    type Subject = { reference: string; codeId: string; deviceId: string };
    /** The file /requests/bulk's form uploads. */
    const csvFile = (content: string) => new File([content], "devices.csv", { type: "text/csv" });
    type Settled = Awaited<ReturnType<typeof settle>>;
    type Snapshot = Awaited<ReturnType<typeof snapshot>>;

    const TABLE: Record<
      Act,
      {
        form: (s: Subject) => Record<string, string | File>;
        expected: Record<Who, ActionOutcome>;
        /** The request an allowed call gets (an answered one unless the action needs another state). */
        subject?: () => Promise<Subject>;
        /** An allowed call's answer: its form state, or where it sent the browser (redirect:<path>). */
        success?: (result: Settled, s: Subject) => void;
        /** What an allowed call changed, seen from the database. */
        changed: (before: Snapshot, after: Snapshot, s: Subject, actor: Actor, result: Settled) => Promise<void> | void;
      }
    > = {
      raiseRequestAction: {
        form: (s) => ({ deviceId: s.deviceId, note: "Consumer switched to us before commissioning" }),
        expected: Object.fromEntries(
          WHO.map((who) => [who, SUPPLIERS.includes(who) ? "raised" : who === "helpdesk" ? "refused:Only Supplier users can raise a Request for Install Code" : "sign-in"]),
        ) as Record<Who, ActionOutcome>,
        changed: async (before, after, s, actor, result) => {
          expect(after.requests).toBe(before.requests + 1);
          const raised = await db().installCodeRequest.findFirstOrThrow({ where: { deviceId: s.deviceId } });
          expect(raised.raisingOrganisationId).toBe(actor.organisationId);
          expect(result.outcome).toBe(`redirect:/requests/${formatReference(raised.number)}?raised=1`);
        },
      },
      bulkRaiseAction: {
        form: (s) => ({ file: csvFile(`device_id,note\n${s.deviceId},Consumer switched to us before commissioning\n`) }),
        expected: Object.fromEntries(
          WHO.map((who) => [who, SUPPLIERS.includes(who) ? "ok" : who === "helpdesk" ? "refused:Only Supplier users can raise a Request for Install Code" : "sign-in"]),
        ) as Record<Who, ActionOutcome>,
        success: (result) => expect(result.state).toMatchObject({ ok: true, message: "1 raised, 0 already open, 0 refused" }),
        changed: async (before, after, s, actor, result) => {
          expect(after.requests).toBe(before.requests + 1);
          const raised = await db().installCodeRequest.findFirstOrThrow({ where: { deviceId: s.deviceId } });
          expect(raised.raisingOrganisationId).toBe(actor.organisationId);
          const state = result.state as actions.BulkRaiseState;
          expect(state.result?.rows).toEqual([{ row: 1, deviceId: s.deviceId, outcome: "raised", reference: formatReference(raised.number), detail: "The note was added to it" }]);
          expect(state.result?.csv).toContain(`${s.deviceId},raised,${formatReference(raised.number)}`);
        },
      },
      addNoteAction: {
        form: (s) => ({ reference: s.reference, body: "Any news?" }),
        expected: onRequest(() => "ok"),
        success: (result, s) => expect(result.outcome).toBe(`redirect:/requests/${s.reference}?done=note-added`),
        changed: (before, after) => expect(after.notes).toBe(before.notes + 1),
      },
      provideInstallCodeAction: {
        form: (s) => ({ reference: s.reference, installCode: NEW_CODE }),
        expected: onRequest((who) => (who === "assignee" ? "ok" : PROVIDE_REFUSED)),
        // A first answer (replacing one asks why: tests/integration/requests/lifecycle.test.ts).
        subject: async () => ({ ...(await raiseFresh(people.alice, "SFP")), codeId: "" }),
        success: (result, s) => expect(result.outcome).toBe(`redirect:/requests/${s.reference}?done=code-provided`),
        changed: (before, after) => expect(after.installCodes).toBe(before.installCodes + 1),
      },
      revealInstallCodeAction: {
        form: (s) => ({ reference: s.reference, codeId: s.codeId }),
        expected: onRequest((who) => (who === "raiser" || who === "assignee" ? "ok" : REVEAL_REFUSED)),
        success: (result) => expect(result.state).toEqual({ ok: true, installCode: BARE_CODE }),
        changed: (before, after) => expect(after.reveals).toBe(before.reveals + 1),
      },
      closeRequestAction: {
        form: (s) => ({ reference: s.reference }),
        expected: onRequest((who) => (who === "raiser" ? "ok" : CLOSE_REFUSED)),
        success: (result, s) => expect(result.outcome).toBe(`redirect:/requests/${s.reference}?done=closed`),
        changed: (_before, after) => expect(after.request?.status).toBe("CLOSED"),
      },
      withdrawRequestAction: {
        form: (s) => ({ reference: s.reference, reason: "RAISED_IN_ERROR", detail: "" }),
        expected: onRequest((who) => (who === "raiser" ? "ok" : WITHDRAW_REFUSED)),
        // Withdrawn before any answer: a request not answered yet.
        subject: async () => ({ ...(await raiseFresh(people.alice, "SFP")), codeId: "" }),
        success: (result, s) => expect(result.outcome).toBe(`redirect:/requests/${s.reference}?done=withdrawn`),
        changed: (before, after) => {
          expect(after.request).toMatchObject({ status: "CLOSED", withdrawReason: "RAISED_IN_ERROR", withdrawDetail: null });
          expect(after.emails).toBeGreaterThan(before.emails);
        },
      },
      reassignRequestAction: {
        form: (s) => ({ reference: s.reference, organisationCode: "EGP", reason: "Eastgate installed it" }),
        expected: onRequest((who) => (who === "helpdesk" ? "ok" : REASSIGN_REFUSED)),
        success: (result, s) => expect(result.outcome).toBe(`redirect:/requests/${s.reference}?done=reassigned`),
        changed: async (_before, after) => {
          const egp = await db().organisation.findUniqueOrThrow({ where: { code: "EGP" } });
          expect(after.request?.assignedOrganisationId).toBe(egp.id);
        },
      },
      declineRequestAction: {
        form: (s) => ({ reference: s.reference, reason: "NOT_PRE_NOTIFIED", detail: "" }),
        expected: onRequest((who) => (who === "assignee" ? "ok" : DECLINE_REFUSED)),
        // A decline is instead of an answer: a request not answered yet.
        subject: async () => ({ ...(await raiseFresh(people.alice, "SFP")), codeId: "" }),
        success: (result, s) => expect(result.outcome).toBe(`redirect:/requests/${s.reference}?done=declined`),
        changed: (before, after) => {
          expect(after.request).toMatchObject({ status: "DECLINED", declineReason: "NOT_PRE_NOTIFIED", declineDetail: null });
          expect(after.audit).toBe(before.audit + 1);
          expect(after.emails).toBeGreaterThan(before.emails);
        },
      },
      closeNotPossibleAction: {
        form: (s) => ({ reference: s.reference, reason: "No Supplier holds this Device's Install Code" }),
        expected: onRequest((who) => (who === "helpdesk" ? "ok" : CLOSE_NOT_POSSIBLE_REFUSED)),
        // Only a declined request can be closed as not possible.
        subject: async () => {
          const raised = await raiseFresh(people.alice, "SFP");
          await declineRequest(people.bob, { reference: raised.reference, reason: "ALREADY_COMMISSIONED" });
          return { ...raised, codeId: "" };
        },
        success: (result, s) => expect(result.outcome).toBe(`redirect:/requests/${s.reference}?done=closed-not-possible`),
        changed: (_before, after) => expect(after.request).toMatchObject({ status: "CLOSED", notPossibleReason: "No Supplier holds this Device's Install Code" }),
      },
    };

    async function snapshot(reference: string | null) {
      await dispatcherIdle();
      return {
        requests: await db().installCodeRequest.count(),
        events: await db().requestEvent.count({ where: { type: { not: "EMAIL_SENT" } } }),
        reveals: await db().requestEvent.count({ where: { type: "INSTALL_CODE_REVEALED" } }),
        notes: await db().note.count(),
        installCodes: await db().installCode.count(),
        emails: await db().email.count(),
        audit: await db().auditEvent.count(),
        request: reference ? await requestRow(reference) : null,
      };
    }

    function formOf(fields: Record<string, string | File>): FormData {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      return form;
    }

    /** A server action's answer as the browser gets it. */
    async function settle(work: Promise<unknown>, path: string): Promise<{ state?: FormState & { installCode?: string }; outcome?: Outcome }> {
      try {
        return { state: (await work) as FormState };
      } catch (error) {
        return { outcome: fromThrown(error, path) };
      }
    }

    function classify(result: Settled): ActionOutcome | string {
      if (result.outcome === "sign-in") return "sign-in";
      if (result.outcome?.startsWith("redirect:")) {
        if (/^redirect:\/requests\/RIC\d{7,12}\?raised=1$/.test(result.outcome)) return "raised";
        // A change done: back to the request page, whose banner says what was done.
        return /^redirect:\/requests\/RIC\d{7,12}\?done=[a-z-]+$/.test(result.outcome) ? "ok" : result.outcome;
      }
      if (result.outcome) return result.outcome;
      const state = result.state!;
      if (state.ok === true) return "ok";
      if (state.message === NOT_FOUND_MESSAGE) return "not-found";
      return `refused:${state.message}`;
    }

    let shared: Subject;

    /** A request raised by Alice for a Device pre-notified by Southfield, and answered by Bob. */
    async function answeredRequest(): Promise<Subject> {
      const { reference, deviceId } = await raiseAndProvide(people.alice, people.bob, LABEL_CODE);
      const { id } = await requestRow(reference);
      const code = await db().installCode.findFirstOrThrow({ where: { requestId: id }, select: { id: true } });
      return { reference, codeId: code.id, deviceId };
    }

    beforeAll(async () => {
      shared = await answeredRequest();
    });

    it("lists every server action under app/ (a new one must be added to the table)", () => {
      expect(serverActionFiles().sort()).toEqual(
        [
          "app/admin/organisations/actions.ts",
          "app/devices/lodge/actions.ts",
          "app/helpdesk/emails/actions.ts",
          "app/requests/actions.ts",
          "app/settings/api-keys/actions.ts",
          "app/settings/notifications/actions.ts",
          "app/settings/webhooks/actions.ts",
          // Issue 11's people pages.
          "app/invitations/accept/actions.ts",
          "app/profile/actions.ts",
          "app/settings/users/actions.ts",
          // Issue 11's own email change.
          "app/profile/confirm-email/actions.ts",
        ].sort(),
      );
      const exported = Object.entries(actions)
        .filter(([, value]) => typeof value === "function")
        .map(([name]) => name)
        .sort();
      expect(exported).toEqual([...ACTIONS].sort());
    });

    const cases = ACTIONS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], TABLE[name].expected[who], who] as const));

    it.each(cases)("%s as %s: %s", async (name, _described, expected, who) => {
      const row = TABLE[name];
      const allowed = expected === "ok" || expected === "raised";
      // An allowed change gets a request of its own, so that no case depends on another's order.
      const subject = allowed ? await (row.subject ?? answeredRequest)() : { ...shared };
      if (name === "raiseRequestAction" || name === "bulkRaiseAction") subject.deviceId = await addDevice(who === "assignee" ? "NWE" : "SFP");
      const path = name === "raiseRequestAction" ? "/requests/new" : name === "bulkRaiseAction" ? "/requests/bulk" : `/requests/${subject.reference}`;
      await actAs(who, path);
      const before = await snapshot(subject.reference);

      const action = actions[name] as (state: FormState, form: FormData) => Promise<unknown>;
      const result = await settle(action({}, formOf(row.form(subject))), path);
      expect(classify(result)).toBe(expected);

      const after = await snapshot(subject.reference);
      if (allowed) {
        if (expected === "ok") row.success?.(result, subject);
        await row.changed(before, after, subject, actorOf(who)!, result);
      } else {
        // A refusal changes nothing: no row, event, note, code, email or audit entry.
        expect(after).toEqual(before);
      }
    });

    describe("any input gives a success or a form error with a message, never a 500", () => {
      const NAMES: Record<Act, readonly string[]> = {
        raiseRequestAction: ["deviceId", "note"],
        bulkRaiseAction: ["file"],
        addNoteAction: ["reference", "body"],
        provideInstallCodeAction: ["reference", "installCode", "reason"],
        revealInstallCodeAction: ["reference", "codeId"],
        closeRequestAction: ["reference"],
        withdrawRequestAction: ["reference", "reason", "detail"],
        reassignRequestAction: ["reference", "organisationCode", "reason"],
        declineRequestAction: ["reference", "reason", "detail"],
        closeNotPossibleAction: ["reference", "reason"],
      };
      // Alice, and for the actions she may not take the party that does get past the permission
      // check, so that the input reaches everything behind it (look-ups, the database).
      const CALLERS: Record<Act, readonly Who[]> = {
        raiseRequestAction: ["raiser"],
        bulkRaiseAction: ["raiser"],
        addNoteAction: ["raiser"],
        provideInstallCodeAction: ["raiser", "assignee"],
        revealInstallCodeAction: ["raiser"],
        closeRequestAction: ["raiser"],
        withdrawRequestAction: ["raiser", "assignee"],
        reassignRequestAction: ["raiser", "helpdesk"],
        declineRequestAction: ["raiser", "assignee"],
        closeNotPossibleAction: ["raiser", "helpdesk"],
      };

      /** What the page's own form would send in this field (the upload: as text, see valueFor). */
      function good(name: string, s: Subject): string {
        const values: Record<string, string> = {
          reference: s.reference,
          deviceId: s.deviceId,
          note: "Consumer switched to us before commissioning",
          body: "Any news?",
          installCode: NEW_CODE,
          codeId: s.codeId,
          file: `device_id,note\n${s.deviceId},Consumer switched to us before commissioning\n`,
          organisationCode: "EGP",
          reason: "Eastgate installed it",
          detail: "We sold the meter to Eastgate",
        };
        return values[name]!;
      }

      type Value = { text: string } | { file: string; content: string } | null;
      const HOSTILE_CHARACTERS = ["\u0000", "\u0007", "\u001b", "\u007f", "\u200b", "\ufeff", "\ud800", "😀", "\r\n", "%00", "'", '"', "\\"];

      const anyText = fc.oneof(
        fc.string(),
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.string({ unit: "grapheme", maxLength: 50 }),
        fc.string({ unit: fc.constantFrom(...HOSTILE_CHARACTERS, "a", " "), maxLength: 40 }),
        fc.tuple(fc.constantFrom("a", "é", "\u0000", "😀", "0", "RIC", " ", "<script>"), fc.integer({ min: 1000, max: 10_000 })).map(([c, n]) => c.repeat(Math.ceil(n / c.length)).slice(0, n)),
      );

      /** The form's own value with one hostile character slipped in, so that it gets past the easy checks. */
      const spoiled = (value: string) =>
        fc.tuple(fc.constantFrom(...HOSTILE_CHARACTERS), fc.nat({ max: value.length })).map(([c, at]) => value.slice(0, at) + c + value.slice(at));

      /** The upload goes as a file (its text, spoiled or not, as the file's content). */
      const as = (name: string) => (text: string): Value => (name === "file" ? { file: "devices.csv", content: text } : { text });
      const valueFor = (name: string, s: Subject): fc.Arbitrary<Value> =>
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(good(name, s)).map(as(name)) },
          { weight: 3, arbitrary: spoiled(good(name, s)).map(as(name)) },
          { weight: 2, arbitrary: anyText.map((text) => ({ text })) },
          { weight: 1, arbitrary: fc.constantFrom(UNKNOWN_REFERENCE, s.reference.toLowerCase(), ` ${s.reference} `, "NWE", "DCC", LABEL_CODE, DEMO_DEVICES.eligibleFromSouthfield, DEMO_DEVICES.commissioned, `The code is ${BARE_CODE}`).map((text) => ({ text })) },
          { weight: 1, arbitrary: fc.record({ file: fc.string({ maxLength: 20 }), content: fc.string({ maxLength: 50 }) }) },
          { weight: 1, arbitrary: fc.constant(null) },
        );

      /** A whole form: each field (or none), then or before it stray fields, duplicates and prototype names. */
      const formFor = (name: Act, s: Subject) =>
        fc
          .tuple(
            fc.tuple(...NAMES[name].map((field) => valueFor(field, s).map((value) => [field, value] as [string, Value]))),
            fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES[name], "__proto__", "constructor", "toString", "prototype", ""), fc.string()), valueFor(NAMES[name][0]!, s)), { maxLength: 3 }),
            fc.boolean(),
          )
          .map(([fields, extra, extraFirst]) => (extraFirst ? [...extra, ...fields] : [...fields, ...extra]));

      /** Every field of the form in turn made hostile, the others as the page sends them. */
      function oneBadFieldAtATime(name: Act, s: Subject): [string, Value][][] {
        const bad: Value[] = [
          null,
          { text: "" },
          { text: "\u0000" },
          { text: `${good("reference", s)}\u0000` },
          { text: "__proto__" },
          { text: "x".repeat(10_000) },
          { text: "😀".repeat(5_000) },
          { file: "code.txt", content: NEW_CODE },
        ];
        const forms = NAMES[name].flatMap((field) =>
          bad.map((value) => NAMES[name].map((other) => [other, other === field ? value : { text: good(other, s) }] as [string, Value])),
        );
        forms.push(NAMES[name].map((field) => [field, { text: `${good(field, s)}\u0000` }]));
        forms.push([["__proto__", { text: "x" }], ["constructor", { text: "x" }]]);
        return forms;
      }

      function buildForm(entries: [string, Value][]): FormData {
        const form = new FormData();
        for (const [name, value] of entries) {
          if (value === null) continue;
          if ("text" in value) form.append(name, value.text);
          else form.append(name, new File([value.content], value.file, { type: "text/plain" }));
        }
        return form;
      }

      it.each([...ACTIONS])("%s", async (name) => {
        const subject = await answeredRequest();
        subject.deviceId = await addDevice("SFP");
        const tokens = new Map<Who, string>();
        for (const who of CALLERS[name]) tokens.set(who, (await sessionFor(who))!);
        const path = name === "raiseRequestAction" ? "/requests/new" : name === "bulkRaiseAction" ? "/requests/bulk" : `/requests/${subject.reference}`;
        const action = actions[name] as (state: FormState, form: FormData) => Promise<unknown>;
        const examples = CALLERS[name].flatMap((who) => oneBadFieldAtATime(name, subject).map((entries) => [who, entries] as [Who, [string, Value][]]));

        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...CALLERS[name]), formFor(name, subject), async (who, entries) => {
            request.cookies = new Map([[sessionCookieName(), tokens.get(who)!]]);
            request.path = path;
            const result = await settle(action({}, buildForm(entries)), path);
            if (result.outcome !== undefined) {
              // The only redirects: to the request raised (or already had), or back to the request
              // acted on, its banner saying what was done.
              if (name === "raiseRequestAction") expect(result.outcome).toMatch(/^redirect:\/requests\/RIC\d{7,12}\?(raised=1|existing=1|existing=1&noteAdded=1)$/);
              else expect(result.outcome).toMatch(new RegExp(`^redirect:/requests/${subject.reference}\\?done=[a-z-]+$`));
              return;
            }
            const state = result.state!;
            if (state.ok === true) return;
            expect(state.ok).toBe(false);
            expect(typeof state.message).toBe("string");
            expect(state.message!.trim()).not.toBe("");
            for (const messages of Object.values(state.fieldErrors ?? {})) {
              expect(messages.length).toBeGreaterThan(0);
              for (const message of messages) expect(message.trim()).not.toBe("");
            }
          }),
          { numRuns: 30 + examples.length, examples },
        );
      });
    });

    describe("the lodge page's actions (/devices/lodge)", () => {
      type LodgeAct = (typeof LODGE_ACTIONS)[number];
      const LODGE_ACTIONS = ["lodgeInstallCodeAction", "lodgeCsvAction", "withdrawLodgedInstallCodeAction"] as const satisfies readonly (keyof typeof lodgeActions)[];
      const PATH = "/devices/lodge";
      /** ok: the success state; withdrawn: sent back to the page saying so; refused:<message>. */
      type LodgeOutcome = "ok" | "withdrawn" | "sign-in" | `refused:${string}`;
      const notPreNotified = (deviceId: string) =>
        `refused:Device ${deviceId} was not pre-notified by your organisation: only the Supplier that pre-notified a Device can lodge its Install Code` as const;
      const bySupplier = (outcome: (who: Who, deviceId: string) => LodgeOutcome) => (who: Who, deviceId: string): LodgeOutcome =>
        SIGNED_OUT.includes(who) ? "sign-in" : who === "helpdesk" ? `refused:${ONLY_SUPPLIERS_MESSAGE}` : outcome(who, deviceId);

      const lodgedCount = (deviceId: string) => db().lodgedInstallCode.count({ where: { deviceId } });
      async function lodgeSnapshot() {
        await dispatcherIdle();
        return { lodged: await db().lodgedInstallCode.count(), audit: await db().auditEvent.count(), emails: await db().email.count(), events: await db().requestEvent.count() };
      }

      const csvFile = (deviceId: string) => new File([`device_id,install_code\n${deviceId},${LABEL_CODE}\n`], "codes.csv", { type: "text/csv" });

      const TABLE: Record<
        LodgeAct,
        {
          form: (deviceId: string) => FormData;
          /** The Device: a fresh one pre-notified by SFP, with Bob's code lodged already for a withdrawal. */
          lodged: boolean;
          expected: (who: Who, deviceId: string) => LodgeOutcome;
          /** What an "ok" or a redirect changed, and what a Supplier's "ok" without rights left alone. */
          check: (who: Who, deviceId: string, state: unknown) => Promise<void>;
        }
      > = {
        lodgeInstallCodeAction: {
          form: (deviceId) => formOf({ deviceId, installCode: LABEL_CODE }),
          lodged: false,
          expected: bySupplier((who, deviceId) => (who === "assignee" ? "ok" : notPreNotified(deviceId))),
          check: async (_who, deviceId, state) => {
            expect(state).toEqual({ ok: true, message: `Install Code lodged for Device ${deviceId}: •••••••• (32 hexadecimal digits, hidden). A request raised for it will be answered at once.` });
            expect(await lodgedCount(deviceId)).toBe(1);
          },
        },
        lodgeCsvAction: {
          form: (deviceId) => {
            const form = new FormData();
            form.append("file", csvFile(deviceId));
            return form;
          },
          lodged: false,
          // A file is answered row by row: another Supplier's rows are refused in the result, not the call.
          expected: bySupplier(() => "ok"),
          check: async (who, deviceId, state) => {
            const summary = (state as { summary: { counts: unknown; rows: { reason?: string }[] } }).summary;
            if (who === "assignee") {
              expect(summary.counts).toEqual({ lodged: 1, replaced: 0, refused: 0 });
              expect(await lodgedCount(deviceId)).toBe(1);
            } else {
              expect(summary.counts).toEqual({ lodged: 0, replaced: 0, refused: 1 });
              expect(`refused:${summary.rows[0]!.reason}`).toBe(notPreNotified(deviceId));
              expect(await lodgedCount(deviceId)).toBe(0);
            }
            expect(JSON.stringify(state)).not.toContain("83FED340");
          },
        },
        withdrawLodgedInstallCodeAction: {
          form: (deviceId) => formOf({ deviceId }),
          lodged: true,
          expected: bySupplier((who, deviceId) => (who === "assignee" ? "withdrawn" : `refused:Your organisation has no Install Code lodged for Device ${deviceId}`)),
          check: async (_who, deviceId) => expect(await lodgedCount(deviceId)).toBe(0),
        },
      };

      function lodgeClassify(result: Settled, deviceId: string): LodgeOutcome | string {
        if (result.outcome === "sign-in") return "sign-in";
        if (result.outcome === `redirect:${PATH}?withdrawn=${deviceId}`) return "withdrawn";
        if (result.outcome) return result.outcome;
        const state = result.state!;
        return state.ok === true ? "ok" : `refused:${state.message}`;
      }

      it("lists every action of app/devices/lodge/actions.ts", () => {
        const exported = Object.entries(lodgeActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name)
          .sort();
        expect(exported).toEqual([...LODGE_ACTIONS].sort());
      });

      const cases = LODGE_ACTIONS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], who] as const));

      it.each(cases)("%s as %s", async (name, _described, who) => {
        const row = TABLE[name];
        const deviceId = await addDevice("SFP");
        if (row.lodged) await lodgeInstallCode(people.bob, { deviceId, installCode: LABEL_CODE });
        await actAs(who, PATH);
        const before = await lodgeSnapshot();
        const action = lodgeActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
        const result = await settle(action({}, row.form(deviceId)), PATH);
        const expected = row.expected(who, deviceId);
        expect(lodgeClassify(result, deviceId)).toBe(expected);
        if (expected === "ok" || expected === "withdrawn") {
          await row.check(who, deviceId, result.state);
          // Lodging never emails and never touches a request.
          const after = await lodgeSnapshot();
          expect([after.emails, after.events]).toEqual([before.emails, before.events]);
          if (who === "assignee") expect(after.audit).toBe(before.audit + 1);
          else expect(after).toEqual(before);
        } else {
          // A refusal changes nothing: no lodged code, audit entry, email or event.
          expect(await lodgeSnapshot()).toEqual(before);
        }
      });

      it.each([...LODGE_ACTIONS])("%s: any input gives a success or a form error with a message, never a 500", async (name) => {
        const deviceId = await addDevice("SFP");
        await lodgeInstallCode(people.bob, { deviceId, installCode: LABEL_CODE });
        const token = (await sessionFor("assignee"))!;
        const action = lodgeActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
        const hostile = ["", "\u0000", "__proto__", "x".repeat(10_000), "😀".repeat(2_000), deviceId, `${deviceId}\u0000`, LABEL_CODE, "\ufeffdevice_id,install_code\n"];
        const value = fc.oneof(
          fc.constantFrom(...hostile).map((text) => ({ text })),
          fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({ text })),
          fc.record({ file: fc.constantFrom("codes.csv", ""), content: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(`device_id,install_code\n${deviceId},${LABEL_CODE}`, 'device_id,install_code\n"x', "\u0000\u0001")) }),
          fc.constant(null),
        );
        const form = fc.record({ deviceId: value, installCode: value, file: value });
        await fc.assert(
          fc.asyncProperty(form, async (fields) => {
            request.cookies = new Map([[sessionCookieName(), token]]);
            request.path = PATH;
            const data = new FormData();
            for (const [field, v] of Object.entries(fields)) {
              if (v === null) continue;
              if ("text" in v) data.append(field, v.text);
              else data.append(field, new File([v.content], v.file, { type: "text/csv" }));
            }
            const result = await settle(action({}, data), PATH);
            if (result.outcome !== undefined) {
              expect(name).toBe("withdrawLodgedInstallCodeAction");
              expect(result.outcome).toBe(`redirect:${PATH}?withdrawn=${deviceId}`);
              await lodgeInstallCode(people.bob, { deviceId, installCode: LABEL_CODE });
              return;
            }
            const state = result.state!;
            if (state.ok === true) return;
            expect(state.ok).toBe(false);
            expect(state.message!.trim()).not.toBe("");
            for (const messages of Object.values(state.fieldErrors ?? {})) for (const message of messages) expect(message.trim()).not.toBe("");
          }),
          { numRuns: 40 },
        );
      });
    });

    describe("the email notification settings' server actions", () => {
      const NOTIFICATION_ACTIONS = ["updateEmailPreferencesAction", "setTeamEmailAction"] as const satisfies readonly (keyof typeof notificationActions)[];
      const PATH = "/settings/notifications";
      const expected = (who: Who): string => (SIGNED_OUT.includes(who) ? "sign-in" : "ok");

      async function snapshot() {
        return {
          users: await db().user.findMany({ select: { id: true, emailAnswers: true, emailNotes: true, emailReminders: true, emailReports: true, emailDigest: true }, orderBy: { id: "asc" } }),
          organisations: await db().organisation.findMany({ select: { id: true, teamEmail: true }, orderBy: { id: "asc" } }),
          audit: await db().auditEvent.count(),
        };
      }

      it("lists every server action of app/settings/notifications/actions.ts", () => {
        const exported = Object.entries(notificationActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name)
          .sort();
        expect(exported).toEqual([...NOTIFICATION_ACTIONS].sort());
      });

      const notificationCases = NOTIFICATION_ACTIONS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], expected(who), who] as const));

      it.each(notificationCases)("%s as %s: %s", async (name, _described, outcome, who) => {
        await actAs(who, PATH);
        const before = await snapshot();
        const form = name === "setTeamEmailAction" ? formOf({ teamEmail: " Ops.Team@Example.CO.UK " }) : formOf({ emailNotes: "on", emailDigest: "on" });
        const result = await settle(notificationActions[name]({}, form), PATH);
        expect(classify(result)).toBe(outcome);
        const after = await snapshot();
        if (outcome !== "ok") {
          expect(after).toEqual(before);
          return;
        }
        const actor = actorOf(who)!;
        try {
          if (name === "setTeamEmailAction") {
            // Its own organisation's only, lower-cased, and in the audit log.
            expect(after.organisations).toEqual(before.organisations.map((o) => (o.id === actor.organisationId ? { ...o, teamEmail: "ops.team@example.co.uk" } : o)));
            expect(after.audit).toBe(before.audit + 1);
            const audit = await db().auditEvent.findFirstOrThrow({ orderBy: { sequence: "desc" } });
            expect(audit).toMatchObject({ type: "ORGANISATION_CHANGED", actorUserId: actor.userId, subject: actor.organisationCode });
            expect(audit.detail).toContain("team email none -> ops.team@example.co.uk");
          } else {
            // Their own switches only: every switch not sent is off.
            const mine = { id: actor.userId, emailAnswers: false, emailNotes: true, emailReminders: false, emailReports: false, emailDigest: true };
            expect(after.users).toEqual(before.users.map((u) => (u.id === actor.userId ? mine : u)));
            expect(after.audit).toBe(before.audit);
          }
        } finally {
          await db().organisation.updateMany({ data: { teamEmail: null } });
          await db().user.updateMany({ data: { emailAnswers: true, emailNotes: true, emailReminders: true, emailReports: true, emailDigest: false } });
        }
      });

      it("setTeamEmailAction: any input gives a success or a form error with a message, never a 500", async () => {
        await actAs("raiser", PATH);
        await fc.assert(
          fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom("a@b", "@", "x".repeat(300) + "@example.com", "ops@example.com\r\nBcc: x@evil.example")), async (value) => {
            const result = await settle(notificationActions.setTeamEmailAction({}, formOf({ teamEmail: value })), PATH);
            expect(result.outcome).toBeUndefined();
            expect(result.state?.message ?? "").not.toBe("");
            if (result.state?.ok) {
              const saved = (await db().organisation.findUniqueOrThrow({ where: { id: people.alice.organisationId } })).teamEmail;
              expect(saved === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(saved)).toBe(true);
            }
          }),
          { numRuns: 60 },
        );
        await db().organisation.updateMany({ data: { teamEmail: null } });
      });
    });

    describe("the webhook settings' server actions", () => {
      const WEBHOOK_ACTIONS = ["createWebhookEndpointAction", "deleteWebhookEndpointAction"] as const satisfies readonly (keyof typeof webhookActions)[];
      type WebhookAct = (typeof WEBHOOK_ACTIONS)[number];
      const FORBIDDEN_WEBHOOKS = "refused:Webhooks tell a Supplier's systems about its own requests: the DCC Helpdesk has none to register";
      const NO_SUCH_ENDPOINT = "refused:No such endpoint: it may have been deleted already";
      const forSuppliers = (outcome: (who: Who) => ActionOutcome): Record<Who, ActionOutcome> =>
        Object.fromEntries(WHO.map((who) => [who, SIGNED_OUT.includes(who) ? "sign-in" : who === "helpdesk" ? FORBIDDEN_WEBHOOKS : outcome(who)])) as Record<
          Who,
          ActionOutcome
        >;
      let endpointCount = 0;

      /** Retires the endpoints earlier cases added (an organisation may have only ten), but the fixture's. */
      async function clearEndpoints(): Promise<void> {
        await db().webhookEndpoint.updateMany({ where: { disabledAt: null, url: { not: fixture.webhookUrl } }, data: { disabledAt: new Date() } });
      }

      /** A live endpoint of Northwind's (Alice's organisation), a new one per case. */
      async function northwindEndpoint(): Promise<string> {
        await clearEndpoints();
        const { endpoint } = await createWebhookEndpoint(people.alice, { url: `https://hooks.northwind.example/authz/${++endpointCount}`, events: ["request.breached"] });
        return endpoint.id;
      }

      async function webhookSnapshot() {
        return {
          live: await db().webhookEndpoint.findMany({ where: { disabledAt: null }, select: { id: true, organisationId: true }, orderBy: { id: "asc" } }),
          audit: await db().auditEvent.count(),
        };
      }

      const WEBHOOK_TABLE: Record<WebhookAct, { form: (endpointId: string) => Record<string, string>; expected: Record<Who, ActionOutcome> }> = {
        createWebhookEndpointAction: {
          form: () => ({ url: `https://hooks.example.com/new/${++endpointCount}`, description: "Our ticketing system", events: "request.closed" }),
          expected: forSuppliers(() => "ok"),
        },
        deleteWebhookEndpointAction: {
          form: (endpointId) => ({ endpointId }),
          // Another organisation's endpoint is not found, exactly like one that does not exist.
          expected: forSuppliers((who) => (who === "raiser" ? "ok" : NO_SUCH_ENDPOINT)),
        },
      };

      it("lists every server action of app/settings/webhooks/actions.ts", () => {
        const exported = Object.entries(webhookActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name)
          .sort();
        expect(exported).toEqual([...WEBHOOK_ACTIONS].sort());
      });

      const webhookCases = WEBHOOK_ACTIONS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], WEBHOOK_TABLE[name].expected[who], who] as const));

      it.each(webhookCases)("%s as %s: %s", async (name, _described, expected, who) => {
        const endpointId = await northwindEndpoint();
        const path = "/settings/webhooks";
        await actAs(who, path);
        const before = await webhookSnapshot();
        const action = webhookActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
        const result = await settle(action({}, formOf(WEBHOOK_TABLE[name].form(endpointId))), path);
        expect(classify(result)).toBe(expected);
        const after = await webhookSnapshot();
        if (expected !== "ok") {
          // A refusal changes nothing: no endpoint added or deleted, no audit entry.
          expect(after).toEqual(before);
          return;
        }
        const actor = actorOf(who)!;
        expect(after.audit).toBe(before.audit + 1);
        if (name === "createWebhookEndpointAction") {
          const state = result.state as FormState & { secret?: string; endpointUrl?: string };
          expect(state).toMatchObject({ ok: true, message: "Endpoint added" });
          expect(state.secret).toMatch(/^whsec_/);
          const added = after.live.filter((e) => !before.live.some((b) => b.id === e.id));
          expect(added.map((e) => e.organisationId)).toEqual([actor.organisationId]);
        } else {
          expect(result.state).toEqual({ ok: true, message: "Endpoint deleted" });
          expect(after.live.map((e) => e.id)).toEqual(before.live.map((e) => e.id).filter((id) => id !== endpointId));
        }
      });

      it.each([...WEBHOOK_ACTIONS])("%s: any input gives a success or a form error with a message, never a 500", async (name) => {
        const HOSTILE = ["\u0000", "\u0007", "\u200b", "\ufeff", "\ud800", "😀", "\r\n", "%00", "'", '"', "\\", "#", "@", " ", "__proto__"];
        const text = fc.oneof(
          fc.string(),
          fc.string({ unit: "binary", maxLength: 100 }),
          fc.string({ unit: fc.constantFrom(...HOSTILE, "a", "/", ":", "."), maxLength: 30 }),
          fc.constantFrom(
            "https://hooks.example.com/x",
            "http://127.0.0.1:3000/",
            "https://user:pw@hooks.example.com/",
            "https://hooks.example.com:25/",
            "javascript:alert(1)",
            "request.assigned",
            "request.nothing",
            "00000000-0000-0000-0000-000000000000",
            "x".repeat(5000),
          ),
        );
        const value = fc.option(fc.oneof(text.map((t) => ({ text: t })), fc.record({ file: fc.string({ maxLength: 10 }), content: fc.string({ maxLength: 20 }) })), { nil: null });
        const names = name === "createWebhookEndpointAction" ? ["url", "description", "events", "events"] : ["endpointId"];
        await clearEndpoints();
        const token = (await sessionFor("raiser"))!;
        const path = "/settings/webhooks";
        await fc.assert(
          fc.asyncProperty(fc.tuple(...names.map(() => value)), fc.array(fc.tuple(fc.constantFrom(...names, "__proto__", ""), value), { maxLength: 2 }), async (values, extra) => {
            request.cookies = new Map([[sessionCookieName(), token]]);
            request.path = path;
            const form = new FormData();
            const entries: [string, (typeof values)[number]][] = [...names.map((field, i) => [field, values[i]] as [string, (typeof values)[number]]), ...extra];
            for (const [field, v] of entries) {
              if (v === null) continue;
              if ("text" in v) form.append(field, v.text);
              else form.append(field, new File([v.content], v.file, { type: "text/plain" }));
            }
            const action = webhookActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
            const result = await settle(action({}, form), path);
            expect(result.outcome).toBeUndefined();
            const state = result.state!;
            if (state.ok === true) return;
            expect(state.ok).toBe(false);
            expect(state.message?.trim()).toBeTruthy();
            for (const messages of Object.values(state.fieldErrors ?? {})) for (const message of messages) expect(message.trim()).not.toBe("");
          }),
          { numRuns: 60 },
        );
        await clearEndpoints();
      });
    });

    describe("the helpdesk's email retry action", () => {
      /** Retried and sent again; refused: "Not found", like the page (a Supplier may not know it exists). */
      const EXPECTED: Record<Who, ActionOutcome> = { ...(Object.fromEntries(WHO.map((who) => [who, SIGNED_OUT.includes(who) ? "sign-in" : "refused:Not found"])) as Record<Who, ActionOutcome>), helpdesk: "ok" };

      /** A FAILED email about the answered request, to Bob (the assignee). */
      async function failedEmail(): Promise<string> {
        const { id: requestId } = await requestRow(fixture.answered);
        return transaction(async (tx) => {
          const email = await queueEmail(tx, { to: people.bob.email, email: { subject: `Request ${fixture.answered}`, text: "t", html: "<p>h</p>" }, category: "ANSWER", about: requestId, organisationId: people.bob.organisationId, userId: people.bob.userId });
          await markEmailFailed(tx, { id: email.id, to: people.bob.email, organisationId: people.bob.organisationId, requestId, requestIds: [] }, new Error("550 mailbox unavailable"), new Date());
          return email.id;
        });
      }

      it("lists every server action of app/helpdesk/emails/actions.ts", () => {
        const exported = Object.entries(emailActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name);
        expect(exported).toEqual(["retryEmailAction"]);
      });

      it.each(WHO.map((who) => [DESCRIBED[who], EXPECTED[who], who] as const))("retryEmailAction as %s: %s", async (_described, expected, who) => {
        const emailId = await failedEmail();
        const path = "/helpdesk/emails";
        await actAs(who, path);
        const audit = await db().auditEvent.count({ where: { type: "EMAIL_RETRIED" } });
        const result = await settle(emailActions.retryEmailAction({}, formOf({ emailId })), path);
        expect(classify(result)).toBe(expected);
        await dispatcherIdle();
        const row = await db().email.findUniqueOrThrow({ where: { id: emailId } });
        if (expected !== "ok") {
          // Refused: still failed, nothing audited.
          expect(row.status).toBe("FAILED");
          expect(await db().auditEvent.count({ where: { type: "EMAIL_RETRIED" } })).toBe(audit);
          return;
        }
        expect(row.status).not.toBe("FAILED");
        const entry = await db().auditEvent.findFirstOrThrow({ where: { type: "EMAIL_RETRIED" }, orderBy: { sequence: "desc" } });
        expect(entry).toMatchObject({ actorEmail: people.dana.email, subject: people.bob.email, requestReference: fixture.answered, detail: `email ${emailId}` });
      });
    });

    describe("the organisations pages' server actions (/admin/organisations)", () => {
      const ORGANISATION_ACTIONS = ["createOrganisationAction", "renameOrganisationAction", "suspendOrganisationAction", "reinstateOrganisationAction"] as const satisfies readonly (keyof typeof organisationActions)[];
      type OrganisationAct = (typeof ORGANISATION_ACTIONS)[number];
      const PATH = "/admin/organisations";
      /** Anyone but a helpdesk administrator is told "Not found", as for an organisation that does not exist. */
      const REFUSED = "refused:Not found";
      const forHelpdeskAdministrators = (outcome: string): Record<Who, string> =>
        Object.fromEntries(WHO.map((who) => [who, SIGNED_OUT.includes(who) ? "sign-in" : who === "helpdesk" ? outcome : REFUSED])) as Record<Who, string>;

      let serial = 0;
      /** A code no organisation has: 2 to 16 letters or digits. */
      const freshCode = () => `AZ${(Date.now() % 1e9).toString(36).toUpperCase()}${++serial}`;

      /** A Supplier of the case's own (suspended for a reinstatement), made as `npm run org` would. */
      async function supplier(suspended: boolean): Promise<string> {
        const code = freshCode();
        await createOrganisation(OPERATOR, { code, name: `Authz Supplier ${code}` });
        if (suspended) await setOrganisationSuspended(OPERATOR, { code, suspended: true });
        return code;
      }

      async function organisationSnapshot() {
        return {
          organisations: await db().organisation.findMany({ select: { id: true, code: true, name: true, kind: true, teamEmail: true, suspendedAt: true }, orderBy: { code: "asc" } }),
          audit: await db().auditEvent.count(),
        };
      }
      type OrganisationSnapshot = Awaited<ReturnType<typeof organisationSnapshot>>;
      const byCode = (s: OrganisationSnapshot, code: string) => s.organisations.find((o) => o.code === code);

      function outcomeOf(result: Settled): string {
        if (result.outcome) return result.outcome;
        const state = result.state!;
        return state.ok === true ? "ok" : `refused:${state.message}`;
      }

      const TABLE: Record<
        OrganisationAct,
        {
          /** The organisation acted on is suspended beforehand. */
          suspended: boolean;
          form: (target: string, newCode: string) => Record<string, string>;
          success: (target: string, newCode: string) => string;
          /** What an allowed call changed, and the audit entry the Organisation trigger wrote for it. */
          changed: (target: string, newCode: string, before: OrganisationSnapshot, after: OrganisationSnapshot, state: FormState | undefined) => { type: string; subject: string; detail: string };
        }
      > = {
        createOrganisationAction: {
          suspended: false,
          form: (_target, newCode) => ({ code: ` ${newCode.toLowerCase()} `, name: `Newco ${newCode}`, teamEmail: " Ops@Newco.Example " }),
          success: (_target, newCode) => `redirect:/admin/organisations?created=${newCode}`,
          changed: (_target, newCode, before, after) => {
            expect(after.organisations.length).toBe(before.organisations.length + 1);
            expect(byCode(after, newCode)).toMatchObject({ name: `Newco ${newCode}`, kind: "SUPPLIER", teamEmail: "ops@newco.example", suspendedAt: null });
            return { type: "ORGANISATION_CREATED", subject: newCode, detail: `SUPPLIER Newco ${newCode}` };
          },
        },
        renameOrganisationAction: {
          suspended: false,
          form: (target) => ({ code: target, name: `  Renamed ${target} ` }),
          success: () => "ok",
          changed: (target, _newCode, before, after, state) => {
            expect(state).toEqual({ ok: true, message: `Renamed to Renamed ${target}` });
            expect(after.organisations).toEqual(before.organisations.map((o) => (o.code === target ? { ...o, name: `Renamed ${target}` } : o)));
            return { type: "ORGANISATION_CHANGED", subject: target, detail: `name Authz Supplier ${target} -> Renamed ${target}` };
          },
        },
        suspendOrganisationAction: {
          suspended: false,
          form: (target) => ({ code: target }),
          success: (target) => `redirect:/admin/organisations/${target}?suspended=1`,
          changed: (target, _newCode, before, after) => {
            expect(byCode(after, target)?.suspendedAt).toBeInstanceOf(Date);
            expect(after.organisations.filter((o) => o.code !== target)).toEqual(before.organisations.filter((o) => o.code !== target));
            return { type: "ORGANISATION_CHANGED", subject: target, detail: "suspended" };
          },
        },
        reinstateOrganisationAction: {
          suspended: true,
          form: (target) => ({ code: target }),
          success: (target) => `redirect:/admin/organisations/${target}?reinstated=1`,
          changed: (target, _newCode, before, after) => {
            expect(byCode(before, target)?.suspendedAt).toBeInstanceOf(Date);
            expect(byCode(after, target)?.suspendedAt).toBeNull();
            return { type: "ORGANISATION_CHANGED", subject: target, detail: "reinstated" };
          },
        },
      };

      it("lists every server action of app/admin/organisations/actions.ts", () => {
        const exported = Object.entries(organisationActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name)
          .sort();
        expect(exported).toEqual([...ORGANISATION_ACTIONS].sort());
      });

      const organisationCases = ORGANISATION_ACTIONS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], who] as const));

      it.each(organisationCases)("%s as %s", async (name, _described, who) => {
        const row = TABLE[name];
        const target = await supplier(row.suspended);
        const newCode = freshCode();
        const expected = forHelpdeskAdministrators(row.success(target, newCode))[who];
        await actAs(who, PATH);
        const before = await organisationSnapshot();
        const action = organisationActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
        const result = await settle(action({}, formOf(row.form(target, newCode))), PATH);
        expect(outcomeOf(result)).toBe(expected);
        const after = await organisationSnapshot();
        if (who !== "helpdesk") {
          // A refusal changes nothing: no organisation added, renamed, suspended or reinstated, no audit entry.
          expect(after).toEqual(before);
          return;
        }
        const entry = row.changed(target, newCode, before, after, result.state);
        expect(after.audit).toBe(before.audit + 1);
        const audit = await db().auditEvent.findFirstOrThrow({ orderBy: { sequence: "desc" } });
        expect(audit).toMatchObject({ ...entry, actorUserId: people.dana.userId, actorEmail: people.dana.email, actorOrganisationCode: "DCC", clientAddress: request.forwardedFor });
      });

      it("refuses to suspend the DCC Service Desk, to suspend a suspended Supplier or to reinstate an active one, changing nothing", async () => {
        const active = await supplier(false);
        const suspended = await supplier(true);
        await actAs("helpdesk", PATH);
        const before = await organisationSnapshot();
        const cases: [OrganisationAct, string, string][] = [
          ["suspendOrganisationAction", "DCC", "refused:The DCC Helpdesk cannot be suspended"],
          ["suspendOrganisationAction", suspended, `refused:Authz Supplier ${suspended} is already suspended`],
          ["reinstateOrganisationAction", active, `refused:Authz Supplier ${active} is not suspended`],
          ["suspendOrganisationAction", "ZZZ404", REFUSED],
        ];
        for (const [name, code, expected] of cases) {
          const action = organisationActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
          expect(outcomeOf(await settle(action({}, formOf({ code })), PATH)), `${name} ${code}`).toBe(expected);
        }
        expect(await organisationSnapshot()).toEqual(before);
      });

      it("a name is taken whatever its case, with wildcards and backslashes in it; the search finds them as written", async () => {
        const code = freshCode();
        const name = `Power_50% \\ Light ${code}`;
        await actAs("helpdesk", PATH);
        expect(outcomeOf(await settle(organisationActions.createOrganisationAction({}, formOf({ code, name })), PATH))).toBe(`redirect:/admin/organisations?created=${code}`);
        const again = await settle(organisationActions.createOrganisationAction({}, formOf({ code: freshCode(), name: name.toUpperCase() })), PATH);
        expect(again.state?.fieldErrors).toEqual({ name: [`${name} (${code}) already has this name`] });
        // A name that the wildcards alone would match is another name.
        const lookalike = freshCode();
        expect(outcomeOf(await settle(organisationActions.createOrganisationAction({}, formOf({ code: lookalike, name: `PowerX50% \\ Light ${code}` })), PATH))).toBe(`redirect:/admin/organisations?created=${lookalike}`);
        const page = ORGANISATION_ROUTES[0]!;
        const token = await actAs("helpdesk", PATH);
        const { outcome, tree } = await callRoute(page, { path: PATH, params: {}, searchParams: { search: `_50% \\ Light ${code}` } }, token);
        expect(outcome).toBe("ok");
        expect(textOf(tree)).toContain(name);
        expect(textOf(tree)).not.toContain(`PowerX50%`);
      });

      it("a helpdesk analyst (not an administrator) gets 404 for every organisations page, Not found from every action, and no header link", async () => {
        const analyst = await addUser("ann.analyst@dcc.example", "Ann Analyst", "DCC");
        expect([analyst.role, analyst.administrator]).toEqual(["HELPDESK", false]);
        const token = `authz-analyst-${Math.random().toString(36).slice(2)}`;
        const now = new Date();
        await db().session.create({ data: { sessionToken: hashSessionToken(token), userId: analyst.userId, createdAt: now, lastSeenAt: now, expires: new Date(now.getTime() + env().sessionIdleMinutes * 60_000) } });
        const as = (path: string) => {
          request.cookies = new Map([[sessionCookieName(), token]]);
          request.path = path;
        };

        for (const row of ORGANISATION_ROUTES) {
          const url = row.url(fixture);
          as(url.path);
          expect((await callRoute(row, url, token)).outcome, row.route).toBe("404");
        }
        // Their own organisation's page too: the DCC's people are its administrators' to manage.
        as("/admin/organisations/DCC");
        expect((await callRoute(ORGANISATION_ROUTES[4]!, { path: "/admin/organisations/DCC", params: { code: "DCC" } }, token)).outcome).toBe("404");

        for (const name of ORGANISATION_ACTIONS) {
          const row = TABLE[name];
          const target = await supplier(row.suspended);
          as(PATH);
          const before = await organisationSnapshot();
          const action = organisationActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
          expect(outcomeOf(await settle(action({}, formOf(row.form(target, freshCode()))), PATH)), name).toBe(REFUSED);
          expect(await organisationSnapshot()).toEqual(before);
        }

        as("/");
        const { default: RootLayout } = await import("@/app/layout");
        const header = findProps(await RootLayout({ children: null }), "user");
        expect(header).toEqual({ user: { name: "Ann Analyst", email: "ann.analyst@dcc.example", organisationName: "DCC Service Desk", helpdesk: true, organisations: false } });
      });

      it("createOrganisationAction: any input gives a success or a form error with a message, never a 500", async () => {
        const token = (await sessionFor("helpdesk"))!;
        const HOSTILE = ["\u0000", "\u0007", "\u001b", "\u007f", "\u200b", "\ufeff", "\ud800", "😀", "\r\n", "%", "_", "'", '"', "\\", "@", "<script>"];
        const text = fc.oneof(
          fc.string(),
          fc.string({ unit: "binary", maxLength: 150 }),
          fc.string({ unit: fc.constantFrom(...HOSTILE, "a", "Z", "9", " "), maxLength: 20 }),
          fc.constantFrom("", " ", "__proto__", "NWE", " nwe ", "DCC", "Northwind Energy", "NORTHWIND ENERGY", "x".repeat(101), "A".repeat(17), "ops@example.com", "ops@example.com\r\nBcc: x@evil.example", "x".repeat(250) + "@example.com"),
        );
        const good = {
          code: fc.stringMatching(/^[A-Za-z0-9]{2,16}$/),
          name: fc.string({ minLength: 1, maxLength: 100 }),
          teamEmail: fc.constantFrom("", "ops@newco.example", " Team@Newco.Example "),
        };
        type Value = { text: string } | { file: string } | null;
        const value = (field: keyof typeof good): fc.Arbitrary<Value> =>
          fc.oneof(
            { weight: 3, arbitrary: good[field].map((t) => ({ text: t })) },
            { weight: 3, arbitrary: text.map((t) => ({ text: t })) },
            { weight: 1, arbitrary: fc.record({ file: fc.string({ maxLength: 10 }) }) },
            { weight: 1, arbitrary: fc.constant(null) },
          );
        const names = ["code", "name", "teamEmail"] as const;
        await fc.assert(
          fc.asyncProperty(fc.tuple(...names.map(value)), fc.array(fc.tuple(fc.constantFrom(...names, "__proto__", "constructor", ""), text), { maxLength: 2 }), async (values, extra) => {
            request.cookies = new Map([[sessionCookieName(), token]]);
            request.path = PATH;
            const form = new FormData();
            names.forEach((field, i) => {
              const v = values[i];
              if (v === null || v === undefined) return;
              if ("text" in v) form.append(field, v.text);
              else form.append(field, new File(["x"], v.file, { type: "text/plain" }));
            });
            for (const [field, v] of extra) form.append(field, v);
            const count = await db().organisation.count();
            const result = await settle(organisationActions.createOrganisationAction({}, form), PATH);
            if (result.outcome !== undefined) {
              // Added: back to the list, naming it; it is a Supplier, active, with its code as the SMI has it.
              expect(result.outcome).toMatch(/^redirect:\/admin\/organisations\?created=[A-Z0-9]{2,16}$/);
              const added = await db().organisation.findUniqueOrThrow({ where: { code: result.outcome.split("=")[1]! } });
              expect([added.kind, added.suspendedAt]).toEqual(["SUPPLIER", null]);
              expect(await db().organisation.count()).toBe(count + 1);
              return;
            }
            const state = result.state!;
            expect(state.ok).toBe(false);
            expect(state.message?.trim()).toBeTruthy();
            for (const messages of Object.values(state.fieldErrors ?? {})) for (const message of messages) expect(message.trim()).not.toBe("");
            expect(await db().organisation.count()).toBe(count);
          }),
          { numRuns: 80 },
        );
      });
    });

    describe("the people settings' server actions (/settings/users)", () => {
      const PEOPLE_ACTIONS = [
        "invitePersonAction",
        "invitePeopleFromCsvAction",
        "changeRoleAction",
        "signOutPersonAction",
        "withdrawInvitationAction",
        "removePersonAction",
      ] as const satisfies readonly (keyof typeof peopleActions)[];
      type PeopleAct = (typeof PEOPLE_ACTIONS)[number];
      const PATH = "/settings/users";
      /** Northwind's people are managed by Northwind's administrator (Alice) and the helpdesk administrator (Dana); to others they do not exist. */
      const onNorthwind = (refusal: string): Record<Who, ActionOutcome> =>
        Object.fromEntries(
          WHO.map((who) => [who, SIGNED_OUT.includes(who) ? "sign-in" : who === "raiser" || who === "helpdesk" ? "ok" : (`refused:${refusal}` as const)]),
        ) as Record<Who, ActionOutcome>;
      let count = 0;

      type Target = { userId: string; email: string; invitationId: string };

      /** A fresh Northwind person (not an administrator) with one open session, and an open invitation to Northwind. */
      async function northwindTarget(): Promise<Target> {
        const n = ++count;
        const person = await addUser(`people-target-${n}@northwind.example`, `Target ${n}`, "NWE");
        await db().session.create({ data: { sessionToken: hashSessionToken(`people-target-${n}`), userId: person.userId, createdAt: new Date(), lastSeenAt: new Date(), expires: new Date(Date.now() + 3_600_000) } });
        const { id } = await invitePerson(OPERATOR, person.organisationId, { email: `people-invitee-${n}@northwind.example`, name: `Invitee ${n}` });
        return { userId: person.userId, email: person.email, invitationId: id };
      }

      async function peopleSnapshot(target: Target) {
        await dispatcherIdle();
        return {
          users: await db().user.findMany({ select: { id: true, name: true, administrator: true, removedAt: true, organisationId: true }, orderBy: { id: "asc" } }),
          invitations: await db().invitation.findMany({ select: { id: true, email: true, organisationId: true, acceptedAt: true, revokedAt: true }, orderBy: { id: "asc" } }),
          targetSessions: await db().session.count({ where: { userId: target.userId } }),
          emails: await db().email.count(),
          audit: await db().auditEvent.count(),
        };
      }

      const csv = (content: string) => new File([content], "people.csv", { type: "text/csv" });

      const PEOPLE_TABLE: Record<PeopleAct, { form: (t: Target) => Record<string, string | File>; expected: Record<Who, ActionOutcome> }> = {
        invitePersonAction: {
          form: (t) => ({ organisation: "NWE", email: ` New.${t.email.toUpperCase()} `, name: "New Person", administrator: "on" }),
          expected: onNorthwind("Not found"),
        },
        invitePeopleFromCsvAction: {
          form: (t) => ({ organisation: "NWE", file: csv(`email,name,role\nfile.${t.email},File Person,user\n`) }),
          expected: onNorthwind("Not found"),
        },
        changeRoleAction: { form: (t) => ({ userId: t.userId, administrator: "true" }), expected: onNorthwind("No such person") },
        signOutPersonAction: { form: (t) => ({ userId: t.userId }), expected: onNorthwind("No such person") },
        withdrawInvitationAction: { form: (t) => ({ invitationId: t.invitationId }), expected: onNorthwind("No such invitation") },
        removePersonAction: { form: (t) => ({ userId: t.userId, organisation: "NWE" }), expected: onNorthwind("No such person") },
      };

      it("lists every server action of app/settings/users/actions.ts", () => {
        const exported = Object.entries(peopleActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name)
          .sort();
        expect(exported).toEqual([...PEOPLE_ACTIONS].sort());
      });

      const peopleCases = PEOPLE_ACTIONS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], PEOPLE_TABLE[name].expected[who], who] as const));

      it.each(peopleCases)("%s as %s: %s", async (name, _described, expected, who) => {
        const target = await northwindTarget();
        await actAs(who, PATH);
        const before = await peopleSnapshot(target);
        const action = peopleActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
        const result = await settle(action({}, formOf(PEOPLE_TABLE[name].form(target))), PATH);
        const outcome = result.outcome === `redirect:${PATH}?organisation=NWE&removed=${target.userId}` ? "ok" : classify(result);
        expect(outcome).toBe(expected);
        const after = await peopleSnapshot(target);
        if (expected !== "ok") {
          // A refusal changes nothing: no invitation, role, session, removal, email or audit entry.
          expect(after).toEqual(before);
          return;
        }
        const actor = actorOf(who)!;
        const lastAudit = () => db().auditEvent.findFirstOrThrow({ orderBy: { sequence: "desc" } });
        const nwe = target.userId && (await db().user.findUniqueOrThrow({ where: { id: target.userId } })).organisationId;
        switch (name) {
          case "invitePersonAction":
          case "invitePeopleFromCsvAction": {
            const added = after.invitations.filter((i) => !before.invitations.some((b) => b.id === i.id));
            const address = name === "invitePersonAction" ? `new.${target.email}` : `file.${target.email}`;
            expect(added).toEqual([expect.objectContaining({ email: address, organisationId: nwe, acceptedAt: null, revokedAt: null })]);
            expect(after.emails).toBe(before.emails + 1);
            expect(await lastAudit()).toMatchObject({ type: "USER_INVITED", actorUserId: actor.userId, subject: address });
            if (name === "invitePeopleFromCsvAction") {
              expect(result.state).toMatchObject({ ok: true, message: "1 invited, 0 refused", rows: [{ row: 1, email: address, outcome: "invited" }] });
            } else {
              expect(result.state).toEqual({ ok: true, message: `Invitation sent to ${address}` });
              expect(await db().invitation.findUniqueOrThrow({ where: { id: added[0]!.id } })).toMatchObject({ administrator: true });
            }
            break;
          }
          case "changeRoleAction":
            expect(after.users).toEqual(before.users.map((u) => (u.id === target.userId ? { ...u, administrator: true } : u)));
            // A change of role ends the person's sessions: they sign in again with the new role.
            expect(after.targetSessions).toBe(0);
            expect(await lastAudit()).toMatchObject({ type: "USER_CHANGED", actorUserId: actor.userId, subject: target.email, detail: "made an administrator" });
            break;
          case "signOutPersonAction":
            expect(result.state).toMatchObject({ ok: true, message: "1 session ended: their browsers are signed out on their next request" });
            expect(after.users).toEqual(before.users);
            expect(after.targetSessions).toBe(0);
            expect(await lastAudit()).toMatchObject({ type: "SESSIONS_REVOKED", actorUserId: actor.userId, subject: target.email });
            break;
          case "withdrawInvitationAction":
            expect(after.invitations).toEqual(before.invitations.map((i) => (i.id === target.invitationId ? { ...i, revokedAt: expect.any(Date) } : i)));
            break;
          case "removePersonAction":
            expect(after.users).toEqual(before.users.map((u) => (u.id === target.userId ? { ...u, removedAt: expect.any(Date) } : u)));
            expect(after.targetSessions).toBe(0);
            expect(await lastAudit()).toMatchObject({ type: "USER_CHANGED", actorUserId: actor.userId, subject: target.email, detail: "removed from the organisation" });
            break;
        }
      });

      it("refuses, as a form error, to remove oneself, to leave Northwind without an administrator, or to invite a person of another organisation; nothing changes", async () => {
        const target = await northwindTarget();
        // Alice alone administers Northwind again (earlier cases made others administrators).
        await db().user.updateMany({ where: { organisationId: people.alice.organisationId, administrator: true, id: { not: people.alice.userId } }, data: { administrator: false } });
        await actAs("raiser", PATH);
        const before = await peopleSnapshot(target);
        const refusals: [PeopleAct, Record<string, string>, string][] = [
          ["removePersonAction", { userId: people.alice.userId }, "You cannot remove yourself: ask another administrator to remove you"],
          ["changeRoleAction", { userId: people.alice.userId, administrator: "false" }, `${people.alice.name} is the organisation's only administrator: make someone else an administrator first`],
          [
            "invitePersonAction",
            { email: people.bob.email, name: "Bob" },
            `${people.bob.email} already has an account with another organisation: a person belongs to one organisation. Ask that organisation's administrator to remove them first`,
          ],
        ];
        for (const [name, form, message] of refusals) {
          const action = peopleActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
          const result = await settle(action({}, formOf(form)), PATH);
          expect(classify(result)).toBe(`refused:${message}`);
        }
        expect(await peopleSnapshot(target)).toEqual(before);
      });

      it("refuses a Northwind person who is not an administrator every action, changing nothing", async () => {
        const target = await northwindTarget();
        const member = await addUser(`people-member-${++count}@northwind.example`, "Member", "NWE");
        const token = `authz-member-${count}`;
        await db().session.create({ data: { sessionToken: hashSessionToken(token), userId: member.userId, createdAt: new Date(), lastSeenAt: new Date(), expires: new Date(Date.now() + 3_600_000) } });
        request.cookies = new Map([[sessionCookieName(), token]]);
        request.path = PATH;
        const before = await peopleSnapshot(target);
        for (const name of PEOPLE_ACTIONS) {
          const form = PEOPLE_TABLE[name].form(target);
          // Without ?organisation: the member's own organisation, as the page's own forms send it.
          const own = Object.fromEntries(Object.entries(form).filter(([field]) => field !== "organisation"));
          for (const fields of [form, own]) {
            const action = peopleActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
            const result = await settle(action({}, formOf(fields)), PATH);
            expect(classify(result), name).toMatch(/^refused:(Not found|No such person|No such invitation)$/);
          }
        }
        expect(await peopleSnapshot(target)).toEqual(before);
      });
    });

    describe("the profile page's server actions (/profile)", () => {
      // requestEmailChangeAction has its own block below (the email change's).
      const PROFILE_ACTIONS = ["updateOwnNameAction", "signOutEverywhereAction"] as const satisfies readonly (keyof typeof profileActions)[];
      const PATH = "/profile";

      async function profileSnapshot(userIds: string[]) {
        await dispatcherIdle();
        return {
          users: await db().user.findMany({ select: { id: true, name: true, email: true, administrator: true }, orderBy: { id: "asc" } }),
          // Sessions of the signed-in caller (a signed-out caller's cookie is deleted when read, so not counted).
          sessions: await db().session.count({ where: { userId: { in: userIds } } }),
          audit: await db().auditEvent.count(),
        };
      }

      it("lists every server action of app/profile/actions.ts", () => {
        const exported = Object.entries(profileActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name)
          .sort();
        expect(exported).toEqual([...PROFILE_ACTIONS, "requestEmailChangeAction"].sort());
      });

      const expected = (name: (typeof PROFILE_ACTIONS)[number], who: Who): string =>
        SIGNED_OUT.includes(who) ? "sign-in" : name === "signOutEverywhereAction" ? "redirect:/sign-in?signedOut=1" : "ok";
      const profileCases = PROFILE_ACTIONS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], expected(name, who), who] as const));

      it.each(profileCases)("%s as %s: %s", async (name, _described, outcome, who) => {
        const actor = actorOf(who);
        // A second browser of the caller, which "sign out everywhere" must end too.
        const other = actor ? await sessionFor(who) : null;
        await actAs(who, PATH);
        const before = await profileSnapshot(actor ? [actor.userId] : []);
        const form = name === "updateOwnNameAction" ? formOf({ name: "  Renamed Person  " }) : new FormData();
        const result = await settle(name === "updateOwnNameAction" ? profileActions.updateOwnNameAction({}, form) : profileActions.signOutEverywhereAction(), PATH);
        expect(classify(result)).toBe(outcome);
        if (!actor) {
          expect(await profileSnapshot([])).toEqual(before);
          return;
        }
        try {
          const after = await profileSnapshot([actor.userId]);
          expect(after.audit).toBe(before.audit + 1);
          const audit = await db().auditEvent.findFirstOrThrow({ orderBy: { sequence: "desc" } });
          if (name === "updateOwnNameAction") {
            expect(result.state).toEqual({ ok: true, message: "Your name is saved" });
            // Their own name only.
            expect(after.users).toEqual(before.users.map((u) => (u.id === actor.userId ? { ...u, name: "Renamed Person" } : u)));
            expect(audit).toMatchObject({ type: "USER_CHANGED", actorUserId: actor.userId, subject: actor.email, detail: "name changed" });
            // A new name does not sign anyone out.
            expect(after.sessions).toBe(before.sessions);
          } else {
            expect(after.users).toEqual(before.users);
            expect(await db().session.count({ where: { userId: actor.userId } })).toBe(0);
            expect(other).not.toBeNull();
            expect(audit).toMatchObject({ type: "SESSIONS_REVOKED", actorUserId: actor.userId, subject: actor.email });
          }
        } finally {
          await db().user.update({ where: { id: actor.userId }, data: { name: actor.name } });
        }
      });

      it("updateOwnNameAction refuses an empty name, a line break or more than 100 characters, changing nothing", async () => {
        await actAs("raiser", PATH);
        const before = await profileSnapshot([people.alice.userId]);
        for (const [name, message] of [
          ["   ", "Enter your name"],
          ["Alice\nHughes", "Your name cannot contain control characters such as line breaks"],
          ["x".repeat(101), "Your name can be at most 100 characters"],
        ] as const) {
          const result = await settle(profileActions.updateOwnNameAction({}, formOf({ name })), PATH);
          expect(result.state).toMatchObject({ ok: false, fieldErrors: { name: [message] }, values: { name } });
        }
        expect(await profileSnapshot([people.alice.userId])).toEqual(before);
      });
    });

    describe("the email change's server actions (/profile, /profile/confirm-email)", () => {
      let count = 0;

      async function changeSnapshot() {
        await dispatcherIdle();
        return {
          users: await db().user.findMany({ select: { id: true, email: true }, orderBy: { id: "asc" } }),
          changes: await db().emailChange.findMany({ select: { id: true, userId: true, newEmail: true, confirmedAt: true, revokedAt: true }, orderBy: { id: "asc" } }),
          emails: await db().email.count(),
          audit: await db().auditEvent.count(),
        };
      }

      it("lists every server action of app/profile/confirm-email/actions.ts", () => {
        const exported = Object.entries(confirmEmailActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name);
        expect(exported).toEqual(["confirmEmailChangeAction"]);
      });

      // Every signed-in person may ask, for themselves only (a userId in the form is ignored); anyone else signs in.
      it.each(WHO.map((who) => [DESCRIBED[who], SIGNED_OUT.includes(who) ? "sign-in" : "ok", who] as const))("requestEmailChangeAction as %s: %s", async (_described, outcome, who) => {
        const actor = actorOf(who);
        await actAs(who, "/profile");
        const before = await changeSnapshot();
        const newEmail = `changed-${++count}@elsewhere.example`;
        const result = await settle(profileActions.requestEmailChangeAction({}, formOf({ newEmail, userId: people.bob.userId, email: people.bob.email })), "/profile");
        expect(classify(result)).toBe(outcome);
        const after = await changeSnapshot();
        if (!actor) {
          expect(after).toEqual(before);
          return;
        }
        expect(result.state).toMatchObject({ ok: true, message: `We have sent a link to ${newEmail}: open it to confirm. Until then you sign in with ${actor.email}.` });
        // Nobody's address changes yet; one open request, the caller's own; one email, to the new address.
        expect(after.users).toEqual(before.users);
        expect(after.changes.filter((c) => !before.changes.some((b) => b.id === c.id))).toEqual([
          { id: expect.any(String), userId: actor.userId, newEmail, confirmedAt: null, revokedAt: null },
        ]);
        expect(after.emails).toBe(before.emails + 1);
        expect((await db().email.findFirstOrThrow({ orderBy: { createdAt: "desc" }, select: { to: true } })).to).toBe(newEmail);
        expect(await db().auditEvent.findFirstOrThrow({ orderBy: { sequence: "desc" } })).toMatchObject({ type: "EMAIL_CHANGE_REQUESTED", actorUserId: actor.userId, subject: newEmail });
      });

      it("requestEmailChangeAction refuses one's own address and another account's, as field messages, changing nothing", async () => {
        await actAs("raiser", "/profile");
        const before = await changeSnapshot();
        for (const [newEmail, message] of [
          [people.alice.email, `${people.alice.email} is already your email address`],
          [people.bob.email, "This address belongs to another account"],
          ["not an address", "Enter an email address like name@example.co.uk"],
        ] as const) {
          const result = await settle(profileActions.requestEmailChangeAction({}, formOf({ newEmail })), "/profile");
          expect(result.state).toMatchObject({ ok: false, fieldErrors: { newEmail: [message] }, values: { newEmail } });
        }
        expect(await changeSnapshot()).toEqual(before);
      });

      // Public: the link's holder confirms, whoever is (or is not) signed in in this browser; the change is the link's person's.
      it.each(WHO.map((who) => [DESCRIBED[who], who] as const))("confirmEmailChangeAction as %s: ok, once, for the link's person only", async (_described, who) => {
        const n = ++count;
        const person = await db().user.create({
          data: { email: `confirming-${n}@northwind.example`, name: `Confirming ${n}`, role: "SUPPLIER_USER", organisationId: people.alice.organisationId, organisationKind: "SUPPLIER" },
        });
        const token = `authz-email-change-token-${n}-${Math.random().toString(36).slice(2)}`;
        const newEmail = `confirmed-${n}@elsewhere.example`;
        await db().emailChange.create({
          data: { userId: person.id, newEmail, tokenHash: createHash("sha256").update(token).digest("hex"), createdAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) },
        });
        await actAs(who, "/profile/confirm-email");
        const before = await changeSnapshot();
        const result = await settle(confirmEmailActions.confirmEmailChangeAction({}, formOf({ token })), "/profile/confirm-email");
        expect(result.state).toEqual({ ok: true, message: `Your email address is now ${newEmail}. Sign in again with it.` });
        const after = await changeSnapshot();
        expect(after.users).toEqual(before.users.map((u) => (u.id === person.id ? { ...u, email: newEmail } : u)));

        for (const [again, message] of [
          [token, "This link has been used: sign in with your new email address"],
          ["authz-email-change-token-that-was-never-sent", "This link is not valid: it may have been replaced by a newer request. Ask for the change again on your profile page"],
          ["", "This link is not valid: it may have been replaced by a newer request. Ask for the change again on your profile page"],
        ]) {
          const refused = await settle(confirmEmailActions.confirmEmailChangeAction({}, formOf({ token: again })), "/profile/confirm-email");
          expect(classify(refused)).toBe(`refused:${message}`);
        }
        expect(await changeSnapshot()).toEqual(after);
      });
    });

    describe("the invitation page's server action (/invitations/accept)", () => {
      let count = 0;

      /** An open invitation to Northwind with a token the test knows (the real one is only in the email). */
      async function invitation(): Promise<{ token: string; email: string }> {
        const n = ++count;
        const token = `authz-invitation-token-${n}-${Math.random().toString(36).slice(2)}`;
        const email = `accepting-${n}@northwind.example`;
        await db().invitation.create({
          data: {
            email,
            name: `Accepting ${n}`,
            organisationId: people.alice.organisationId,
            tokenHash: createHash("sha256").update(token).digest("hex"),
            createdAt: new Date(),
            expiresAt: new Date(Date.now() + 86_400_000),
          },
        });
        return { token, email };
      }

      async function acceptSnapshot() {
        return {
          users: await db().user.findMany({ select: { id: true, email: true, organisationId: true, administrator: true, removedAt: true }, orderBy: { id: "asc" } }),
          invitations: await db().invitation.findMany({ select: { id: true, acceptedAt: true, revokedAt: true }, orderBy: { id: "asc" } }),
          audit: await db().auditEvent.count(),
        };
      }

      it("lists every server action of app/invitations/accept/actions.ts", () => {
        const exported = Object.entries(invitationActions)
          .filter(([, value]) => typeof value === "function")
          .map(([name]) => name);
        expect(exported).toEqual(["acceptInvitationAction"]);
      });

      // Public: whoever is (or is not) signed in in this browser, the link's owner gets the account.
      it.each(WHO.map((who) => [DESCRIBED[who], who] as const))("acceptInvitationAction as %s: ok, once", async (_described, who) => {
        const { token, email } = await invitation();
        await actAs(who, "/invitations/accept");
        const before = await acceptSnapshot();
        const result = await settle(invitationActions.acceptInvitationAction({}, formOf({ token })), "/invitations/accept");
        expect(result.state).toEqual({ ok: true, message: `Your account is ready: sign in with ${email}` });
        const user = await db().user.findUniqueOrThrow({ where: { email } });
        expect(user).toMatchObject({ organisationId: people.alice.organisationId, administrator: false, removedAt: null });
        const accepted = await acceptSnapshot();
        expect(accepted.users.length).toBe(before.users.length + 1);

        // The same link again, or a made-up one: refused, nothing changes.
        for (const [again, message] of [
          [token, "This invitation has been accepted: sign in with your email address"],
          ["authz-invitation-token-that-was-never-sent", "This invitation link is not valid: it may have been replaced by a newer invitation or withdrawn. Ask your administrator to invite you again"],
          ["", "This invitation link is not valid: it may have been replaced by a newer invitation or withdrawn. Ask your administrator to invite you again"],
        ]) {
          const refused = await settle(invitationActions.acceptInvitationAction({}, formOf({ token: again })), "/invitations/accept");
          expect(classify(refused)).toBe(`refused:${message}`);
        }
        expect(await acceptSnapshot()).toEqual(accepted);
      });
    });
  });

  describe("the API keys page's server actions", () => {
    type SettingsAct = "createApiKeyAction" | "revokeApiKeyAction (own organisation's key)" | "revokeApiKeyAction (Northwind's key)";
    /** ok: the new key in the answer; revoked: sent back to the list, the key revoked; refused:<message>; not-found. */
    type SettingsOutcome = "ok" | "revoked" | "not-found" | "sign-in" | `refused:${string}`;
    const KEY_NOT_FOUND = "No API key with that prefix in your organisation";
    const PATH = "/settings/api-keys";

    type Target = { prefix: string; organisation: KeyOrganisation };
    type KeySnapshot = Awaited<ReturnType<typeof keySnapshot>>;

    async function keySnapshot() {
      return {
        keys: await db().apiKey.count(),
        revoked: await db().apiKey.count({ where: { revokedAt: { not: null } } }),
        users: await db().user.count(),
        audit: await db().auditEvent.count(),
      };
    }

    /** A fresh key of `organisation` (an own one for a signed-out caller is Northwind's: Alice's, expired). */
    async function keyOf(organisation: KeyOrganisation): Promise<Target & { key: string }> {
      const { key, summary } = await createApiKey({ organisationCode: organisation, name: `${organisation} key to revoke` });
      return { key, prefix: summary.prefix, organisation };
    }

    const everyoneSignedIn = (outcome: (who: Who) => SettingsOutcome): Record<Who, SettingsOutcome> =>
      Object.fromEntries(WHO.map((who) => [who, SIGNED_OUT.includes(who) ? "sign-in" : outcome(who)])) as Record<Who, SettingsOutcome>;

    const TABLE: Record<
      SettingsAct,
      {
        action: (state: FormState, form: FormData) => Promise<unknown>;
        target: (who: Who) => KeyOrganisation | null;
        form: (target: Target | null) => Record<string, string>;
        expected: Record<Who, SettingsOutcome>;
        changed: (before: KeySnapshot, after: KeySnapshot, actor: Actor, target: (Target & { key: string }) | null, result: { state?: unknown }) => Promise<void>;
      }
    > = {
      createApiKeyAction: {
        action: settingsActions.createApiKeyAction as (state: FormState, form: FormData) => Promise<unknown>,
        target: () => null,
        form: () => ({ name: "warehouse system" }),
        expected: everyoneSignedIn(() => "ok"),
        changed: async (before, after, actor, _target, result) => {
          expect(after.keys).toBe(before.keys + 1);
          const { created } = result.state as settingsActions.CreateApiKeyState;
          expect(created?.key).toMatch(/^icr_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
          // The key in the answer acts as the caller's organisation.
          expect((await authenticateApiKey(created!.key))?.actor.organisationId).toBe(actor.organisationId);
          const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "API_KEY_CREATED", subject: `${actor.organisationCode} ${created!.prefix}` } });
          expect([audit.actorEmail, audit.clientAddress]).toEqual([actor.email, request.forwardedFor]);
        },
      },
      "revokeApiKeyAction (own organisation's key)": {
        action: settingsActions.revokeApiKeyAction as (state: FormState, form: FormData) => Promise<unknown>,
        target: (who) => ORGANISATION_OF[who] ?? "NWE",
        form: (target) => ({ prefix: target!.prefix }),
        expected: everyoneSignedIn(() => "revoked"),
        changed: async (before, after, actor, target) => {
          expect(after.revoked).toBe(before.revoked + 1);
          expect(await authenticateApiKey(target!.key)).toBeNull();
          const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "API_KEY_REVOKED", subject: `${target!.organisation} ${target!.prefix}` } });
          expect(audit.actorEmail).toBe(actor.email);
        },
      },
      "revokeApiKeyAction (Northwind's key)": {
        action: settingsActions.revokeApiKeyAction as (state: FormState, form: FormData) => Promise<unknown>,
        target: () => "NWE",
        form: (target) => ({ prefix: target!.prefix }),
        // Another organisation's key is not found, for the helpdesk too.
        expected: everyoneSignedIn((who) => (who === "raiser" ? "revoked" : "not-found")),
        changed: async (before, after, _actor, target) => {
          expect(after.revoked).toBe(before.revoked + 1);
          expect(await authenticateApiKey(target!.key)).toBeNull();
        },
      },
    };
    const ACTS = Object.keys(TABLE) as SettingsAct[];

    function formOf(fields: Record<string, string>): FormData {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      return form;
    }

    async function settle(work: Promise<unknown>): Promise<{ state?: FormState; outcome?: Outcome }> {
      try {
        return { state: (await work) as FormState };
      } catch (error) {
        return { outcome: fromThrown(error, PATH) };
      }
    }

    function classify(result: { state?: FormState; outcome?: Outcome }, target: Target | null): string {
      if (result.outcome === "sign-in") return "sign-in";
      if (result.outcome) return target && result.outcome === `redirect:${PATH}?revoked=${target.prefix}` ? "revoked" : result.outcome;
      const state = result.state!;
      if (state.ok === true) return "ok";
      if (state.message === KEY_NOT_FOUND) return "not-found";
      return `refused:${state.message}`;
    }

    it("lists every server action of the API keys page (a new one must be added to the table)", () => {
      const exported = Object.entries(settingsActions)
        .filter(([, value]) => typeof value === "function")
        .map(([name]) => name)
        .sort();
      expect(exported).toEqual(["createApiKeyAction", "revokeApiKeyAction"]);
    });

    const cases = ACTS.flatMap((name) => WHO.map((who) => [name, DESCRIBED[who], TABLE[name].expected[who], who] as const));

    it.each(cases)("%s as %s: %s", async (name, _described, expected, who) => {
      const row = TABLE[name];
      const organisation = row.target(who);
      const target = organisation ? await keyOf(organisation) : null;
      await actAs(who, PATH);
      const before = await keySnapshot();
      const result = await settle(row.action({}, formOf(row.form(target))));
      expect(classify(result, target)).toBe(expected);
      const after = await keySnapshot();
      if (expected === "ok" || expected === "revoked") {
        await row.changed(before, after, actorOf(who)!, target, result);
      } else {
        // A refusal changes nothing: no key, account, revocation or audit entry.
        expect(after).toEqual(before);
        if (target) expect(await authenticateApiKey(target.key)).not.toBeNull();
      }
    });

    it("never puts a new key in a redirect: it is only in the action's answer", async () => {
      await actAs("raiser", PATH);
      const result = await settle(settingsActions.createApiKeyAction({}, formOf({ name: "answer only" })));
      expect(result.outcome).toBeUndefined();
      expect((result.state as settingsActions.CreateApiKeyState).created?.name).toBe("answer only");
    });

    describe("any input gives a success or a form error with a message, never a 500", () => {
      const HOSTILE = ["\u0000", "\u0007", "\u001b", "\u007f", "\u200b", "\ufeff", "\ud800", "😀", "\r\n", "%00", "'", '"', "\\", "<script>"];
      const text = fc.oneof(
        fc.string(),
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.string({ unit: fc.constantFrom(...HOSTILE, "a", " ", "icr_", "0"), maxLength: 40 }),
        fc.tuple(fc.constantFrom("a", "é", "\u0000", "😀"), fc.integer({ min: 90, max: 10_000 })).map(([c, n]) => c.repeat(n)),
        fc.constantFrom("__proto__", "constructor", "", " ", "icr_00000000", "ICR_00000000", "icr_0000000g"),
      );
      /** A field's value, a file in its place, or no field at all; stray and duplicate fields around it. */
      const formFor = (field: string, good: fc.Arbitrary<string>) =>
        fc
          .tuple(
            fc.oneof(good.map((v) => ({ text: v })), text.map((v) => ({ text: v })), fc.record({ file: fc.string({ maxLength: 20 }) }), fc.constant(null)),
            fc.array(fc.tuple(fc.constantFrom(field, "__proto__", "constructor", ""), text), { maxLength: 3 }),
          )
          .map(([value, extra]) => {
            const form = new FormData();
            if (value && "text" in value) form.append(field, value.text);
            else if (value) form.append(field, new File(["x"], value.file, { type: "text/plain" }));
            for (const [name, v] of extra) form.append(name, v);
            return form;
          });

      it.each([
        ["createApiKeyAction", "name"],
        ["revokeApiKeyAction", "prefix"],
      ] as const)("%s", async (name, field) => {
        const token = (await sessionFor("raiser"))!;
        const own = await keyOf("NWE");
        const others = await keyOf("SFP");
        const good = field === "name" ? fc.constantFrom("billing system", " spaced ", "é😀") : fc.constantFrom(own.prefix, ` ${own.prefix} `, others.prefix);
        const action = settingsActions[name] as (state: FormState, form: FormData) => Promise<unknown>;
        await fc.assert(
          fc.asyncProperty(formFor(field, good), async (form) => {
            request.cookies = new Map([[sessionCookieName(), token]]);
            request.path = PATH;
            const result = await settle(action({}, form));
            if (result.outcome !== undefined) {
              // The only redirect is back to the list after revoking one of Northwind's keys.
              expect(name).toBe("revokeApiKeyAction");
              expect(result.outcome).toMatch(/^redirect:\/settings\/api-keys\?revoked=icr_[0-9a-f]{8}$/);
              return;
            }
            const state = result.state!;
            if (state.ok === true) return;
            expect(state.ok).toBe(false);
            expect(state.message?.trim()).toBeTruthy();
            for (const messages of Object.values(state.fieldErrors ?? {})) for (const message of messages) expect(message.trim()).not.toBe("");
          }),
          { numRuns: 60 },
        );
      });
    });
  });
});
