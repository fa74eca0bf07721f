import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { legacyInstallCode } from "../../tests/helpers/legacy-ciphertext";
import { decryptInstallCode, encryptInstallCode, resealInstallCode } from "./encryption";
import { keyId, KeyNotHeldError, sealedWith } from "./key-ring";

// Install Codes are secrets at rest (DOMAIN.md, "Install Code"). Every call passes an explicit key so
// the tests do not depend on INSTALL_CODE_KEY.
const KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const OTHER_KEY = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const CODE = "83FED3407A939723A5C639B26916D505";
const REQUEST_ID = "req_0000042";

/** Flips one bit of the decoded payload (the last part) at `index` (negative counts from the end). */
function tamper(stored: string, index: number): string {
  const parts = stored.split(".");
  const raw = Buffer.from(parts.at(-1)!, "base64url");
  raw[index < 0 ? raw.length + index : index] ^= 0x01;
  return [...parts.slice(0, -1), raw.toString("base64url")].join(".");
}

describe("encryptInstallCode / decryptInstallCode", () => {
  it("decrypts to the code that was encrypted", () => {
    const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
    expect(decryptInstallCode(stored, REQUEST_ID, KEY)).toBe(CODE);
  });

  it.each(["0123456789AB", "0123456789ABCDEF", "0123456789ABCDEF01234567"])("round-trips a %s-length code", (code) => {
    expect(decryptInstallCode(encryptInstallCode(code, REQUEST_ID, KEY), REQUEST_ID, KEY)).toBe(code);
  });

  it("gives a different stored value each time for the same code (random IV)", () => {
    const first = encryptInstallCode(CODE, REQUEST_ID, KEY);
    const second = encryptInstallCode(CODE, REQUEST_ID, KEY);
    expect(first).not.toBe(second);
    expect(decryptInstallCode(first, REQUEST_ID, KEY)).toBe(CODE);
    expect(decryptInstallCode(second, REQUEST_ID, KEY)).toBe(CODE);
  });

  it("does not store the code in any readable form", () => {
    const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
    const forms = [
      CODE,
      CODE.toLowerCase(),
      Buffer.from(CODE, "utf8").toString("base64"),
      Buffer.from(CODE, "utf8").toString("base64url"),
      Buffer.from(CODE, "hex").toString("base64"),
      Buffer.from(CODE, "hex").toString("base64url"),
      Buffer.from(CODE, "utf8").toString("hex"),
    ];
    for (const form of forms) expect(stored).not.toContain(form);
  });

  it("names its format version and the key that sealed it in the stored value", () => {
    expect(encryptInstallCode(CODE, REQUEST_ID, KEY)).toMatch(new RegExp(`^v2\\.${keyId(KEY)}\\.[A-Za-z0-9_-]+$`));
  });

  describe("refuses to decrypt", () => {
    it("a value copied onto another request", () => {
      const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
      expect(() => decryptInstallCode(stored, "req_0000043", KEY)).toThrow();
    });

    it("with another key", () => {
      const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
      expect(() => decryptInstallCode(stored, REQUEST_ID, OTHER_KEY)).toThrow();
    });

    it.each([
      ["the IV", 0],
      ["the authentication tag", 12],
      ["the ciphertext", -1],
    ])("a value with %s tampered, in either format", (_part, index) => {
      for (const stored of [encryptInstallCode(CODE, REQUEST_ID, KEY), legacyInstallCode(CODE, REQUEST_ID, KEY)]) {
        expect(decryptInstallCode(stored, REQUEST_ID, [OTHER_KEY, KEY])).toBe(CODE);
        expect(() => decryptInstallCode(tamper(stored, index), REQUEST_ID, [OTHER_KEY, KEY])).toThrow(/unable to authenticate/);
      }
    });

    it("a value whose key id was changed to another key's of the ring", () => {
      const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
      const relabelled = stored.replace(`.${keyId(KEY)}.`, `.${keyId(OTHER_KEY)}.`);
      expect(() => decryptInstallCode(relabelled, REQUEST_ID, [KEY, OTHER_KEY])).toThrow(/unable to authenticate/);
    });

    it("a value with a truncated payload", () => {
      const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
      expect(() => decryptInstallCode(stored.slice(0, -8), REQUEST_ID, KEY)).toThrow();
    });

    it.each([
      ["another version", (s: string) => s.replace(/^v2\./, "v3.")],
      ["no version", (s: string) => s.replace(/^v2\./, "")],
      ["no key id", (s: string) => s.replace(/^v2\.[0-9a-f]+\./, "v2.")],
      ["an empty payload", (s: string) => s.replace(/\.[^.]+$/, ".")],
      ["an empty v1 payload", () => "v1."],
      ["an empty string", () => ""],
    ])("a value with %s", (_label, mangle) => {
      const stored = mangle(encryptInstallCode(CODE, REQUEST_ID, KEY));
      expect(() => decryptInstallCode(stored, REQUEST_ID, KEY)).toThrow(/Unknown Install Code encryption format/);
    });
  });
});

