import { describe, expect, it } from "vitest";
import { decryptInstallCode, encryptInstallCode } from "./encryption";

// Install Codes are secrets at rest (DOMAIN.md, "Install Code"). Every call passes an explicit key so
// the tests do not depend on INSTALL_CODE_KEY.
const KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const OTHER_KEY = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const CODE = "83FED3407A939723A5C639B26916D505";
const REQUEST_ID = "req_0000042";

/** Flips one bit of the decoded payload at `index` (negative counts from the end). */
function tamper(stored: string, index: number): string {
  const [version, payload] = stored.split(".");
  const raw = Buffer.from(payload, "base64url");
  raw[index < 0 ? raw.length + index : index] ^= 0x01;
  return `${version}.${raw.toString("base64url")}`;
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

  it("names its format version in the stored value", () => {
    expect(encryptInstallCode(CODE, REQUEST_ID, KEY)).toMatch(/^v1\./);
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
    ])("a value with %s tampered", (_part, index) => {
      const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
      expect(() => decryptInstallCode(tamper(stored, index), REQUEST_ID, KEY)).toThrow();
    });

    it("a value with a truncated payload", () => {
      const stored = encryptInstallCode(CODE, REQUEST_ID, KEY);
      expect(() => decryptInstallCode(stored.slice(0, -8), REQUEST_ID, KEY)).toThrow();
    });

    it.each([
      ["another version", (s: string) => s.replace(/^v1\./, "v2.")],
      ["no version", (s: string) => s.replace(/^v1\./, "")],
      ["an empty payload", () => "v1."],
      ["an empty string", () => ""],
    ])("a value with %s", (_label, mangle) => {
      const stored = mangle(encryptInstallCode(CODE, REQUEST_ID, KEY));
      expect(() => decryptInstallCode(stored, REQUEST_ID, KEY)).toThrow(/Unknown Install Code encryption format/);
    });
  });
});

describe("the stored code's length", () => {
  it("is known without decrypting, for the mask", async () => {
    const { encryptInstallCode: encrypt, encryptedCodeLength } = await import("./encryption");
    const key = "cd".repeat(32);
    for (const length of [12, 16, 24, 32]) expect(encryptedCodeLength(encrypt("A".repeat(length), "request-1", key))).toBe(length);
  });
});
