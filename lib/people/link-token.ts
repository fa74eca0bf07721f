import { createHash, randomBytes } from "node:crypto";

// The secret in an emailed link that acts once (an invitation, a new email address's confirmation):
// 32 random bytes, of which only the SHA-256 is stored, so a database reader cannot use a link.

/** A new token for a link, and the hash to store. */
export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
