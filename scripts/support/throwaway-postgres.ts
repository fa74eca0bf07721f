import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

// A PostgreSQL server of its own, in a temporary folder, for the tests and scripts that stop and
// start their database (readiness, the load-and-fault test): the machine's shared server is never
// restarted. Uses the machine's initdb and pg_ctl (Debian's postgresql package); as root, runs them
// as the postgres user, since PostgreSQL refuses to run as root.

export type ThrowawayPostgres = {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** Asynchronous, so that a process keeps serving (the load test's clients) while it waits. */
  start(): Promise<void>;
  /** A fast shutdown: open connections are ended, as in a managed server's restart or failover. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  running(): boolean;
  /** Stops the server (immediately) and deletes its folder. */
  dispose(): void;
};

/** The path of one of PostgreSQL's programs (pg_dump, pg_restore, initdb, pg_ctl), newest version first. */
export function postgresProgram(name: string): string {
  for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), ...versionedBinDirs()]) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new Error(`PostgreSQL's ${name} was not found (install Debian's postgresql package)`);
}

function versionedBinDirs(): string[] {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((version) => path.join(root, version, "bin"));
}

function binDir(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "pg_ctl")) && existsSync(path.join(dir, "initdb"))) return dir;
  }
  for (const dir of versionedBinDirs()) {
    if (existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new Error("PostgreSQL's initdb and pg_ctl were not found (install Debian's postgresql package)");
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-pg-"));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dataDir, uid, gid);
  }
  chmodSync(dataDir, 0o700);
  const commandLine = (program: string, args: string[]): [string, string[]] => {
    const command = path.join(bin, program);
    return asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  };
  const run = (program: string, args: string[]) => {
    const [file, argv] = commandLine(program, args);
    execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  };
  const runAsync = (program: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, argv] = commandLine(program, args);
      execFile(file, argv, { timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`${program}: ${error.message}\n${stderr}`)) : resolve()));
    });
  const port = await freePort();
  run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const options = `-p ${port} -h 127.0.0.1 -k ${dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  let running = false;
  const handle: ThrowawayPostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async start() {
      await runAsync("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(dataDir, "server.log"), "-w", "-t", "60", "start"]);
      running = true;
    },
    async stop() {
      await runAsync("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
      running = false;
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
    running: () => running,
    dispose() {
      try {
        if (running) run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already stopped.
      }
      running = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}
