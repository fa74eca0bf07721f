import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

// The load test's mail server: accepts every message and keeps only its Message-ID (the portal sets
// it from the Email row, lib/notifications/dispatcher.ts threadingHeaders), so that afterwards each
// sent Email row can be matched to exactly one arrival. Headers only: tens of thousands of messages
// must not cost the load generator a full MIME parse each.

export type MessageSink = {
  url: string;
  /** Message-ID -> how many times it arrived. */
  arrivals: Map<string, number>;
  /** Messages that arrived without a Message-ID header. */
  withoutMessageId: number;
  total(): number;
  close(): Promise<void>;
};

/** The Message-ID header of a message's header block (unfolded), or null. */
export function messageIdOf(headers: string): string | null {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, " ");
  const match = /^message-id:\s*(<[^>\r\n]+>)/im.exec(unfolded);
  return match ? match[1] : null;
}

export async function startMessageSink(): Promise<MessageSink> {
  const sink: MessageSink = {
    url: "",
    arrivals: new Map(),
    withoutMessageId: 0,
    total: () => [...sink.arrivals.values()].reduce((a, b) => a + b, 0) + sink.withoutMessageId,
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    closeTimeout: 50,
    onData(stream, _session, callback) {
      let head = "";
      let done = false;
      stream.on("data", (chunk: Buffer) => {
        if (done) return;
        head += chunk.toString("latin1");
        if (/\r?\n\r?\n/.test(head) || head.length > 64 * 1024) done = true;
      });
      stream.on("end", () => {
        // Counted once the whole message is in, just before the server answers 250: what the
        // portal's SMTP client is told was delivered is what is counted here.
        const id = messageIdOf(head.split(/\r?\n\r?\n/, 1)[0]);
        if (id) sink.arrivals.set(id, (sink.arrivals.get(id) ?? 0) + 1);
        else sink.withoutMessageId++;
        callback();
      });
    },
  });
  server.on("error", () => {}); // a pooled client going away mid-session is not the test's concern
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port)));
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise((resolve) => server.close(() => resolve()));
  return sink;
}
