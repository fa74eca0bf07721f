import { describe, expect, it } from "vitest";
import { startJobs } from "./schedule";

// The job runner that instrumentation.ts and `npm run worker` share: stopping waits for the run in
// progress (the worker closes the database only then), and a failed run does not end the job.

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the scheduled jobs", () => {
  it("stop only once the run in progress has finished", async () => {
    const started = deferred();
    const release = deferred();
    let finished = false;
    // Every second; the run holds on until released.
    const scheduler = startJobs([
      {
        name: "slow",
        pattern: "* * * * * *",
        run: async () => {
          started.resolve();
          await release.promise;
          finished = true;
        },
      },
    ]);
    await started.promise;

    // The run is released only after stop() was called: stop must still wait for it.
    const finishedWhenStopped = scheduler.stop().then(() => finished);
    setTimeout(release.resolve, 50);
    expect(await finishedWhenStopped).toBe(true);
  });

  it("logs a failed run and runs again at the next time", async () => {
    const second = deferred();
    let runs = 0;
    const scheduler = startJobs([
      {
        name: "flaky",
        pattern: "* * * * * *",
        run: async () => {
          runs++;
          if (runs === 1) throw new Error("database unavailable");
          second.resolve();
        },
      },
    ]);
    await second.promise;
    await scheduler.stop();
    expect(runs).toBe(2);
  });
});
