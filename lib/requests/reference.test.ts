import { describe, expect, it } from "vitest";
import { formatReference, parseReference } from "./reference";

describe("request references", () => {
  it("are RIC and seven digits, and fit DUIS's 15 characters as the sequence grows", () => {
    expect(formatReference(42)).toBe("RIC0000042");
    expect(formatReference(12_345_678)).toBe("RIC12345678");
    expect(formatReference(2_147_483_647).length).toBeLessThanOrEqual(15);
  });

  it("parse back to their number, in any case", () => {
    expect(parseReference("RIC0000042")).toBe(42);
    expect(parseReference("ric0000042")).toBe(42);
    expect(parseReference(formatReference(12_345_678))).toBe(12_345_678);
  });

  it("reject anything else without throwing", () => {
    for (const bad of ["", "RIC42", "RIC", "XYZ0000042", "RIC0000042x", "RIC-0000042", "RIC0000000", "RIC9999999999999", "../RIC0000042"]) {
      expect(parseReference(bad)).toBeNull();
    }
  });
});
