// One portal instance for tests/integration/instances.test.ts: a Node process of its own (its own
// connection pool, dispatcher and module state), on the DATABASE_URL and SMTP_URL it is started with,
// opening the database through lib/db/client.ts as `npm run serve` does. Run with
// node_modules/.bin/tsx. It reads one command a line on stdin, does it, and answers one line on
// stdout, `INSTANCE {json}`; the test writes the same command to two instances back to back, so
// that both act at the same moment. When stdin ends it lets its background deliveries finish,
// closes the database and exits.
import { createInterface } from "node:readline";
import { closeDatabase, database } from "../../lib/db/client";
import { prepareDatabase } from "../../lib/db/prepare";
import { isAppError } from "../../lib/errors";
import { closeSmtpConnections, dispatchDueEmails, dispatcherIdle } from "../../lib/notifications/dispatcher";
import { raiseRequest } from "../../lib/requests/raise-request";
import { runSlaScan } from "../../lib/sla/scheduler";
import { webhookDispatcherIdle } from "../../lib/webhooks/dispatcher";
import { actorFor } from "./actors";
import { REPLY_PREFIX } from "./instances";

export type InstanceCommand =
  /** What `npm run serve` does first (scripts/db.ts prepare); answers the lines it logged. */
  | { action: "prepare" }
  /** A raise as POST /api/v1/install-code-requests makes it (no note added to an open request). */
  | { action: "raise"; email: string; deviceId: string; now?: string }
  /** One run of the email dispatcher, until nothing is due. */
  | { action: "dispatch" }
  /** One obligation scan (reminders and breaches) at `now`. */
  | { action: "scan"; now: string; lock?: boolean }
  /** Waits for the deliveries this process started in the background (after a raise, a scan). */
  | { action: "idle" };

export type InstanceReply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string; code?: string } };

function answer(reply: InstanceReply | { ready: true }): void {
  process.stdout.write(`${REPLY_PREFIX}${JSON.stringify(reply)}\n`);
}

async function perform(command: InstanceCommand): Promise<unknown> {
  switch (command.action) {
    case "prepare": {
      const lines: string[] = [];
      await prepareDatabase((line) => lines.push(line));
      return { lines };
    }
    case "raise": {
      const actor = await actorFor(command.email);
      const now = command.now ? new Date(command.now) : undefined;
      return raiseRequest(actor, { deviceId: command.deviceId }, { noteOnOpen: false, now });
    }
    case "dispatch":
      return dispatchDueEmails();
    case "scan":
      return runSlaScan(new Date(command.now), { lock: command.lock });
    case "idle":
      await dispatcherIdle();
      await webhookDispatcherIdle();
      return null;
  }
}

async function main(): Promise<void> {
  // Open the pool before saying ready, so that a command's first query does not pay for connecting.
  await database().client.$queryRaw`SELECT 1`;
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    queue = queue.then(async () => {
      try {
        answer({ ok: true, result: await perform(JSON.parse(line) as InstanceCommand) });
      } catch (error) {
        const e = error as Error;
        answer({ ok: false, error: { name: e.name, message: e.message, ...(isAppError(error) ? { code: error.code } : {}) } });
      }
    });
  });
  lines.on("close", () => {
    void queue.then(async () => {
      await dispatcherIdle();
      await webhookDispatcherIdle();
      closeSmtpConnections();
      await closeDatabase();
    });
  });
  answer({ ready: true });
}

main().catch(async (error: unknown) => {
  console.error(error);
  await closeDatabase().catch(() => {});
  process.exitCode = 1;
});
