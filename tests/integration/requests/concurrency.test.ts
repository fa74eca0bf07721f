import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { database, db } from "@/lib/db/client";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh, requestRow } from "./support";

// A change is checked against the request as it is once locked, not as it was read before waiting
// for the lock: a reassignment that commits meanwhile takes the request out of the old assignee's hands.

describe("a change racing a reassignment", () => {
  let alice: Actor;
  let bob: Actor;
  let egpId: string;

  beforeAll(async () => {
    ({ alice, bob } = await openSeededDatabase());
    egpId = (await db().organisation.findUniqueOrThrow({ where: { code: "EGP" } })).id;
  });
  afterAll(closeSeededDatabase);

  it(
    ON_POSTGRES
      ? "the previous assignee's Install Code, waiting on the lock while the request is reassigned, is refused as not found"
      : "the previous assignee's Install Code, after the request was reassigned, is refused as not found",
    async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const { id } = await requestRow(reference);
      const reassign = `UPDATE "InstallCodeRequest" SET "assignedOrganisationId" = $1::uuid WHERE id = $2::uuid`;

      if (ON_POSTGRES) {
        // Another transaction holds the row (as a helpdesk reassignment would) while Bob submits.
        const other = await database().connect();
        try {
          await other.exec("BEGIN");
          await other.query(`SELECT id FROM "InstallCodeRequest" WHERE id = $1::uuid FOR UPDATE`, [id]);
          const pending = provideInstallCode(bob, { reference, installCode: "00112233445566778899AABBCCDDEEFF" });
          pending.catch(() => {}); // observed below
          await new Promise((resolve) => setTimeout(resolve, 300)); // let Bob read the request and wait for the lock
          await other.query(reassign, [egpId, id]);
          await other.exec("COMMIT");
          await expectRefused(pending, "NOT_FOUND", "No request with that reference");
        } finally {
          await other.release();
        }
      } else {
        await db().$executeRawUnsafe(reassign, egpId, id);
        await expectRefused(provideInstallCode(bob, { reference, installCode: "00112233445566778899AABBCCDDEEFF" }), "NOT_FOUND");
      }

      const row = await db().installCodeRequest.findUniqueOrThrow({ where: { id } });
      expect(await db().installCode.count({ where: { requestId: id } })).toBe(0);
      expect(row.status).toBe("ASSIGNED");
      expect(row.assignedOrganisationId).toBe(egpId);
    },
  );
});
