import type { RequestEventType } from "../db/generated/client";
import { formatDueWithCount, type DueCount } from "./phrases";
import { clockDueAt, startDayCounts, type SlaRule } from "./rule";
import { compareDays, isWorkingDay, londonDay, workingDaysAfter } from "./working-days";

// The obligation's state, computed from a request's timeline every time it is asked for, never from
// a stored counter (docs/decisions/016-sla-clock.md). Each assignment (the first, by the raise, and
// each reassignment) starts a clock for the organisation assigned; a clock ends at that
// organisation's first Install Code (a note is not a response), at its decline ("not our Device",
// docs/decisions/030-decline.md: a response, though not an answer), at a reassignment away, or when
// the request is closed. A clock whose due time passes with no response is breached at its due time,
// and stays counted against that organisation when the request later moves on.

export type ClockEvent = {
  type: RequestEventType;
  at: Date;
  /** ASSIGNED / REASSIGNED: the organisation assigned. */
  organisationId: string | null;
  /** INSTALL_CODE_PROVIDED: the organisation that gave the code. */
  actorOrganisationId: string | null;
};

export type ClockOutcome = "open" | "answered" | "declined" | "reassigned" | "closed";

/** The timeline events a clock is computed from (what readers of many requests fetch). */
export const CLOCK_EVENT_TYPES = ["ASSIGNED", "REASSIGNED", "INSTALL_CODE_PROVIDED", "DECLINED", "CLOSED", "CLOSED_NOT_POSSIBLE", "WITHDRAWN"] as const satisfies readonly RequestEventType[];

export type Clock = {
  organisationId: string;
  startedAt: Date;
  dueAt: Date;
  /** The organisation's first Install Code while it held the request. */
  firstResponseAt: Date | null;
  /** When the clock stopped: the response, the decline, the reassignment away, or the closing; null while it runs. */
  endedAt: Date | null;
  outcome: ClockOutcome;
  /** Answered by the due time: true; answered after it: false; not answered: null. */
  respondedInTime: boolean | null;
  /** The due time, when it passed with no response while this organisation held the request. */
  breachedAt: Date | null;
  /** Working Days from the clock's start day to the response's day (0: the same day). */
  workingDaysToResponse: number | null;
};

export type SlaState = {
  clocks: Clock[];
  /** The clock of the organisation assigned now (the last one). */
  current: Clock | null;
  dueAt: Date | null;
  firstResponseAt: Date | null;
  respondedInTime: boolean | null;
  breachedAt: Date | null;
  /**
   * The current clock's Working Days so far, up to today (or to its end), today included: the start
   * day only when the rule counts it (SLA_SAME_DAY_CUTOFF).
   */
  workingDaysElapsed: number;
  /**
   * The clock's Working Days left to the due day, today included when it is one of them (the start
   * day is not, by default: five on the day of raising, one on the due day); 0 once due or stopped.
   */
  workingDaysLeft: number;
  /** Working Days after the due day, up to today (or the response); 0 when not late. */
  workingDaysOverdue: number;
  /** The current clock runs and today (UK) is its due day. */
  dueToday: boolean;
};

/**
 * The clocks of one request from its events (in timeline order). `currentDueAt`, when given, is
 * the due time stored on the request for the current clock: the rule in force when that clock
 * started, so that a later change of configuration does not move a deadline already given.
 */
export function clocksFrom(events: ClockEvent[], rule: SlaRule, now: Date, currentDueAt?: Date): Clock[] {
  const clocks: Clock[] = [];
  let open: Clock | null = null;
  const end = (at: Date, outcome: ClockOutcome) => {
    if (!open) return;
    open.endedAt = at;
    open.outcome = outcome;
    open = null;
  };
  for (const e of events) {
    if ((e.type === "ASSIGNED" || e.type === "REASSIGNED") && e.organisationId) {
      end(e.at, "reassigned");
      open = {
        organisationId: e.organisationId,
        startedAt: e.at,
        dueAt: clockDueAt(e.at, rule),
        firstResponseAt: null,
        endedAt: null,
        outcome: "open",
        respondedInTime: null,
        breachedAt: null,
        workingDaysToResponse: null,
      };
      clocks.push(open);
    } else if (e.type === "INSTALL_CODE_PROVIDED" && open && e.actorOrganisationId === open.organisationId && !open.firstResponseAt) {
      open.firstResponseAt = e.at;
      end(e.at, "answered");
    } else if (e.type === "DECLINED" && open && e.actorOrganisationId === open.organisationId) {
      end(e.at, "declined");
    } else if (e.type === "CLOSED" || e.type === "CLOSED_NOT_POSSIBLE" || e.type === "WITHDRAWN") {
      end(e.at, "closed");
    }
  }
  const last = clocks.at(-1);
  if (last && currentDueAt) last.dueAt = currentDueAt;
  for (const clock of clocks) {
    if (clock.firstResponseAt) {
      clock.respondedInTime = clock.firstResponseAt <= clock.dueAt;
      clock.workingDaysToResponse = workingDaysAfter(londonDay(clock.startedAt), londonDay(clock.firstResponseAt));
    }
    const stoppedAt = clock.firstResponseAt ?? clock.endedAt ?? now;
    if (stoppedAt > clock.dueAt) clock.breachedAt = clock.dueAt;
  }
  return clocks;
}

