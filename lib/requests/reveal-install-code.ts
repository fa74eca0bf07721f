import type { Actor } from "../auth/actor";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";
import { decryptInstallCode } from "../install-code/encryption";
import { requestForAction } from "./mutate";
import { requestReferenceSchema, type RequestReferenceInput } from "./schemas";

/** Shows the Install Code to one of the two Suppliers; every reveal is on the timeline. */
export async function revealInstallCode(actor: Actor, input: RequestReferenceInput, options: { now?: Date } = {}): Promise<{ installCode: string }> {
  const { reference } = validate(requestReferenceSchema, input);
  const now = options.now ?? new Date();
  return transaction(async (tx) => {
    // Reading stays possible after closing: the gaining Supplier may need the code again.
    const request = await requestForAction(tx, actor, reference, "install-code:reveal", { allowClosed: true });
    if (!request.installCodeEncrypted) throw new AppError("CONFLICT", "No Install Code has been provided for this request yet");
    let installCode: string;
    try {
      installCode = decryptInstallCode(request.installCodeEncrypted, request.id);
    } catch {
      // INSTALL_CODE_KEY changed (or the row was tampered with): say what to do, not "500".
      throw new AppError(
        "CONFLICT",
        "The stored Install Code cannot be read (the portal's encryption key has changed): ask the installing Supplier to provide it again",
      );
    }
    await tx.requestEvent.create({
      data: { requestId: request.id, type: "INSTALL_CODE_REVEALED", at: now, actorId: actor.userId, actorOrganisationId: actor.organisationId },
    });
    return { installCode };
  });
}
