import { fc, it } from "@fast-check/vitest";
import { parse } from "csv-parse/sync";
import { describe, expect } from "vitest";
import { BULK_CSV_MAX_BYTES, bulkRaiseResultCsv, parseBulkRaiseCsv, resultFileName, rowDetail } from "./bulk-raise-csv";
import type { BulkRowResult } from "./bulk-raise";

// The upload of /requests/bulk (and the REST API's CSV form): what a spreadsheet writes is read, and
// everything else is refused with what to change; the download neutralises formulas.

const A1 = "00-DB-12-34-56-78-90-A1";
const A4 = "00-DB-12-34-56-78-90-A4";
const HINT = "The first line must be the header device_id, or device_id,note to give a note with each Device";

describe("parseBulkRaiseCsv", () => {
  it("reads device_id and note, in either order, as a spreadsheet writes them", () => {
    expect(parseBulkRaiseCsv(`device_id,note\n${A1},Consumer moved in\n${A4}\n`)).toEqual({
      ok: true,
      rows: [{ deviceId: A1, note: "Consumer moved in" }, { deviceId: A4 }],
    });
    // A byte order mark, CRLF, spaces around values, "Device ID" for device_id, quoted notes with
    // commas, quotes and line breaks, blank lines and trailing rows of empty cells.
    const excel = `\uFEFFNote , Device ID\r\n"Moved in, 2 Nov; said ""urgent""\r\nsecond line", ${A1} \r\n\r\n,${A4}\r\n,\r\n,\r\n`;
    expect(parseBulkRaiseCsv(excel)).toEqual({
      ok: true,
      rows: [{ deviceId: A1, note: 'Moved in, 2 Nov; said "urgent"\r\nsecond line' }, { deviceId: A4 }],
    });
    expect(parseBulkRaiseCsv(`deviceId\n${A1}`)).toEqual({ ok: true, rows: [{ deviceId: A1 }] });
    // A quote inside an unquoted value is kept; an empty cell at the end of a row is no value.
    expect(parseBulkRaiseCsv(`device_id,note\n${A1},5" pipe,\n`)).toEqual({ ok: true, rows: [{ deviceId: A1, note: '5" pipe' }] });
  });

  it("passes each row's own problems on, to be answered row by row in a single raise's words", () => {
    expect(parseBulkRaiseCsv(`device_id,note\nnot a device,\n,only a note\n=1+1,x\n`)).toEqual({
      ok: true,
      rows: [{ deviceId: "not a device" }, { deviceId: "", note: "only a note" }, { deviceId: "=1+1", note: "x" }],
    });
  });

  it("takes up to 10,000 rows", () => {
    const parsed = parseBulkRaiseCsv(`device_id\n${`${A1}\n`.repeat(10_000)}`);
    expect(parsed.ok && parsed.rows.length).toBe(10_000);
  });

  it.each([
    ["an empty file", "", `The file is empty. ${HINT}, then one Device ID a line`],
    ["a file of blank lines and a byte order mark", "\uFEFF\r\n \n", `The file is empty. ${HINT}, then one Device ID a line`],
    ["no header", `${A1}\n${A4}\n`, `The file has no header: its first line is a Device ID. ${HINT}`],
    ["no header, with notes", `${A1},a note\n`, `The file has no header: its first line is a Device ID. ${HINT}`],
    ["a wrong header", "serial,comment\nx,y\n", `The header is "serial", "comment". ${HINT}, each once`],
    ["a header without device_id", "note\nx\n", `The header is "note". ${HINT}, each once`],
    ["a column twice", "device_id,device_id\nx,y\n", `The header is "device_id", "device_id". ${HINT}, each once`],
    ["semicolons", `device_id;note\n${A1};x\n`, `The header "device_id;note" is not separated by commas. ${HINT}: save the file as CSV with commas between the columns`],
    ["a header and no rows", "device_id,note\n\n,\n", "The file has a header but no rows: add one Device ID a line under device_id"],
    ["more than 10,000 rows", `device_id\n${`${A1}\n`.repeat(10_001)}`, "The file has more than 10,000 rows, the most that can be raised at once: split it into files of 10,000 rows or fewer"],
    ["a value beyond the header's columns", `device_id,note\n${A1},a\n${A4},b,c\n`, 'Line 3 has more values than the header has columns. Put a note that contains a comma in double quotes ("like, this")'],
    ["a quote never closed", `device_id,note\n${A1},x\n${A4},"open\n${A1},y\n`, 'Line 3: a double quote (") opens a value that is never closed. Close it, or remove it (a quote inside a value in quotes is written twice: "")'],
    ["a quote never closed, after a note of two lines", `device_id,note\n${A1},"two\nlines"\n${A4},"open\n`, 'Line 4: a double quote (") opens a value that is never closed. Close it, or remove it (a quote inside a value in quotes is written twice: "")'],
    ["a spreadsheet (.xlsx) file", "PK\u0003\u0004\u0014\u0000\u0006\u0000", 'This is not a CSV file in UTF-8: in your spreadsheet, save it as "CSV UTF-8 (comma delimited)" and upload that file'],
    ["text in another encoding", `device_id,note\n${A1},caf\uFFFD\n`, 'This is not a CSV file in UTF-8: in your spreadsheet, save it as "CSV UTF-8 (comma delimited)" and upload that file'],
  ])("refuses %s, saying what to change", (_, text, message) => {
    expect(parseBulkRaiseCsv(text)).toEqual({ ok: false, message });
  });

  it("refuses a file over 5 MB", () => {
    const big = `device_id,note\n${`${A1},${"n".repeat(1000)}\n`.repeat(Math.ceil(BULK_CSV_MAX_BYTES / 1000))}`;
    expect(parseBulkRaiseCsv(big)).toEqual({ ok: false, message: "The file is 5.1 MB: at most 5 MB can be uploaded at once. Split it into smaller files" });
  });

  it.prop([fc.string({ maxLength: 300 })])("answers anything with rows or a message, never an exception", (text) => {
    const parsed = parseBulkRaiseCsv(text);
    if (parsed.ok) expect(parsed.rows.length).toBeGreaterThan(0);
    else expect(parsed.message.length).toBeGreaterThan(10);
  });
});

