import type { PrismaClient } from "./client";

// Demo data: the organisations and people of the README's walk-through. Idempotent: running it
// again changes nothing that is already there.

export const DEMO_ORGANISATIONS = [
  { code: "NWE", name: "Northwind Energy", kind: "SUPPLIER" },
  { code: "SFP", name: "Southfield Power", kind: "SUPPLIER" },
  { code: "EGP", name: "Eastgate Gas & Power", kind: "SUPPLIER" },
  { code: "DCC", name: "DCC Service Desk", kind: "HELPDESK" },
] as const;

export const DEMO_USERS = [
  { email: "alice@northwind.example", name: "Alice Hughes", organisation: "NWE", role: "SUPPLIER_USER" },
  { email: "bob@southfield.example", name: "Bob Patel", organisation: "SFP", role: "SUPPLIER_USER" },
  { email: "erin@eastgate.example", name: "Erin Walsh", organisation: "EGP", role: "SUPPLIER_USER" },
  { email: "dana@dcc.example", name: "Dana Okafor", organisation: "DCC", role: "HELPDESK" },
] as const;

export async function seedDemoData(client: PrismaClient): Promise<void> {
  const ids = new Map<string, string>();
  for (const org of DEMO_ORGANISATIONS) {
    const row = await client.organisation.upsert({
      where: { code: org.code },
      create: org,
      update: {},
      select: { id: true },
    });
    ids.set(org.code, row.id);
  }
  for (const user of DEMO_USERS) {
    await client.user.upsert({
      where: { email: user.email },
      create: { email: user.email, name: user.name, role: user.role, organisationId: ids.get(user.organisation)! },
      update: {},
    });
  }
}

export async function isEmpty(client: PrismaClient): Promise<boolean> {
  return (await client.organisation.count()) === 0;
}
