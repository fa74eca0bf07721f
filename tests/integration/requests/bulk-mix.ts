import { db } from "@/lib/db/client";
import { INSTALL_CODE_IN_TEXT_MESSAGE } from "@/lib/install-code/format";
import type { BulkRaiseRow } from "@/lib/requests/bulk-raise";

// A bulk-raise file mixing every outcome, with what each row must answer worked out from how the file
// was made (not from the code under test). For tests/integration/requests/bulk-raise.test.ts and the
// benchmark (scripts/bench/bench.ts). Its Devices are its own, under a prefix (e.g. "0E"), so that
// two identical mixes can live in one database.

export const DEVICE_ID_MESSAGE = "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0";
const NOT_YET_COMMISSIONED = "an Install Code can only be requested for a Device that is not yet commissioned";
const OWN_DEVICE = "Your organisation pre-notified this Device, so it already holds the Install Code";
const NOTE_TOO_LONG = "A note can be at most 4,000 characters";
const INSTALL_CODE_IN_NOTE = "83FED3407A939723A5C639B26916D505";

export type ExpectedRow =
  | { outcome: "raised"; deviceId: string; noteAdded: boolean }
  /** Open before the call (`openBefore`), or raised by an earlier row of the file (`sameAsRow`). */
  | { outcome: "already open"; deviceId: string; noteAdded: boolean; sameAsRow?: number }
  | { outcome: "refused"; deviceId: string; reason: string; field: "deviceId" | "note"; sameAsRow?: number };

export type BulkMix = {
  rows: BulkRaiseRow[];
  expected: ExpectedRow[];
  /** Devices the raiser must have an open request for before the call (raise them first). */
  openBefore: string[];
  /** The kinds of row in the file, and how many of each. */
  kinds: Record<string, number>;
};

/** The row kinds, in a cycle of 100 rows: mostly new raises, and every other answer several times. */
const CYCLE: [kind: string, count: number][] = [
  ["new", 55],
  ["new, with a note", 10],
  ["new, typed another way", 5],
  ["open before", 6],
  ["open before, with a note", 2],
  ["repeat of a new row", 3],
  ["repeat of a new row, with a note", 1],
  ["unknown Device", 3],
  ["commissioned", 2],
  ["decommissioned", 1],
  ["Type 2 (IHD)", 2],
  ["own organisation's Device", 2],
  ["malformed Device ID", 3],
  ["empty Device ID", 1],
  ["note too long", 1],
  ["Install Code in the note", 1],
  ["repeat of a refused row", 2],
];
const KINDS = CYCLE.flatMap(([kind, count]) => Array<string>(count).fill(kind));

/**
 * A file of `size` rows raised by `raiserOrganisationCode`, for Devices pre-notified by `assigneeCodes`
 * (in turn). Creates its Devices (prefix: two hex digits no other test or loader uses).
 */
