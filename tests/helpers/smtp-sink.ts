import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

export type SinkOptions = {
  /** Listen on this port (to start a server again where it was stopped); default a free one. */
  port?: number;
  /** An SMTP error for a recipient (e.g. { code: 550, message: "No such user" }), or none to accept it. */
  rejectRecipient?: (address: string) => { code: number; message: string } | undefined;
  /** Holds the answer to the n-th DATA (0-based) this long: a server that hangs mid-send. */
  holdDataMs?: (n: number) => number;
};

/**
 * A real SMTP server on 127.0.0.1 that keeps every message it receives. `arrivals` lists each DATA's
 * recipients in the order the data began to arrive (before it is answered).
 */
export function startSink(options: SinkOptions = {}) {
  const received: ParsedMail[] = [];
  const arrivals: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    // Pooled clients keep their connections open: closing does not wait for them.
    closeTimeout: 50,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = options.rejectRecipient?.(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const n = arrivals.length;
      arrivals.push(session.envelope.rcptTo.map((r) => r.address).join(","));
      const hold = options.holdDataMs?.(n) ?? 0;
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          if (hold > 0) setTimeout(() => callback(), hold);
          else callback();
        })
        .catch(callback);
    },
  });
  server.on("error", () => {}); // a client that gave up on a held answer closes its connection
  return new Promise<{ url: string; port: number; received: ParsedMail[]; arrivals: string[]; close: () => Promise<void> }>((resolve) => {
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const { port } = server.server.address() as AddressInfo;
      resolve({ url: `smtp://127.0.0.1:${port}`, port, received, arrivals, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
