import { logError } from "../log";

type RunState = { running: Promise<void> | undefined; again: boolean };

// Next.js bundles server code into several module graphs: the dispatcher a use case kicks after its
// commit (in a route's graph) is another copy of this module than the one the graceful stop waits on
// (instrumentation's graph). The state of each job lives on globalThis, by name, so that waiting for
// "the email dispatcher" waits for every run of it in the process: otherwise a stop closed the
// database under a send in progress, which was sent again when its claim ran out (the
// load-and-fault test's duplicated emails). As lib/ops/stopping.ts shares the stopping flag.
const slot = globalThis as unknown as { __installCodePortalBackgroundRuns?: Map<string, RunState> };

function stateOf(job: string): RunState {
  slot.__installCodePortalBackgroundRuns ??= new Map();
  let state = slot.__installCodePortalBackgroundRuns.get(job);
  if (!state) {
    state = { running: undefined, again: false };
    slot.__installCodePortalBackgroundRuns.set(job, state);
  }
  return state;
}

/**
 * A job that runs in the background when kicked (after a commit), one run at a time in the process:
 * kicks during a run fold into one more run. The email and webhook dispatchers are each one.
 */
export function backgroundRun(job: string, run: () => Promise<unknown>): { kick: () => void; idle: () => Promise<void> } {
  const state = stateOf(job);
  return {
    kick() {
      if (state.running) {
        state.again = true;
        return;
      }
      state.running = (async () => {
        try {
          do {
            state.again = false;
            await run();
          } while (state.again);
        } catch (error) {
          logError(error, { job }, `${job} run failed`);
        } finally {
          state.running = undefined;
        }
      })();
    },
    /** Waits for the job's run in progress, whichever copy of this module started it (tests, shutdown). */
    async idle() {
      while (state.running) await state.running;
    },
  };
}
