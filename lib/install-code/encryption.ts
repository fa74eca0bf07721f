import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "../env";

// Install Codes at rest: AES-256-GCM with INSTALL_CODE_KEY, a random 96-bit IV per code, and the
// request's id as additional authenticated data, so a ciphertext copied onto another request does
// not decrypt. Stored as "v1.<base64url(iv | tag | ciphertext)>"; the version names the key scheme.

const VERSION = "v1";

function key(hexKey?: string): Buffer {
  return Buffer.from(hexKey ?? env().installCodeKey, "hex");
}

export function encryptInstallCode(code: string, requestId: string, hexKey?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(hexKey), iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(requestId, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(code, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

export function decryptInstallCode(stored: string, requestId: string, hexKey?: string): string {
  const [version, payload] = stored.split(".");
  if (version !== VERSION || !payload) throw new Error("Unknown Install Code encryption format");
  const raw = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key(hexKey), raw.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(requestId, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** How many characters the stored code has (AES-GCM keeps the length), without decrypting it. */
export function encryptedCodeLength(stored: string): number {
  const raw = Buffer.from(stored.split(".")[1] ?? "", "base64url");
  return Math.max(raw.length - 28, 0);
}
