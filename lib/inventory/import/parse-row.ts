import { DEVICE_ID_MESSAGE, parseDeviceId } from "../device-id";
import { DEVICE_STATUSES, DEVICE_TYPES, TYPE_2_DEVICES, type DeviceStatus, type DeviceType } from "../device-kinds";

// One row of an SMI extract, checked against the rules of DOMAIN.md ("SMI fields per Device").
// Pure: what the database knows (the organisations) comes in as a function.

export const SMI_COLUMNS = [
  "device_id",
  "device_type",
  "status",
  "status_changed_at",
  "manufacturer",
  "model",
  "firmware_version",
  "mpxn",
  "pre_notified_by",
] as const;

export type SmiRow = {
  deviceId: string;
  deviceType: DeviceType;
  status: DeviceStatus | null;
  statusChangedAt: Date | null;
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  mpxn: string | null;
  preNotifiedBy: string;
};

/** What an organisation code is to the database: a Supplier, something else, or nothing. */
export type OrganisationLookup = (code: string) => "SUPPLIER" | "OTHER" | undefined;

export type RowContext = {
  organisation: OrganisationLookup;
  /** Unknown, well-formed codes are accepted (and created as Suppliers by the import). */
  createOrganisations?: boolean;
};

export type ParsedRow = { ok: true; row: SmiRow; newOrganisation: boolean } | { ok: false; reasons: string[] };

/** Organisation codes: upper-case letters and digits (MPIDs are four; the demo's are three). */
export const ORGANISATION_CODE = /^[A-Z0-9]{2,16}$/;

// An ISO 8601 date and time with an explicit offset: a local time would be ambiguous.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant of an ISO 8601 timestamp with an offset, or null (impossible dates included). */
export function parseIsoTimestamp(value: string): Date | null {
  const m = ISO_TIMESTAMP.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "00"] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate()) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// Said as letters: "an ESME", "an IHD", "a GSME", "a CHF".
const article = (type: string) => (/^[AEFHILMNORSX]/.test(type) ? "an" : "a");
const isType = (value: string): value is DeviceType => (DEVICE_TYPES as string[]).includes(value);
const isStatus = (value: string): value is DeviceStatus => (DEVICE_STATUSES as string[]).includes(value);

/** Checks one record (the fields of one CSV line) and gives the row to load or every reason it is refused. */
export function parseRow(fields: readonly string[], context: RowContext): ParsedRow {
  if (fields.length !== SMI_COLUMNS.length) {
    return { ok: false, reasons: [`expected ${SMI_COLUMNS.length} fields, found ${fields.length}`] };
  }
  const [rawId, rawType, rawStatus, rawChangedAt, manufacturer, model, firmwareVersion, rawMpxn, code] = fields.map((f) => f.trim());
  const reasons: string[] = [];

  const deviceId = parseDeviceId(rawId);
  if (!deviceId) reasons.push(`device_id ${JSON.stringify(rawId)}: ${DEVICE_ID_MESSAGE}`);

  const deviceType = isType(rawType) ? rawType : null;
  if (!deviceType) reasons.push(`device_type ${JSON.stringify(rawType)} is not one of ${DEVICE_TYPES.join(", ")}`);

  let status: DeviceStatus | null = null;
  if (rawStatus !== "") {
    if (isStatus(rawStatus)) status = rawStatus;
    else reasons.push(`status ${JSON.stringify(rawStatus)} is not one of ${DEVICE_STATUSES.join(", ")}`);
  }
  if (deviceType && TYPE_2_DEVICES.includes(deviceType)) {
    if (rawStatus !== "") reasons.push(`${article(deviceType)} ${deviceType} is a Type 2 Device and has no status`);
  } else if (deviceType && rawStatus === "") {
    reasons.push(`${article(deviceType)} ${deviceType} is a Type 1 Device and needs a status`);
  }

  let statusChangedAt: Date | null = null;
  if (rawChangedAt === "") {
    if (rawStatus !== "") reasons.push("status_changed_at is required with a status");
  } else if (rawStatus === "") {
    reasons.push("status_changed_at must be empty when there is no status");
  } else {
    statusChangedAt = parseIsoTimestamp(rawChangedAt);
    if (!statusChangedAt) {
      reasons.push(`status_changed_at ${JSON.stringify(rawChangedAt)} is not an ISO 8601 timestamp with an offset, like 2026-10-01T09:00:00Z`);
    }
  }

  if (manufacturer.length < 1 || manufacturer.length > 30) reasons.push(`manufacturer must be 1 to 30 characters (has ${manufacturer.length})`);
  if (model.length < 1 || model.length > 30) reasons.push(`model must be 1 to 30 characters (has ${model.length})`);
  if (firmwareVersion.length < 1 || firmwareVersion.length > 8) {
    reasons.push(`firmware_version must be 1 to 8 characters (has ${firmwareVersion.length})`);
  }
  if (rawMpxn !== "" && !/^\d{6,13}$/.test(rawMpxn)) reasons.push(`mpxn ${JSON.stringify(rawMpxn)} must be 6 to 13 digits`);

  let newOrganisation = false;
  if (!ORGANISATION_CODE.test(code)) {
    reasons.push(`pre_notified_by ${JSON.stringify(code)} is not an organisation code (2 to 16 upper-case letters or digits)`);
  } else {
    const kind = context.organisation(code);
    if (kind === "OTHER") reasons.push(`pre_notified_by ${code} is not a Supplier`);
    else if (kind === undefined) {
      if (context.createOrganisations) newOrganisation = true;
      else reasons.push(`pre_notified_by ${code} is not a known organisation (--create-organisations creates unknown Supplier codes)`);
    }
  }

  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    newOrganisation,
    row: {
      deviceId: deviceId!,
      deviceType: deviceType!,
      status,
      statusChangedAt,
      manufacturer,
      model,
      firmwareVersion,
      mpxn: rawMpxn === "" ? null : rawMpxn,
      preNotifiedBy: code,
    },
  };
}
