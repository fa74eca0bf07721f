// The obligation's rule (docs/decisions/016-sla-clock.md): when a clock starts counting, how many
// Working Days it runs, and at what time of the last one it ends. Configuration, with the
// documented default: the day of assignment never counts, five Working Days, due at the end of the
// fifth (23:59:59.999 UK time).

export type TimeOfDay = { hour: number; minute: number };

export type SlaRule = {
  /** RESPONSE_WORKING_DAYS (default 5). */
  workingDays: number;
  /** SLA_DUE_TIME: the time on the last Working Day when the response is due; null: the end of the day. */
  dueTime: TimeOfDay | null;
  /**
   * SLA_SAME_DAY_CUTOFF: a clock started on a Working Day before this time counts that day as its
   * first; null (default): the day a clock starts never counts, whatever the hour.
   */
  sameDayCutoff: TimeOfDay | null;
};

export const DEFAULT_RULE: SlaRule = { workingDays: 5, dueTime: null, sameDayCutoff: null };

/** "HH:MM" (00:00-23:59) as a time of day; "" or "none" as null; anything else throws. */
export function parseTimeOfDay(text: string | undefined): TimeOfDay | null {
  const value = (text ?? "").trim().toLowerCase();
  if (value === "" || value === "none" || value === "end-of-day") return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new Error(`"${text}" is not a time of day like 17:00 (or "none")`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