export async function makeBulkMix(options: { size: number; prefix: string; raiserOrganisationCode: string; assigneeCodes: string[] }): Promise<BulkMix> {
  const { size, prefix, raiserOrganisationCode, assigneeCodes } = options;
  const organisations = new Map((await db().organisation.findMany({ select: { id: true, code: true } })).map((o) => [o.code, o.id]));
  let serial = 0;
  const devices: { deviceId: string; deviceType: "ESME" | "IHD"; status: "InstalledNotCommissioned" | "Commissioned" | "Decommissioned" | null; preNotifiedById: string }[] = [];
  const newDevice = (kind: Partial<(typeof devices)[number]> = {}, assignee = assigneeCodes[serial % assigneeCodes.length]) => {
    const deviceId = `${prefix}${(serial++).toString(16).toUpperCase().padStart(14, "0")}`.match(/../g)!.join("-");
    devices.push({ deviceId, deviceType: "ESME", status: "InstalledNotCommissioned", preNotifiedById: organisations.get(assignee)!, ...kind });
    return deviceId;
  };
  const unknown = () => `${prefix}${(serial++).toString(16).toUpperCase().padStart(14, "0")}`.match(/../g)!.join("-");

  const rows: BulkRaiseRow[] = [];
  const expected: ExpectedRow[] = [];
  const openBefore: string[] = [];
  const kinds: Record<string, number> = {};
  /** Rows (0-based) of new raises and of refusals, for the repeats to repeat. */
  const raisedRows: number[] = [];
  const refusedRows: number[] = [];

  for (let i = 0; i < size; i++) {
    const kind = KINDS[i % KINDS.length];
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const add = (row: BulkRaiseRow, want: ExpectedRow) => {
      rows.push(row);
      expected.push(want);
    };
    switch (kind) {
      case "new": {
        const deviceId = newDevice();
        raisedRows.push(i);
        add({ deviceId }, { outcome: "raised", deviceId, noteAdded: false });
        break;
      }
      case "new, with a note": {
        const deviceId = newDevice();
        raisedRows.push(i);
        add({ deviceId, note: `Row ${i + 1}: consumer moved in, meter cupboard outside` }, { outcome: "raised", deviceId, noteAdded: true });
        break;
      }
      case "new, typed another way": {
        const deviceId = newDevice();
        raisedRows.push(i);
        const hex = deviceId.replaceAll("-", "");
        const typed = [hex.toLowerCase(), hex.match(/../g)!.join(":"), ` ${hex.match(/..../g)!.join(" ")} `][i % 3];
        add({ deviceId: typed, note: "   " }, { outcome: "raised", deviceId, noteAdded: false });
        break;
      }
      case "open before":
      case "open before, with a note": {
        const deviceId = newDevice();
        openBefore.push(deviceId);
        const note = kind.endsWith("note") ? { note: "Any news on this one?" } : {};
        add({ deviceId, ...note }, { outcome: "already open", deviceId, noteAdded: "note" in note });
        break;
      }
      case "repeat of a new row":
      case "repeat of a new row, with a note": {
        const first = raisedRows[(i * 7) % raisedRows.length];
        const deviceId = expected[first].deviceId;
        const note = kind.endsWith("note") ? { note: `Repeated on row ${i + 1}` } : {};
        add({ deviceId: deviceId.toLowerCase(), ...note }, { outcome: "already open", deviceId, noteAdded: "note" in note, sameAsRow: first + 1 });
        break;
      }
      case "unknown Device": {
        const deviceId = unknown();
        refusedRows.push(i);
        add({ deviceId }, { outcome: "refused", deviceId, field: "deviceId", reason: `No Device ${deviceId} in the Smart Metering Inventory` });
        break;
      }
      case "commissioned":
      case "decommissioned": {
        const status = kind === "commissioned" ? "Commissioned" : "Decommissioned";
        const deviceId = newDevice({ status });
        const inWords = status.toLowerCase(); // "is commissioned", as the message says it
        refusedRows.push(i);
        add({ deviceId }, { outcome: "refused", deviceId, field: "deviceId", reason: `Device ${deviceId} is ${inWords}: ${NOT_YET_COMMISSIONED}` });
        break;
      }
      case "Type 2 (IHD)": {
        const deviceId = newDevice({ deviceType: "IHD", status: null });
        refusedRows.push(i);
        const reason = `Device ${deviceId} is an in-home display (IHD), a Type 2 Device: an Install Code can only be requested for a Type 1 Device`;
        add({ deviceId }, { outcome: "refused", deviceId, field: "deviceId", reason });
        break;
      }
      case "own organisation's Device": {
        const deviceId = newDevice({}, raiserOrganisationCode);
        refusedRows.push(i);
        add({ deviceId }, { outcome: "refused", deviceId, field: "deviceId", reason: OWN_DEVICE });
        break;
      }
      case "malformed Device ID": {
        const typed = ["00-DB-12", "0x00DB1234567890A1", "=HYPERLINK(\"http://evil.example\")", "00_DB_12_34_56_78_90_A1"][i % 4];
        add({ deviceId: typed }, { outcome: "refused", deviceId: typed, field: "deviceId", reason: DEVICE_ID_MESSAGE });
        break;
      }
      case "empty Device ID":
        add({ deviceId: "  " }, { outcome: "refused", deviceId: "", field: "deviceId", reason: "Enter a Device ID" });
        break;
      case "note too long":
      case "Install Code in the note": {
        // An eligible Device: only the note is wrong, and nothing is raised for it.
        const deviceId = newDevice();
        const note = kind === "note too long" ? "n".repeat(4001) : `The old supplier said ${INSTALL_CODE_IN_NOTE}`;
        const reason = kind === "note too long" ? NOTE_TOO_LONG : INSTALL_CODE_IN_TEXT_MESSAGE;
        add({ deviceId, note }, { outcome: "refused", deviceId, field: "note", reason });
        break;
      }
      case "repeat of a refused row": {
        const first = refusedRows.filter((r) => expected[r].outcome === "refused" && (expected[r] as { field: string }).field === "deviceId");
        const row = first[(i * 3) % first.length];
        const want = expected[row] as Extract<ExpectedRow, { outcome: "refused" }>;
        add({ deviceId: rows[row].deviceId }, { ...want, sameAsRow: row + 1 });
        break;
      }
      default:
        throw new Error(`unknown kind ${kind}`);
    }
  }
  for (let i = 0; i < devices.length; i += 5_000) {
    await db().device.createMany({
      data: devices.slice(i, i + 5_000).map((d) => ({ ...d, manufacturer: "Bulk Meters", model: "BM-1", firmwareVersion: "1.0" })),
    });
  }
  return { rows, expected, openBefore, kinds };
}
