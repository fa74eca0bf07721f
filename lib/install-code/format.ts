import { z } from "zod";

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

/**
 * An Install Code as a form field or API property: validated by parseInstallCode, answered as the bare
 * code. The one rule for every way a code arrives (provided for a request, lodged in advance).
 */
export const installCodeField = z
  .string({ error: "Enter the Install Code" })
  .trim()
  .min(1, "Enter the Install Code")
  .transform((value, ctx) => {
    const parsed = parseInstallCode(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.code;
  });

/** What the UI shows before a reveal: the length, never a digit. */
export function maskInstallCode(code: string): string {
  return `${"•".repeat(8)} (${code.length} hexadecimal digits, hidden)`;
}

// Spotting a code pasted into free text (docs/decisions/008-install-codes-in-free-text.md). A hex
// token is a whole word of hex digits: "cafe" is one, "cafeteria" and "RIC0000042" are not.
const CODE_DIGITS = new Set(CODE_OCTETS.flatMap((octets) => [octets * 2, octets * 2 + 4]));
const LONGEST_CODE_DIGITS = 36;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const HEX_WORD = /^(?:0[xX])?([0-9A-Fa-f]+)$/;
const GROUP_SEPARATORS = /^[\s:._-]+$/;
// A Device ID is eight pairs joined all by "-" or all by ":"; a pair sequence joined on to it this way
// is something longer (a code written in pairs), not a Device ID.
const DEVICE_ID_JOINS = new Set(["-", ":"]);

type HexToken = { digits: number; decimal: boolean; letter: boolean; pair: boolean; joinedBy: string };

function hexToken(hex: string, joinedBy: string): HexToken {
  return { digits: hex.length, decimal: /[0-9]/.test(hex), letter: /[A-Fa-f]/.test(hex), pair: hex.length === 2, joinedBy };
}

function isDeviceIdAt(run: HexToken[], i: number): boolean {
  if (i + 8 > run.length) return false;
  const join = run[i + 1].joinedBy;
  if (!DEVICE_ID_JOINS.has(join)) return false;
  for (let k = 0; k < 8; k++) {
    if (!run[i + k].pair || (k > 0 && run[i + k].joinedBy !== join)) return false;
  }
  const before = i > 0 ? run[i].joinedBy : "";
  const after = i + 8 < run.length ? run[i + 8].joinedBy : "";
  return !DEVICE_ID_JOINS.has(before) && !DEVICE_ID_JOINS.has(after);
}

/** The run with its Device IDs taken out: the pieces either side are read apart. */
function withoutDeviceIds(run: HexToken[]): HexToken[][] {
  const pieces: HexToken[][] = [];
  let start = 0;
  for (let i = 0; i < run.length; ) {
    if (isDeviceIdAt(run, i)) {
      pieces.push(run.slice(start, i));
      i += 8;
      start = i;
    } else {
      i++;
    }
  }
  pieces.push(run.slice(start));
  return pieces;
}

/**
 * Whether consecutive tokens somewhere in `tokens` hold as many digits as a code (with or without
 * CRC). Ordinary text is spared: a stretch needs a decimal digit (hex-looking words such as "a bad
 * face" have none), and a letter A-F too unless it is one unbroken run of 16 or more digits (dates,
 * times, phone numbers and MPANs are decimals, usually in groups).
 */
function carriesCode(tokens: HexToken[]): boolean {
  let total = 0;
  let decimal = false;
  let letter = false;
  for (const token of tokens) {
    total += token.digits;
    decimal ||= token.decimal;
    letter ||= token.letter;
  }
  if (!decimal) return false;
  // Longer than any code with its CRC: a long hex paste that hides a code somewhere inside.
  if (total > LONGEST_CODE_DIGITS && letter) return true;
  for (let i = 0; i < tokens.length; i++) {
    let digits = 0;
    decimal = false;
    letter = false;
    // Every token has a digit, so no window holds more than 36 tokens: linear in the text's length.
    for (let j = i; j < tokens.length && digits <= LONGEST_CODE_DIGITS; j++) {
      digits += tokens[j].digits;
      decimal ||= tokens[j].decimal;
      letter ||= tokens[j].letter;
      // Without a letter, only one unbroken run of 16+ digits counts: dates, times and phone numbers
      // are decimals in groups ("30.11.2026 12:30 - 14:30" has 16 digits), codes rarely are.
      if (CODE_DIGITS.has(digits) && decimal && (letter || (i === j && digits >= 16))) return true;
    }
  }
  return false;
}

/**
 * Whether free text seems to carry an Install Code: a run of hexadecimal words, joined only by
 * spaces, line breaks, ":", ".", "_" or "-", in which consecutive words hold 12, 16, 24 or 32 digits
 * (or 16, 20, 28, 36 with the CRC), or more than 36. Device IDs written as eight pairs
 * (00-DB-12-34-56-78-90-A0, or with colons) are left out first; a bare 16-digit Device ID cannot be
 * told from a code and is caught.
 */
export function containsInstallCode(text: string): boolean {
  let run: HexToken[] = [];
  let end = 0;
  const runCarriesCode = () => withoutDeviceIds(run).some(carriesCode);
  for (const match of text.matchAll(WORD)) {
    const hex = HEX_WORD.exec(match[0]);
    const gap = text.slice(end, match.index);
    end = match.index + match[0].length;
    if (hex && run.length > 0 && GROUP_SEPARATORS.test(gap)) {
      run.push(hexToken(hex[1], gap));
      continue;
    }
    if (runCarriesCode()) return true;
    run = hex ? [hexToken(hex[1], "")] : [];
  }
  return runCarriesCode();
}

export const INSTALL_CODE_IN_TEXT_MESSAGE =
  "This text seems to contain an Install Code: put the code in the Install Code field instead, which keeps it encrypted. Write a Device ID as eight pairs with hyphens, like 00-DB-12-34-56-78-90-A0";