describe("key rotation (decision 028)", () => {
  const NEW_KEY = "ab".repeat(32);

  it("reads a code stored before key ids (v1) with whichever key of the ring sealed it", () => {
    const legacy = legacyInstallCode(CODE, REQUEST_ID, KEY);
    expect(sealedWith(legacy)).toBeNull();
    expect(decryptInstallCode(legacy, REQUEST_ID, KEY)).toBe(CODE);
    expect(decryptInstallCode(legacy, REQUEST_ID, [NEW_KEY, KEY])).toBe(CODE);
    expect(decryptInstallCode(legacy, REQUEST_ID, [NEW_KEY, OTHER_KEY, KEY])).toBe(CODE);
    expect(() => decryptInstallCode(legacy, REQUEST_ID, [NEW_KEY, OTHER_KEY])).toThrow(/unable to authenticate/);
  });

  it("seals with the newest key and opens with the key the value names, wherever it sits in the ring", () => {
    const stored = encryptInstallCode(CODE, REQUEST_ID, [NEW_KEY, KEY]);
    expect(sealedWith(stored)).toBe(keyId(NEW_KEY));
    expect(decryptInstallCode(stored, REQUEST_ID, [NEW_KEY])).toBe(CODE);
    expect(decryptInstallCode(stored, REQUEST_ID, [OTHER_KEY, KEY, NEW_KEY])).toBe(CODE);
  });

  it("says which key it needs when the ring no longer holds it", () => {
    const stored = encryptInstallCode(CODE, REQUEST_ID, [KEY, NEW_KEY]);
    const error = (() => {
      try {
        decryptInstallCode(stored, REQUEST_ID, [NEW_KEY, OTHER_KEY]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KeyNotHeldError);
    expect((error as Error).message).toBe(`Install Code sealed by key ${keyId(KEY)}, which INSTALL_CODE_KEY no longer holds`);
    expect((error as Error).message).not.toContain(KEY);
  });

  it("re-encrypts an old code under the newest key, readable by the newest key alone", () => {
    const legacy = legacyInstallCode(CODE, REQUEST_ID, KEY);
    const moved = resealInstallCode(legacy, REQUEST_ID, [NEW_KEY, KEY]);
    expect(sealedWith(moved)).toBe(keyId(NEW_KEY));
    expect(decryptInstallCode(moved, REQUEST_ID, NEW_KEY)).toBe(CODE);
    expect(() => decryptInstallCode(moved, REQUEST_ID, KEY)).toThrow(KeyNotHeldError);
    // Across requests it is refused as before.
    expect(() => resealInstallCode(legacy, "req_0000043", [NEW_KEY, KEY])).toThrow();
  });

  it("names a key by an id that gives nothing of it away: 8 hex characters of an HMAC keyed with it", () => {
    expect(keyId(KEY)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyId(KEY.toUpperCase())).toBe(keyId(KEY));
    expect(keyId(KEY)).not.toBe(keyId(OTHER_KEY));
    expect(KEY).not.toContain(keyId(KEY));
    expect(createHash("sha256").update(Buffer.from(KEY, "hex")).digest("hex")).not.toContain(keyId(KEY));
    expect(createHash("sha256").update(KEY).digest("hex")).not.toContain(keyId(KEY));
  });
});

describe("the stored code's length", () => {
  it("is known without decrypting, for the mask", async () => {
    const { encryptInstallCode: encrypt, encryptedCodeLength } = await import("./encryption");
    const key = "cd".repeat(32);
    for (const length of [12, 16, 24, 32]) {
      expect(encryptedCodeLength(encrypt("A".repeat(length), "request-1", key))).toBe(length);
      expect(encryptedCodeLength(legacyInstallCode("A".repeat(length), "request-1", key))).toBe(length);
    }
  });
});