/**
 * Where a running clock stands at `now` (decision 016's counting): the Working Days left to the due
 * day, today included when it is one of the clock's days (not the start day, unless the cut-off
 * counts it), so five on the day of assignment and one on the due day itself, which is "due today";
 * once past the due time, the Working Days after the due day up to today (0 on the due day and on
 * the weekend or bank holiday right after it).
 */
export function runningClockCount(startedAt: Date, dueAt: Date, now: Date, rule: SlaRule): DueCount {
  const today = londonDay(now);
  const dueDay = londonDay(dueAt);
  if (now > dueAt) {
    return { overdue: true, workingDaysOverdue: compareDays(today, dueDay) > 0 ? workingDaysAfter(dueDay, today) : 0, workingDaysLeft: 0, dueToday: false };
  }
  // The start day is one of the clock's Working Days only when the rule counts it (the cut-off);
  // by default a request raised today has all five still ahead, not six.
  const todayCounts = isWorkingDay(today) && (compareDays(today, londonDay(startedAt)) > 0 || startDayCounts(startedAt, rule));
  return { overdue: false, workingDaysOverdue: 0, workingDaysLeft: workingDaysAfter(today, dueDay) + (todayCounts ? 1 : 0), dueToday: compareDays(today, dueDay) === 0 };
}

/**
 * The due date of a clock started at `startedAt`, as the request page and every email say it at
 * `now`: "by the end of Friday 4 December 2026 (3 Working Days left)", "(due today)", "(overdue by
 * 2 Working Days)".
 */
export function dueByPhrase(startedAt: Date, dueAt: Date, now: Date, rule: SlaRule): string {
  return formatDueWithCount(dueAt, runningClockCount(startedAt, dueAt, now, rule));
}

/** The request's SLA state at `now`. */
export function slaState(events: ClockEvent[], rule: SlaRule, now: Date, currentDueAt?: Date): SlaState {
  const clocks = clocksFrom(events, rule, now, currentDueAt);
  const current = clocks.at(-1) ?? null;
  if (!current) {
    return { clocks, current, dueAt: null, firstResponseAt: null, respondedInTime: null, breachedAt: null, workingDaysElapsed: 0, workingDaysLeft: 0, workingDaysOverdue: 0, dueToday: false };
  }
  const until = current.endedAt ?? now;
  const today = londonDay(until);
  const dueDay = londonDay(current.dueAt);
  const startDay = londonDay(current.startedAt);
  const startCounts = startDayCounts(current.startedAt, rule);
  const running = current.endedAt ? null : runningClockCount(current.startedAt, current.dueAt, now, rule);
  const late = current.firstResponseAt ? current.firstResponseAt > current.dueAt : current.endedAt ? current.endedAt > current.dueAt : now > current.dueAt;
  return {
    clocks,
    current,
    dueAt: current.dueAt,
    firstResponseAt: current.firstResponseAt,
    respondedInTime: current.respondedInTime,
    breachedAt: current.breachedAt,
    workingDaysElapsed: workingDaysAfter(startDay, today) + (startCounts ? 1 : 0),
    workingDaysLeft: running?.workingDaysLeft ?? 0,
    workingDaysOverdue: late && compareDays(today, dueDay) > 0 ? workingDaysAfter(dueDay, today) : 0,
    dueToday: running?.dueToday ?? false,
  };
}
