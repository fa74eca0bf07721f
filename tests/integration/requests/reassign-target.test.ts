import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh, requestRow } from "./support";

// What the helpdesk types as the Supplier to reassign to is matched literally, whatever it holds:
// LIKE's wildcards are no partial match, and a trailing backslash is no database error (a 500).

describe(`reassignment target typed with LIKE's special characters (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;
  beforeAll(async () => {
    people = await openSeededDatabase();
  });
  afterAll(closeSeededDatabase);

  it.each(["E%", "_GP", "%", "EGP\\", "\\", "Eastgate%"])("%s is no Supplier: refused with a message, nothing changes", async (typed) => {
    const { reference } = await raiseFresh(people.alice, "SFP");
    const refusal = await expectRefused(reassignRequest(people.dana, { reference, organisationCode: typed, reason: "Try" }), "VALIDATION");
    expect(refusal.fieldErrors.organisationCode![0]).toMatch(/^No organisation has the code or name/);
    expect((await requestRow(reference)).assignedOrganisationId).toBe(people.orgs.SFP);
  });
});
