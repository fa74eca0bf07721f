import type { Metadata } from "next";
import { RequestActionPage } from "@/components/request-action-page";
import { ReassignForm } from "@/components/request-forms";
import { reassignRequestAction } from "../../actions";
import { loadRequest, requestTitle } from "../load";

type Props = { params: Promise<{ reference: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return requestTitle((await params).reference, "Reassign request");
}

export default async function ReassignPage({ params }: Props) {
  const { request } = await loadRequest((await params).reference);
  return (
    <RequestActionPage
      reference={request.reference}
      title="Reassign request"
      unavailable={request.allowed["request:reassign"] ? null : "Only the DCC Helpdesk reassigns a request, while it is open."}
      consequences={[
          `The request moves from ${request.assignedOrganisation.name} to the Supplier you name; both are emailed, and the new one's five Working Days start now.`,
          `${request.assignedOrganisation.name} can no longer see the request, nor any Install Code it gave.`,
          "Your reason is shown on the request's timeline to both Suppliers.",
        ]}
    >
      <ReassignForm action={reassignRequestAction} reference={request.reference} preNotifiedBy={request.preNotifiedBy} />
    </RequestActionPage>
  );
}
