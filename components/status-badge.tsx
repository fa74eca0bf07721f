import { statusLabel } from "./format";

const STYLE = new Map<string, string>([
  ["ASSIGNED", "bg-amber-100 text-amber-900 border-amber-300"],
  ["RESPONDED", "bg-blue-100 text-blue-900 border-blue-300"],
  ["DECLINED", "bg-purple-100 text-purple-900 border-purple-300"],
  ["CLOSED", "bg-slate-200 text-slate-900 border-slate-400"],
]);

export function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-block rounded border px-2 py-0.5 text-sm font-medium ${STYLE.get(status) ?? ""}`}>{statusLabel(status)}</span>;
}

export function OverdueBadge() {
  return <span className="ml-2 inline-block rounded border border-red-300 bg-red-100 px-2 py-0.5 text-sm font-medium text-red-900">Overdue</span>;
}
