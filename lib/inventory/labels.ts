// The SMI's DeviceStatus and DeviceType values (DUIS) in the words people read on pages, in
// messages and in emails. Exports, the API and CSV files keep the machine values.
// Maps, not objects: a value read from a URL or a file ("__proto__", "constructor") finds nothing,
// and a value this list does not know yet is shown as it is.

const STATUS_WORDS = new Map<string, string>([
  ["Pending", "Pending"],
  ["Whitelisted", "Whitelisted"],
  ["InstalledNotCommissioned", "Installed, not commissioned"],
  ["Commissioned", "Commissioned"],
  ["Decommissioned", "Decommissioned"],
  ["Withdrawn", "Withdrawn"],
  ["Suspended", "Suspended"],
  ["Recovery", "In recovery"],
  ["Recovered", "Recovered"],
]);

/** A Type 2 Device (IHD, CAD) has no status in the SMI. */
export const NO_STATUS_LABEL = "None (Type 2 Device)";

/** "Installed, not commissioned"; null (a Type 2 Device) reads "None (Type 2 Device)"; an unknown value as it is. */
export function deviceStatusLabel(status: string | null): string {
  if (status === null) return NO_STATUS_LABEL;
  return STATUS_WORDS.get(status) ?? status;
}

/** The status inside a sentence: "Device … is installed, not commissioned", "… is in recovery", "… is without a status". */
export function deviceStatusInSentence(status: string | null): string {
  if (status === null) return "without a status";
  const words = STATUS_WORDS.get(status);
  return words ? words.toLowerCase() : status;
}

// The short names (DOMAIN.md, the SEC's definitions) with the DUIS code people also know them by.
// `a`: the article a sentence needs before the lower-case name.
const TYPE_WORDS = new Map<string, { name: string; a: "a" | "an" }>([
  ["ESME", { name: "Electricity meter", a: "an" }],
  ["GSME", { name: "Gas meter", a: "a" }],
  ["GPF", { name: "Gas proxy function", a: "a" }],
  ["CHF", { name: "Comms hub function", a: "a" }],
  ["HCALCS", { name: "Auxiliary load control switch", a: "an" }],
  ["PPMID", { name: "Prepayment meter interface device", a: "a" }],
  ["IHD", { name: "In-home display", a: "an" }],
  ["CAD", { name: "Consumer access device", a: "a" }],
]);

/** "Electricity meter (ESME)"; an unknown value as it is. */
export function deviceTypeLabel(type: string): string {
  const words = TYPE_WORDS.get(type);
  return words ? `${words.name} (${type})` : type;
}

/** The type inside a sentence, with its article: "an in-home display (IHD)", "a consumer access device (CAD)"; an unknown value: "a XYZ". */
export function deviceTypeInSentence(type: string): string {
  const words = TYPE_WORDS.get(type);
  return words ? `${words.a} ${words.name.toLowerCase()} (${type})` : `a ${type}`;
}
