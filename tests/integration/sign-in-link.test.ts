import { hashSessionToken } from "@/lib/auth/sessions";
import { CATEGORY_PRIORITY } from "@/lib/notifications/categories";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { seedDemoData } from "@/lib/db/seed";
import { portalAdapter } from "@/lib/auth/adapter";
import { purgeExpiredSignInData } from "@/lib/auth/cleanup";
import { authOptions, queueSignInLink } from "@/lib/auth/options";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { closeTestDatabase, openTestDatabase } from "../helpers/database";

describe("sign-in links", () => {
  beforeAll(async () => {
    await openTestDatabase();
    await seedDemoData(db());
  });
  afterAll(async () => {
    await dispatcherIdle();
    await closeTestDatabase();
  });
  beforeEach(async () => {
    await dispatcherIdle();
    await db().email.deleteMany();
  });

  it("queues one email with the link for a known user, whatever the case of the address", async () => {
    const url = "http://portal.test/api/auth/callback/email?token=abc&email=alice%40northwind.example";
    expect(await queueSignInLink("Alice@Northwind.Example", url)).toBe(true);
    const emails = await db().email.findMany();
    expect(emails).toHaveLength(1);
    expect(emails[0].to).toBe("alice@northwind.example");
    expect(emails[0].text).toContain(url);
    expect(emails[0].html).toContain(url.replaceAll("&", "&amp;"));
    expect(emails[0].subject).toMatch(/sign-in link/i);
    // Before every other email waiting.
    expect(emails[0].priority).toBe(CATEGORY_PRIORITY.SIGN_IN);
  });

  it("queues nothing for an unknown address", async () => {
    expect(await queueSignInLink("mallory@unknown.example", "http://portal.test/x")).toBe(false);
    expect(await db().email.count()).toBe(0);
  });

  it("lets only a known user through the sign-in callback, and creates no account", async () => {
    const { callbacks } = authOptions();
    const alice = await portalAdapter().getUserByEmail!("alice@northwind.example");
    expect(alice).not.toBeNull();
    const account = { provider: "email", type: "email" as const, providerAccountId: "x" };
    expect(await callbacks!.signIn!({ user: alice!, account })).toBe(true);
    const stranger = { id: "mallory@unknown.example", email: "mallory@unknown.example", emailVerified: null };
    expect(await callbacks!.signIn!({ user: stranger, account })).toBe(false);
    // Asking for a link answers the same for both (no enumeration).
    expect(await callbacks!.signIn!({ user: stranger, account, email: { verificationRequest: true } })).toBe(true);
    await expect(Promise.resolve().then(() => portalAdapter().createUser!({ email: "m@x.example", emailVerified: null }))).rejects.toThrow();
  });

  it("accepts a verification token once, and never an expired one", async () => {
    const adapter = portalAdapter();
    await adapter.createVerificationToken!({ identifier: "alice@northwind.example", token: "hashed-1", expires: new Date(Date.now() + 60_000) });
    const used = await adapter.useVerificationToken!({ identifier: "alice@northwind.example", token: "hashed-1" });
    expect(used?.identifier).toBe("alice@northwind.example");
    expect(await adapter.useVerificationToken!({ identifier: "alice@northwind.example", token: "hashed-1" })).toBeNull();

    const past = new Date(Date.now() - 1000);
    await adapter.createVerificationToken!({ identifier: "alice@northwind.example", token: "hashed-2", expires: past });
    const expired = await adapter.useVerificationToken!({ identifier: "alice@northwind.example", token: "hashed-2" });
    // The adapter returns the real expiry; next-auth refuses a token whose expiry has passed.
    expect(expired?.expires.getTime()).toBe(past.getTime());
  });

  it("purges expired links and sessions, and keeps live ones", async () => {
    const adapter = portalAdapter();
    const alice = await db().user.findUniqueOrThrow({ where: { email: "alice@northwind.example" } });
    const now = new Date();
    const past = new Date(now.getTime() - 60_000);
    const future = new Date(now.getTime() + 60_000);
    await adapter.createVerificationToken!({ identifier: alice.email, token: "old", expires: past });
    await adapter.createVerificationToken!({ identifier: alice.email, token: "live", expires: future });
    await adapter.createSession!({ sessionToken: "old-session", userId: alice.id, expires: past });
    await adapter.createSession!({ sessionToken: "live-session", userId: alice.id, expires: future });
    const purged = await purgeExpiredSignInData(now);
    expect(purged.tokens).toBeGreaterThanOrEqual(1);
    expect(purged.sessions).toBe(1);
    expect((await db().verificationToken.findMany({ where: { expires: { lt: now } } })).length).toBe(0);
    expect(await db().verificationToken.findUnique({ where: { token: "live" } })).not.toBeNull();
    expect((await db().session.findMany()).map((s) => s.sessionToken)).toEqual([hashSessionToken("live-session")]);
  });
});
