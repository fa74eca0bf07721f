import { BackupError } from "../lib/db/backup";
import { closeDatabase } from "../lib/db/client";
import { EnvError } from "../lib/env";
import { isAppError } from "../lib/errors";

/**
 * Runs a command-line script's `main` and exits with its code: a refusal by a use case (AppError)
 * prints its field messages, a bad environment or a refused backup its one line, anything else the error; the database
 * is closed either way.
 */
export function runCli(main: () => Promise<number>): void {
  const run = async (): Promise<number> => {
    try {
      return await main();
    } catch (error) {
      if (isAppError(error)) {
        const fields = Object.values(error.fieldErrors ?? {}).flat();
        console.error(fields.length ? fields.join("\n") : error.message);
        return 1;
      }
      console.error(error instanceof EnvError || error instanceof BackupError ? error.message : error);
      return 1;
    } finally {
      // PGlite keeps a timer alive: close it or the process never exits.
      await closeDatabase();
    }
  };
  // After closing: closing PGlite sets process.exitCode to 0 (emscripten's exit), so set ours last.
  void run().then((code) => {
    process.exitCode = code;
  });
}
