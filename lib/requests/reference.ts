// References are "RIC" + the request's sequence number, padded to 7 digits: RIC0000042.
// DUIS IncidentReference allows 15 characters, so the sequence may grow to 12 digits.

export function formatReference(number: number): string {
  return `RIC${String(number).padStart(7, "0")}`;
}

/** The sequence number of a reference, or null for anything that is not one (any case). */
export function parseReference(reference: string): number | null {
  const match = /^RIC(\d{7,12})$/i.exec(reference.trim());
  if (!match) return null;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) && number > 0 && number <= 2_147_483_647 ? number : null;
}
