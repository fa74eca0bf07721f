import type { ReactNode } from "react";

// The GOV.UK notification banner: what an action did, at the top of the page it leads to (success),
// or something the reader needs to know before anything else (important). Text says it all; the
// colour only repeats it.

export function NotificationBanner({ tone = "success", title, children }: { tone?: "success" | "important"; title?: string; children: ReactNode }) {
  const success = tone === "success";
  return (
    <div
      role={success ? "status" : "region"}
      aria-labelledby={success ? undefined : "notification-banner-title"}
      className={`overflow-hidden rounded border-4 ${success ? "border-green-700" : "border-blue-800"} bg-white`}
      data-testid="notification-banner"
    >
      <p id="notification-banner-title" className={`px-4 py-1 text-sm font-bold text-white ${success ? "bg-green-700" : "bg-blue-800"}`}>
        {title ?? (success ? "Success" : "Important")}
      </p>
      <div className="p-4 font-medium" data-testid={success ? "form-success" : undefined}>
        {children}
      </div>
    </div>
  );
}
