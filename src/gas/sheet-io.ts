/**
 * Moving SheetSpecs in and out of Google Sheets in batches: one setValues for
 * the grid, one call per kind of formatting as a 2-D array, the school
 * sheets read together in one Sheets API request.
 */
import { looksLikeFormula } from "../core/text/text";
import type { CellStyle, CellValue, InputSpec, SheetSpec } from "../core/sheets/sheet-spec";
import { rectangular } from "../core/sheets/sheet-spec";
import { TEXT_FORMAT } from "../core/sheets/school-layout";

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Text that Sheets would parse as a formula is written with a leading apostrophe, so it stays text. */
export function safeCell(v: CellValue): CellValue {
  return typeof v === "string" && looksLikeFormula(v) ? "'" + v : v;
}

export function ensureSize(sheet: Sheet, rows: number, cols: number): void {
  const maxRows = sheet.getMaxRows();
  if (maxRows < rows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  const maxCols = sheet.getMaxColumns();
  if (maxCols < cols) sheet.insertColumnsAfter(maxCols, cols - maxCols);
}

/** Pixels for a width in characters of 11 pt text. */
const px = (chars: number) => Math.round(chars * 7.5 + 10);

type Plane<T> = { used: boolean; cells: T[][] };
function plane<T>(rows: number, cols: number, empty: T): Plane<T> {
  return { used: false, cells: Array.from({ length: rows }, () => Array<T>(cols).fill(empty)) };
}

function paint<T>(p: Plane<T>, s: CellStyle, value: T | undefined): void {
  if (value === undefined) return;
  p.used = true;
  for (let r = s.range.row; r < s.range.row + s.range.rows; r++) for (let c = s.range.col; c < s.range.col + s.range.cols; c++) if (p.cells[r]) p.cells[r]![c] = value;
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

function validationRule(input: InputSpec): GoogleAppsScript.Spreadsheet.DataValidation {
  const b = SpreadsheetApp.newDataValidation().setHelpText(input.prompt).setAllowInvalid(false);
  const rule = input.rule;
  if (rule.type === "list") return b.requireValueInList(rule.values, true).build();
  if (rule.type === "whole") return b.requireFormulaSatisfied(wholeNumberFormula(rule.min ?? 0, rule.max)).build();
  if (rule.min !== undefined && rule.max !== undefined) return b.requireNumberBetween(rule.min, rule.max).build();
  if (rule.max !== undefined) return b.requireNumberLessThanOrEqualTo(rule.max).build();
  return b.requireNumberGreaterThanOrEqualTo(rule.min ?? 0).build();
}

/**
 * Replaces a sheet's content with a spec. The number of calls depends on the
 * kinds of formatting used, not on the number of rows or columns.
 */
export function writeSpec(sheet: Sheet, spec: SheetSpec): void {
  const grid = rectangular(spec.grid.length ? spec.grid : [[null]]);
  const rows = grid.length;
  const cols = grid[0]!.length;
  ensureSize(sheet, rows, cols);
  sheet.clear();
  sheet.clearConditionalFormatRules();
  const whole = sheet.getRange(1, 1, sheet.getMaxRows(), sheet.getMaxColumns());
  whole.breakApart();
  whole.clearDataValidations();

  const range = sheet.getRange(1, 1, rows, cols);

  const bg = plane<string | null>(rows, cols, null);
  const weight = plane<GoogleAppsScript.Spreadsheet.FontWeight | null>(rows, cols, null);
  const style = plane<GoogleAppsScript.Spreadsheet.FontStyle | null>(rows, cols, null);
  const size = plane<number>(rows, cols, 11);
  const color = plane<string | null>(rows, cols, null);
  const halign = plane<"left" | "center" | "right" | "normal" | null>(rows, cols, null);
  const valign = plane<"top" | "middle" | "bottom" | null>(rows, cols, null);
  const wrap = plane<boolean>(rows, cols, false);
  const format = plane<string>(rows, cols, "General");
  const explicitFormat = plane<boolean>(rows, cols, false);
  let border: { top: number; left: number; bottom: number; right: number } | undefined;
  for (const s of spec.styles) {
    paint(bg, s, s.fill);
    paint(weight, s, s.bold === undefined ? undefined : s.bold ? "bold" : "normal");
    paint(style, s, s.italic === undefined ? undefined : s.italic ? "italic" : "normal");
    paint(size, s, s.fontSize);
    paint(color, s, s.color);
    paint(halign, s, s.align);
    paint(valign, s, s.valign);
    paint(wrap, s, s.wrap);
    paint(format, s, s.numberFormat);
    paint(explicitFormat, s, s.numberFormat === undefined ? undefined : true);
    if (s.border) {
      const b = { top: s.range.row, left: s.range.col, bottom: s.range.row + s.range.rows - 1, right: s.range.col + s.range.cols - 1 };
      border = border ? { top: Math.min(border.top, b.top), left: Math.min(border.left, b.left), bottom: Math.max(border.bottom, b.bottom), right: Math.max(border.right, b.right) } : b;
    }
  }
  if (bg.used) range.setBackgrounds(bg.cells as string[][]);
  if (weight.used) range.setFontWeights(weight.cells);
  if (style.used) range.setFontStyles(style.cells);
  if (size.used) range.setFontSizes(size.cells);
  if (color.used) range.setFontColors(color.cells);
  if (halign.used) range.setHorizontalAlignments(halign.cells);
  if (valign.used) range.setVerticalAlignments(valign.cells);
  if (wrap.used) range.setWraps(wrap.cells);
  // Text stays text: Sheets reads a written string as typed input in the spreadsheet's locale ("05/06" becomes a date,
  // "1.234" a number in vi_VN) unless its cell is formatted "@" first. Cells with a format of their own keep it.
  grid.forEach((r, i) =>
    r.forEach((v, j) => {
      if (typeof v === "string" && !explicitFormat.cells[i]![j]) {
        format.cells[i]![j] = TEXT_FORMAT;
        format.used = true;
      }
    }),
  );
  if (format.used) range.setNumberFormats(format.cells);
  range.setValues(grid.map((r) => r.map((v) => (v === null ? "" : safeCell(v)))));
  range.setFontFamily("Times New Roman");
  // The tables are contiguous blocks: one border call over their bounding box.
  if (border) sheet.getRange(border.top + 1, border.left + 1, border.bottom - border.top + 1, border.right - border.left + 1).setBorder(true, true, true, true, true, true);
  for (const m of spec.merges) sheet.getRange(m.row + 1, m.col + 1, m.rows, m.cols).merge();

  // Runs of equal widths in one call each (the school columns of Tổng hợp share one width).
  for (let c = 0; c < spec.widths.length; ) {
    let end = c;
    while (end + 1 < spec.widths.length && spec.widths[end + 1] === spec.widths[c]) end++;
    sheet.setColumnWidths(c + 1, end - c + 1, px(spec.widths[c]!));
    c = end + 1;
  }
  sheet.setFrozenRows(spec.frozenRows);

  if (spec.inputs.length) {
    const top = Math.min(...spec.inputs.map((i) => i.range.row));
    const bottom = Math.max(...spec.inputs.map((i) => i.range.row + i.range.rows - 1));
    const left = Math.min(...spec.inputs.map((i) => i.range.col));
    const right = Math.max(...spec.inputs.map((i) => i.range.col + i.range.cols - 1));
    const rules: (GoogleAppsScript.Spreadsheet.DataValidation | null)[][] = Array.from({ length: bottom - top + 1 }, () => Array(right - left + 1).fill(null));
    const built = new Map<string, GoogleAppsScript.Spreadsheet.DataValidation>();
    for (const input of spec.inputs) {
      const key = JSON.stringify([input.rule, input.prompt]);
      const rule = built.get(key) ?? validationRule(input);
      built.set(key, rule);
      for (let r = input.range.row; r < input.range.row + input.range.rows; r++) for (let c = input.range.col; c < input.range.col + input.range.cols; c++) rules[r - top]![c - left] = rule;
    }
    sheet.getRange(top + 1, left + 1, bottom - top + 1, right - left + 1).setDataValidations(rules);
  }
  if (spec.colourScales.length)
    sheet.setConditionalFormatRules(
      spec.colourScales.map((cs) =>
        SpreadsheetApp.newConditionalFormatRule()
          .setGradientMinpointWithValue("#F8696B", SpreadsheetApp.InterpolationType.NUMBER, String(cs.min))
          .setGradientMidpointWithValue("#FFEB84", SpreadsheetApp.InterpolationType.NUMBER, String(cs.mid))
          .setGradientMaxpointWithValue("#63BE7B", SpreadsheetApp.InterpolationType.NUMBER, String(cs.max))
          .setRanges([sheet.getRange(cs.range.row + 1, cs.range.col + 1, cs.range.rows, cs.range.cols)])
          .build(),
      ),
    );
  if (spec.hidden) sheet.hideSheet();
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
export function readSheets(spreadsheetId: string, names: string[]): Map<string, unknown[][]> {
  const out = new Map<string, unknown[][]>();
  if (!names.length) return out;
  // Dates come back as the text the cell shows, not as serial numbers: a date typed into a figure cell ("05/06" in
  // vi_VN) must be refused as "not a number", never counted as 46.178.
  const res = Sheets!.Spreadsheets!.Values!.batchGet(spreadsheetId, { ranges: names.map((n) => sheetA1(n)), valueRenderOption: "UNFORMATTED_VALUE", dateTimeRenderOption: "FORMATTED_STRING" });
  (res.valueRanges ?? []).forEach((vr, i) => out.set(names[i]!, (vr.values ?? []) as unknown[][]));
  return out;
}
