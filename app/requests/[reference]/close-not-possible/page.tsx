import type { Metadata } from "next";
import { RequestActionPage } from "@/components/request-action-page";
import { CloseNotPossibleForm } from "@/components/request-forms";
import { closeNotPossibleAction } from "../../actions";
import { loadRequest, requestTitle } from "../load";

type Props = { params: Promise<{ reference: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return requestTitle((await params).reference, "Close as not possible");
}

export default async function CloseNotPossiblePage({ params }: Props) {
  const { request } = await loadRequest((await params).reference);
  return (
    <RequestActionPage
      reference={request.reference}
      title="Close as not possible"
      unavailable={request.allowed["request:close-not-possible"] ? null : "Only the DCC Helpdesk closes a request as not possible, once its assigned Supplier has declined it."}
      consequences={[
          "The request ends without an Install Code and becomes read-only.",
          `${request.raisingOrganisation.name} is emailed that it was closed and reads your reason on the request page.`,
        ]}
    >
      <CloseNotPossibleForm action={closeNotPossibleAction} reference={request.reference} />
    </RequestActionPage>
  );
}
