"use client";

import { DeviceId } from "./device-id";
import { DueBadge } from "./due-badge";
import { StatusBadge } from "./status-badge";

// The request list's table as a client component with plain-data rows: a server component's 50 rows
// travel to the browser twice (as HTML and again as the React tree in the page's payload); this
// way the payload carries only these few strings per row (decision 015, measured with npm run bench).
// Under 640 px each row is a card: every cell shows its column's name (data-label, drawn by CSS),
// the column headings are hidden but for the sortable ones, which stay as a "Sort by" bar.

export type RequestRow = {
  reference: string;
  deviceId: string;
  status: string;
  /** A Supplier's list: "Assigned to Southfield Power", "Raised by Northwind Energy". */
  otherParty?: string;
  /** The helpdesk's list: both parties, each in its own column. */
  raisedBy?: string;
  assignedTo?: string;
  raised: string;
  due: string;
  /** "Due today", "Overdue by 2 Working Days", "Answered late" (lib/sla/due-badge.ts), and its colour. */
  dueBadge: string | null;
  dueTone: string | null;
};

/** A sortable column: where its heading links, and how the list is sorted by it now (if it is). */
export type SortableColumn = { href: string; sorted: "ascending" | "descending" | null };

export type RequestTableProps = {
  rows: RequestRow[];
  /** Separate "Raised by" and "Assigned to" columns (the helpdesk) instead of "Other party". */
  bothParties: boolean;
  sort: { raised: SortableColumn; due: SortableColumn };
  /** Read by a screen reader before the table: what it lists and in what order. */
  caption: string;
};

const CARDS = [
  // The table, its body and rows and cells become blocks: one card per row.
  "max-sm:block max-sm:[&_tbody]:block max-sm:[&_tbody_tr]:mb-3 max-sm:[&_tbody_tr]:block max-sm:[&_tbody_tr]:rounded max-sm:[&_tbody_tr]:border max-sm:[&_tbody_tr]:border-slate-300",
  "max-sm:[&_thead]:block max-sm:[&_thead_tr]:flex max-sm:[&_thead_tr]:flex-wrap max-sm:[&_thead_tr]:items-center max-sm:[&_thead_tr]:gap-x-4 max-sm:[&_thead_tr]:border-0",
  "max-sm:[&_thead_tr]:before:content-['Sort_by:'] max-sm:[&_thead_tr]:before:font-semibold",
  // Each cell: its column's name, then its value (on the next line if it does not fit beside it).
  "max-sm:[&_td]:flex max-sm:[&_td]:flex-wrap max-sm:[&_td]:gap-x-2 max-sm:[&_td]:py-1",
  "max-sm:[&_td]:before:w-28 max-sm:[&_td]:before:shrink-0 max-sm:[&_td]:before:font-semibold max-sm:[&_td]:before:content-[attr(data-label)]",
].join(" ");

function SortHeading({ label, column }: { label: string; column: SortableColumn }) {
  const arrow = column.sorted === "ascending" ? "▲" : column.sorted === "descending" ? "▼" : null;
  return (
    <th scope="col" aria-sort={column.sorted ?? undefined}>
      <a href={column.href} className="whitespace-nowrap text-blue-700 underline" data-testid={`sort-${label.toLowerCase()}`}>
        {label}
        {arrow ? (
          <span aria-hidden="true" className="ml-1 no-underline">
            {arrow}
          </span>
        ) : null}
      </a>
    </th>
  );
}

export function RequestTable({ rows, bothParties, sort, caption }: RequestTableProps) {
  const plain = "max-sm:sr-only";
  return (
    <div className="sm:relative sm:overflow-x-auto">
      {/* Cell styles set once on the table, not on each of 300 cells. Plain <a> links, not
          next/link, which would prefetch all 50 requests from the server whenever the list shows. */}
      <table
        className={`w-full border-collapse text-left text-sm sm:bg-white [&_td]:p-2 [&_th]:p-2 sm:[&_tbody_tr]:border-b sm:[&_tbody_tr]:border-slate-200 max-sm:[&_tbody_tr]:bg-white ${CARDS}`}
      >
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className={plain}>
              Reference
            </th>
            <th scope="col" className={plain}>
              Device ID
            </th>
            <th scope="col" className={plain}>
              Status
            </th>
            {bothParties ? (
              <>
                <th scope="col" className={plain}>
                  Raised by
                </th>
                <th scope="col" className={plain}>
                  Assigned to
                </th>
              </>
            ) : (
              <th scope="col" className={plain}>
                Other party
              </th>
            )}
            <SortHeading label="Raised" column={sort.raised} />
            <SortHeading label="Due" column={sort.due} />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.reference}>
              <td data-label="Reference">
                <a href={`/requests/${r.reference}`} className="font-mono text-blue-700 underline">
                  {r.reference}
                </a>
              </td>
              <td data-label="Device ID">
                <DeviceId value={r.deviceId} />
              </td>
              <td data-label="Status">
                <StatusBadge status={r.status} />
              </td>
              {bothParties ? (
                <>
                  <td data-label="Raised by">
                    <span>{r.raisedBy}</span>
                  </td>
                  <td data-label="Assigned to">
                    <span>{r.assignedTo}</span>
                  </td>
                </>
              ) : (
                <td data-label="Other party">
                  <span>{r.otherParty}</span>
                </td>
              )}
              <td data-label="Raised">
                <span className="whitespace-nowrap">{r.raised}</span>
              </td>
              <td data-label="Due">
                <span>
                  <span className="mr-2 whitespace-nowrap">{r.due}</span>
                  {r.dueBadge ? <DueBadge text={r.dueBadge} tone={r.dueTone ?? "due"} /> : null}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
