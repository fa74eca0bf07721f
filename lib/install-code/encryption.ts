import { env } from "../env";
import { sealedLength, sealerFor } from "./key-ring";

// Install Codes at rest: AES-256-GCM under the newest key of INSTALL_CODE_KEY, a random 96-bit IV per
// code, and the request's id as additional authenticated data, so a ciphertext copied onto another
// request does not decrypt. Stored as "v2.<key id>.<base64url(iv | tag | ciphertext)>"; codes stored
// before key rotation ("v1.<payload>") stay readable (lib/install-code/key-ring.ts, decision 028).
// Each function takes one key or a ring as its last argument, INSTALL_CODE_KEY's when omitted.

const installCodes = sealerFor({ what: "Install Code", derive: (key) => key }, () => env().installCodeKeys);

export const encryptInstallCode = installCodes.seal;
/** Throws KeyNotHeldError when the code was sealed under a key INSTALL_CODE_KEY no longer holds. */
export const decryptInstallCode = installCodes.open;
/** Re-encrypts a stored code under the newest key (`npm run keys:rotate`). */
export const resealInstallCode = installCodes.reseal;

/** How many characters the stored code has (AES-GCM keeps the length), without decrypting it. */
export function encryptedCodeLength(stored: string): number {
  return sealedLength(stored);
}
