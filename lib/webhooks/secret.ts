import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env";

// An endpoint's signing secret, in the Standard Webhooks form ("whsec_" + base64 of 32 random bytes,
// https://www.standardwebhooks.com): shown once, at creation, and kept so that the portal can sign
// every delivery with it, so it is encrypted at rest rather than hashed. AES-256-GCM as for Install
// Codes (lib/install-code/encryption.ts), under a key derived from INSTALL_CODE_KEY with HKDF for this
// one purpose (a secret's ciphertext can never be taken for a code's, nor the other way round), and
// the endpoint's id as additional data (a ciphertext copied to another endpoint does not decrypt).

const PREFIX = "whsec_";
const VERSION = "v1";
const KEY_INFO = "install-code-portal webhook signing secret v1";

export function generateSigningSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}

function secretKey(hexKey?: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(hexKey ?? env().installCodeKey, "hex"), Buffer.alloc(0), KEY_INFO, 32));
}

export function encryptSigningSecret(secret: string, endpointId: string, hexKey?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretKey(hexKey), iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(endpointId, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

export function decryptSigningSecret(stored: string, endpointId: string, hexKey?: string): string {
  const [version, payload] = stored.split(".");
  if (version !== VERSION || !payload) throw new Error("Unknown webhook secret encryption format");
  const raw = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", secretKey(hexKey), raw.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(endpointId, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/**
 * The `webhook-signature` header of Standard Webhooks v1: "v1," + base64 of HMAC-SHA256, keyed with
 * the secret's bytes (base64 after "whsec_"), over "<webhook-id>.<webhook-timestamp>.<body>".
 */
export function signatureHeader(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}
