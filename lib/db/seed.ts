import { DEVICE_STATUSES, DEVICE_TYPES, TYPE_2_DEVICES, type DeviceStatus, type DeviceType } from "../inventory/device-kinds";
import type { PrismaClient } from "./client";

// Demo data: the organisations and people of the README's walk-through. Idempotent: running it
// again changes nothing that is already there.

export const DEMO_ORGANISATIONS = [
  { code: "NWE", name: "Northwind Energy", kind: "SUPPLIER" },
  { code: "SFP", name: "Southfield Power", kind: "SUPPLIER" },
  { code: "EGP", name: "Eastgate Gas & Power", kind: "SUPPLIER" },
  { code: "DCC", name: "DCC Service Desk", kind: "HELPDESK" },
] as const;

/** Each is its organisation's administrator (an organisation always keeps one). */
export const DEMO_USERS = [
  { email: "alice@northwind.example", name: "Alice Hughes", organisation: "NWE", role: "SUPPLIER_USER" },
  { email: "bob@southfield.example", name: "Bob Patel", organisation: "SFP", role: "SUPPLIER_USER" },
  { email: "erin@eastgate.example", name: "Erin Walsh", organisation: "EGP", role: "SUPPLIER_USER" },
  { email: "dana@dcc.example", name: "Dana Okafor", organisation: "DCC", role: "HELPDESK" },
] as const;

type DemoDevice = { deviceId: string; deviceType: DeviceType; status: DeviceStatus | null; preNotifiedBy: string };

const STATUSES = DEVICE_STATUSES;
const TYPES = DEVICE_TYPES;

/** Devices the README's walk-through names: each shows one rule. */
export const DEMO_DEVICES = {
  /** Eligible; pre-notified by SFP: Alice (NWE) or Erin (EGP) can raise for it. */
  eligibleFromSouthfield: "00-DB-12-34-56-78-90-A1",
  /** Eligible; pre-notified by NWE: Bob (SFP) or Erin (EGP) can raise for it. */
  eligibleFromNorthwind: "00-DB-12-34-56-78-90-A2",
  /** Eligible (Whitelisted); pre-notified by EGP. */
  eligibleFromEastgate: "00-DB-12-34-56-78-90-A3",
  /** Eligible (Pending); pre-notified by SFP: a second Device for the same pair. */
  pendingFromSouthfield: "00-DB-12-34-56-78-90-A4",
  /** Commissioned: refused with a message that names the status. */
  commissioned: "00-DB-12-34-56-78-90-C1",
  /** An IHD, a Type 2 Device: refused. */
  inHomeDisplay: "00-DB-12-34-56-78-90-D1",
  /** Not in the inventory at all. */
  unknown: "00-DB-12-34-56-78-90-FF",
} as const;

/** The public example Install Code with its CRC (../shared/docs/DOMAIN.md): what the demo answers with. */
export const DEMO_INSTALL_CODE = "83FED3407A939723A5C639B26916D505C3B5";

/** What each demo person can try first (the demo sign-in page lists them). */
export const DEMO_TRY: Record<(typeof DEMO_USERS)[number]["email"], string> = {
  "alice@northwind.example": `A gaining Supplier: raise a request for Device ${DEMO_DEVICES.eligibleFromSouthfield} (Southfield Power installed it); once Bob answers, reveal the Install Code, verify it and close the request.`,
  "bob@southfield.example": `An installing Supplier: answer the requests assigned to Southfield Power with the Install Code (try ${DEMO_INSTALL_CODE}), decline one that is not your Device, or lodge codes in advance.`,
  "erin@eastgate.example": `A third Supplier: raise a request of your own, see that requests between Northwind and Southfield are not shown to you, and answer those the helpdesk reassigns to Eastgate.`,
  "dana@dcc.example": "The DCC Helpdesk: see every request, reassign one to another Supplier, handle declined requests (the Unassignable queue), and follow the dashboard and monthly reports.",
};

