// How the obligation is said, in the pages and in the emails alike (one wording, one count).

const longDay = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const clockTime = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Europe/London" });

/** "Monday 13 April 2026" (UK day). */
export function formatLongDay(d: Date): string {
  return longDay.format(d).replace(",", "");
}

/** "by the end of Monday 13 April 2026", or for a due time within the day "by 17:00 on Monday 13 April 2026". */
export function formatDueBy(dueAt: Date): string {
  const [hh, mm, ss] = clockTime.format(dueAt).split(":");
  const endOfDay = hh === "23" && mm === "59" && ss === "59";
  return endOfDay ? `by the end of ${formatLongDay(dueAt)}` : `by ${hh}:${mm} on ${formatLongDay(dueAt)}`;
}

/** "1 Working Day", "3 Working Days". */
export function workingDays(n: number): string {
  return `${n} Working Day${n === 1 ? "" : "s"}`;
}

/** "2 Working Days left", or "due today" on the due day (as the request page counts them). */
export function leftPhrase(workingDaysLeft: number, dueToday: boolean): string {
  if (dueToday) return "due today";
  return `${workingDays(workingDaysLeft)} left`;
}
