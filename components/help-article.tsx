export type HelpContentsEntry = { id: string; text: string };

/** A guide's contents list (GOV.UK "contents list"): its sections, each a link to its heading. */
export function HelpContents({ entries }: { entries: readonly HelpContentsEntry[] }) {
  if (entries.length < 2) return null;
  return (
    <nav aria-labelledby="contents-heading" className="border-l-4 border-slate-300 pl-4">
      <h2 id="contents-heading" className="text-base font-semibold">
        Contents
      </h2>
      <ol className="mt-2 space-y-1">
        {entries.map((entry) => (
          <li key={entry.id}>
            <a href={`#${entry.id}`} className="text-blue-700 underline">
              {entry.text}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * A help page's body, as lib/help/help-pages.ts rendered it from our own Markdown, with any raw HTML in
 * that Markdown already escaped: the one place the portal sets HTML it did not build with React.
 */
export function HelpBody({ html }: { html: string }) {
  return <div className="help-body max-w-prose" dangerouslySetInnerHTML={{ __html: html }} />;
}
