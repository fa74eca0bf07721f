import Link from "next/link";
import { isHelpdesk, isSupplierUser } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { QueueCounts } from "@/components/queue-counts";

export default async function HomePage() {
  const actor = await requireActor();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Request for Install Code</h1>
      <p className="max-w-prose">
        Signed in for <strong>{actor.organisationName}</strong>
        {isHelpdesk(actor) ? " (DCC Helpdesk)" : ""}.
      </p>
      <QueueCounts actor={actor} />
      <p className="flex flex-wrap gap-3">
        <Link href="/requests" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
          {isHelpdesk(actor) ? "All requests" : "Your requests"}
        </Link>
        {isHelpdesk(actor) ? (
          <Link href="/helpdesk" className="rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100">
            Dashboard: who is late
          </Link>
        ) : null}
        {isSupplierUser(actor) ? (
          <Link href="/performance" className="rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100">
            Your performance
          </Link>
        ) : null}
        {isSupplierUser(actor) ? (
          <Link href="/requests/new" className="rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100">
            Raise a request
          </Link>
        ) : null}
        {isSupplierUser(actor) ? (
          <Link href="/devices/lodge" className="rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100">
            Lodge Install Codes in advance
          </Link>
        ) : null}
      </p>
      <section aria-labelledby="about" className="max-w-prose space-y-3">
        <h2 id="about" className="text-lg font-semibold">
          What this portal is for
        </h2>
        <p>
          When a Consumer changes supplier before their new smart meter was commissioned, the gaining Supplier needs the
          Device&apos;s Install Code, which only the installing Supplier holds (SEC modification SECMP0121).
        </p>
        <ul className="list-disc space-y-1 pl-6">
          <li>A gaining Supplier raises a request for a Device ID.</li>
          <li>The portal checks the Device in the Smart Metering Inventory and assigns the request to the Supplier that pre-notified it.</li>
          <li>The installing Supplier answers with the Install Code within five Working Days, or lodges it in advance so that a request is answered at once.</li>
          <li>Only the raising Supplier closes the request; the DCC Helpdesk can reassign it.</li>
        </ul>
      </section>
    </div>
  );
}
