import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";
import { decryptInstallCode } from "../install-code/encryption";
import { requestForAction } from "./mutate";
import { can, relationsTo } from "./permissions";
import { formatReference } from "./reference";
import { findVisibleRequest } from "./visibility";
import { revealInstallCodeSchema, type RevealInstallCodeInput } from "./schemas";

export const NO_CODE_MESSAGE = "No Install Code has been provided for this request yet";
const NO_OWN_CODE_MESSAGE = "Your organisation has not provided an Install Code for this request yet";

/**
 * Shows one Install Code to the raising organisation or to the organisation that gave it; every
 * reveal is on the timeline and in the audit log. Without `codeId`, the newest code this actor may see.
 */
export async function revealInstallCode(actor: Actor, input: RevealInstallCodeInput, options: { now?: Date } = {}): Promise<{ installCode: string }> {
  const { reference, codeId } = validate(revealInstallCodeSchema, input);
  const now = options.now ?? new Date();
  return transaction(async (tx) => {
    const parties = await findVisibleRequest(tx, actor, reference, { id: true, raisingOrganisationId: true, assignedOrganisationId: true });
    const codes = await tx.installCode.findMany({
      where: { requestId: parties.id, replacedAt: null },
      orderBy: { providedAt: "desc" },
      select: { id: true, encrypted: true, providedByOrganisationId: true },
    });
    const code = codeId ? codes.find((c) => c.id === codeId) : codes.find((c) => can(actor, "install-code:reveal", parties, c));
    if (codeId && !code) throw AppError.notFound("That Install Code is not on this request (it may have been replaced)");
    // A Supplier on the request that has nothing to reveal is told so; anyone else is refused below.
    const supplierParty = relationsTo(actor, parties).some((r) => r === "raiser" || r === "assignee");
    if (!code && supplierParty) throw new AppError("CONFLICT", codes.length > 0 ? NO_OWN_CODE_MESSAGE : NO_CODE_MESSAGE);
    // Checked again on the locked row: a reassignment that committed meanwhile must count.
    // Reading stays possible after closing: the gaining Supplier may need the code again.
    const request = await requestForAction(tx, actor, reference, "install-code:reveal", {
      allowClosed: true,
      code: code ?? { providedByOrganisationId: "" },
    });
    if (!code) throw new AppError("FORBIDDEN", "Only the organisation that raised this request and the organisation that gave this Install Code can see it");
    let installCode: string;
    try {
      installCode = decryptInstallCode(code.encrypted, request.id);
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
    await recordAudit(tx, { type: "INSTALL_CODE_REVEALED", actor, requestReference: formatReference(request.number), at: now });
    return { installCode };
  });
}
