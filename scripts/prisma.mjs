#!/usr/bin/env node
// Runs the Prisma CLI. Where ../shared/tools/prisma-schema-engine.mjs exists (machines that cannot
// download Prisma's native schema engine), the CLI is pointed at it; elsewhere Prisma behaves as usual.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
const engine = path.resolve(import.meta.dirname, "../../shared/tools/prisma-schema-engine.mjs");
if (existsSync(engine) && !env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = engine;

const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
