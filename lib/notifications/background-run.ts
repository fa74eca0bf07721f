import { logError } from "../log";

/**
 * A job that runs in the background when kicked (after a commit), one run at a time: kicks during a
 * run fold into one more run. The email and webhook dispatchers are each one.
 */
export function backgroundRun(job: string, run: () => Promise<unknown>): { kick: () => void; idle: () => Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  return {
    kick() {
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await run();
          } while (again);
        } catch (error) {
          logError(error, { job }, `${job} run failed`);
        } finally {
          running = undefined;
        }
      })();
    },
    /** Waits for a background run to finish (tests, shutdown). */
    async idle() {
      while (running) await running;
    },
  };
}
