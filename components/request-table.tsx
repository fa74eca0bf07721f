"use client";

import { DeviceId } from "./device-id";
import { DueBadge } from "./due-badge";
import { StatusBadge } from "./status-badge";

// The request list's table as a client component with plain-data rows: a server component's 50 rows
// travel to the browser twice (as HTML and again as the React tree in the page's payload); this
// way the payload carries only these few strings per row (decision 015, measured with npm run bench).

export type RequestRow = {
  reference: string;
  deviceId: string;
  status: string;
  otherParty: string;
  due: string;
  /** "Due today", "Overdue by 2 Working Days", "Answered late" (lib/sla/due-badge.ts), and its colour. */
  dueBadge: string | null;
  dueTone: string | null;
};

export function RequestTable({ rows }: { rows: RequestRow[] }) {
  return (
    <div className="table-scroll" tabIndex={0}>
      {/* Cell styles set once on the table, not on each of 250 cells. Plain <a> links, not
          next/link, which would prefetch all 50 requests from the server whenever the list shows. */}
      <table className="w-full border-collapse bg-white text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-200">
        <caption className="sr-only">Requests you can see, newest first</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col">Reference</th>
            <th scope="col">Device ID</th>
            <th scope="col">Status</th>
            <th scope="col">Other party</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.reference}>
              <td>
                <a href={`/requests/${r.reference}`} className="font-mono text-blue-700 underline">
                  {r.reference}
                </a>
              </td>
              <td>
                <DeviceId value={r.deviceId} />
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{r.otherParty}</td>
              <td>
                <span className="mr-2 whitespace-nowrap">{r.due}</span>
                {r.dueBadge ? <DueBadge text={r.dueBadge} tone={r.dueTone ?? "due"} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
