import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { listBranches } from "./list-requests";
import { queuesFor, type Queue, type QueueId } from "./queues";
import { visibleScope } from "./visibility";

// How many requests each of the person's queues holds: the tabs of /requests and the home page.
// Each count is the list's own WHERE (listBranches, from the queue's rule and the visibility scope),
// counted instead of paged, so a tab's number is what the tab shows. All in one statement.

/**
 * A count stops here and says "1,000+": counting a queue costs what it holds. Below it every count
 * is exact; past it nobody counts by hand anyway. (The queues that only grow are not counted at all:
 * Queue.counted.)
 */
export const QUEUE_COUNT_CAP = 1000;

export type QueueCount = Pick<Queue, "id" | "label"> & {
  /** The number of requests, or QUEUE_COUNT_CAP when there are more. */
  count: number;
  /** More than QUEUE_COUNT_CAP. */
  more: boolean;
};

/** The SQL of the counts: one column per queue, "c0", "c1", ... in the order given. */
export function queueCountsSql(queues: readonly Queue[], organisationId: string | null, now: Date, cap = QUEUE_COUNT_CAP): Prisma.Sql {
  const counted = (conditions: Prisma.Sql[]) =>
    Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM "InstallCodeRequest" r WHERE ${conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`} LIMIT ${cap + 1}::int) c)`;
  const columns = queues.map((queue, i) => {
    const sides = listBranches({ organisationId, queue, now }).map(counted);
    return Prisma.sql`(${Prisma.join(sides, " + ")})::int AS ${Prisma.raw(`"c${i}"`)}`;
  });
  return Prisma.sql`SELECT ${Prisma.join(columns, ", ")}`;
}

/**
 * The actor's counted queues (the work queues: not "Closed" or "All") with the number of requests in each, in tab order, or
 * only those of `ids`; none for anyone who sees no requests.
 */
export async function queueCounts(actor: Actor, options: { now?: Date; ids?: readonly QueueId[] } = {}): Promise<QueueCount[]> {
  const scope = visibleScope(actor);
  const queues = queuesFor(actor).filter((q) => q.counted && (!options.ids || options.ids.includes(q.id)));
  if (scope.kind === "none" || queues.length === 0) return [];
  const now = options.now ?? clockNow();
  const [row] = await db().$queryRaw<Record<string, number>[]>(queueCountsSql(queues, scope.kind === "all" ? null : scope.organisationId, now));
  return queues.map((queue, i) => {
    const n = Number(row[`c${i}`]);
    return { id: queue.id, label: queue.label, count: Math.min(n, QUEUE_COUNT_CAP), more: n > QUEUE_COUNT_CAP };
  });
}

/** The count of one queue, from the list above. */
export function countOf(counts: QueueCount[], id: QueueId): QueueCount | undefined {
  return counts.find((c) => c.id === id);
}
