import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { DeviceId } from "@/components/device-id";

// A Device ID wraps only between its groups, and its text is the ID itself (issue 13, part 5).

describe("DeviceId", () => {
  it("puts each group with its hyphen in a span that does not wrap, with a break opportunity after it", () => {
    const html = renderToStaticMarkup(createElement(DeviceId, { value: "00-DB-12-34-56-78-90-A0", testId: "device-id" }));
    expect(html).toBe(
      '<span class="font-mono [&amp;&gt;span]:whitespace-nowrap" data-testid="device-id">' +
        "<span>00-</span><wbr/><span>DB-</span><wbr/><span>12-</span><wbr/><span>34-</span><wbr/><span>56-</span><wbr/><span>78-</span><wbr/><span>90-</span><wbr/><span>A0</span></span>",
    );
    // Its text, as copied by selecting it, is the ID with ordinary hyphens (U+002D), nothing added.
    expect(html.replace(/<[^>]+>/g, "")).toBe("00-DB-12-34-56-78-90-A0");
  });

  it("renders no Copy button on the server: it appears only in a browser with a clipboard", () => {
    const html = renderToStaticMarkup(createElement(DeviceId, { value: "00-DB-12-34-56-78-90-A0", copy: true }));
    expect(html).not.toContain("<button");
    expect(html.replace(/<[^>]+>/g, "")).toBe("00-DB-12-34-56-78-90-A0");
  });
});
