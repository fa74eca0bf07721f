import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Marked, Renderer, type Tokens } from "marked";
import { escapeHtml } from "../../emails/layout";

// The help pages (/help, /help/<slug>): Markdown files in docs/help, read when a page is asked for
// (so the repository's copy is the one shown, and a reader of the repository reads the same words),
// rendered with marked. The Markdown is our own, but it is rendered as if it were not: raw HTML in it
// is shown as text, never passed through (docs/decisions/031-help-pages.md).

/**
 * Where the Markdown lives: the portal runs from its repository (`next start`), so from its root.
 * The file reads below are hidden from the build's tracer (which would otherwise trace the whole
 * project); next.config.ts lists docs/help/*.md for the help routes instead.
 */
export const HELP_DIR = path.join(process.cwd(), "docs", "help");

/** The file behind /help itself. */
export const HELP_INDEX = "index";

/** A page's name in its address and file name: lower-case words joined by hyphens. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type HelpHeading = { id: string; text: string; depth: number };

export type HelpPage = {
  slug: string;
  /** The front matter's title: the page's h1 and <title>. */
  title: string;
  /** The front matter's summary: what the index says the page is for. */
  summary: string;
  /** The front matter's order among the guides (lower first). */
  order: number;
  html: string;
  /** Every heading of the body, in order, with the id it was given. */
  headings: HelpHeading[];
};

export type RenderedHelp = Omit<HelpPage, "slug">;

/**
 * Splits `---`-fenced front matter of `key: value` lines from the body. Only flat strings: the help
 * pages need a title, a summary and an order, not YAML.
 */
export function parseFrontMatter(source: string): { fields: Map<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (!match) return { fields: new Map(), body: source };
  const fields = new Map<string, string>();
  for (const line of match[1].split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const pair = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!pair) throw new Error(`front matter line "${line}" is not "key: value"`);
    fields.set(pair[1], pair[2].trim());
  }
  return { fields, body: source.slice(match[0].length) };
}

/** A heading's id as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
export function headingId(text: string): string {
  const id = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/\s+/g, "-");
  return id || "section";
}

/** Links that may be followed: the portal's own (/..., #...) and http(s) or mailto. Anything else is shown as text. */
function safeHref(href: string): boolean {
  return /^(?:\/(?!\/)|#|https?:\/\/|mailto:)/i.test(href);
}

/**
 * Renders one page's Markdown: front matter read, headings given unique ids (for in-page links and
 * the contents list), raw HTML escaped, tables made scrollable on a narrow screen.
 */
export function renderHelpMarkdown(source: string): RenderedHelp {
  const { fields, body } = parseFrontMatter(source);
  const title = fields.get("title");
  if (!title) throw new Error("a help page needs a title in its front matter");
  const headings: HelpHeading[] = [];
  const used = new Map<string, number>();
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      // Raw HTML in the Markdown (a block or an inline tag) is shown as the text it is.
      html(token: Tokens.HTML | Tokens.Tag) {
        const text = escapeHtml(token.text);
        return "block" in token && token.block ? `<p>${text.trim()}</p>\n` : text;
      },
      heading({ tokens, depth }: Tokens.Heading) {
        const text = this.parser.parseInline(tokens, this.parser.textRenderer);
        const base = headingId(text);
        const seen = used.get(base) ?? 0;
        used.set(base, seen + 1);
        const id = seen === 0 ? base : `${base}-${seen}`;
        headings.push({ id, text, depth });
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link(token: Tokens.Link) {
        if (safeHref(token.href)) return false;
        return this.parser.parseInline(token.tokens);
      },
      table(token: Tokens.Table) {
        // A focusable, named region, so that keyboard users can scroll a wide table (WCAG 2.1.1).
        const label = escapeHtml(token.header.map((cell) => cell.text).join(", "));
        return `<div class="help-table" role="region" aria-label="Table: ${label}" tabindex="0">${Renderer.prototype.table.call(this, token)}</div>\n`;
      },
    },
  });
  const html = marked.parse(body, { async: false });
  const order = Number(fields.get("order") ?? "0");
  return { title, summary: fields.get("summary") ?? "", order: Number.isFinite(order) ? order : 0, html, headings };
}

/** The page `slug` (the index included), or null when there is no such file. */
export async function readHelpPage(slug: string, directory: string = HELP_DIR): Promise<HelpPage | null> {
  if (!SLUG.test(slug)) return null;
  let source: string;
  try {
    source = await readFile(/*turbopackIgnore: true*/ path.join(directory, `${slug}.md`), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return { slug, ...renderHelpMarkdown(source) };
}

/** A guide at /help/<slug>: any help page but the index (which is /help itself). */
export async function readHelpGuide(slug: string, directory: string = HELP_DIR): Promise<HelpPage | null> {
  return slug === HELP_INDEX ? null : readHelpPage(slug, directory);
}

/** Every help page's slug (the index included), from the file names. */
export async function helpSlugs(directory: string = HELP_DIR): Promise<string[]> {
  const files = await readdir(/*turbopackIgnore: true*/ directory);
  return files
    .filter((file) => file.endsWith(".md"))
    .map((file) => file.slice(0, -".md".length))
    .filter((slug) => SLUG.test(slug))
    .sort();
}

/** The guides (every page but the index), in their front matter's order. */
export async function listHelpGuides(directory: string = HELP_DIR): Promise<HelpPage[]> {
  const pages = await Promise.all((await helpSlugs(directory)).filter((slug) => slug !== HELP_INDEX).map((slug) => readHelpPage(slug, directory)));
  return pages.filter((page): page is HelpPage => page !== null).sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}
