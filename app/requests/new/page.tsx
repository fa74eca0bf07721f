import type { Metadata } from "next";
import Link from "next/link";
import { RaiseRequestForm } from "@/components/request-forms";
import { requireActor } from "@/lib/auth/session";
import { canRaise } from "@/lib/requests/permissions";
import { raiseRequestAction } from "../actions";

export const metadata: Metadata = { title: "Raise a request" };

export default async function NewRequestPage() {
  const actor = await requireActor();
  return (
    <div className="max-w-2xl space-y-6">
      <p>
        <Link href="/requests" className="text-blue-700 underline">
          Back to requests
        </Link>
      </p>
      <h1 className="text-2xl font-bold">Raise a Request for Install Code</h1>
      {canRaise(actor) ? (
        <>
          <p>
            Ask for the Install Code of a Device your organisation cannot commission. We check the Device in the Smart Metering Inventory and
            assign the request to the Supplier that pre-notified it, who has five Working Days to respond.
          </p>
          <RaiseRequestForm action={raiseRequestAction} />
          <p>
            Many Devices?{" "}
            <Link href="/requests/bulk" className="text-blue-700 underline">
              Raise requests from a CSV file
            </Link>
            .
          </p>
        </>
      ) : (
        <p>Requests are raised by Suppliers. As the DCC Helpdesk you can see and reassign every request.</p>
      )}
    </div>
  );
}
