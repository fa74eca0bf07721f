// npm run apikey -- create --org NWE --name "billing system" | list --org NWE | revoke <prefix>
// API keys for an organisation's systems (lib/api-keys/keys.ts). `create` prints the key once.
import { parseArgs } from "node:util";
import { createApiKey, listApiKeys, revokeApiKey } from "../lib/api-keys/keys";
import { applyMigrations } from "../lib/db/prepare";
import { runCli } from "./run-cli";

const USAGE = `usage:
  npm run apikey -- create --org <code> --name <name>   prints the new key once
  npm run apikey -- list --org <code>                     the organisation's keys (never the keys themselves)
  npm run apikey -- revoke <prefix>                       e.g. icr_3fa9c1d2`;

const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "never");

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { org: { type: "string" }, name: { type: "string" } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (command === "create" && values.org && values.name !== undefined && rest.length === 0) {
    await applyMigrations(() => {});
    const { key, summary } = await createApiKey({ organisationCode: values.org, name: values.name });
    console.error(`Created API key ${summary.prefix} "${summary.name}" for ${summary.organisationCode}. This is the only time the key is shown:`);
    console.log(key);
    return 0;
  }
  if (command === "list" && values.org && rest.length === 0) {
    await applyMigrations(() => {});
    const keys = await listApiKeys(values.org);
    if (keys.length === 0) console.log(`No API keys for ${values.org.toUpperCase()}.`);
    for (const k of keys) {
      console.log(`${k.prefix}  ${k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active"}  created ${when(k.createdAt)}  last used ${when(k.lastUsedAt)}  ${k.name}`);
    }
    return 0;
  }
  if (command === "revoke" && rest.length === 1 && !values.org && values.name === undefined) {
    await applyMigrations(() => {});
    const k = await revokeApiKey(rest[0]);
    console.log(`Revoked ${k.prefix} "${k.name}" of ${k.organisationCode}: it is refused from now on.`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

runCli(main);
