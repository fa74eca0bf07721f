import Link from "next/link";

export type Crumb = { href: string; label: string };

/**
 * Where a deep page sits (GOV.UK breadcrumbs): the pages above it, each a link; the current page is
 * not repeated (its h1 says it).
 */
export function Breadcrumbs({ trail }: { trail: readonly Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-1">
        {trail.map((crumb, i) => (
          <li key={crumb.href} className="flex items-center gap-x-2">
            {i > 0 ? (
              <span aria-hidden="true" className="text-slate-600">
                ›
              </span>
            ) : null}
            <Link href={crumb.href} className="text-blue-700 underline">
              {crumb.label}
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
