import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { headingId, listHelpGuides, readHelpGuide, readHelpPage, renderHelpMarkdown } from "@/lib/help/help-pages";

// How a help page's Markdown becomes the page: its title, its headings with ids for in-page links,
// and raw HTML shown as text, never run.

const page = (body: string, front = "title: A guide\nsummary: What it is for\norder: 2") => `---\n${front}\n---\n\n${body}`;

describe("renderHelpMarkdown", () => {
  it("takes the title, summary and order from the front matter, not the body", () => {
    const rendered = renderHelpMarkdown(page("## First\n\nText."));
    expect(rendered).toMatchObject({ title: "A guide", summary: "What it is for", order: 2 });
    expect(rendered.html).not.toContain("title:");
    expect(rendered.html).toContain("<p>Text.</p>");
  });

  it("refuses a page without a title", () => {
    expect(() => renderHelpMarkdown("## No front matter\n")).toThrow("needs a title");
    expect(() => renderHelpMarkdown(page("x", "summary: only"))).toThrow("needs a title");
  });

  it("gives every heading an id, unique on the page, and lists them in order", () => {
    const rendered = renderHelpMarkdown(page("## The five Working Days\n\n### SECMP0121: *Request* for `Install Code`\n\n## Emails\n\n## Emails\n"));
    expect(rendered.headings).toEqual([
      { id: "the-five-working-days", text: "The five Working Days", depth: 2 },
      { id: "secmp0121-request-for-install-code", text: "SECMP0121: Request for Install Code", depth: 3 },
      { id: "emails", text: "Emails", depth: 2 },
      { id: "emails-1", text: "Emails", depth: 2 },
    ]);
    expect(rendered.html).toContain('<h2 id="the-five-working-days">The five Working Days</h2>');
    expect(rendered.html).toContain('<h3 id="secmp0121-request-for-install-code">SECMP0121: <em>Request</em> for <code>Install Code</code></h3>');
    expect(rendered.html).toContain('<h2 id="emails-1">Emails</h2>');
  });

  it("shows raw HTML as text, in a block or inline, and never runs it", () => {
    const rendered = renderHelpMarkdown(page('<script>alert("block")</script>\n\nA line with <img src=x onerror="alert(1)"> inside, and <b>bold</b>.\n\n## Heading <i>with</i> a tag'));
    expect(rendered.html).not.toMatch(/<script|<img|<b>|<i>/);
    expect(rendered.html).toContain("&lt;script&gt;alert(&quot;block&quot;)&lt;/script&gt;");
    expect(rendered.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(rendered.html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    // In a heading too: shown as typed, in the page and in the contents list alike.
    expect(rendered.headings[0].text).toBe("Heading <i>with</i> a tag");
    expect(rendered.html).toContain(">Heading &lt;i&gt;with&lt;/i&gt; a tag</h2>");
  });

  it("keeps the portal's, web and mail links, and shows any other scheme as plain text", () => {
    const rendered = renderHelpMarkdown(page("[in](/requests/new) [anchor](#x) [web](https://www.gov.uk/bank-holidays) [mail](mailto:a@b.example) [bad](javascript:alert(1)) [data](data:text/html,x)"));
    expect(rendered.html).toContain('<a href="/requests/new">in</a>');
    expect(rendered.html).toContain('<a href="#x">anchor</a>');
    expect(rendered.html).toContain('<a href="https://www.gov.uk/bank-holidays">web</a>');
    expect(rendered.html).toContain('<a href="mailto:a@b.example">mail</a>');
    expect(rendered.html).not.toMatch(/javascript:|data:text/);
    expect(rendered.html).toContain(" bad ");
  });

  it("puts a table in a named region that a keyboard can scroll", () => {
    const rendered = renderHelpMarkdown(page("| Status | Eligible |\n| --- | --- |\n| Pending | yes |\n"));
    expect(rendered.html).toMatch(/^<div class="help-table" role="region" aria-label="Table: Status, Eligible" tabindex="0"><table>/);
    expect(rendered.html).toContain("<td>Pending</td>");
  });

  it("makes ids as GitHub does, so that a link written for the repository works here too", () => {
    expect(headingId("When a request is refused or declined")).toBe("when-a-request-is-refused-or-declined");
    expect(headingId("DUIS: Device statuses and Install Codes")).toBe("duis-device-statuses-and-install-codes");
    expect(headingId("!!!")).toBe("section");
  });
});

describe("reading the help pages", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "help-"));
  writeFileSync(path.join(dir, "index.md"), page("Start here.", "title: Help"));
  writeFileSync(path.join(dir, "second.md"), page("## Two", "title: Second\norder: 2"));
  writeFileSync(path.join(dir, "first.md"), page("## One", "title: First\norder: 1"));
  writeFileSync(path.join(dir, "secret.txt"), "not a help page");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds a guide by its slug, and nothing for the index, an unknown slug or a path", async () => {
    expect((await readHelpGuide("first", dir))?.title).toBe("First");
    expect(await readHelpGuide("index", dir)).toBeNull();
    expect((await readHelpPage("index", dir))?.title).toBe("Help");
    expect(await readHelpGuide("missing", dir)).toBeNull();
    for (const slug of ["../index", "secret.txt", "secret", "First", "first.md", "", "a/b"]) expect(await readHelpGuide(slug, dir)).toBeNull();
  });

  it("lists the guides in their order, without the index", async () => {
    expect((await listHelpGuides(dir)).map((g) => g.slug)).toEqual(["first", "second"]);
  });

  it("reads the repository's guides for each role", async () => {
    const titles = (await listHelpGuides()).map((g) => [g.slug, g.title]);
    expect(titles).toEqual([
      ["gaining-supplier", "Guide for gaining Suppliers"],
      ["installing-supplier", "Guide for installing Suppliers"],
      ["helpdesk", "Guide for the DCC Helpdesk"],
      ["api", "Connecting your systems"],
    ]);
  });
});
