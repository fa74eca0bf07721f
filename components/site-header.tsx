import Link from "next/link";
import type { ReactNode } from "react";
import { SiteSearchForm } from "./site-search";

/** organisations: a helpdesk administrator, who manages the organisations (/admin/organisations). */
export type HeaderUser = { name: string; email: string; organisationName: string; helpdesk: boolean; organisations: boolean };

export function SiteHeader({ user, signOut }: { user: HeaderUser | null; signOut: ReactNode }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3">
        <nav aria-label="Main" className="flex flex-wrap items-center gap-x-6 gap-y-2">
          <Link href="/" className="text-lg font-semibold text-slate-900 hover:underline">
            Install Code Requests
          </Link>
          {user ? (
            <Link href="/requests" className="text-blue-700 underline">
              Requests
            </Link>
          ) : null}
          {user && !user.helpdesk ? (
            <>
              <Link href="/devices/lodge" className="text-blue-700 underline">
                Lodged codes
              </Link>
              <Link href="/performance" className="text-blue-700 underline">
                Performance
              </Link>
            </>
          ) : null}
          {user?.helpdesk ? (
            <>
              <Link href="/helpdesk" className="text-blue-700 underline">
                Dashboard
              </Link>
              <Link href="/helpdesk/reports" className="text-blue-700 underline">
                Reports
              </Link>
              <Link href="/inventory/imports" className="text-blue-700 underline">
                SMI imports
              </Link>
              <Link href="/audit" className="text-blue-700 underline">
                Audit log
              </Link>
            </>
          ) : null}
          {user?.organisations ? (
            <Link href="/admin/organisations" className="text-blue-700 underline">
              Organisations
            </Link>
          ) : null}
          {user ? (
            <>
              <Link href="/settings" className="text-blue-700 underline">
                Settings
              </Link>
              <Link href="/profile" className="text-blue-700 underline">
                Profile
              </Link>
            </>
          ) : null}
          {/* Signed in or not: the guides explain the process before anyone signs in (app/help). */}
          <Link href="/help" className="text-blue-700 underline">
            Help
          </Link>
        </nav>
        {user ? (
          <div className="flex flex-wrap items-center gap-4 text-sm">
            <SiteSearchForm id="site-search-q" />
            <p>
              <span className="font-medium">{user.name}</span>{" "}
              <span className="text-slate-700">({user.email})</span>
              <span aria-hidden="true"> · </span>
              <span data-testid="organisation-name">{user.organisationName}</span>
            </p>
            {signOut}
          </div>
        ) : null}
      </div>
    </header>
  );
}