function demoDevices(): DemoDevice[] {
  const devices: DemoDevice[] = [
    { deviceId: DEMO_DEVICES.eligibleFromSouthfield, deviceType: "ESME", status: "InstalledNotCommissioned", preNotifiedBy: "SFP" },
    { deviceId: DEMO_DEVICES.eligibleFromNorthwind, deviceType: "GSME", status: "InstalledNotCommissioned", preNotifiedBy: "NWE" },
    { deviceId: DEMO_DEVICES.eligibleFromEastgate, deviceType: "ESME", status: "Whitelisted", preNotifiedBy: "EGP" },
    { deviceId: DEMO_DEVICES.pendingFromSouthfield, deviceType: "GSME", status: "Pending", preNotifiedBy: "SFP" },
    { deviceId: DEMO_DEVICES.commissioned, deviceType: "ESME", status: "Commissioned", preNotifiedBy: "SFP" },
    { deviceId: DEMO_DEVICES.inHomeDisplay, deviceType: "IHD", status: null, preNotifiedBy: "SFP" },
  ];
  // Every type, and every status, pre-notified by each Supplier.
  ["NWE", "SFP", "EGP"].forEach((supplier, s) => {
    TYPES.forEach((type, t) => {
      devices.push({
        deviceId: `00-DB-${s + 1}0-0${t}-00-00-00-0${s + 1}`,
        deviceType: type,
        status: TYPE_2_DEVICES.includes(type) ? null : STATUSES[(t + s) % STATUSES.length],
        preNotifiedBy: supplier,
      });
    });
    STATUSES.forEach((status, i) => {
      devices.push({ deviceId: `00-DB-${s + 1}0-1${i}-00-00-00-0${s + 1}`, deviceType: "ESME", status, preNotifiedBy: supplier });
    });
  });
  // Two more eligible Devices of Southfield's, for the "not our Device" walk-through (e2e/smtp/decline.spec.ts):
  // e2e specs share one database, and each raises for Devices no other spec touches.
  devices.push(
    { deviceId: "00-DB-20-20-00-00-00-02", deviceType: "ESME", status: "InstalledNotCommissioned", preNotifiedBy: "SFP" },
    { deviceId: "00-DB-20-21-00-00-00-02", deviceType: "GSME", status: "InstalledNotCommissioned", preNotifiedBy: "SFP" },
    // And for the keyboard-only journeys (e2e/smtp/keyboard.spec.ts) and the every-page checks (e2e/smtp/every-page.spec.ts).
    ...["22", "23", "24", "25", "26"].map((n) => ({ deviceId: `00-DB-20-${n}-00-00-00-02`, deviceType: "ESME" as const, status: "InstalledNotCommissioned" as const, preNotifiedBy: "SFP" })),
  );
  return devices;
}

const HARDWARE: Record<DeviceType, { manufacturer: string; model: string; firmwareVersion: string }> = {
  ESME: { manufacturer: "Landis+Gyr", model: "E470 SMETS2", firmwareVersion: "4.2.1" },
  GSME: { manufacturer: "Itron", model: "G4SR Gas", firmwareVersion: "2.1.7" },
  GPF: { manufacturer: "Toshiba", model: "GPF-2", firmwareVersion: "1.0.3" },
  CHF: { manufacturer: "Toshiba", model: "CH-2G North", firmwareVersion: "3.4.0" },
  HCALCS: { manufacturer: "Secure Meters", model: "HCALCS-1", firmwareVersion: "1.2" },
  PPMID: { manufacturer: "Chameleon", model: "PPMID-3", firmwareVersion: "5.0.2" },
  IHD: { manufacturer: "Chameleon", model: "IHD6", firmwareVersion: "6.1" },
  CAD: { manufacturer: "Hildebrand", model: "Glow CAD", firmwareVersion: "2.0" },
};

function mpxn(device: DemoDevice, index: number): string | null {
  const installed = device.status !== null && !["Pending", "Whitelisted"].includes(device.status);
  if (!installed) return null;
  if (device.deviceType === "ESME") return `19${String(1_000_000_00 + index).padStart(11, "0")}`;
  if (device.deviceType === "GSME") return String(7_000_000_000 + index);
  return null;
}

export async function seedDemoData(client: PrismaClient): Promise<void> {
  const ids = new Map<string, string>();
  for (const org of DEMO_ORGANISATIONS) {
    const row = await client.organisation.upsert({
      where: { code: org.code },
      create: org,
      update: {},
      select: { id: true },
    });
    ids.set(org.code, row.id);
  }
  const kinds = new Map<string, "SUPPLIER" | "HELPDESK">(DEMO_ORGANISATIONS.map((o) => [o.code, o.kind]));
  for (const user of DEMO_USERS) {
    await client.user.upsert({
      where: { email: user.email },
      create: {
        email: user.email,
        name: user.name,
        role: user.role,
        administrator: true,
        organisationId: ids.get(user.organisation)!,
        organisationKind: kinds.get(user.organisation)!,
      },
      update: {},
    });
  }
  const statusChangedAt = new Date("2026-10-01T09:00:00Z");
  for (const [index, device] of demoDevices().entries()) {
    await client.device.upsert({
      where: { deviceId: device.deviceId },
      create: {
        deviceId: device.deviceId,
        deviceType: device.deviceType,
        status: device.status,
        statusChangedAt: device.status ? statusChangedAt : null,
        ...HARDWARE[device.deviceType],
        mpxn: mpxn(device, index),
        preNotifiedById: ids.get(device.preNotifiedBy)!,
      },
      update: {},
    });
  }
}

export async function isEmpty(client: PrismaClient): Promise<boolean> {
  return (await client.organisation.count()) === 0;
}
