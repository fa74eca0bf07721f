import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HELP_DIR, HELP_INDEX, helpSlugs, readHelpPage, type HelpPage } from "@/lib/help/help-pages";
import { appRoutes, brokenLink, linksIn, routeMatches, type Route } from "../helpers/help-links";

// Every link in docs/help names something that exists: a page or route in app/, another help page,
// or a heading of one. A broken link fails here, named with its page and target.

const APP_DIR = path.resolve("app");
let routes: Route[];
let pages: Map<string, HelpPage>;

beforeAll(async () => {
  routes = appRoutes(APP_DIR);
  const slugs = await helpSlugs();
  pages = new Map((await Promise.all(slugs.map((slug) => readHelpPage(slug)))).map((page) => [page!.slug, page!]));
});

describe("the help pages' links", () => {
  it("all lead somewhere: a portal page, a help page, or a heading of one", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const slug of pages.keys()) {
      for (const href of linksIn(readFileSync(path.join(HELP_DIR, `${slug}.md`), "utf8"))) {
        checked++;
        const problem = brokenLink(href, slug, pages, routes);
        if (problem) broken.push(`docs/help/${slug}.md links to ${href}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
    // The guides link to the portal's pages and to the rules' sources: an extractor that found none is broken.
    expect(checked).toBeGreaterThan(40);
  });

  it("include the guide for each role and the pages each role works in", () => {
    expect([...pages.keys()].sort()).toEqual(["api", "gaining-supplier", "helpdesk", HELP_INDEX, "installing-supplier"]);
    const links = (slug: string) => linksIn(readFileSync(path.join(HELP_DIR, `${slug}.md`), "utf8"));
    expect(links("gaining-supplier")).toEqual(expect.arrayContaining(["/requests/new", "/requests/bulk", "/settings/notifications"]));
    expect(links("installing-supplier")).toEqual(expect.arrayContaining(["/devices/lodge", "/performance", "/help/api"]));
    expect(links("helpdesk")).toEqual(expect.arrayContaining(["/helpdesk", "/helpdesk/reports", "/inventory/imports"]));
    expect(links("api")).toEqual(expect.arrayContaining(["/api/docs", "/settings/api-keys", "/settings/webhooks"]));
  });
});

describe("the link checker", () => {
  const check = (href: string, from = "gaining-supplier") => brokenLink(href, from, pages, routes);

  it("finds the app's pages and route handlers, dynamic segments matching any value", () => {
    expect(check("/requests/new")).toBeNull();
    expect(check("/requests/RIC0000042")).toBeNull();
    expect(check("/api/v1/install-code-requests/RIC0000042/close")).toBeNull();
    expect(check("/requests?status=ASSIGNED")).toBeNull();
    expect(check("https://www.gov.uk/bank-holidays")).toBeNull();
    const catchAll = routes.find((r) => r.file === path.join("api", "auth", "[...nextauth]", "route.ts"))!;
    expect(routeMatches(catchAll, "/api/auth/signin/email")).toBe(true);
    expect(routeMatches(catchAll, "/api/auth")).toBe(false);
  });

  it("names what is wrong with a link that leads nowhere", () => {
    expect(check("/requests/new/extra")).toBe("no page or route in app/ answers this path");
    expect(check("/no-such-page")).toBe("no page or route in app/ answers this path");
    expect(check("/help/no-such-guide")).toBe("no help page docs/help/no-such-guide.md");
    expect(check("/help/index")).toBe("no help page docs/help/index.md");
    expect(check("/help#no-such-heading")).toBe('no heading with id "no-such-heading" in docs/help/index.md');
    expect(check("/help/helpdesk#declined-requests")).toBeNull();
    expect(check("#no-such-heading", "helpdesk")).toBe('no heading with id "no-such-heading" in docs/help/helpdesk.md');
    expect(check("#declined-requests", "helpdesk")).toBeNull();
    expect(check("helpdesk.md")).toBe("not a path from the portal's root (write /help/<page> or /<page>)");
    expect(check("/requests/new#deviceId")).toBe("an anchor on a portal page cannot be checked: link to the page itself");
  });

  it("reads inline and reference-style links, and not link-like text in code", () => {
    const markdown = "---\ntitle: T\n---\n\nSee [one](/a) and [two][ref], not `[three](/c)`.\n\n[ref]: /b#x\n";
    expect(linksIn(markdown)).toEqual(["/a", "/b#x"]);
  });
});

describe("the help pages themselves", () => {
  it("each have a title and a summary, and headings that start at h2 and skip no level", () => {
    for (const page of pages.values()) {
      expect(page.title, page.slug).not.toBe("");
      expect(page.summary, page.slug).not.toBe("");
      // The page supplies the one h1 (the title); the body's outline starts below it.
      let depth = 1;
      for (const heading of page.headings) {
        expect(heading.depth, `${page.slug}: "${heading.text}"`).toBeGreaterThanOrEqual(2);
        expect(heading.depth, `${page.slug}: "${heading.text}" skips a level`).toBeLessThanOrEqual(depth + 1);
        depth = heading.depth;
      }
    }
  });

  it("describe a declined request in one paragraph of its own in each role's guide", () => {
    for (const slug of ["gaining-supplier", "installing-supplier", "helpdesk"]) {
      const source = readFileSync(path.join(HELP_DIR, `${slug}.md`), "utf8");
      const paragraphs = source.split(/\n\s*\n/).filter((p) => /Not our Device/.test(p));
      expect(paragraphs, slug).toHaveLength(1);
    }
  });
});
