import { describe, expect, it } from "vitest";
import { containsInstallCode, crc16x25, INSTALL_CODE_CRC_MESSAGE, INSTALL_CODE_FORMAT_MESSAGE, maskInstallCode, parseInstallCode } from "./format";

// Expectations come from DOMAIN.md, "Install Code": codes of 6, 8, 12 or 16 octets; on a label, the
// code is followed by its CRC-16/X-25, least significant byte first.

const CODE_OCTETS = [6, 8, 12, 16];
const PUBLIC_CODE = "83FED3407A939723A5C639B26916D505";
const PUBLIC_LABEL = "83FED3407A939723A5C639B26916D505C3B5";
const CRC_MESSAGE = "Install Code CRC does not match: check the label";

function bytesOf(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join("");
}

/** A code of `octets` octets whose digits vary with `seed` (deterministic, no library needed). */
function sampleCode(octets: number, seed: number): string {
  let state = seed * 2654435761 + 1;
  const bytes = new Uint8Array(octets);
  for (let i = 0; i < octets; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return hexOf(bytes);
}

/** The code as printed on a label: the code, then its CRC least significant byte first. */
function label(code: string): string {
  const crc = crc16x25(bytesOf(code));
  return code + hexOf(Uint8Array.of(crc & 0xff, crc >>> 8));
}

/** Changes one hex digit at `index` to a different digit. */
function changeDigit(hex: string, index: number): string {
  const digit = hex[index] === "0" ? "1" : "0";
  return hex.slice(0, index) + digit + hex.slice(index + 1);
}

describe("crc16x25", () => {
  it("gives the CRC-16/X-25 check value 0x906E for ASCII 123456789", () => {
    expect(crc16x25(new TextEncoder().encode("123456789"))).toBe(0x906e);
  });

  it("gives 0xB5C3 for the public example code", () => {
    expect(crc16x25(bytesOf(PUBLIC_CODE))).toBe(0xb5c3);
  });

  it("gives 0x0000 for no input (init 0xFFFF, final XOR 0xFFFF)", () => {
    expect(crc16x25(new Uint8Array())).toBe(0x0000);
  });
});

describe("parseInstallCode", () => {
  describe("code followed by its CRC, as on a label", () => {
    it("reads the public example label as the bare code, CRC checked", () => {
      expect(parseInstallCode(PUBLIC_LABEL)).toEqual({ ok: true, code: PUBLIC_CODE, crcChecked: true });
    });

    it.each([
      ["lower case", PUBLIC_LABEL.toLowerCase()],
      ["grouped with spaces", "83FE D340 7A93 9723 A5C6 39B2 6916 D505 C3B5"],
      ["grouped with hyphens", "83FE-D340-7A93-9723-A5C6-39B2-6916-D505-C3B5"],
      ["surrounding whitespace", `  ${PUBLIC_LABEL}\n`],
    ])("accepts the label %s", (_label, input) => {
      expect(parseInstallCode(input)).toEqual({ ok: true, code: PUBLIC_CODE, crcChecked: true });
    });

    it("refuses the CRC written most significant byte first", () => {
      expect(parseInstallCode(`${PUBLIC_CODE}B5C3`)).toEqual({ ok: false, message: CRC_MESSAGE });
    });

    it("refuses a label with one code digit mistyped", () => {
      expect(parseInstallCode(changeDigit(PUBLIC_LABEL, 5))).toEqual({ ok: false, message: CRC_MESSAGE });
    });

    it("uses the exact CRC message from the constant", () => {
      expect(INSTALL_CODE_CRC_MESSAGE).toBe(CRC_MESSAGE);
    });

    for (const octets of CODE_OCTETS) {
      it(`round-trips ${octets}-octet codes with their CRC (${octets * 2 + 4} digits)`, () => {
        for (let seed = 0; seed < 50; seed++) {
          const code = sampleCode(octets, seed);
          expect(parseInstallCode(label(code))).toEqual({ ok: true, code, crcChecked: true });
          expect(parseInstallCode(label(code).toLowerCase())).toEqual({ ok: true, code, crcChecked: true });
        }
      });
    }

    // With a wrong CRC, 16 digits are still a valid bare 8-octet code; every other length is refused.
    for (const octets of [8, 12, 16]) {
      it(`refuses ${octets}-octet codes whose CRC does not match`, () => {
        for (let seed = 0; seed < 50; seed++) {
          const good = label(sampleCode(octets, seed));
          const badCrc = changeDigit(good, good.length - 1);
          const badCode = changeDigit(good, seed % (octets * 2));
          expect(parseInstallCode(badCrc)).toEqual({ ok: false, message: CRC_MESSAGE });
          expect(parseInstallCode(badCode)).toEqual({ ok: false, message: CRC_MESSAGE });
        }
      });
    }
  });

  describe("16 digits: an 8-octet code, or a 6-octet code with its CRC", () => {
    it("reads a 6-octet code followed by its correct CRC as the 12-digit code", () => {
      const code = "0123456789AB";
      const crc = crc16x25(bytesOf(code));
      const input = code + hexOf(Uint8Array.of(crc & 0xff, crc >>> 8));
      expect(input).toHaveLength(16);
      expect(parseInstallCode(input)).toEqual({ ok: true, code, crcChecked: true });
    });

    it("reads 16 digits whose last four are not the CRC as an 8-octet code", () => {
      for (let seed = 0; seed < 50; seed++) {
        const withWrongCrc = changeDigit(label(sampleCode(6, seed)), 15);
        expect(parseInstallCode(withWrongCrc)).toEqual({ ok: true, code: withWrongCrc, crcChecked: false });
      }
    });
  });

  describe("bare codes", () => {
    for (const octets of CODE_OCTETS) {
      it(`accepts ${octets * 2} hex digits as they are, upper-cased`, () => {
        const code = sampleCode(octets, octets);
        expect(parseInstallCode(code.toLowerCase())).toEqual({ ok: true, code, crcChecked: false });
      });
    }

    it("ignores spaces and hyphens between groups", () => {
      expect(parseInstallCode("83fe d340 7a93-9723 a5c6-39b2 6916 d505")).toEqual({
        ok: true,
        code: PUBLIC_CODE,
        crcChecked: false,
      });
      expect(parseInstallCode("ab-cd-ef-01-23-45")).toEqual({ ok: true, code: "ABCDEF012345", crcChecked: false });
    });
  });

  describe("refuses anything else with the format message", () => {
    const digits = (n: number) => "0123456789ABCDEF".repeat(3).slice(0, n);

    it.each([10, 14, 18, 22, 26, 30, 34, 38, 11, 13, 31, 33, 2, 40])("%i digits", (n) => {
      expect(parseInstallCode(digits(n))).toEqual({ ok: false, message: INSTALL_CODE_FORMAT_MESSAGE });
    });

    it.each([
      ["empty", ""],
      ["only whitespace", "   "],
      ["a non-hex letter", "83FED3407A939723A5C639B26916D50G"],
      ["a 0x prefix", `0x${PUBLIC_CODE}`],
      ["dots between groups", "83FE.D340.7A93"],
    ])("%s", (_label, input) => {
      expect(parseInstallCode(input)).toEqual({ ok: false, message: INSTALL_CODE_FORMAT_MESSAGE });
    });

    it("has a message that names the accepted lengths", () => {
      expect(INSTALL_CODE_FORMAT_MESSAGE).toMatch(/12, 16, 24 or 32/);
    });
  });
});

describe("maskInstallCode", () => {
  it("shows none of the code's characters", () => {
    const code = "AB".repeat(16);
    const masked = maskInstallCode(code);
    expect(masked).not.toContain("A");
    expect(masked).not.toContain("B");
  });

  it("names the length", () => {
    expect(maskInstallCode("AB".repeat(6))).toContain("12");
    expect(maskInstallCode("AB".repeat(16))).toContain("32");
  });

  it("looks the same for any two codes of the same length", () => {
    expect(maskInstallCode(PUBLIC_CODE)).toBe(maskInstallCode("F".repeat(32)));
    expect(maskInstallCode("0123456789AB")).toBe(maskInstallCode("BA9876543210"));
  });
});

describe("spotting an Install Code written in free text", () => {
  it("finds one bare, grouped in fours, or with its CRC", () => {
    expect(containsInstallCode("The code is 83FED3407A939723A5C639B26916D505, thanks")).toBe(true);
    expect(containsInstallCode("code: 83FE D340 7A93 9723 A5C6 39B2 6916 D505")).toBe(true);
    expect(containsInstallCode("83fe-d340-7a93-9723-a5c6-39b2-6916-d505-c3b5")).toBe(true);
    expect(containsInstallCode("a 12-octet one: 0011223344556677 8899AABB")).toBe(true);
  });

  it("leaves ordinary notes alone: Device IDs, MPxNs, references, dates, numbers", () => {
    expect(containsInstallCode("Devices 00-DB-12-34-56-78-90-A1 00-DB-12-34-56-78-90-A2 and 00DB1234567890A3")).toBe(false);
    expect(containsInstallCode("MPAN 1900000000123, MPRN 7000000001, ref RIC0000042, moved in 2026-11-01")).toBe(false);
    expect(containsInstallCode("Please call 0161 496 0000 between 9 and 5")).toBe(false);
    expect(containsInstallCode("")).toBe(false);
  });
});
