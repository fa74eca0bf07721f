import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./dispatcher";
import { legacySigningSecret } from "../../tests/helpers/legacy-ciphertext";
import { decryptInstallCode } from "../install-code/encryption";
import { keyId } from "../install-code/key-ring";
import { decryptSigningSecret, encryptSigningSecret, generateSigningSecret, resealSigningSecret, signatureHeader } from "./secret";

const KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const OTHER_KEY = "1".repeat(64);

describe("webhook signing", () => {
  it("reproduces the Standard Webhooks specification's test vector", () => {
    // Published with the reference libraries (standard-webhooks, svix): what says a receiver's
    // off-the-shelf verifier accepts what the portal sends.
    expect(signatureHeader("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("makes secrets of 32 random bytes in the whsec_ form", () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it("keeps a secret encrypted, readable only with the key and for the endpoint it was stored for", () => {
    const secret = generateSigningSecret();
    const stored = encryptSigningSecret(secret, "endpoint-1", KEY);
    expect(stored).toMatch(new RegExp(`^v2\\.${keyId(KEY)}\\.`));
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(decryptSigningSecret(stored, "endpoint-1", KEY)).toBe(secret);
    expect(() => decryptSigningSecret(stored, "endpoint-2", KEY)).toThrow();
    expect(() => decryptSigningSecret(stored, "endpoint-1", OTHER_KEY)).toThrow("webhook secret sealed by key");
  });

  it("reads a secret stored before key ids (v1) and re-encrypts it under the newest key of the ring (decision 028)", () => {
    const secret = generateSigningSecret();
    const legacy = legacySigningSecret(secret, "endpoint-1", KEY);
    expect(decryptSigningSecret(legacy, "endpoint-1", [OTHER_KEY, KEY])).toBe(secret);
    const moved = resealSigningSecret(legacy, "endpoint-1", [OTHER_KEY, KEY]);
    expect(moved).toMatch(new RegExp(`^v2\\.${keyId(OTHER_KEY)}\\.`));
    expect(decryptSigningSecret(moved, "endpoint-1", OTHER_KEY)).toBe(secret);
    expect(() => decryptSigningSecret(moved, "endpoint-1", KEY)).toThrow(`webhook secret sealed by key ${keyId(OTHER_KEY)}, which INSTALL_CODE_KEY no longer holds`);
    // A secret's ciphertext is not a code's: the same key ring, another derived key.
    expect(() => decryptInstallCode(moved, "endpoint-1", OTHER_KEY)).toThrow(/unable to authenticate/);
  });
});

describe("retry back-off", () => {
  it("doubles from 30 seconds to a ceiling of 6 hours, with jitter between half and all of it", () => {
    expect(retryDelayMs(1, () => 1)).toBe(30_000);
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
    expect(retryDelayMs(2, () => 1)).toBe(60_000);
    expect(retryDelayMs(5, () => 1)).toBe(480_000);
    expect(retryDelayMs(11, () => 1)).toBe(6 * 3600_000);
    expect(retryDelayMs(40, () => 0.5)).toBe(4.5 * 3600_000);
  });
});
