import { createCipheriv, hkdfSync, randomBytes } from "node:crypto";

// Values as the portal stored them before key rotation (decision 005, "v1.<base64url(iv | tag |
// ciphertext)>", no key id), written here with node:crypto alone so that the tests pin the old format
// rather than whatever the portal's code now writes.

function sealV1(plain: string, aad: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

/** An Install Code as stored before key rotation: AES-256-GCM under the key itself. */
export function legacyInstallCode(code: string, aad: string, hexKey: string): string {
  return sealV1(code, aad, Buffer.from(hexKey, "hex"));
}

/** A webhook signing secret as stored before key rotation: under the key's HKDF derivation for secrets. */
export function legacySigningSecret(secret: string, endpointId: string, hexKey: string): string {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(hexKey, "hex"), Buffer.alloc(0), "install-code-portal webhook signing secret v1", 32));
  return sealV1(secret, endpointId, key);
}
