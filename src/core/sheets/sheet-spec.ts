/**
 * A sheet described as data: the grid of values plus the formatting,
 * validation and protection that go with it. The Apps Script and exceljs
 * adapters render a SheetSpec; neither decides where anything sits.
 * Rows and columns are 0-based here; adapters convert.
 */

export type CellValue = string | number | boolean | Date | null;

export interface CellRange {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface CellStyle {
  range: CellRange;
  bold?: boolean;
  italic?: boolean;
  fontSize?: number;
  /** "#RRGGBB" */
  fill?: string;
  color?: string;
  align?: "left" | "center" | "right";
  valign?: "top" | "middle";
  wrap?: boolean;
  numberFormat?: string;
  border?: boolean;
}

export type InputRule =
  | { type: "whole"; min?: number; max?: number }
  | { type: "decimal"; min?: number; max?: number }
  | { type: "list"; values: string[] }
  /** A tick box: TRUE when ticked, FALSE when not. */
  | { type: "checkbox" };

export interface InputSpec {
  range: CellRange;
  rule: InputRule;
  prompt: string;
  error: string;
}

/** Red (low) to green (high) over completion rates. */
export interface ColourScale {
  range: CellRange;
  min: number;
  mid: number;
  max: number;
}

export interface SheetSpec {
  name: string;
  grid: CellValue[][];
  merges: CellRange[];
  styles: CellStyle[];
  /** Column widths in characters. */
  widths: number[];
  frozenRows: number;
  /** Leading columns kept in view when scrolling sideways. */
  frozenColumns?: number;
  /** A row repeated at the top of every printed page, where the frozen rows are not the header. */
  printTitleRow?: number;
  inputs: InputSpec[];
  colourScales: ColourScale[];
  /** When set, the sheet is protected and only these ranges stay editable. */
  editable?: CellRange[];
  hidden?: boolean;
  /** Landscape when the table is wider than an A4 portrait page. */
  landscape?: boolean;
  /** Leading columns repeated on every printed page when the table is split across pages (the target names). */
  printTitleColumns?: number;
}

export function range(row: number, col: number, rows = 1, cols = 1): CellRange {
  return { row, col, rows, cols };
}

/** Pads every row to the same width, as setValues requires a rectangle. */
export function rectangular(grid: CellValue[][]): CellValue[][] {
  const width = Math.max(0, ...grid.map((r) => r.length));
  return grid.map((r) => (r.length === width ? r : [...r, ...Array<CellValue>(width - r.length).fill(null)]));
}

/** Excel and Google Sheets forbid these in sheet names; Excel also caps the length at 31. */
export function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[[\]:*?/\\]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.slice(0, 31).replace(/^'|'$/g, "") || "Trang";
}

/**
 * Row heights in points for rows whose wrapped text needs more than one
 * line. Spreadsheet apps do not grow rows of a file they open, so the height
 * is written with the file; about 1.15 characters of 12 pt text fit per unit
 * of column width.
 */
export function wrappedRowHeights(spec: SheetSpec, lineHeight = 16): Map<number, number> {
  const wrapped = new Set<string>();
  for (const st of spec.styles)
    if (st.wrap)
      for (let r = st.range.row; r < st.range.row + st.range.rows; r++)
        for (let c = st.range.col; c < st.range.col + st.range.cols; c++) wrapped.add(`${r}:${c}`);
  const merged = new Set<string>();
  for (const m of spec.merges) for (let c = m.col; c < m.col + m.cols; c++) if (m.cols > 1) merged.add(`${m.row}:${c}`);
  const heights = new Map<number, number>();
  spec.grid.forEach((row, r) => {
    let lines = 1;
    row.forEach((v, c) => {
      if (typeof v !== "string" || !wrapped.has(`${r}:${c}`) || merged.has(`${r}:${c}`)) return;
      const perLine = Math.max(1, Math.floor((spec.widths[c] ?? 10) * 1.15));
      lines = Math.max(
        lines,
        v.split("\n").reduce((n, part) => n + Math.max(1, Math.ceil(Array.from(part).length / perLine)), 0),
      );
    });
    if (lines > 1) heights.set(r, lines * lineHeight);
  });
  return heights;
}
