import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

// INSTALL_CODE_KEY is a key ring: one or more 256-bit keys, newest first (docs/decisions/028-key-rotation.md).
// Values are sealed with AES-256-GCM under the newest key and stored as "v2.<key id>.<base64url(iv |
// tag | ciphertext)>"; the key id says which key opens them, so that `npm run keys:rotate` can find what
// is not yet under the newest key and an operator can tell when an older key may be removed. Values
// written before key rotation existed are "v1.<payload>", without a key id: each key is tried in turn
// (GCM's tag tells which one sealed them).

/** 64 hexadecimal characters (lower case), newest first; never empty. */
export type KeyRing = readonly string[];

/** What a sealed value is, for error messages, and the key it is sealed with for a given ring key. */
export type SealPurpose = { what: string; derive: (key: Buffer) => Buffer };

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_LABEL = "install-code-portal key id";
const KEY_PATTERN = /^[0-9a-fA-F]{64}$/;

const keyIds = new Map<string, string>();

/**
 * A key's id: the first 8 hex characters of HMAC-SHA256(key, "install-code-portal key id"). Keyed with
 * the key itself, so it says nothing about the key (unlike a prefix of the key or of a plain hash that
 * could be looked up), names it in logs and in `keys:rotate --check`, and is stored beside each value.
 */
export function keyId(hexKey: string): string {
  const known = keyIds.get(hexKey);
  if (known) return known;
  const id = createHmac("sha256", Buffer.from(hexKey, "hex")).update(KEY_ID_LABEL).digest("hex").slice(0, 8);
  keyIds.set(hexKey, id);
  return id;
}

const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

/**
 * Reads INSTALL_CODE_KEY: one key, or several separated by commas, newest first. The messages never
 * repeat a key; they name its position.
 */
export function parseKeyRing(text: string): { ok: true; keys: string[] } | { ok: false; error: string } {
  const parts = text.split(",").map((p) => p.trim());
  const several = parts.length > 1;
  const keys: string[] = [];
  for (const [index, part] of parts.entries()) {
    const which = several ? `the ${ordinal(index + 1)} key` : "";
    if (part === "") return { ok: false, error: several ? `${which} is empty (list keys newest first, separated by commas)` : "must be 64 hexadecimal characters (a 256-bit key)" };
    if (!KEY_PATTERN.test(part)) return { ok: false, error: `${several ? `${which} ` : ""}must be 64 hexadecimal characters (a 256-bit key)` };
    const key = part.toLowerCase();
    const same = keys.indexOf(key);
    if (same >= 0) return { ok: false, error: `the ${ordinal(same + 1)} and ${ordinal(index + 1)} keys are the same key: list each key once` };
    const clash = keys.findIndex((k) => keyId(k) === keyId(key));
    if (clash >= 0) {
      return { ok: false, error: `the ${ordinal(clash + 1)} and ${ordinal(index + 1)} keys have the same key id: generate another new key` };
    }
    keys.push(key);
  }
  return { ok: true, keys };
}

/** The key id a stored value names ("v2."), or null for a value that names none ("v1.", or not sealed). */
export function sealedWith(stored: string): string | null {
  const [version, id, payload] = stored.split(".");
  return version === "v2" && id && payload !== undefined ? id : null;
}

/** A v2 value names a key the ring does not hold: it was sealed under a key since removed. */
export class KeyNotHeldError extends Error {
  constructor(
    readonly keyId: string,
    what: string,
  ) {
    super(`${what} sealed by key ${keyId}, which INSTALL_CODE_KEY no longer holds`);
    this.name = "KeyNotHeldError";
  }
}

/** Seals `plain` under the ring's newest key, with `aad` as additional authenticated data. */
function seal(plain: string, aad: string, ring: KeyRing, purpose: SealPurpose): string {
  const newest = ring[0];
  if (!newest) throw new Error("INSTALL_CODE_KEY holds no key");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", purpose.derive(Buffer.from(newest, "hex")), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v2.${keyId(newest)}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

function openWith(payload: string, aad: string, key: string, purpose: SealPurpose): string {
  const raw = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", purpose.derive(Buffer.from(key, "hex")), raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}

/**
 * Opens a stored value: a v2 value with the key its id names (KeyNotHeldError if the ring has none),
 * a v1 value with whichever key of the ring authenticates it. Throws if it was tampered with, or
 * sealed for other additional data.
 */
function open(stored: string, aad: string, ring: KeyRing, purpose: SealPurpose): string {
  const parts = stored.split(".");
  if (parts[0] === "v2" && parts.length === 3 && parts[1] && parts[2]) {
    const key = ring.find((k) => keyId(k) === parts[1]);
    if (!key) throw new KeyNotHeldError(parts[1], purpose.what);
    return openWith(parts[2], aad, key, purpose);
  }
  if (parts[0] === "v1" && parts.length === 2 && parts[1]) {
    let failure: unknown;
    for (const key of ring) {
      try {
        return openWith(parts[1], aad, key, purpose);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
  throw new Error(`Unknown ${purpose.what} encryption format`);
}

/** How many bytes the sealed plain text has (GCM keeps the length), without opening it. */
export function sealedLength(stored: string): number {
  const payload = Buffer.from(stored.split(".").at(-1) ?? "", "base64url");
  return Math.max(payload.length - IV_BYTES - TAG_BYTES, 0);
}

/** One key (tests, tools) or a ring, newest first; the configured ring when omitted. */
export type Keys = string | KeyRing | undefined;

/**
 * Sealing for one purpose: `seal` under the newest key, `open` (KeyNotHeldError when the value names
 * a key the ring no longer holds), and `reseal`, what `npm run keys:rotate` does to each stored value.
 * `configured` is INSTALL_CODE_KEY's ring (lib/env.ts, which itself reads keys with parseKeyRing).
 */
export function sealerFor(purpose: SealPurpose, configured: () => KeyRing) {
  const ringOf = (keys: Keys): KeyRing => (keys === undefined ? configured() : typeof keys === "string" ? [keys.toLowerCase()] : keys);
  return {
    seal: (plain: string, aad: string, keys?: Keys) => seal(plain, aad, ringOf(keys), purpose),
    open: (stored: string, aad: string, keys?: Keys) => open(stored, aad, ringOf(keys), purpose),
    reseal: (stored: string, aad: string, keys?: Keys) => {
      const ring = ringOf(keys);
      return seal(open(stored, aad, ring, purpose), aad, ring, purpose);
    },
  };
}
