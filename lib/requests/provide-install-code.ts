import type { Actor } from "../auth/actor";
import { transaction } from "../db/transaction";
import { validate } from "../errors";
import { encryptInstallCode } from "../install-code/encryption";
import { kickDispatcher } from "../notifications/dispatcher";
import { requestUpdatedEmail } from "../../emails/request-emails";
import { requestForAction } from "./mutate";
import { emailUser, requestUrl } from "./notify";
import { formatReference } from "./reference";
import { provideInstallCodeSchema, type ProvideInstallCodeInput } from "./schemas";

/**
 * The installing Supplier answers with the Install Code, validated (length, CRC) before it is
 * stored, encrypted. A second provision replaces the code. The raiser is emailed, without the code.
 */
export async function provideInstallCode(actor: Actor, input: ProvideInstallCodeInput, options: { now?: Date } = {}): Promise<void> {
  const { reference, installCode } = validate(provideInstallCodeSchema, input);
  const now = options.now ?? new Date();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "install-code:provide");
    await tx.installCodeRequest.update({
      where: { id: request.id },
      data: {
        installCodeEncrypted: encryptInstallCode(installCode, request.id),
        installCodeProvidedAt: now,
        status: "RESPONDED",
        // The SLA is met by the first response; a replacement does not move it.
        respondedAt: request.respondedAt ?? now,
      },
    });
    await tx.requestEvent.create({
      data: {
        requestId: request.id,
        type: "INSTALL_CODE_PROVIDED",
        at: now,
        actorId: actor.userId,
        actorOrganisationId: actor.organisationId,
        detail: request.installCodeEncrypted ? "replaced the Install Code" : null,
      },
    });
    await emailUser(
      tx,
      request.id,
      request.raisedById,
      requestUpdatedEmail({
        reference: formatReference(request.number),
        deviceId: request.deviceId,
        what: `${actor.organisationName} ${request.installCodeEncrypted ? "replaced" : "provided"} the Install Code`,
        url: requestUrl(request.number),
      }),
    );
  });
  kickDispatcher();
}
