import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// A portal server of its own for the process tests (stopping, killing, starting again): the built
// portal (`next build` must have run), in demo mode on a new embedded database in a temporary
// folder, started as `npm run serve` starts it (prepare, then scripts/next-start.mjs).

export type PortalProcess = { child: ChildProcess; port: number; url: string; output: () => string; exited: Promise<number | null> };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

export function newDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-ops-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function portalEnv(dataDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    SMTP_URL: "",
    LOG_LEVEL: "info",
    ...extra,
  };
}

/** `npm run db:migrate`-like steps, run to completion: prepare (migrate and seed), or an API key. */
export function runScript(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(TSX, args, { cwd: ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

export async function startPortal(dataDir: string, port: number, extra: Record<string, string> = {}): Promise<PortalProcess> {
  const env = portalEnv(dataDir, port, extra);
  runScript(["scripts/db.ts", "prepare"], env);
  // Its own process group, so that a test can kill -9 the server and the launcher together.
  const child = spawn(process.execPath, ["scripts/next-start.mjs"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited while starting:\n${output}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > end) throw new Error(`the portal did not start within 90 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, port, url, output: () => output, exited };
}

/** Kills the server and its launcher at once, as a power cut or `kill -9` would. */
export function killHard(portal: PortalProcess): void {
  try {
    process.kill(-portal.child.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
}
