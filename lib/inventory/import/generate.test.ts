import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseDeviceId } from "../device-id";
import { BAD_ROW_KINDS, generateInventory, parseShare, supplierCodes } from "./generate";
import { parseRow, SMI_COLUMNS } from "./parse-row";

function digest(options: Parameters<typeof generateInventory>[0]): string {
  const hash = createHash("sha256");
  for (const line of generateInventory(options)) hash.update(line.text);
  return hash.digest("hex");
}

describe("generateInventory", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    expect(digest({ devices: 2_000, seed: 5, bad: 0.01 })).toBe(digest({ devices: 2_000, seed: 5, bad: 0.01 }));
    expect(digest({ devices: 2_000, seed: 5 })).not.toBe(digest({ devices: 2_000, seed: 6 }));
  });

  it("starts with the header and writes one line per Device", () => {
    const lines = [...generateInventory({ devices: 10, seed: 1 })];
    expect(lines[0].text).toBe(SMI_COLUMNS.join(",") + "\n");
    expect(lines).toHaveLength(11);
  });

  it("writes good rows that pass every rule, with unique Device IDs, every type and status, most Commissioned", () => {
    const codes = new Set(supplierCodes(9));
    const context = { organisation: (code: string) => (codes.has(code) ? ("SUPPLIER" as const) : undefined) };
    const ids = new Set<string>();
    const types = new Map<string, number>();
    const statuses = new Map<string, number>();
    const lines = [...generateInventory({ devices: 20_000, seed: 9 })].slice(1);
    for (const line of lines) {
      const parsed = parseRow(line.text.trimEnd().split(","), context);
      if (!parsed.ok) throw new Error(`${line.text}: ${parsed.reasons.join("; ")}`);
      ids.add(parsed.row.deviceId);
      types.set(parsed.row.deviceType, (types.get(parsed.row.deviceType) ?? 0) + 1);
      statuses.set(parsed.row.status ?? "none", (statuses.get(parsed.row.status ?? "none") ?? 0) + 1);
    }
    expect(ids.size).toBe(20_000);
    expect(types.size).toBe(8);
    expect(statuses.size).toBe(10);
    expect(statuses.get("Commissioned")!).toBeGreaterThan(0.7 * 20_000);
    const eligible = ["Pending", "Whitelisted", "InstalledNotCommissioned"].reduce((n, s) => n + statuses.get(s)!, 0);
    expect(eligible / 20_000).toBeGreaterThan(0.02);
    expect(eligible / 20_000).toBeLessThan(0.1);
  });

  it("uses the demo Suppliers and a few hundred more codes", () => {
    const codes = supplierCodes(9);
    expect(codes.slice(0, 3)).toEqual(["NWE", "SFP", "EGP"]);
    expect(new Set(codes).size).toBe(303);
    const used = new Set([...generateInventory({ devices: 5_000, seed: 9 })].slice(1).map((l) => l.text.trimEnd().split(",")[8]));
    expect(used.has("NWE") && used.has("SFP") && used.has("EGP")).toBe(true);
    expect(used.size).toBeGreaterThan(250);
  });

  it("makes every kind of bad row when asked, each one refused for its own reason", () => {
    const context = { organisation: () => "SUPPLIER" as const };
    const kinds = new Set<string>();
    let bad = 0;
    for (const line of [...generateInventory({ devices: 5_000, seed: 2, bad: 0.05 })].slice(1)) {
      const parsed = parseRow(line.text.trimEnd().split(","), context);
      expect(parsed.ok, line.text).toBe(line.bad === null);
      if (line.bad) {
        bad++;
        kinds.add(line.bad);
      }
    }
    expect([...kinds].sort()).toEqual([...BAD_ROW_KINDS].sort());
    expect(bad).toBeGreaterThan(150);
    expect(bad).toBeLessThan(350);
  });

  it("makes Device IDs in the DUIS form", () => {
    const first = [...generateInventory({ devices: 1, seed: 4 })][1].text.split(",")[0];
    expect(parseDeviceId(first)).toBe(first);
  });
});

describe("parseShare", () => {
  it.each([["0.1%", 0.001], ["0.001", 0.001], ["5%", 0.05], ["0", 0], ["100%", 1]])("reads %s", (input, share) => {
    expect(parseShare(input)).toBeCloseTo(share, 10);
  });
  it.each(["", "-1%", "abc", "101%", "2"])("refuses %j", (input) => {
    expect(parseShare(input)).toBeNull();
  });
});
