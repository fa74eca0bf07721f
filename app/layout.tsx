import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/sign-out-button";
import { FEEDBACK_SLOT } from "@/components/form-message";
import { SiteHeader } from "@/components/site-header";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/session";
import { canManageOrganisations } from "@/lib/people/permissions";
import "./globals.css";

// Every page depends on who is signed in: render per request, never at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Install Code Requests", template: "%s · Install Code Requests" },
  description: "Request for Install Code (SECMP0121) for GB smart-metering Suppliers and the DCC Helpdesk",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  return (
    <html lang="en-GB">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
          Skip to main content
        </a>
        <SiteHeader
          user={actor ? { name: actor.name, email: actor.email, organisationName: actor.organisationName, helpdesk: isHelpdesk(actor), organisations: canManageOrganisations(actor, "organisation:list") } : null}
          signOut={<SignOutButton />}
        />
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          {/* Where every form's answer shows: the error summary or the success banner (components/form-message.tsx). */}
          <div id={FEEDBACK_SLOT} className="mb-6 empty:hidden" />
          {children}
        </main>
      </body>
    </html>
  );
}
