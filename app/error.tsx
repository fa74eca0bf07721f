"use client";

import { ErrorNotice } from "@/components/error-notice";

// Shown when something unexpected fails while rendering a page. Rules refused by the portal never
// land here: they come back as messages beside the form. Next hides a server error's message in
// production and passes its digest, which is the id the server logged it under.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice errorId={error.digest} onRetry={reset} />;
}
