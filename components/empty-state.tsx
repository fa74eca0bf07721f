import type { ReactNode } from "react";

/** An empty list says so, and what to do next (`children`: a sentence or a link). */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="space-y-2 rounded border border-dashed border-slate-400 bg-white p-6" data-testid="empty-state">
      <p className="font-semibold">{title}</p>
      {children ? <div className="text-slate-700">{children}</div> : null}
    </div>
  );
}
