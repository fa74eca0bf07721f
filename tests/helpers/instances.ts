import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import type { InstanceCommand, InstanceReply } from "./instance-process";

// Portal instances in processes of their own (tests/helpers/instance-process.ts), driven one command
// at a time: `both` writes a command to each of two instances back to back, so that they act together.

export const REPLY_PREFIX = "INSTANCE ";
const TSX = path.resolve("node_modules/.bin/tsx");
const ENTRY = path.resolve("tests/helpers/instance-process.ts");
/** A command that takes longer than this has hung: the test fails rather than waiting for its timeout. */
const REPLY_TIMEOUT_MS = 45_000;

export type Instance = {
  name: string;
  /** Sends one command and waits for its answer (a refusal or an error is an answer, not a throw). */
  send(command: InstanceCommand): Promise<InstanceReply>;
  /** Ends stdin and waits for the process to exit; kills it if it has not within 15 s. Its exit code. */
  stop(): Promise<number | null>;
};

export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child: ChildProcessWithoutNullStreams = spawn(TSX, [ENTRY], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let startError = "";
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.on("error", (error) => {
      startError = error.message;
      resolve(null);
    });
  });
  let waiting: { resolve: (reply: unknown) => void; reject: (error: Error) => void } | undefined;
  const fail = (why: string) => waiting?.reject(new Error(`instance ${name}: ${why}\n${stderr}`));
  void exited.then((code) => fail(startError ? `could not be started: ${startError}` : `exited (${code}) while a command was waiting`));
  child.stdin.on("error", () => {}); // a write to an instance that has died: its exit is the failure
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (!line.startsWith(REPLY_PREFIX)) return; // anything else a library prints
    const current = waiting;
    waiting = undefined;
    current?.resolve(JSON.parse(line.slice(REPLY_PREFIX.length)));
  });

  function next<T>(): Promise<T> {
    if (waiting) throw new Error(`instance ${name}: one command at a time`);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no answer within ${REPLY_TIMEOUT_MS / 1000} s`), REPLY_TIMEOUT_MS);
      waiting = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          waiting = undefined;
          reject(error);
        },
      };
    });
  }

  try {
    await next<{ ready: true }>();
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    name,
    send(command) {
      const reply = next<InstanceReply>();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return reply;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Two instances on one database. If one fails to start, the other is stopped before the failure is
 * thrown. (An instance left running by a test process that died sees its stdin end, and exits.)
 */
export async function startPair(env: Record<string, string>): Promise<[Instance, Instance]> {
  const started = await Promise.allSettled([startInstance("a", env), startInstance("b", env)]);
  const running = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(running.map((instance) => instance.stop()));
    throw failed.reason;
  }
  return running as [Instance, Instance];
}

/** The same moment: the command goes to both instances before either answer is awaited. */
export function both(a: Instance, b: Instance, commandA: InstanceCommand, commandB: InstanceCommand = commandA): Promise<[InstanceReply, InstanceReply]> {
  return Promise.all([a.send(commandA), b.send(commandB)]);
}

/** The reply's result, or a test failure naming the error. */
export function resultOf<T>(reply: InstanceReply): T {
  if (!reply.ok) throw new Error(`the instance answered ${reply.error.name}: ${reply.error.message}`);
  return reply.result as T;
}
