import type { Metadata } from "next";
import Link from "next/link";
import { HelpBody } from "@/components/help-article";
import { HELP_INDEX, listHelpGuides, readHelpPage } from "@/lib/help/help-pages";

export const metadata: Metadata = { title: "Help" };

// Open to everyone, signed in or not: a newcomer reads how the process works before signing in.
export default async function HelpIndexPage() {
  const index = await readHelpPage(HELP_INDEX);
  if (!index) throw new Error(`docs/help/${HELP_INDEX}.md is missing`);
  const guides = await listHelpGuides();
  return (
    <div className="space-y-8">
      <div className="max-w-prose space-y-3">
        <h1 className="text-2xl font-bold">{index.title}</h1>
        {index.summary ? <p className="text-lg">{index.summary}</p> : null}
      </div>
      <section aria-labelledby="guides-heading" className="max-w-prose space-y-4">
        <h2 id="guides-heading" className="text-xl font-semibold">
          Guides
        </h2>
        <ul className="space-y-4">
          {guides.map((guide) => (
            <li key={guide.slug}>
              <Link href={`/help/${guide.slug}`} className="text-lg font-medium text-blue-700 underline">
                {guide.title}
              </Link>
              {guide.summary ? <p className="text-slate-700">{guide.summary}</p> : null}
            </li>
          ))}
        </ul>
      </section>
      <HelpBody html={index.html} />
    </div>
  );
}
