import { dailyDigestEmail } from "../../emails/digest-emails";
import { recipientFooter } from "../../emails/footer";
import { withFooter } from "../../emails/layout";
import { database as processDatabase } from "../db/client";
import { transaction, type Tx } from "../db/transaction";
import { env } from "../env";
import type { EmailCategory } from "./categories";
import { kickDispatcher } from "./dispatcher";
import { queueEmail } from "./outbox";
import { currentAddresses, notificationSettingsUrl } from "./recipients";

// The daily digest (EMAIL_DIGEST_CRON, lib/sla/schedule.ts): for each person who chose it, the
// optional emails held for them since the last one (status HELD) become one email, and each held
// row DIGESTED with the digest's id, in one transaction per person. Rows are locked FOR UPDATE SKIP
// LOCKED, so two instances running the job at once never put one email in two digests. What the
// person would no longer get (they left the organisation, or turned that kind off) is CANCELLED.

type Held = { id: string; to: string; subject: string; category: EmailCategory; organisationId: string | null; userId: string | null; requestId: string | null; requestIds: string[] };

export async function sendDailyDigests(): Promise<{ digests: number; cancelled: number }> {
  const client = processDatabase().client;
  const people = await client.email.findMany({ where: { status: "HELD", userId: { not: null } }, distinct: ["userId"], select: { userId: true } });
  let digests = 0;
  let cancelled = 0;
  for (const { userId } of people) {
    const result = await transaction((tx) => digestFor(tx, userId!));
    digests += result.digest ? 1 : 0;
    cancelled += result.cancelled;
  }
  if (digests > 0) kickDispatcher();
  return { digests, cancelled };
}

async function digestFor(tx: Tx, userId: string): Promise<{ digest: boolean; cancelled: number }> {
  const held = await tx.$queryRaw<Held[]>`
    SELECT id, "to", subject, category, "organisationId", "userId", "requestId", "requestIds" FROM "Email"
    WHERE status = 'HELD' AND "userId" = ${userId}::uuid
    ORDER BY "createdAt", id
    FOR UPDATE SKIP LOCKED`;
  if (held.length === 0) return { digest: false, cancelled: 0 };
  const addresses = await currentAddresses(tx, held);
  const kept = held.filter((e) => "to" in addresses.get(e.id)!);
  const dropped = held.filter((e) => !kept.includes(e));
  for (const email of dropped) {
    const address = addresses.get(email.id)!;
    await tx.email.update({ where: { id: email.id }, data: { status: "CANCELLED", lastError: "cancel" in address ? address.cancel : null } });
  }
  if (kept.length === 0) return { digest: false, cancelled: dropped.length };
  const organisationId = kept[0].organisationId!;
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } });
  const to = (addresses.get(kept[0].id) as { to: string }).to;
  const email = dailyDigestEmail({ organisation: organisation.name, items: kept, listUrl: `${env().appUrl}/requests` });
  const requestIds = [...new Set(kept.flatMap((e) => (e.requestId ? [e.requestId] : e.requestIds)))];
  const digest = await queueEmail(tx, {
    to,
    email: withFooter(email, recipientFooter({ recipient: "person", organisation: organisation.name, category: "DIGEST", alwaysSent: false, settingsUrl: notificationSettingsUrl() })),
    category: "DIGEST",
    about: requestIds,
    organisationId,
    userId,
  });
  await tx.email.updateMany({ where: { id: { in: kept.map((e) => e.id) } }, data: { status: "DIGESTED", digestId: digest.id } });
  return { digest: true, cancelled: dropped.length };
}
