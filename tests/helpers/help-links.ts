import { readdirSync } from "node:fs";
import path from "node:path";
import { Lexer, walkTokens, type Tokens } from "marked";
import { parseFrontMatter, type HelpPage } from "@/lib/help/help-pages";

// What the help pages link to, checked against what exists: the app's route files and the help
// pages themselves (tests/unit/help-links.test.ts).

/** A route's path as segments: literal text, or a dynamic segment ([x] one, [...x] one or more, [[...x]] any). */
type Segment = { literal: string } | { dynamic: "one" | "many" | "optional-many" };
export type Route = { file: string; segments: Segment[] };

const ROUTE_FILE = /^(?:page|route)\.(?:tsx|ts|jsx|js)$/;

/** Every page and route handler under `appDir`, as the URL paths they answer. */
export function appRoutes(appDir: string): Route[] {
  const routes: Route[] = [];
  const walk = (dir: string, segments: Segment[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && ROUTE_FILE.test(entry.name)) {
        routes.push({ file: path.relative(appDir, path.join(dir, entry.name)), segments });
      } else if (entry.isDirectory()) {
        const name = entry.name;
        // Private folders and parallel-route slots are no part of a URL path; route groups add nothing.
        if (name.startsWith("_") || name.startsWith("@")) continue;
        if (/^\(.*\)$/.test(name)) walk(path.join(dir, name), segments);
        else walk(path.join(dir, name), [...segments, segmentOf(name)]);
      }
    }
  };
  walk(appDir, []);
  return routes;
}

function segmentOf(name: string): Segment {
  if (/^\[\[\.\.\..+\]\]$/.test(name)) return { dynamic: "optional-many" };
  if (/^\[\.\.\..+\]$/.test(name)) return { dynamic: "many" };
  if (/^\[.+\]$/.test(name)) return { dynamic: "one" };
  return { literal: name };
}

/** Whether `route` answers the URL path `pathname` ("/requests/RIC0000042"). */
export function routeMatches(route: Route, pathname: string): boolean {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const match = (i: number, j: number): boolean => {
    if (i === route.segments.length) return j === parts.length;
    const segment = route.segments[i];
    if ("literal" in segment) return j < parts.length && parts[j] === segment.literal && match(i + 1, j + 1);
    if (segment.dynamic === "one") return j < parts.length && match(i + 1, j + 1);
    const least = segment.dynamic === "many" ? 1 : 0;
    for (let k = parts.length; k >= j + least; k--) if (match(i + 1, k)) return true;
    return false;
  };
  return match(0, 0);
}

/** Every link's target in a page's Markdown (inline and reference-style alike), in order. */
export function linksIn(markdown: string): string[] {
  const { body } = parseFrontMatter(markdown);
  const hrefs: string[] = [];
  walkTokens(new Lexer({ gfm: true }).lex(body), (token) => {
    if (token.type === "link" || token.type === "image") hrefs.push((token as Tokens.Link).href);
  });
  return hrefs;
}

/**
 * Why `href`, on the help page `from`, leads nowhere; null when it leads somewhere. A help page is
 * known by its slug ("index" is /help); its anchors are its headings' ids.
 */
export function brokenLink(href: string, from: string, pages: ReadonlyMap<string, Pick<HelpPage, "headings">>, routes: readonly Route[]): string | null {
  if (/^(?:https?:\/\/|mailto:)/i.test(href)) return null;
  const [beforeHash, anchor] = splitOnce(href, "#");
  const [pathname] = splitOnce(beforeHash, "?");
  if (pathname === "") return anchorProblem(from, anchor, pages);
  if (!pathname.startsWith("/") || pathname.startsWith("//")) return "not a path from the portal's root (write /help/<page> or /<page>)";
  const help = /^\/help(?:\/([^/]+))?\/?$/.exec(pathname);
  if (help) {
    const slug = help[1] ?? "index";
    if (help[1] === "index" || !pages.has(slug)) return `no help page docs/help/${slug}.md`;
    return anchorProblem(slug, anchor, pages);
  }
  if (!routes.some((route) => routeMatches(route, pathname))) return "no page or route in app/ answers this path";
  if (anchor !== undefined) return "an anchor on a portal page cannot be checked: link to the page itself";
  return null;
}

function anchorProblem(slug: string, anchor: string | undefined, pages: ReadonlyMap<string, Pick<HelpPage, "headings">>): string | null {
  if (anchor === undefined || anchor === "") return null;
  const page = pages.get(slug);
  if (!page) return `no help page docs/help/${slug}.md`;
  return page.headings.some((h) => h.id === anchor) ? null : `no heading with id "${anchor}" in docs/help/${slug}.md`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
