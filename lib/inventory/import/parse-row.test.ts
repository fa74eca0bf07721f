import { describe, expect, it } from "vitest";
import { parseIsoTimestamp, parseRow, type OrganisationLookup } from "./parse-row";

const KNOWN: Record<string, "SUPPLIER" | "OTHER"> = { NWE: "SUPPLIER", SFP: "SUPPLIER", DCC: "OTHER" };
const orgs: OrganisationLookup = (code) => KNOWN[code];
const GOOD = ["00db1234567890a0", "ESME", "InstalledNotCommissioned", "2026-10-01T09:00:00Z", "Landis+Gyr", "E470", "4.2.1", "1900000000001", "NWE"];

/** The good row with some fields replaced (by index). */
const withFields = (changes: Record<number, string>) => GOOD.map((f, i) => changes[i] ?? f);
const reasons = (fields: string[], createOrganisations = false) => {
  const parsed = parseRow(fields, { organisation: orgs, createOrganisations });
  return parsed.ok ? [] : parsed.reasons;
};

describe("parseRow", () => {
  it("accepts a good row and keeps the Device ID in its canonical form", () => {
    const parsed = parseRow(GOOD, { organisation: orgs });
    expect(parsed).toEqual({
      ok: true,
      newOrganisation: false,
      row: {
        deviceId: "00-DB-12-34-56-78-90-A0",
        deviceType: "ESME",
        status: "InstalledNotCommissioned",
        statusChangedAt: new Date("2026-10-01T09:00:00Z"),
        manufacturer: "Landis+Gyr",
        model: "E470",
        firmwareVersion: "4.2.1",
        mpxn: "1900000000001",
        preNotifiedBy: "NWE",
      },
    });
  });

  it("accepts a Type 2 Device without status, date or MPxN", () => {
    const parsed = parseRow(withFields({ 1: "IHD", 2: "", 3: "", 7: "" }), { organisation: orgs });
    expect(parsed.ok && parsed.row).toMatchObject({ deviceType: "IHD", status: null, statusChangedAt: null, mpxn: null });
  });

  it.each([
    ["a Device ID that is not 16 hex digits", { 0: "00-DB-12-34-56-78-90-AG" }, /^device_id "00-DB-12-34-56-78-90-AG": Device ID must be 16 hexadecimal digits/],
    ["an unknown type", { 1: "SMETS2" }, /^device_type "SMETS2" is not one of ESME, GSME/],
    ["a type in the wrong case", { 1: "esme" }, /^device_type "esme"/],
    ["an unknown status", { 2: "Installed" }, /^status "Installed" is not one of Pending/],
    ["a Type 2 Device with a status", { 1: "CAD" }, /^a CAD is a Type 2 Device and has no status$/],
    ["a Type 1 Device without a status", { 2: "", 3: "" }, /^an ESME is a Type 1 Device and needs a status$/],
    ["a status without its date", { 3: "" }, /^status_changed_at is required with a status$/],
    ["a date without a status", { 1: "IHD", 2: "" }, /^status_changed_at must be empty when there is no status$/],
    ["a date that is not ISO 8601", { 3: "01/10/2026 09:00" }, /^status_changed_at "01\/10\/2026 09:00" is not an ISO 8601 timestamp/],
    ["a date without an offset", { 3: "2026-10-01T09:00:00" }, /^status_changed_at/],
    ["an impossible date", { 3: "2026-02-30T09:00:00Z" }, /^status_changed_at/],
    ["an impossible hour", { 3: "2026-02-03T24:00:00Z" }, /^status_changed_at/],
    ["a manufacturer over 30 characters", { 4: "M".repeat(31) }, /^manufacturer must be 1 to 30 characters \(has 31\)$/],
    ["no manufacturer", { 4: "  " }, /^manufacturer must be 1 to 30 characters \(has 0\)$/],
    ["a model over 30 characters", { 5: "M".repeat(31) }, /^model must be 1 to 30 characters \(has 31\)$/],
    ["no firmware version", { 6: "" }, /^firmware_version must be 1 to 8 characters \(has 0\)$/],
    ["a firmware version over 8 characters", { 6: "1.2.3.4.5" }, /^firmware_version must be 1 to 8 characters \(has 9\)$/],
    ["an MPxN with letters", { 7: "12AB" }, /^mpxn "12AB" must be 6 to 13 digits$/],
    ["an MPxN of 5 digits", { 7: "12345" }, /^mpxn "12345"/],
    ["an MPxN of 14 digits", { 7: "12345678901234" }, /^mpxn "12345678901234"/],
    ["an unknown organisation", { 8: "ZZZZ" }, /^pre_notified_by ZZZZ is not a known organisation/],
    ["an organisation that is not a Supplier", { 8: "DCC" }, /^pre_notified_by DCC is not a Supplier$/],
    ["a malformed organisation code", { 8: "no-such-org" }, /^pre_notified_by "no-such-org" is not an organisation code/],
  ])("refuses %s", (_label, changes, reason) => {
    const found = reasons(withFields(changes));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(reason);
  });

  it("gives every reason at once", () => {
    expect(reasons(withFields({ 0: "x", 4: "", 7: "1" }))).toHaveLength(3);
  });

  it("refuses a row with too few or too many fields", () => {
    expect(reasons(GOOD.slice(0, 8))).toEqual(["expected 9 fields, found 8"]);
    expect(reasons([...GOOD, ""])).toEqual(["expected 9 fields, found 10"]);
  });

  it("accepts edge lengths: 30-character names, 8-character firmware, 6- and 13-digit MPxNs", () => {
    expect(reasons(withFields({ 4: "M".repeat(30), 5: "M".repeat(30), 6: "12345678", 7: "123456" }))).toEqual([]);
    expect(reasons(withFields({ 7: "1234567890123" }))).toEqual([]);
  });

  it("accepts an unknown, well-formed Supplier code only when asked to create it", () => {
    expect(reasons(withFields({ 8: "ZZZZ" }), false)).toHaveLength(1);
    const parsed = parseRow(withFields({ 8: "ZZZZ" }), { organisation: orgs, createOrganisations: true });
    expect(parsed.ok && parsed.newOrganisation).toBe(true);
    // Never a known non-Supplier, nor a malformed code.
    expect(reasons(withFields({ 8: "DCC" }), true)).toHaveLength(1);
    expect(reasons(withFields({ 8: "no-such-org" }), true)).toHaveLength(1);
  });
});

describe("parseIsoTimestamp", () => {
  it.each([
    ["2026-10-01T09:00:00Z", "2026-10-01T09:00:00.000Z"],
    ["2026-10-01T10:00:00+01:00", "2026-10-01T09:00:00.000Z"],
    ["2026-10-01T09:00Z", "2026-10-01T09:00:00.000Z"],
    ["2026-10-01T09:00:00.123Z", "2026-10-01T09:00:00.123Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
  ])("reads %s", (input, iso) => {
    expect(parseIsoTimestamp(input)?.toISOString()).toBe(iso);
  });
  it.each(["2026-10-01", "2026-10-01 09:00:00Z", "2025-02-29T00:00:00Z", "2026-00-10T00:00:00Z", "2026-10-01T09:60:00Z", "yesterday"])(
    "refuses %s",
    (input) => {
      expect(parseIsoTimestamp(input)).toBeNull();
    },
  );
});
