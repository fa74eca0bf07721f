import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  containsInstallCode,
  crc16x25,
  INSTALL_CODE_CRC_MESSAGE,
  INSTALL_CODE_FORMAT_MESSAGE,
  INSTALL_CODE_IN_TEXT_MESSAGE,
  maskInstallCode,
  parseInstallCode,
} from "./format";

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

describe("parseInstallCode, for any input", () => {
  const ACCEPTED_DIGITS = [12, 16, 24, 32];
  const hexDigits = (min: number, max: number) =>
    fc.array(fc.constantFrom(..."0123456789abcdefABCDEF"), { minLength: min, maxLength: max }).map((d) => d.join(""));
  const code = fc.constantFrom(...CODE_OCTETS).chain((octets) => fc.uint8Array({ minLength: octets, maxLength: octets })).map(hexOf);
  /** Spaces or hyphens between arbitrary groups, as people type them. */
  const grouped = (hex: string) =>
    fc
      .array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom(" ", "-", "  ", " - ", "\t")), { maxLength: 12 })
      .map((cuts) => {
        let out = "";
        let at = 0;
        for (const [size, separator] of cuts) {
          if (at + size >= hex.length) break;
          out += hex.slice(at, at + size) + separator;
          at += size;
        }
        return out + hex.slice(at);
      });

  it.prop([fc.oneof(fc.string({ unit: "binary" }), hexDigits(0, 40), fc.string({ unit: "grapheme", maxLength: 200 }))], { numRuns: 1000 })(
    "never throws, and gives either an upper-case code of an accepted length or one of the two messages",
    (input) => {
      const result = parseInstallCode(input);
      if (result.ok) {
        expect(result.code).toMatch(/^[0-9A-F]+$/);
        expect(ACCEPTED_DIGITS).toContain(result.code.length);
      } else {
        expect([INSTALL_CODE_FORMAT_MESSAGE, INSTALL_CODE_CRC_MESSAGE]).toContain(result.message);
      }
    },
  );

  it.prop([hexDigits(0, 40)], { numRuns: 500 })("accepts hex digits only in the lengths of a code or a code with its CRC", (hex) => {
    if (parseInstallCode(hex).ok) expect([12, 16, 20, 24, 28, 32, 36]).toContain(hex.length);
    else expect([12, 24, 32]).not.toContain(hex.length);
  });

  it.prop([code.chain((c) => fc.tuple(fc.constant(c), fc.mixedCase(fc.constant(label(c))).chain(grouped)))])(
    "reads any code followed by its CRC, in any case and grouping, as the bare code",
    ([bare, typed]) => {
      expect(parseInstallCode(typed)).toEqual({ ok: true, code: bare, crcChecked: true });
    },
  );

  it.prop([code.filter((c) => c.length !== 16).chain((c) => fc.tuple(fc.constant(c), fc.mixedCase(fc.constant(c)).chain(grouped)))])(
    "keeps any bare code of 12, 24 or 32 digits as typed, upper-cased",
    ([bare, typed]) => {
      expect(parseInstallCode(typed)).toEqual({ ok: true, code: bare, crcChecked: false });
    },
  );

  it.prop([fc.uint8Array({ minLength: 8, maxLength: 8 }).map(hexOf)])(
    "keeps a 16-digit code whole unless its last four digits are the CRC of the first twelve",
    (hex) => {
      const crcOfFirstTwelve = label(hex.slice(0, 12)).slice(12);
      const expected =
        hex.slice(12) === crcOfFirstTwelve ? { ok: true, code: hex.slice(0, 12), crcChecked: true } : { ok: true, code: hex, crcChecked: false };
      expect(parseInstallCode(hex)).toEqual(expected);
    },
  );

  it.prop([fc.constantFrom(8, 12, 16).chain((octets) => fc.uint8Array({ minLength: octets, maxLength: octets })), fc.integer({ min: 1, max: 0xffff })])(
    "refuses 20, 28 or 36 digits whose CRC is wrong, saying so",
    (bytes, wrongBy) => {
      const crc = crc16x25(bytes) ^ wrongBy;
      const typed = hexOf(bytes) + hexOf(Uint8Array.of(crc & 0xff, crc >>> 8));
      expect([20, 28, 36]).toContain(typed.length);
      expect(parseInstallCode(typed)).toEqual({ ok: false, message: INSTALL_CODE_CRC_MESSAGE });
    },
  );
});