describe("the result download", () => {
  const rows: BulkRowResult[] = [
    { row: 1, deviceId: A1, outcome: "raised", reference: "RIC0000042", noteAdded: true },
    { row: 2, deviceId: A1, repeatOf: 1, outcome: "already open", reference: "RIC0000042", noteAdded: false },
    { row: 3, deviceId: '=HYPERLINK("http://evil.example","Click")', outcome: "refused", reason: "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0", fieldErrors: {} },
    { row: 4, deviceId: "+44 1234", outcome: "refused", reason: "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0", fieldErrors: {} },
    { row: 5, deviceId: "@SUM(A1)", outcome: "refused", reason: "x", fieldErrors: {} },
    { row: 6, deviceId: "-2", outcome: "refused", reason: "-starts with a minus", fieldErrors: {} },
    { row: 7, deviceId: A4, outcome: "already open", reference: "RIC0000007", noteAdded: true },
  ];

  it("has a row for each row of the file, in order: device_id, outcome, reference, reason", () => {
    const records = parse(bulkRaiseResultCsv({ rows })) as string[][];
    expect(records[0]).toEqual(["device_id", "outcome", "reference", "reason"]);
    expect(records.slice(1).map((r) => r.slice(0, 3))).toEqual([
      [A1, "raised", "RIC0000042"],
      [A1, "already open", "RIC0000042"],
      [`'=HYPERLINK("http://evil.example","Click")`, "refused", ""],
      ["'+44 1234", "refused", ""],
      ["'@SUM(A1)", "refused", ""],
      ["'-2", "refused", ""],
      [A4, "already open", "RIC0000007"],
    ]);
  });

  it("neutralises every cell a spreadsheet would read as a formula (= + - @)", () => {
    const records = parse(bulkRaiseResultCsv({ rows })) as string[][];
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(records[6][3]).toBe("'-starts with a minus");
  });

  it("says what happened to a note and to a Device repeated in the file", () => {
    expect(rows.map(rowDetail)).toEqual([
      "The note was added to it",
      "The Device is also on row 1 of this file",
      rows[2].outcome === "refused" ? rows[2].reason : "",
      "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0",
      "x",
      "-starts with a minus",
      "The note was added to the open request",
    ]);
  });

  it("is named after the UK day", () => {
    expect(resultFileName(new Date("2026-03-29T23:30:00Z"))).toBe("bulk-raise-2026-03-30.csv");
  });
});
