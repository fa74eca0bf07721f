import { Fragment } from "react";
import { CopyButton } from "./copy-button";

// A Device ID ("00-DB-12-34-56-78-90-A0") that a narrow screen may wrap only between its groups, never
// inside one: each group with its hyphen is a span that does not wrap, with a <wbr> after it. The
// text stays the plain ID with ordinary hyphens, so selecting and copying it gives what was shown.
// No hooks: server and client components alike render it (the request list's rows are plain data).

export function DeviceId({
  value,
  copy = false,
  testId,
  className = "",
}: {
  value: string;
  /** A "Copy" button beside it (only where it is the page's subject: not on every row of a table). */
  copy?: boolean;
  testId?: string;
  className?: string;
}) {
  const groups = value.split("-");
  const id = (
    <span className={className ? `font-mono [&>span]:whitespace-nowrap ${className}` : "font-mono [&>span]:whitespace-nowrap"} data-testid={testId}>
      {groups.map((group, i) =>
        i < groups.length - 1 ? (
          <Fragment key={i}>
            <span>{group}-</span>
            <wbr />
          </Fragment>
        ) : (
          <span key={i}>{group}</span>
        ),
      )}
    </span>
  );
  if (!copy) return id;
  return (
    <span className="inline-flex flex-wrap items-center gap-x-3 gap-y-1">
      {id}
      <CopyButton text={value} label={`Copy Device ID ${value}`} />
    </span>
  );
}
