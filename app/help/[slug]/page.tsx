import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { NOT_FOUND_TITLE } from "@/components/page-not-found";
import { HelpBody, HelpContents } from "@/components/help-article";
import { readHelpGuide } from "@/lib/help/help-pages";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const guide = await readHelpGuide((await params).slug);
  return { title: guide ? `${guide.title} · Help` : NOT_FOUND_TITLE };
}

// Read from docs/help on each request, like every page here (the layout renders per request, for the
// CSP nonce and the signed-in header). An unknown guide is the portal's usual 404.
export default async function HelpGuidePage({ params }: Props) {
  const guide = await readHelpGuide((await params).slug);
  if (!guide) notFound();
  return (
    <div className="space-y-8">
      <Breadcrumbs
        trail={[
          { href: "/", label: "Home" },
          { href: "/help", label: "Help" },
        ]}
      />
      <div className="max-w-prose space-y-3">
        <h1 className="text-2xl font-bold">{guide.title}</h1>
        {guide.summary ? <p className="text-lg">{guide.summary}</p> : null}
      </div>
      <HelpContents entries={guide.headings.filter((h) => h.depth === 2)} />
      <HelpBody html={guide.html} />
    </div>
  );
}
