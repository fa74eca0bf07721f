"use client";

import Link from "next/link";
import { ErrorNotice } from "@/components/error-notice";
import "./globals.css";

// Replaces the root layout when the layout itself fails (e.g. reading the session), so it renders
// its own <html> and <body>, without the header that needed the layout.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en-GB">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900">
        <title>Something went wrong · Install Code Requests</title>
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          <ErrorNotice errorId={error.digest} onRetry={reset} />
          {/* No header here (it needed the layout that failed): the help stays one link away. */}
          <p className="mt-6">
            <Link href="/help" className="text-blue-700 underline">
              Help
            </Link>
          </p>
        </main>
      </body>
    </html>
  );
}
