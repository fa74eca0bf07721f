import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { removePerson } from "@/lib/people/people";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { viewRequest } from "@/lib/requests/view-request";
import { closeRequest } from "@/lib/requests/close-request";
import { addUser, closeSeededDatabase, emailsQueuedBy, ON_POSTGRES, openSeededDatabase, raiseFresh, recipients } from "./support";

// Issue 11, part 3: requests belong to organisations. A person who raised a request and then left
// leaves it with the organisation: their colleagues are told of the answer and close it, and the
// request page says who raised it and that they have left.

describe(`a request whose raiser has left (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, dana: Actor;
  let nina: Actor;

  beforeAll(async () => {
    ({ alice, bob, dana } = await openSeededDatabase());
    nina = await addUser("nina@northwind.example", "Nina Shah", "NWE");
  });
  afterAll(closeSeededDatabase);

  it("stays Northwind's: its people are emailed the answer, a colleague closes it, and the page says that Nina has left", async () => {
    const { reference } = await raiseFresh(nina, "SFP");
    expect((await viewRequest(alice, reference)).raiserHasLeft).toBe(false);
    await removePerson(alice, { userId: nina.userId });

    const { emails } = await emailsQueuedBy(() => provideInstallCode(bob, { reference, installCode: "83FED3407A939723A5C639B26916D505" }));
    expect(recipients(emails)).toEqual(["alice@northwind.example", "amir@northwind.example"]);

    for (const viewer of [alice, bob, dana]) {
      const view = await viewRequest(viewer, reference);
      expect(view.raisedBy).toBe("Nina Shah");
      expect(view.raiserHasLeft).toBe(true);
    }
    await closeRequest(alice, { reference });
    expect((await viewRequest(alice, reference)).status).toBe("CLOSED");
  });
});
