import { test } from "@playwright/test";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { SMTP_SINK_PORT } from "../../playwright.config";

/** A real SMTP server on 127.0.0.1 that keeps what it receives, for the tests to read. */
export class SmtpSink {
  readonly received: ParsedMail[] = [];
  /** Recipients this server refuses for good (550 at RCPT TO), as a full mailbox or a wrong address would be. */
  readonly refused = new Set<string>();
  private server: SMTPServer;

  constructor(private readonly port: number) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      // The portal's pooled SMTP connections stay open: without this, stopping the sink after each
      // spec file waited smtp-server's default 30 s for them (most of the e2e run's time).
      closeTimeout: 50,
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address.toLowerCase())) return callback();
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  to(address: string): ParsedMail[] {
    return this.received.filter((mail) => recipients(mail).includes(address));
  }

  /**
   * Waits for the next email to `address` after the ones already received; with `subject`, the next
   * one with that subject (others, such as breach notices the clock's scan sends meanwhile, are passed over).
   */
  async waitFor(address: string, opts: { after?: number; timeoutMs?: number; subject?: string } = {}): Promise<ParsedMail> {
    const after = opts.after ?? this.to(address).length;
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    while (Date.now() < deadline) {
      const mail = this.to(address)
        .slice(after)
        .find((m) => opts.subject === undefined || m.subject === opts.subject);
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`No email to ${address} arrived (had ${this.to(address).length})`);
  }
}

export function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((t) => t.value.map((v) => v.address ?? ""));
}

export function firstLink(mail: ParsedMail): string {
  const match = (mail.text ?? "").match(/https?:\/\/\S+/);
  if (!match) throw new Error(`No link in email "${mail.subject}"`);
  return match[0];
}

/**
 * The spec file's SMTP sink on the port the SMTP portal sends to (playwright.config.ts), started
 * before its first test and stopped after its last.
 */
export function smtpSinkForFile(): SmtpSink {
  const sink = new SmtpSink(SMTP_SINK_PORT);
  test.beforeAll(() => sink.start());
  test.afterAll(() => sink.stop());
  return sink;
}
