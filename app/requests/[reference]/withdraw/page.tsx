import type { Metadata } from "next";
import { RequestActionPage } from "@/components/request-action-page";
import { ListedReasonForm } from "@/components/request-forms";
import { WITHDRAW_DETAIL_MAX, WITHDRAW_REASONS } from "@/lib/requests/schemas";
import { withdrawRequestAction } from "../../actions";
import { loadRequest, requestTitle } from "../load";

type Props = { params: Promise<{ reference: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return requestTitle((await params).reference, "Withdraw request");
}

export default async function WithdrawPage({ params }: Props) {
  const { request } = await loadRequest((await params).reference);
  return (
    <RequestActionPage
      reference={request.reference}
      title="Withdraw request"
      unavailable={request.allowed["request:withdraw"] ? null : "A request is withdrawn by the organisation that raised it, before any Install Code has been given; once a code has been given, verify it and close the request instead."}
      consequences={[
          "The request ends now, without an Install Code: it becomes read-only, as a closed request does.",
          `${request.assignedOrganisation.name} is emailed that it need not provide the Install Code, with the reason you choose below (your own words for "other" stay on the request page).`,
          "If you need the Install Code later, raise a new request for the Device.",
        ]}
    >
      <ListedReasonForm
        action={withdrawRequestAction}
        reference={request.reference}
        submit="Withdraw request"
        legend="Why are you withdrawing it?"
        reasons={Object.entries(WITHDRAW_REASONS)}
        detailMax={WITHDRAW_DETAIL_MAX}
        readers="The assigned Supplier and the helpdesk"
      />
    </RequestActionPage>
  );
}
