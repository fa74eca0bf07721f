import Link from "next/link";
import { ProcessSteps } from "@/components/process-steps";
import { isHelpdesk, isSupplierUser } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { HOME_QUEUES, QueueCounts } from "@/components/queue-counts";
import { queueCounts } from "@/lib/requests/queue-counts";

const primary = "rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800";
const secondary = "rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100";

// Open to everyone: what the portal is for and how the process goes, before anyone signs in; signed
// in, where to start.
export default async function HomePage() {
  const actor = await currentActor();
  const { responseWorkingDays, demoMode } = env();
  const counts = actor ? await queueCounts(actor, { ids: HOME_QUEUES }) : null;
  return (
    <div className="space-y-8">
      <div className="max-w-prose space-y-3">
        <h1 className="text-2xl font-bold">Request for Install Code</h1>
        <p className="text-lg">
          When a Consumer changes supplier before their new smart meter was commissioned, the gaining Supplier needs the Device&apos;s Install
          Code, which only the installing Supplier holds. This portal is where the gaining Supplier asks for it and the installing Supplier
          answers, with the DCC Helpdesk watching the clock (SEC modification SECMP0121).
        </p>
        {actor ? (
          <p data-testid="signed-in-as">
            Signed in for <strong>{actor.organisationName}</strong>
            {isHelpdesk(actor) ? " (DCC Helpdesk)" : ""}.
          </p>
        ) : null}
      </div>

      {counts ? <QueueCounts counts={counts} /> : null}

      {actor ? (
        <p className="flex flex-wrap gap-3">
          <Link href="/requests" className={primary}>
            {isHelpdesk(actor) ? "All requests" : "Your requests"}
          </Link>
          {isSupplierUser(actor) ? (
            <Link href="/requests/new" className={secondary}>
              Raise a request
            </Link>
          ) : null}
          {isHelpdesk(actor) ? (
            <Link href="/helpdesk" className={secondary}>
              Dashboard: who is late
            </Link>
          ) : null}
          {isSupplierUser(actor) ? (
            <Link href="/performance" className={secondary}>
              Your performance
            </Link>
          ) : null}
          {isSupplierUser(actor) ? (
            <Link href="/devices/lodge" className={secondary}>
              Lodge Install Codes in advance
            </Link>
          ) : null}
        </p>
      ) : (
        <div className="max-w-prose space-y-3">
          <p>
            <Link href="/sign-in" className={`inline-block ${primary}`}>
              Sign in
            </Link>
          </p>
          <p>
            People of Suppliers and of the DCC Service Desk sign in with a link sent to their email address.
            {demoMode ? " This is a demo: the sign-in page lists accounts to try, one for each part." : ""}
          </p>
        </div>
      )}

      <ProcessSteps responseWorkingDays={responseWorkingDays} />

      <p className="max-w-prose">
        The rules and the reasons for them, for each part (gaining Supplier, installing Supplier, DCC Helpdesk):{" "}
        <Link href="/help" className="text-blue-700 underline">
          read the help
        </Link>
        .
      </p>
    </div>
  );
}
