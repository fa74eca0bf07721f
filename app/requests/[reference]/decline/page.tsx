import type { Metadata } from "next";
import { RequestActionPage } from "@/components/request-action-page";
import { ListedReasonForm } from "@/components/request-forms";
import { DECLINE_DETAIL_MAX, DECLINE_REASONS } from "@/lib/requests/schemas";
import { declineRequestAction } from "../../actions";
import { loadRequest, requestTitle } from "../load";

type Props = { params: Promise<{ reference: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return requestTitle((await params).reference, "Decline request: not your Device");
}

export default async function DeclinePage({ params }: Props) {
  const { request } = await loadRequest((await params).reference);
  return (
    <RequestActionPage
      reference={request.reference}
      title="Decline request: not your Device"
      unavailable={request.allowed["request:decline"] ? null : "Only the Supplier a request is assigned to can decline it, and only before it has provided the Install Code."}
      consequences={[
          "Decline only if your organisation does not hold this Device's Install Code. This is your response: your five Working Days stop.",
          "The request goes to the DCC Helpdesk's Unassignable queue: it reassigns the request to the right Supplier or closes it as not possible.",
          `${request.raisingOrganisation.name} is emailed the reason you choose below (your own words for "other" stay on the request page).`,
        ]}
    >
      <ListedReasonForm
        action={declineRequestAction}
        reference={request.reference}
        submit="Decline request"
        legend="Why are you declining?"
        reasons={Object.entries(DECLINE_REASONS)}
        detailMax={DECLINE_DETAIL_MAX}
        readers="The raising Supplier and the helpdesk"
      />
    </RequestActionPage>
  );
}
