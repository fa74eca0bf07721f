"use client";

/** Opens the browser's print dialogue (the page's print stylesheet does the rest). */
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded border border-slate-500 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-100 print:hidden"
    >
      {label}
    </button>
  );
}
