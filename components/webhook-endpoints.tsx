import type { ReactNode } from "react";
import { formatDateTime } from "./format";

// An organisation's webhook endpoints and their recent deliveries (presentational: data in, markup out).

export type DeliveryRow = {
  id: string;
  event: string;
  reference: string;
  status: "PENDING" | "SENT" | "FAILED";
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  nextAttemptAt: Date;
};

export type EndpointRow = {
  id: string;
  url: string;
  description: string;
  events: string[];
  createdAt: Date;
  recentDeliveries: DeliveryRow[];
};

const STATUS = new Map<string, { label: string; style: string }>([
  ["PENDING", { label: "Pending", style: "bg-amber-100 text-amber-900 border-amber-300" }],
  ["SENT", { label: "Delivered", style: "bg-green-100 text-green-900 border-green-300" }],
  ["FAILED", { label: "Failed", style: "bg-red-100 text-red-900 border-red-300" }],
]);

function DeliveryStatus({ delivery }: { delivery: DeliveryRow }) {
  const status = STATUS.get(delivery.status)!;
  return <span className={`inline-block rounded border px-2 py-0.5 text-sm font-medium ${status.style}`}>{status.label}</span>;
}

/** When the delivery last changed: delivered, last tried, or queued. */
function lastTime(d: DeliveryRow): Date {
  return d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt;
}

function outcome(d: DeliveryRow): string {
  if (d.status === "SENT") return d.lastStatus ? `HTTP ${d.lastStatus}` : "";
  const error = d.lastError ?? (d.attempts === 0 ? "Not tried yet" : "");
  return d.status === "PENDING" && d.attempts > 0 ? `${error}. Next try ${formatDateTime(d.nextAttemptAt)}` : error;
}

export function WebhookEndpointList({ endpoints, deleteForm }: { endpoints: EndpointRow[]; deleteForm: (endpoint: EndpointRow, describedBy: string) => ReactNode }) {
  if (endpoints.length === 0) return <p>Your organisation has no endpoints yet.</p>;
  return (
    <ul className="space-y-6">
      {endpoints.map((endpoint) => {
        const last = endpoint.recentDeliveries[0];
        const titleId = `endpoint-${endpoint.id}`;
        return (
          <li key={endpoint.id} className="space-y-3 rounded border border-slate-300 bg-white p-4" data-testid="webhook-endpoint">
            <h3 id={titleId} className="break-all font-mono font-semibold">
              {endpoint.url}
            </h3>
            {endpoint.description ? <p>{endpoint.description}</p> : null}
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="font-medium">Events</dt>
              <dd>{endpoint.events.join(", ")}</dd>
              <dt className="font-medium">Added</dt>
              <dd>{formatDateTime(endpoint.createdAt)}</dd>
              <dt className="font-medium">Last delivery</dt>
              <dd data-testid="webhook-last-delivery">
                {last ? (
                  <>
                    <DeliveryStatus delivery={last} /> {formatDateTime(lastTime(last))} {outcome(last)}
                  </>
                ) : (
                  "None yet"
                )}
              </dd>
            </dl>
            {endpoint.recentDeliveries.length > 0 ? (
              <div className="table-scroll" tabIndex={0}>
                <table className="w-full border-collapse text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-t [&_tbody_tr]:border-slate-200">
                  <caption className="text-left font-medium">Recent deliveries to {endpoint.url}, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">Request</th>
                      <th scope="col">Status</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">When</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {endpoint.recentDeliveries.map((d) => (
                      <tr key={d.id}>
                        <td>
                          <code>{d.event}</code>
                        </td>
                        <td>
                          <a href={`/requests/${d.reference}`} className="text-blue-700 underline">
                            {d.reference}
                          </a>
                        </td>
                        <td>
                          <DeliveryStatus delivery={d} />
                        </td>
                        <td>{d.attempts}</td>
                        <td>{formatDateTime(lastTime(d))}</td>
                        <td className="break-words">{outcome(d)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {deleteForm(endpoint, titleId)}
          </li>
        );
      })}
    </ul>
  );
}
