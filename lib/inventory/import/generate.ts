import { DEMO_ORGANISATIONS } from "../../db/seed";
import type { DeviceStatus, DeviceType } from "../device-kinds";
import { TYPE_2_DEVICES } from "../device-kinds";
import { SMI_COLUMNS } from "./parse-row";

// A realistic SMI extract for load tests and demos: deterministic for a seed, one line at a time
// (nothing is kept per row, so any number of Devices streams in constant memory).

export const BAD_ROW_KINDS = [
  "device_id",
  "device_type",
  "status",
  "type_2_with_status",
  "type_1_without_status",
  "status_changed_at",
  "manufacturer",
  "model",
  "firmware_version",
  "mpxn",
  "pre_notified_by",
  "field_count",
] as const;
export type BadRowKind = (typeof BAD_ROW_KINDS)[number];

export type GeneratorOptions = {
  devices: number;
  seed?: number;
  /** Share of rows made deliberately bad, 0 to 1 (each kind in turn). */
  bad?: number;
  /** How many Supplier codes beside the demo ones (NWE, SFP, EGP). */
  suppliers?: number;
};

/** One CSV line (with its newline), and what is wrong with it if it is a deliberately bad row. */
export type GeneratedLine = { text: string; bad: BadRowKind | null };

/** A 32-bit PRNG (mulberry32): small, fast, and the same everywhere for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A bijection on 32-bit integers (xor-shifts and odd multipliers are invertible): distinct inputs
// give distinct outputs, so Device IDs are unique without remembering them.
function permute32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, "0");
const pairs = (hex: string) => hex.match(/../g)!.join("-");

/** The demo Suppliers and `count` more four-letter codes, the same for a seed. */
export function supplierCodes(seed: number, count = 300): string[] {
  const demo = DEMO_ORGANISATIONS.filter((o) => o.kind === "SUPPLIER").map((o) => o.code as string);
  const random = prng(seed ^ 0x5eed);
  const codes = new Set<string>();
  while (codes.size < count) {
    let code = "";
    for (let i = 0; i < 4; i++) code += String.fromCharCode(65 + Math.floor(random() * 26));
    codes.add(code);
  }
  return [...demo, ...codes];
}

function weighted<T extends string>(random: () => number, table: readonly (readonly [T, number])[]): T {
  let r = random() * table.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of table) if ((r -= weight) < 0) return value;
  return table[table.length - 1][0];
}

