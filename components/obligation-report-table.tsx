// The monthly obligation report's table: headings, one row per installing Supplier, and the totals,
// all as text already (lib/sla/report.ts reportTable, which the CSV uses too). Printable: borders,
// black on white, no row split across pages.

const cell = "border border-slate-300 p-2 print:border-black";

/** An empty figure (a median with nothing answered) is shown as a dash, read out as "none". */
function Figure({ value }: { value: string }) {
  if (value !== "") return <>{value}</>;
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="sr-only">none</span>
    </>
  );
}

export function ObligationReportTable({
  caption,
  table,
}: {
  caption: string;
  table: { headings: string[]; rows: string[][]; totals: string[] };
}) {
  return (
    // Wider than a narrow screen: a focusable region, so that keyboard users can scroll it too.
    <div className="relative overflow-x-auto print:overflow-visible" tabIndex={0} role="region" aria-label={caption}>
      <table className="w-full border-collapse bg-white text-left text-sm print:text-xs print:text-black" data-testid="report-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="print:table-header-group">
          <tr>
            {table.headings.map((h, i) => (
              <th key={h} scope="col" className={`${cell} align-bottom ${i >= 2 ? "text-right" : ""}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row[1]} className="break-inside-avoid" data-testid="report-row">
              <th scope="row" className={`${cell} font-medium`}>
                {row[0]}
              </th>
              <td className={`${cell} font-mono`}>{row[1]}</td>
              {row.slice(2).map((value, i) => (
                <td key={table.headings[i + 2]} className={`${cell} text-right tabular-nums`}>
                  <Figure value={value} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="break-inside-avoid font-semibold" data-testid="report-totals">
            <th scope="row" className={cell}>
              {table.totals[0]}
            </th>
            <td className={cell} />
            {table.totals.slice(2).map((value, i) => (
              <td key={table.headings[i + 2]} className={`${cell} text-right tabular-nums`}>
                <Figure value={value} />
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
