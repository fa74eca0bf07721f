// npm run org -- create --code NWE --name "Northwind Energy" [--team-email ops@northwind.example]
// Onboarding organisations and their first administrator from a script (lib/people): the same rules
// and audit log as /admin/organisations, recorded without a person.
import { parseArgs } from "node:util";
import { db } from "../lib/db/client";
import { applyMigrations } from "../lib/db/prepare";
import { runCli } from "./run-cli";
import { dispatcherIdle } from "../lib/notifications/dispatcher";
import { invitePerson } from "../lib/people/invitations";
import { createOrganisation, renameOrganisation, setOrganisationSuspended } from "../lib/people/organisations";
import { OPERATOR } from "../lib/people/permissions";

const USAGE = `usage:
  npm run org -- create --code <code> --name <name> [--team-email <address>]
  npm run org -- rename --code <code> --name <name>
  npm run org -- suspend --code <code>
  npm run org -- reinstate --code <code>
  npm run org -- invite --code <code> --email <address> --name <name> [--administrator]
  npm run org -- list`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { code: { type: "string" }, name: { type: "string" }, "team-email": { type: "string" }, email: { type: "string" }, administrator: { type: "boolean" } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (rest.length > 0 || !command) {
    console.error(USAGE);
    return 2;
  }
  const code = values.code ?? "";
  if (command === "create" && values.code !== undefined && values.name !== undefined) {
    await applyMigrations(() => {});
    const o = await createOrganisation(OPERATOR, { code, name: values.name, teamEmail: values["team-email"] });
    console.log(`Created ${o.name} (${o.code}). Invite its first administrator: npm run org -- invite --code ${o.code} --email <address> --name <name> --administrator`);
    return 0;
  }
  if (command === "rename" && values.code !== undefined && values.name !== undefined) {
    await applyMigrations(() => {});
    const o = await renameOrganisation(OPERATOR, { code, name: values.name });
    console.log(`${o.code} is now ${o.name}.`);
    return 0;
  }
  if ((command === "suspend" || command === "reinstate") && values.code !== undefined) {
    await applyMigrations(() => {});
    const o = await setOrganisationSuspended(OPERATOR, { code, suspended: command === "suspend" });
    console.log(command === "suspend" ? `${o.name} (${o.code}) is suspended: its people cannot sign in and its API keys are refused.` : `${o.name} (${o.code}) is reinstated.`);
    return 0;
  }
  if (command === "invite" && values.code !== undefined && values.email !== undefined && values.name !== undefined) {
    await applyMigrations(() => {});
    const organisation = await db().organisation.findUnique({ where: { code: code.trim().toUpperCase() }, select: { id: true, name: true } });
    if (!organisation) {
      console.error(`No organisation has the code ${code}`);
      return 1;
    }
    await invitePerson(OPERATOR, organisation.id, { email: values.email, name: values.name, administrator: values.administrator ?? false });
    await dispatcherIdle();
    console.log(`Invited ${values.email.trim().toLowerCase()} to ${organisation.name}: the invitation email is on its way (it is valid for 7 days).`);
    return 0;
  }
  if (command === "list") {
    await applyMigrations(() => {});
    const rows = await db().organisation.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true, kind: true, suspendedAt: true, teamEmail: true } });
    for (const o of rows) console.log(`${o.code.padEnd(8)} ${o.kind.padEnd(9)} ${o.suspendedAt ? "suspended" : "active   "} ${o.name}${o.teamEmail ? `  <${o.teamEmail}>` : ""}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

runCli(main);