// Shares loosely like the GB estate: meters and hubs, most of them commissioned.
const TYPES: readonly (readonly [DeviceType, number])[] = [
  ["ESME", 30], ["GSME", 21], ["GPF", 12], ["CHF", 17], ["IHD", 14], ["PPMID", 3], ["HCALCS", 1], ["CAD", 2],
];
const STATUSES: readonly (readonly [DeviceStatus, number])[] = [
  ["Commissioned", 87], ["InstalledNotCommissioned", 3], ["Pending", 1.5], ["Whitelisted", 1.5], ["Decommissioned", 3],
  ["Withdrawn", 1.5], ["Suspended", 1], ["Recovery", 0.8], ["Recovered", 0.7],
];
const HARDWARE: Record<DeviceType, readonly (readonly [string, string, string])[]> = {
  ESME: [["Landis+Gyr", "E470 SMETS2", "4.2.1"], ["Aclara", "SGM1412-B", "2.0.14"], ["Secure Meters", "Liberty 100", "1.19"]],
  GSME: [["Itron", "G4SR Gas", "2.1.7"], ["Flonidan", "G4SZV-2", "3.0"], ["EDMI", "Atlas Gas", "1.4.2"]],
  GPF: [["Toshiba", "GPF-2", "1.0.3"], ["WNC", "GPF-N", "2.2"]],
  CHF: [["Toshiba", "CH-2G North", "3.4.0"], ["WNC", "CH-2G South", "5.1.1"], ["Toshiba", "CH-2G Central", "3.4.2"]],
  HCALCS: [["Secure Meters", "HCALCS-1", "1.2"]],
  PPMID: [["Chameleon", "PPMID-3", "5.0.2"], ["geo", "Trio PPMID", "2.7"]],
  IHD: [["Chameleon", "IHD6", "6.1"], ["geo", "Trio II", "4.3.1"], ["Hildebrand", "Glow Display", "1.9"]],
  CAD: [["Hildebrand", "Glow CAD", "2.0"], ["n3rgy", "n3rgy CAD", "1.1"]],
};
const FROM = Date.UTC(2020, 0, 1);
const UNTIL = Date.UTC(2026, 9, 31);

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The header, then one line per Device. */
export function* generateInventory(options: GeneratorOptions): Generator<GeneratedLine> {
  const seed = options.seed ?? 1;
  const random = prng(seed);
  const suppliers = supplierCodes(seed, options.suppliers ?? 300);
  const prefix = hex8(permute32(seed ^ 0x00db0000));
  const key = permute32(seed + 0x9e3779b9);
  let badRows = 0;
  yield { text: SMI_COLUMNS.join(",") + "\n", bad: null };
  for (let i = 0; i < options.devices; i++) {
    const deviceType = weighted(random, TYPES);
    const type2 = TYPE_2_DEVICES.includes(deviceType);
    const status = type2 ? null : weighted(random, STATUSES);
    const changedAt = status ? new Date(FROM + Math.floor(random() * (UNTIL - FROM) / 1000) * 1000).toISOString().replace(".000Z", "Z") : "";
    const hardware = HARDWARE[deviceType][Math.floor(random() * HARDWARE[deviceType].length)];
    const installed = status !== null && status !== "Pending" && status !== "Whitelisted";
    const mpxn = !installed
      ? ""
      : deviceType === "ESME"
        ? String(1_000_000_000_000 + Math.floor(random() * 8_999_999_999_999))
        : deviceType === "GSME"
          ? String(1_000_000_000 + Math.floor(random() * 8_999_999_999))
          : "";
    // A tenth of the Devices for each demo Supplier, the rest spread over the others.
    const supplier = random() < 0.3 ? suppliers[Math.floor(random() * 3)] : suppliers[3 + Math.floor(random() * (suppliers.length - 3))];
    const fields = [pairs(prefix + hex8(permute32((i ^ key) >>> 0))), deviceType, status ?? "", changedAt, ...hardware, mpxn, supplier];

    let bad: BadRowKind | null = null;
    if (options.bad && random() < options.bad) {
      bad = BAD_ROW_KINDS[badRows++ % BAD_ROW_KINDS.length];
      spoil(fields, bad);
    }
    yield { text: fields.map(csvField).join(",") + "\n", bad };
  }
}

/** Makes exactly one thing wrong with a good row. */
function spoil(fields: string[], kind: BadRowKind): void {
  const type2 = fields[1] === "IHD" || fields[1] === "CAD";
  switch (kind) {
    case "device_id":
      fields[0] = fields[0].slice(0, -1) + "G";
      break;
    case "device_type":
      fields[1] = "SMETS2";
      break;
    case "status":
      if (type2) fields[1] = "ESME";
      fields[2] = "Installed";
      fields[3] = "2026-10-01T09:00:00Z";
      break;
    case "type_2_with_status":
      fields[1] = "IHD";
      fields[2] = "Commissioned";
      fields[3] = "2026-10-01T09:00:00Z";
      fields[7] = "";
      break;
    case "type_1_without_status":
      fields[1] = "CHF";
      fields[2] = "";
      fields[3] = "";
      fields[7] = "";
      break;
    case "status_changed_at":
      if (type2) fields[1] = "ESME";
      fields[2] = "Commissioned";
      fields[3] = "01/10/2026 09:00";
      break;
    case "manufacturer":
      fields[4] = "Manufacturer Name Far Too Long Ltd";
      break;
    case "model":
      fields[5] = "Model Name That Is Far Too Long X";
      break;
    case "firmware_version":
      fields[6] = "1.2.3.4.5";
      break;
    case "mpxn":
      fields[7] = "12AB";
      break;
    case "pre_notified_by":
      fields[8] = "no-such-org";
      break;
    case "field_count":
      fields.pop();
      break;
  }
}

/** "0.1%" or "0.001" as a share; null when it is neither. */
export function parseShare(value: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  if (!m) return null;
  const share = Number(m[1]) / (m[2] ? 100 : 1);
  return share >= 0 && share <= 1 ? share : null;
}
