import type { Metadata } from "next";
import { RequestActionPage } from "@/components/request-action-page";
import { CloseRequestForm } from "@/components/request-forms";
import { env } from "@/lib/env";
import { closeRequestAction } from "../../actions";
import { loadRequest, requestTitle } from "../load";

type Props = { params: Promise<{ reference: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return requestTitle((await params).reference, "Close request");
}

export default async function ClosePage({ params }: Props) {
  const { request } = await loadRequest((await params).reference);
  const days = env().installCodeRetentionDays;
  const retention = `${days} day${days === 1 ? "" : "s"}`;
  return (
    <RequestActionPage
      reference={request.reference}
      title="Close request"
      unavailable={request.allowed["request:close"] ? null : "A request is closed by the organisation that raised it, once an Install Code has been given: there is then something to verify."}
      consequences={[
          "Close it only once you have used the Install Code to commission the Device, or know that it works.",
          `The request becomes read-only: nobody can add to it, and ${request.assignedOrganisation.name} sees it closed.`,
          `The Install Code is erased ${retention} after closing; the rest of the record is kept for the obligation reports.`,
        ]}
    >
      <CloseRequestForm action={closeRequestAction} reference={request.reference} />
    </RequestActionPage>
  );
}
