import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";
import { decryptInstallCode } from "../install-code/encryption";
import { KeyNotHeldError } from "../install-code/key-ring";
import { logger } from "../log";
import { erasedCodeMessage } from "../retention/erase-install-codes";
import { assertAllowed, requestForAction } from "./mutate";
import { can, relationsTo } from "./permissions";
import { formatReference } from "./reference";
import { revealInstallCodeSchema, type RevealInstallCodeInput } from "./schemas";

export const NO_CODE_MESSAGE = "No Install Code has been provided for this request yet";
const NO_OWN_CODE_MESSAGE = "Your organisation has not provided an Install Code for this request yet";

/**
 * Shows one Install Code to the raising organisation or to the organisation that gave it; every
 * reveal is on the timeline and in the audit log. Without `codeId`, the newest code this actor may see.
 */
export async function revealInstallCode(actor: Actor, input: RevealInstallCodeInput, options: { now?: Date } = {}): Promise<{ installCode: string }> {
  const { reference, codeId } = validate(revealInstallCodeSchema, input);
  const now = options.now ?? clockNow();
  return transaction(async (tx) => {
    // Lock the request first (or 404): the codes are read as they are under the lock, so a code
    // replaced or a reassignment committed meanwhile counts.
    const request = await requestForAction(tx, actor, reference, "request:view");
    const codes = await tx.installCode.findMany({
      where: { requestId: request.id, replacedAt: null },
      orderBy: { providedAt: "desc" },
      select: { id: true, encrypted: true, providedByOrganisationId: true, erasedAt: true, request: { select: { closedAt: true } } },
    });
    const code = codeId ? codes.find((c) => c.id === codeId) : codes.find((c) => can(actor, "install-code:reveal", request, c));
    if (codeId && !code) throw AppError.notFound("That Install Code is not on this request (it may have been replaced)");
    if (!code) {
      // A Supplier on the request with nothing of its own to reveal is told so; anyone else (the
      // helpdesk) is refused as the permission map says.
      const supplierParty = relationsTo(actor, request).some((r) => r === "raiser" || r === "assignee");
      if (supplierParty) throw new AppError("CONFLICT", codes.length > 0 ? NO_OWN_CODE_MESSAGE : NO_CODE_MESSAGE);
      assertAllowed(actor, "install-code:reveal", request);
      throw new AppError("CONFLICT", NO_CODE_MESSAGE);
    }
    // Reading stays possible after closing: the gaining Supplier may need the code again.
    assertAllowed(actor, "install-code:reveal", request, code);
    // Erased after the retention period (lib/retention/erase-install-codes.ts): say so, never "500".
    if (code.erasedAt) throw new AppError("CONFLICT", erasedCodeMessage(code.request.closedAt, code.erasedAt));
    let installCode: string;
    try {
      installCode = decryptInstallCode(code.encrypted, request.id);
    } catch (error) {
      // INSTALL_CODE_KEY changed (or the row was tampered with): say what to do, not "500"; the log
      // tells the operator which key it needs when the code names one (decision 028).
      logger().warn(
        { reference: formatReference(request.number), codeId: code.id, reason: error instanceof KeyNotHeldError ? error.message : "no key in INSTALL_CODE_KEY opens it" },
        "a stored Install Code cannot be decrypted",
      );
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
