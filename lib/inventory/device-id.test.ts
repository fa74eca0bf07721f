import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { DEVICE_ID_MESSAGE, parseDeviceId } from "./device-id";

// DOMAIN.md, "Device ID (EUI-64)": stored and shown upper-case with hyphens; input accepted with or
// without hyphens/spaces/colons, in any case; anything else is refused.
const NORMAL = "00-DB-12-34-56-78-90-A0";

describe("parseDeviceId", () => {
  describe("accepts a Device ID however it is written and normalises it", () => {
    it.each([
      ["the DUIS form", "00-DB-12-34-56-78-90-A0"],
      ["hyphens, lower case", "00-db-12-34-56-78-90-a0"],
      ["colons", "00:DB:12:34:56:78:90:A0"],
      ["spaces", "00 DB 12 34 56 78 90 A0"],
      ["no separators", "00DB1234567890A0"],
      ["no separators, lower case", "00db1234567890a0"],
      ["mixed case", "00-Db-12-34-56-78-90-a0"],
      ["surrounding whitespace", "  00-DB-12-34-56-78-90-A0 \t\n"],
      ["grouped in fours", "00DB 1234 5678 90A0"],
      ["hyphens in other places", "00DB-1234-5678-90A0"],
      ["mixed separators", "00:DB-12 34:56-78 90:A0"],
    ])("%s: %j", (_label, input) => {
      expect(parseDeviceId(input)).toBe(NORMAL);
    });

    it("keeps every digit in order (not just the example)", () => {
      expect(parseDeviceId("0123456789abcdef")).toBe("01-23-45-67-89-AB-CD-EF");
      expect(parseDeviceId("FE:DC:BA:98:76:54:32:10")).toBe("FE-DC-BA-98-76-54-32-10");
    });

    it("gives a result that matches the DUIS pattern and parses to itself", () => {
      const parsed = parseDeviceId("00db1234567890a0");
      expect(parsed).toMatch(/^[A-F0-9]{2}(-[A-F0-9]{2}){7}$/);
      expect(parseDeviceId(parsed!)).toBe(parsed);
    });
  });

  describe("refuses anything that is not 16 hexadecimal digits", () => {
    it.each([
      ["15 digits", "00DB1234567890A"],
      ["17 digits", "00DB1234567890A01"],
      ["7 octets", "00-DB-12-34-56-78-90"],
      ["9 octets", "00-DB-12-34-56-78-90-A0-01"],
      ["a non-hex letter G", "00-DB-12-34-56-78-90-AG"],
      ["a letter O for zero", "O0-DB-12-34-56-78-90-A0"],
      ["empty", ""],
      ["only whitespace", "   "],
      ["dots", "00.DB.12.34.56.78.90.A0"],
      ["underscores", "00_DB_12_34_56_78_90_A0"],
      ["slashes", "00/DB/12/34/56/78/90/A0"],
      ["a 0x prefix", "0x00DB1234567890A0"],
      ["trailing text", "00-DB-12-34-56-78-90-A0 ESME"],
    ])("%s: %j", (_label, input) => {
      expect(parseDeviceId(input)).toBeNull();
    });
  });

  it("has a message that shows the expected form", () => {
    expect(DEVICE_ID_MESSAGE).toContain(NORMAL);
    expect(DEVICE_ID_MESSAGE).toMatch(/16 hexadecimal digits/);
  });
});

describe("parseDeviceId, for any input", () => {
  const CANONICAL = /^[0-9A-F]{2}(-[0-9A-F]{2}){7}$/;
  const canonicalOf = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join("-");
  const eui64 = fc.uint8Array({ minLength: 8, maxLength: 8 });

  it.prop([fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.stringMatching(/^[0-9a-fA-F:\- ]{0,30}$/))], { numRuns: 1000 })(
    "never throws, and gives either a Device ID in the DUIS form or nothing",
    (input) => {
      const id = parseDeviceId(input);
      if (id !== null) expect(id).toMatch(CANONICAL);
    },
  );

  it.prop([
    eui64,
    fc.array(fc.constantFrom("-", ":", " ", ""), { minLength: 7, maxLength: 7 }),
    fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    fc.constantFrom("", " ", "\t", "\n"),
  ])("reads every EUI-64, in any case, with hyphens, colons, spaces or nothing between pairs", (bytes, separators, lower, padding) => {
    const digits = canonicalOf(bytes).replace(/-/g, "").split("").map((d, i) => (lower[i] ? d.toLowerCase() : d));
    const typed = digits.reduce((out, d, i) => out + (i > 0 && i % 2 === 0 ? separators[i / 2 - 1] : "") + d, "");
    expect(parseDeviceId(`${padding}${typed}${padding}`)).toBe(canonicalOf(bytes));
  });

  it.prop([eui64])("reads its own canonical form back unchanged", (bytes) => {
    expect(parseDeviceId(canonicalOf(bytes))).toBe(canonicalOf(bytes));
  });

  // Near misses as well as hits: sixteen-ish digits with separators, some of them not allowed.
  const nearlyADeviceId = fc
    .array(fc.constantFrom(..."0123456789abcdefABCDEF".split(""), "0", "F", "-", ":", " ", ".", "_", "g", "\t"), { minLength: 14, maxLength: 26 })
    .map((chars) => chars.join(""));

  it.prop([nearlyADeviceId], { numRuns: 1000 })("keeps exactly the digits that were typed, in order, when it reads a Device ID", (input) => {
    const id = parseDeviceId(input);
    if (id === null) return;
    expect(parseDeviceId(id)).toBe(id);
    expect(id.replace(/-/g, "")).toBe(input.replace(/[-: \t]/g, "").toUpperCase());
  });

  it.prop([nearlyADeviceId], { numRuns: 1000 })("refuses anything but sixteen hex digits with hyphens, colons or spaces between", (input) => {
    const digits = input.replace(/[-: \t]/g, "");
    expect(parseDeviceId(input) !== null).toBe(/^[0-9A-Fa-f]{16}$/.test(digits));
  });
});
