import { describe, expect, it } from "vitest";
import { backgroundRun } from "./background-run";

// Two copies of one job stand for the module graphs Next.js makes: a route kicks the dispatcher, the
// graceful stop waits on its own copy. The wait must cover the send in progress.

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("a background job, one run at a time in the process", () => {
  it("waiting on one copy waits for the run another copy started", async () => {
    const job = `job-${Math.random()}`;
    const sending = gate();
    const finished: string[] = [];
    const inRoute = backgroundRun(job, async () => {
      await sending.opened;
      finished.push("send recorded");
    });
    const inShutdown = backgroundRun(job, async () => finished.push("never runs"));

    inRoute.kick();
    let idle = false;
    const waiting = inShutdown.idle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);

    sending.open();
    await waiting;
    expect(finished).toEqual(["send recorded"]);
  });

  it("a kick from another copy during a run folds into one more run, not a second at once", async () => {
    const job = `job-${Math.random()}`;
    const first = gate();
    let concurrent = 0;
    let most = 0;
    let runs = 0;
    const work = async () => {
      concurrent++;
      most = Math.max(most, concurrent);
      runs++;
      if (runs === 1) await first.opened;
      concurrent--;
    };
    const a = backgroundRun(job, work);
    const b = backgroundRun(job, work);
    a.kick();
    b.kick();
    b.kick();
    first.open();
    await a.idle();
    expect({ runs, most }).toEqual({ runs: 2, most: 1 });
  });

  it("jobs of different names do not wait for each other", async () => {
    const stuck = gate();
    let emailSent = false;
    const email = backgroundRun(`email-${Math.random()}`, async () => {
      await stuck.opened;
      emailSent = true;
    });
    const webhooks = backgroundRun(`webhooks-${Math.random()}`, async () => undefined);
    email.kick();
    webhooks.kick();
    await webhooks.idle();
    expect(emailSent).toBe(false);
    stuck.open();
    await email.idle();
    expect(emailSent).toBe(true);
  });
});
