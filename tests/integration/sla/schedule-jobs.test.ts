import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cron } from "croner";
import { db } from "@/lib/db/client";
import { scheduledJobs } from "@/lib/sla/schedule";
import { ON_POSTGRES, closeSeededDatabase, openSeededDatabase } from "../requests/support";

// What the scheduler runs (instrumentation.ts and `npm run worker`): the obligation scan and the
// monthly report, each on a valid pattern; the report job keeps last month's report on the first
// Working Day of a month.

describe(`the scheduled jobs (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  beforeAll(async () => {
    await openSeededDatabase();
  });
  afterAll(closeSeededDatabase);

  it("are the obligation scan, the monthly report, the daily digest and retention, on patterns croner accepts", () => {
    const jobs = scheduledJobs();
    expect(jobs.map((j) => j.name)).toEqual(["obligation-scan", "monthly-report", "daily-digest", "retention"]);
    for (const job of jobs) expect(() => new Cron(job.pattern, { paused: true })).not.toThrow();
  });

  it("keep October 2026's report on Monday 2 November, the first Working Day, and not on Sunday 1 November", async () => {
    const report = scheduledJobs().find((j) => j.name === "monthly-report")!;
    await report.run(new Date("2026-11-01T10:00:00Z"));
    expect(await db().obligationReport.count({ where: { month: "2026-10" } })).toBe(0);
    await report.run(new Date("2026-11-02T08:00:00Z"));
    await report.run(new Date("2026-11-02T08:10:00Z"));
    expect(await db().obligationReport.count({ where: { month: "2026-10" } })).toBe(1);
  });
});
