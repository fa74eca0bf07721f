import { db } from "../db/client";
import type { Tx } from "../db/transaction";
import { CLOCK_EVENT_TYPES, clocksFrom, type Clock, type ClockEvent } from "./clock";
import type { SlaRule } from "./rule";

// The obligation statistics per installing Supplier, from the clocks of the requests' timelines
// (lib/sla/clock.ts): the dashboard's table, /performance and the monthly report all read these.

/** The median of a list of numbers (the mean of the middle two for an even count); null when empty. */
export function median(values: number[]): number | null {
  return percentile(values, 50);
}

/**
 * The p-th percentile by linear interpolation between closest ranks (the method of Excel's
 * PERCENTILE.INC and numpy's default); null when empty.
 */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

export type Period = { from: Date; to: Date };

export type RequestClocks = {
  requestId: string;
  number: number;
  raisingOrganisationId: string;
  raisedAt: Date;
  status: string;
  clocks: Clock[];
};

const CHUNK = 2_000;

/**
 * The clocks of every request with a clock started in [from, to) (an assignment or reassignment in
 * the period), or raised in it, with their whole timelines. `where` narrows to one organisation's
 * requests (as assignee or raiser).
 */
export async function requestClocksInPeriod(
  period: Period,
  rule: SlaRule,
  now: Date,
  options: { organisationId?: string; client?: Tx } = {},
): Promise<RequestClocks[]> {
  const client = options.client ?? db();
  const started = await client.requestEvent.findMany({
    where: {
      type: { in: ["ASSIGNED", "REASSIGNED"] },
      at: { gte: period.from, lt: period.to },
      ...(options.organisationId
        ? { OR: [{ organisationId: options.organisationId }, { request: { raisingOrganisationId: options.organisationId } }] }
        : {}),
    },
    select: { requestId: true },
    distinct: ["requestId"],
  });
  return clocksOfRequests(
    started.map((e) => e.requestId),
    rule,
    now,
    client,
  );
}

/** The clocks of these requests, from their timelines, read in chunks. */
export async function clocksOfRequests(ids: string[], rule: SlaRule, now: Date, client: Tx = db()): Promise<RequestClocks[]> {
  const out: RequestClocks[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const requests = await client.installCodeRequest.findMany({
      where: { id: { in: ids.slice(i, i + CHUNK) } },
      select: {
        id: true,
        number: true,
        raisingOrganisationId: true,
        raisedAt: true,
        status: true,
        dueAt: true,
        events: {
          where: { type: { in: [...CLOCK_EVENT_TYPES] } },
          orderBy: { sequence: "asc" },
          select: { type: true, at: true, organisationId: true, actorOrganisationId: true },
        },
      },
    });
    for (const r of requests) {
      out.push({
        requestId: r.id,
        number: r.number,
        raisingOrganisationId: r.raisingOrganisationId,
        raisedAt: r.raisedAt,
        status: r.status,
        clocks: clocksFrom(r.events as ClockEvent[], rule, now, r.dueAt),
      });
    }
  }
  return out;
}

export type SupplierStatistics = {
  organisationId: string;
  /** Clocks started for it in the period: requests assigned or reassigned to it. */
  received: number;
  /** Of those, answered (by now). */
  answered: number;
  answeredInTime: number;
  answeredLate: number;
  /** Of those, past due with no answer while it held them (breached, answered or not since). */
  breached: number;
  /** Reassigned away from it (clocks of the period that ended by a reassignment). */
  reassignedAway: number;
  medianWorkingDays: number | null;
  p90WorkingDays: number | null;
  /** answeredInTime over the clocks whose outcome is known (answered, or breached); null if none. */
  percentInTime: number | null;
};

/** Per assignee, over the clocks that started in the period. */
export function supplierStatistics(requests: RequestClocks[], period: Period): Map<string, SupplierStatistics> {
  const byOrg = new Map<string, { clocks: Clock[] }>();
  for (const r of requests) {
    for (const c of r.clocks) {
      if (c.startedAt < period.from || c.startedAt >= period.to) continue;
      const entry = byOrg.get(c.organisationId) ?? { clocks: [] };
      entry.clocks.push(c);
      byOrg.set(c.organisationId, entry);
    }
  }
  const result = new Map<string, SupplierStatistics>();
  for (const [organisationId, { clocks }] of byOrg) {
    const answered = clocks.filter((c) => c.firstResponseAt);
    const inTime = answered.filter((c) => c.respondedInTime).length;
    const breached = clocks.filter((c) => c.breachedAt).length;
    const decided = clocks.filter((c) => c.firstResponseAt || c.breachedAt).length;
    const days = answered.map((c) => c.workingDaysToResponse ?? 0);
    result.set(organisationId, {
      organisationId,
      received: clocks.length,
      answered: answered.length,
      answeredInTime: inTime,
      answeredLate: answered.length - inTime,
      breached,
      reassignedAway: clocks.filter((c) => c.outcome === "reassigned").length,
      medianWorkingDays: median(days),
      p90WorkingDays: percentile(days, 90),
      percentInTime: decided === 0 ? null : (inTime / decided) * 100,
    });
  }
  return result;
}
