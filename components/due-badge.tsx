// A request's due badge ("Due today", "Overdue by 2 Working Days", "Answered late"): the text says it
// all; the colour only repeats it. The text comes from lib/sla/due-badge.ts.

const STYLE = new Map<string, string>([
  ["overdue", "border-red-300 bg-red-100 text-red-900"],
  ["due-today", "border-amber-400 bg-amber-100 text-amber-900"],
  ["due-soon", "border-amber-300 bg-amber-50 text-amber-900"],
  ["due", "border-slate-300 bg-slate-100 text-slate-900"],
  ["answered", "border-green-300 bg-green-100 text-green-900"],
  ["answered-late", "border-orange-300 bg-orange-100 text-orange-900"],
]);

export function DueBadge({ text, tone }: { text: string; tone: string }) {
  return (
    <span className={`inline-block rounded border px-2 py-0.5 text-sm font-medium whitespace-nowrap ${STYLE.get(tone) ?? STYLE.get("due")}`} data-testid="due-badge">
      {text}
    </span>
  );
}
