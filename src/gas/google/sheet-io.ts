/**
 * Reading sheets through the Sheets API (the school sheets together in one
 * request) and the cell rules shared by every writer; SheetSpecs are
 * written by sheet-batch.ts.
 */
import { looksLikeFormula } from "../../core/text/text";
import type { CellValue } from "../../core/sheets/sheet-spec";
import { sheetsBatchGet } from "./google-api";

/** Text that Sheets would parse as a formula is written with a leading apostrophe, so it stays text. */
export function safeCell(v: CellValue): CellValue {
  return typeof v === "string" && looksLikeFormula(v) ? "'" + v : v;
}

/**
 * Sheets has no whole-number rule: a custom formula on the cell itself.
 * INDIRECT("RC",FALSE) is the validated cell wherever the rule is applied,
 * so one rule serves a whole block of cells (see docs/platform.md).
 */
export function wholeNumberFormula(min: number, max?: number): string {
  const self = 'INDIRECT("RC",FALSE)';
  return `=AND(ISNUMBER(${self}),${self}>=${min},${max === undefined ? "" : `${self}<=${max},`}MOD(${self},1)=0)`;
}

/** A1 range of a whole sheet for the Sheets API, with the name quoted. */
export function sheetA1(name: string, cols = "A:Z"): string {
  return `'${name.replace(/'/g, "''")}'!${cols}`;
}

/**
 * Reads several sheets in one Sheets API request. The API drops trailing
 * empty cells and rows; the grids come back rectangular-enough for readers
 * that treat a missing cell as empty.
 */
export function readSheets(
  spreadsheetId: string,
  names: string[],
  cols: string | ((name: string) => string) = "A:Z",
): Map<string, unknown[][]> {
  const out = new Map<string, unknown[][]>();
  if (!names.length) return out;
  // Dates come back as the text the cell shows, not as serial numbers: a date typed into a figure cell ("05/06" in
  // vi_VN) must be refused as "not a number", never counted as 46.178.
  const res = sheetsBatchGet(
    spreadsheetId,
    names.map((n) => sheetA1(n, typeof cols === "string" ? cols : cols(n))),
  );
  (res.valueRanges ?? []).forEach((vr, i) => out.set(names[i]!, (vr.values ?? []) as unknown[][]));
  return out;
}
