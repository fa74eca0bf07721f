import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A real HTTP server on 127.0.0.1 (a free port) standing in for a Supplier's webhook endpoint: it
// keeps every POST it gets, as received, and answers as the test tells it to.

export type ReceivedWebhook = { path: string; method: string; headers: IncomingHttpHeaders; body: string };

/** A status to answer with, "hang" to never answer, or a redirect. */
export type Answer = number | "hang" | { redirect: string };

export async function startReceiver(answer: (hook: ReceivedWebhook, count: number) => Answer = () => 204) {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const hook = { path: request.url ?? "", method: request.method ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(hook);
      const reply = answer(hook, received.length);
      if (reply === "hang") {
        hanging.add(response);
        return;
      }
      if (typeof reply === "object") {
        response.writeHead(302, { location: reply.redirect }).end();
        return;
      }
      response.writeHead(reply, { "content-type": "text/plain" }).end(reply >= 400 ? "something went wrong at the receiver" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    received,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Verifies a delivery's Standard Webhooks signature with WebCrypto, written from the specification
 * and sharing nothing with the portal's signer (node:crypto's createHmac): HMAC-SHA256 keyed with the
 * base64 after "whsec_", over "<webhook-id>.<webhook-timestamp>.<body>", any of the space-separated
 * "v1,<base64>" signatures matching.
 */
export async function verifiedWithWebCrypto(secret: string, hook: ReceivedWebhook): Promise<boolean> {
  const id = hook.headers["webhook-id"];
  const timestamp = hook.headers["webhook-timestamp"];
  const signatures = hook.headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return false;
  if (!secret.startsWith("whsec_")) return false;
  const keyBytes = Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${hook.body}`);
  for (const entry of signatures.split(" ")) {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) continue;
    const bytes = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
    if (await crypto.subtle.verify("HMAC", key, bytes, signed)) return true;
  }
  return false;
}
