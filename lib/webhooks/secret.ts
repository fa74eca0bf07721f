import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env";
import { sealerFor } from "../install-code/key-ring";

// An endpoint's signing secret, in the Standard Webhooks form ("whsec_" + base64 of 32 random bytes,
// https://www.standardwebhooks.com): shown once, at creation, and kept so that the portal can sign
// every delivery with it, so it is encrypted at rest rather than hashed. AES-256-GCM as for Install
// Codes (lib/install-code/encryption.ts), under a key derived from INSTALL_CODE_KEY's newest key with
// HKDF for this one purpose (a secret's ciphertext can never be taken for a code's, nor the other way
// round), and the endpoint's id as additional data (a ciphertext copied to another endpoint does not
// decrypt). Stored as "v2.<key id>.<payload>", the id being the INSTALL_CODE_KEY key's (decision 028).

const PREFIX = "whsec_";
const KEY_INFO = "install-code-portal webhook signing secret v1";

const signingSecrets = sealerFor(
  {
    what: "webhook secret",
    derive: (key) => Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), KEY_INFO, 32)),
  },
  () => env().installCodeKeys,
);

export function generateSigningSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}

/** Each takes one key or a ring as its last argument, INSTALL_CODE_KEY's when omitted. */
export const encryptSigningSecret = signingSecrets.seal;
export const decryptSigningSecret = signingSecrets.open;
/** Re-encrypts a stored secret under the newest key (`npm run keys:rotate`). */
export const resealSigningSecret = signingSecrets.reseal;

/**
 * The `webhook-signature` header of Standard Webhooks v1: "v1," + base64 of HMAC-SHA256, keyed with
 * the secret's bytes (base64 after "whsec_"), over "<webhook-id>.<webhook-timestamp>.<body>".
 */
export function signatureHeader(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}
