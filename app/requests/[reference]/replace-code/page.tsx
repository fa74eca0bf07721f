import type { Metadata } from "next";
import { RequestActionPage } from "@/components/request-action-page";
import { ProvideInstallCodeForm } from "@/components/request-forms";
import { provideInstallCodeAction } from "../../actions";
import { loadRequest, requestTitle } from "../load";

type Props = { params: Promise<{ reference: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return requestTitle((await params).reference, "Replace the Install Code");
}

export default async function ReplaceCodePage({ params }: Props) {
  const { request } = await loadRequest((await params).reference);
  return (
    <RequestActionPage
      reference={request.reference}
      title="Replace the Install Code"
      unavailable={request.allowed["install-code:provide"] && request.installCodes.some((c) => c.canReveal && !c.beforeReassignment) ? null : "Only the Supplier the request is assigned to can replace the Install Code it gave, while the request is open."}
      consequences={[
          "Your new code takes the place of the one you gave; the earlier one can no longer be revealed.",
          `${request.raisingOrganisation.name} is emailed that the code was replaced (never the code itself) and reads your reason on the request page.`,
          "Your five Working Days are not affected: they were met by your first answer.",
        ]}
    >
      <ProvideInstallCodeForm action={provideInstallCodeAction} reference={request.reference} replacing />
    </RequestActionPage>
  );
}
