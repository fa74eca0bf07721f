import { apiRoute } from "@/lib/api/handler";
import { detailJson } from "@/lib/api/representations";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { viewRequest } from "@/lib/requests/view-request";

// The request with its notes and timeline; for the raiser and the organisation that gave it, the
// Install Code (a reveal, on the timeline and in the audit log).
export const GET = apiRoute<{ reference: string }>({}, async ({ actor, params }) => {
  const view = await viewRequest(actor, params.reference);
  const installCode = view.allowed["install-code:reveal"] ? (await revealInstallCode(actor, { reference: params.reference })).installCode : null;
  return { status: 200, body: detailJson(view, installCode) };
});
