// Install Codes (DUIS InstallCode): hexBinary of 6, 8, 12 or 16 octets. A label often prints the code
// followed by its CRC-16/X-25, least significant byte first. See ../shared/docs/DOMAIN.md.

/** CRC-16/X-25: poly 0x1021 reflected (0x8408), init 0xFFFF, reflected in and out, xorout 0xFFFF. */
export function crc16x25(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return (crc ^ 0xffff) & 0xffff;
}

const CODE_OCTETS = [6, 8, 12, 16];

export type InstallCodeResult =
  | { ok: true; code: string; crcChecked: boolean }
  | { ok: false; message: string };

export const INSTALL_CODE_FORMAT_MESSAGE =
  "Install Code must be 12, 16, 24 or 32 hexadecimal digits, or the same followed by its 4-digit CRC as printed on the label";
export const INSTALL_CODE_CRC_MESSAGE = "Install Code CRC does not match: check the label";

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
}

function crcMatches(hex: string): boolean {
  const bytes = hexToBytes(hex);
  const code = bytes.subarray(0, bytes.length - 2);
  const crc = crc16x25(code);
  return bytes[bytes.length - 2] === (crc & 0xff) && bytes[bytes.length - 1] === crc >>> 8;
}

/**
 * Validates an Install Code as typed or pasted (spaces and hyphens between groups are ignored) and
 * returns the bare code, upper-case, without its CRC.
 *
 * 16 digits are either an 8-octet code or a 6-octet code with its CRC: they are read as code + CRC
 * only when the CRC matches (docs/decisions/005-install-codes.md).
 */
export function parseInstallCode(input: string): InstallCodeResult {
  const hex = input.replace(/[\s-]/g, "").toUpperCase();
  if (!/^[0-9A-F]*$/.test(hex) || hex.length === 0) return { ok: false, message: INSTALL_CODE_FORMAT_MESSAGE };
  const octets = hex.length / 2;
  const bare = CODE_OCTETS.includes(octets);
  const withCrc = CODE_OCTETS.includes(octets - 2);
  if (withCrc && crcMatches(hex)) return { ok: true, code: hex.slice(0, -4), crcChecked: true };
  if (bare) return { ok: true, code: hex, crcChecked: false };
  if (withCrc) return { ok: false, message: INSTALL_CODE_CRC_MESSAGE };
  return { ok: false, message: INSTALL_CODE_FORMAT_MESSAGE };
}

/** What the UI shows before a reveal: the length, never a digit. */
export function maskInstallCode(code: string): string {
  return `${"•".repeat(8)} (${code.length} hexadecimal digits, hidden)`;
}

/**
 * Whether free text seems to carry an Install Code: a run of 24 or more hexadecimal digits, bare or
 * in groups of four or more (as codes are written on labels). Device IDs, written in pairs, and
 * MPxNs are too short to match.
 */
export function containsInstallCode(text: string): boolean {
  for (const run of text.match(/[0-9A-Fa-f]{4,}(?:[ -]?[0-9A-Fa-f]{4,})*/g) ?? []) {
    if (run.replace(/[ -]/g, "").length >= 24) return true;
  }
  return false;
}

export const INSTALL_CODE_IN_TEXT_MESSAGE =
  "This text seems to contain an Install Code. Use the Install code field, which keeps it encrypted, instead of writing it here";
