import Link from "next/link";
import { QUEUE_COUNT_CAP, type QueueCount } from "@/lib/requests/queue-counts";

// The home page's "3 need your response": the person's work queues with their counts, each linking
// to its tab on /requests. The page reads the counts (lib/requests/queue-counts.ts, the same as the
// tabs') for HOME_QUEUES and passes them in: components never reach for data.

export const HOME_QUEUES = ["needs-response", "waiting", "answered", "at-risk", "breached", "unassignable"] as const;

const PHRASE: Record<(typeof HOME_QUEUES)[number], (n: string, one: boolean) => string> = {
  "needs-response": (n, one) => `${n} ${one ? "needs" : "need"} your response`,
  waiting: (n) => `${n} waiting for an answer`,
  answered: (n) => `${n} answered: verify and close`,
  "at-risk": (n) => `${n} at risk of breaching`,
  breached: (n) => `${n} breached`,
  unassignable: (n) => `${n} unassignable: reassign or close`,
};

function phrase(c: QueueCount): string {
  const n = c.more ? `${QUEUE_COUNT_CAP.toLocaleString("en-GB")}+` : c.count.toLocaleString("en-GB");
  return PHRASE[c.id as (typeof HOME_QUEUES)[number]](n, !c.more && c.count === 1);
}

export function QueueCounts({ counts }: { counts: QueueCount[] }) {
  if (counts.length === 0) return null;
  return (
    <section aria-labelledby="queue-counts-heading" className="space-y-2" data-testid="queue-counts">
      <h2 id="queue-counts-heading" className="text-lg font-semibold">
        Your queues
      </h2>
      <ul className="space-y-1">
        {counts.map((c) => (
          <li key={c.id}>
            <Link href={`/requests?queue=${c.id}`} prefetch={false} className={c.count > 0 ? "font-semibold text-blue-700 underline" : "text-blue-700 underline"}>
              {phrase(c)}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