describe("spotting an Install Code written in free text", () => {
  const CAUGHT: [string, string][] = [
    ["the example code, bare", PUBLIC_CODE],
    ["the example code with its CRC", PUBLIC_LABEL],
    ["lower case", PUBLIC_CODE.toLowerCase()],
    ["in pairs with spaces", "83 FE D3 40 7A 93 97 23 A5 C6 39 B2 69 16 D5 05"],
    ["in pairs with colons, with CRC", "83:fe:d3:40:7a:93:97:23:a5:c6:39:b2:69:16:d5:05:c3:b5"],
    ["in pairs with dots", "83.FE.D3.40.7A.93.97.23.A5.C6.39.B2.69.16.D5.05"],
    ["in pairs with underscores", "83_FE_D3_40_7A_93_97_23_A5_C6_39_B2_69_16_D5_05"],
    ["in pairs with hyphens (sixteen pairs, not a Device ID)", "83-FE-D3-40-7A-93-97-23-A5-C6-39-B2-69-16-D5-05"],
    ["in groups of four", "83FE D340 7A93 9723 A5C6 39B2 6916 D505"],
    ["in groups of four with hyphens and CRC", "83fe-d340-7a93-9723-a5c6-39b2-6916-d505-c3b5"],
    ["across line breaks", "83FE D340 7A93 9723\nA5C6 39B2\r\n6916 D505"],
    ["in halves on two lines", "Code:\n83FED3407A939723\nA5C639B26916D505\nThanks"],
    ["in a sentence", "the code is 83 fe d3 40 7a 93 97 23 a5 c6 39 b2 69 16 d5 05, thanks"],
    ["in a sentence after hex-looking words", "Added a bed: 83FED3407A939723A5C639B26916D505 (see label)"],
    ["a 12-digit code", "83FED3407A93"],
    ["a 12-digit code in pairs", "code 83-FE-D3-40-7A-93 as on the label"],
    ["a 16-digit code", "83FED3407A939723"],
    ["a 16-digit code in groups of four", "83FE D340 7A93 9723"],
    ["a 24-digit code", "0011223344556677 8899AABB"],
    ["a code written as a hex literal", "0x83FED3407A939723A5C639B26916D505"],
    ["a code whose groups start with a Device ID's pairs", "83FE-D3-40-7A-93-97-23-A5-C6"],
    ["a decimal-only 16-digit code in one run", "1234567890123456"],
    ["a code after two Device IDs", "00-DB-12-34-56-78-90-A1 00-DB-12-34-56-78-90-A2 83FED3407A939723A5C639B26916D505"],
    ["a long hex paste hiding a code", `${PUBLIC_LABEL}0A1B2C`],
    // The documented price: a Device ID written without its hyphens is 16 hex digits, like a code.
    ["a bare 16-digit Device ID", "Device 00DB1234567890A3"],
    ["a Device ID in pairs with spaces", "Device 00 DB 12 34 56 78 90 A3"],
  ];

  it.each(CAUGHT)("catches %s: %j", (_label, text) => {
    expect(containsInstallCode(text)).toBe(true);
  });

  const LEFT_ALONE: [string, string][] = [
    ["nothing", ""],
    ["a Device ID", "00-DB-12-34-56-78-90-A1"],
    ["a Device ID in lower case", "device 00-db-12-34-56-78-90-a1 is in the garage"],
    ["a Device ID with colons", "00:DB:12:34:56:78:90:A1"],
    ["a Device ID after a label without a space", "Device:00-DB-12-34-56-78-90-A1"],
    ["Device IDs separated by commas", "00-DB-12-34-56-78-90-A1, 00-DB-12-34-56-78-90-A2, 00-DB-12-34-56-78-90-A3"],
    ["Device IDs separated by spaces", "00-DB-12-34-56-78-90-A1 00-DB-12-34-56-78-90-A2 00-DB-12-34-56-78-90-A3 00-DB-12-34-56-78-90-A4"],
    ["Device IDs separated by and", "00-DB-12-34-56-78-90-A1 and 00-DB-12-34-56-78-90-A2"],
    ["Device IDs on lines of their own", "00:DB:12:34:56:78:90:A1\n00-DB-12-34-56-78-90-A2\n"],
    ["prose with hex-looking words", "A bad face added a decade to the cafe; be a dab hand, feed the bee, efface the deed"],
    ["a long line of hex-looking words", "a bad face added a decade a bed a cafe a deaf babe"],
    ["several MPANs in a row", "MPANs 1234567890123 1234567890124 1234567890125"],
    ["a deadbeef-free sentence", "This deadbeef-free sentence is about a cafeteria code"],
    ["a date and time", "Visit booked for 30.11.2026 12:30"],
    ["a date with a time range", "Engineer on site 30.11.2026 12:30 - 14:30"],
    ["two UK phone numbers", "Call 01632 960983 or 01632 960984"],
    // The documented price of sparing dates and times: a decimal-only code written in groups.
    ["a decimal-only code in groups of four", "1234 5678 9012 3456"],
    ["an ISO date and time", "Moved in 2026-11-30T12:30:00Z"],
    ["a UK phone number", "Call +44 1632 960983 after 5"],
    ["a UK phone number with an area code", "Please call 0161 496 0000 between 9 and 5"],
    ["a mobile number", "Mobile 07700 900123"],
    ["an MPAN", "MPAN 1234567890123"],
    ["an MPAN and an MPRN", "MPAN 1900000000123, MPRN 7000000001"],
    ["a reference", "See RIC0000042 and RIC0000043"],
    ["a dated reference", "ref RIC0000042, moved in 2026-11-01"],
  ];

  it.each(LEFT_ALONE)("leaves alone %s: %j", (_label, text) => {
    expect(containsInstallCode(text)).toBe(false);
  });

  it("tells the writer where the code goes and how to write a Device ID", () => {
    expect(INSTALL_CODE_IN_TEXT_MESSAGE).toMatch(/seems to contain an Install Code/);
    expect(INSTALL_CODE_IN_TEXT_MESSAGE).toMatch(/Install Code field/);
    expect(INSTALL_CODE_IN_TEXT_MESSAGE).toContain("00-DB-12-34-56-78-90-A0");
  });

  it("judges a 4,000-character note of the most awkward shapes", () => {
    // Many short tokens make the most windows to try; each shape has a known answer.
    expect(containsInstallCode("1 ".repeat(2000))).toBe(false);
    expect(containsInstallCode(`${"1 ".repeat(1990)}83FE D340 7A93`)).toBe(true);
    expect(containsInstallCode("a ".repeat(2000))).toBe(false);
    expect(containsInstallCode("12345678901 ".repeat(333))).toBe(false);
    expect(containsInstallCode("00-DB-12-34-56-78-90-A1 ".repeat(166))).toBe(false);
    expect(containsInstallCode(`${"a ".repeat(1990)}83FED3407A93`)).toBe(true);
    expect(containsInstallCode("f".repeat(4000))).toBe(false);
    expect(containsInstallCode("0".repeat(4000))).toBe(false);
    expect(containsInstallCode(`${"ab".repeat(1999)}1c`)).toBe(true);
  });

  const SEPARATORS = [" ", ":", ".", "_", "-", "\n", "\r\n", "\t", "  ", " - ", ": "];
  const proseWord = fc.constantFrom(
    "the", "code", "is", "a", "bed", "cafe", "added", "decade", "face", "meter", "in", "garage", "2026", "12:30", "RIC0000042",
    "00-DB-12-34-56-78-90-A1", "thanks", "Device", "1234567890123", "deadbeef",
  );
  const prose = fc.oneof(
    fc.array(proseWord, { maxLength: 8 }).map((words) => words.join(" ")),
    fc.string({ unit: "grapheme", maxLength: 40 }),
  );
  // A code's own digits: each length of code, bare or with the CRC that a label would print.
  const writtenCode = fc
    .tuple(fc.constantFrom(...CODE_OCTETS), fc.boolean())
    .chain(([octets, withCrc]) => fc.uint8Array({ minLength: octets, maxLength: octets }).map((bytes) => (withCrc ? label(hexOf(bytes)) : hexOf(bytes))))
    // The documented blind spots (decision 008): a code with no decimal digit, and one with no letter
    // (caught only when written as one unbroken run of 16+ digits, tested above).
    .filter((hex) => /[0-9]/.test(hex) && /[A-F]/.test(hex));
  const groups = (hex: string) =>
    fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom(...SEPARATORS)), { maxLength: 20 }).map((cuts) => {
      const parts: string[] = [];
      const separators: string[] = [];
      let at = 0;
      for (const [size, separator] of cuts) {
        if (at + size >= hex.length) break;
        parts.push(hex.slice(at, at + size));
        separators.push(separator);
        at += size;
      }
      parts.push(hex.slice(at));
      return { parts, separators };
    });
  /** Eight pairs all joined by "-" or all by ":" read as a Device ID: the one grouping we let through. */
  function writesADeviceId({ parts, separators }: { parts: string[]; separators: string[] }): boolean {
    for (let i = 0; i + 8 <= parts.length; i++) {
      const pairs = parts.slice(i, i + 8).every((p) => p.length === 2);
      const joins = separators.slice(i, i + 7);
      if (pairs && (joins.every((j) => j === "-") || joins.every((j) => j === ":"))) return true;
    }
    return false;
  }
  const codeInProse = fc
    .tuple(writtenCode.chain((hex) => fc.mixedCase(fc.constant(hex))).chain(groups), prose, prose, fc.constantFrom(" ", "\n", ": ", " (", ", "))
    .filter(([grouped]) => !writesADeviceId(grouped))
    .map(([{ parts, separators }, before, after, boundary]) => {
      const code = parts.map((part, i) => part + (separators[i] ?? "")).join("");
      return `${before}${boundary}${code}${boundary === " (" ? ") " : " "}${after}`;
    });

  it.prop([codeInProse], { numRuns: 1000 })("catches any code, however it is grouped, wherever it sits in a note", (text) => {
    expect(containsInstallCode(text)).toBe(true);
  });

  const deviceId = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((bytes) => hexOf(bytes).match(/../g)!.join("-"));
  // Prose that holds no hexadecimal digit at all, so it cannot hide one.
  const proseWithoutHex = fc.oneof(
    fc.array(fc.constantFrom("meter", "is", "in", "the", "garage", "cafeteria", "code", "Device", "ID", "installed", "on", "Monday", "flat"), { maxLength: 8 }).map((w) => w.join(" ")),
    fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !/[0-9A-Fa-f]/.test(s)),
  );

  it.prop([fc.array(deviceId, { minLength: 1, maxLength: 6 }), fc.constantFrom(", ", " ", " and ", "\n", "; "), proseWithoutHex, proseWithoutHex, fc.constantFrom(" ", "\n", ": ", " (")])(
    "leaves alone any Device IDs in their written form, one or several, in a note",
    (ids, joiner, before, after, boundary) => {
      expect(containsInstallCode(`${before}${boundary}${ids.join(joiner)} ${after}`)).toBe(false);
    },
  );
});
