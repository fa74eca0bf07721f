import { describe, expect, it, vi } from "vitest";
import type { Env } from "@/lib/env";
import { listMailbox, mailboxEnabled, mailboxMessage } from "@/lib/notifications/mailbox";

const current = vi.hoisted(() => ({ env: {} as Partial<Env> }));
vi.mock("@/lib/env", () => ({ env: () => current.env }));

describe("the development mailbox", () => {
  it("exists in demo mode with no SMTP server", () => {
    current.env = { demoMode: true, smtpUrl: undefined };
    expect(mailboxEnabled()).toBe(true);
  });

  it("does not exist on a PostgreSQL server, even with no SMTP server", async () => {
    current.env = { demoMode: false, smtpUrl: undefined };
    expect(mailboxEnabled()).toBe(false);
    expect(await listMailbox()).toBeNull();
    expect(await mailboxMessage("00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("does not exist when SMTP_URL is set", () => {
    current.env = { demoMode: true, smtpUrl: "smtp://127.0.0.1:2525" };
    expect(mailboxEnabled()).toBe(false);
  });
});
