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
 * is written with the file. About 1.15 characters of 12 pt text fit per unit
 * of column width; a merged cell has the width of its columns; larger and bold
 * text, and capitals, take more room, so they count for more.
 */
export function wrappedRowHeights(spec: SheetSpec, lineHeight = 16): Map<number, number> {
  // Per cell, the last size, boldness and wrap any style gave it (arrays by row, not a map of "r:c" keys and a
  // copied object per cell and style: the locked year's ranking sheet has 12.000 rows × 6 columns).
  const sizes: number[][] = [];
  const bolds: boolean[][] = [];
  const wraps: boolean[][] = [];
  for (const st of spec.styles) {
    if (st.fontSize === undefined && st.bold === undefined && st.wrap === undefined) continue;
    for (let r = st.range.row; r < st.range.row + st.range.rows; r++) {
      const size = (sizes[r] ??= []);
      const bold = (bolds[r] ??= []);
      const wrap = (wraps[r] ??= []);
      for (let c = st.range.col; c < st.range.col + st.range.cols; c++) {
        if (st.fontSize !== undefined) size[c] = st.fontSize;
        if (st.bold !== undefined) bold[c] = st.bold;
        if (st.wrap !== undefined) wrap[c] = st.wrap;
      }
    }
  }
  // Merged cells by row and column as one number (no sheet has 16.384 columns).
  const at = (r: number, c: number) => r * 16_384 + c;
  const span = new Map<number, number>();
  const covered = new Set<number>();
  for (const m of spec.merges)
    if (m.rows === 1 && m.cols > 1) {
      span.set(at(m.row, m.col), m.cols);
      for (let c = m.col + 1; c < m.col + m.cols; c++) covered.add(at(m.row, c));
    }
  // Whether a character is a capital, asked once per distinct character rather than once per character;
  // a letter of ASCII is a capital when it is A to Z.
  const capital = new Map<string, boolean>();
  const length = (part: string) => {
    let n = 0;
    for (let i = 0; i < part.length; i++) {
      const code = part.charCodeAt(i);
      if (code < 128) {
        n += code >= 65 && code <= 90 ? 1.25 : 1;
        continue;
      }
      // One character, whether one UTF-16 unit or a surrogate pair.
      const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < part.length;
      const next = pair ? part.charCodeAt(i + 1) : 0;
      const ch = pair && next >= 0xdc00 && next <= 0xdfff ? part.slice(i, ++i + 1) : part[i]!;
      let up = capital.get(ch);
      if (up === undefined) capital.set(ch, (up = ch !== ch.toLocaleLowerCase("vi")));
      n += up ? 1.25 : 1;
    }
    return n;
  };
  const heights = new Map<number, number>();
  spec.grid.forEach((row, r) => {
    // Only the cells that wrap can need more than one line.
    const wrap = wraps[r];
    if (!wrap) return;
    let lines = 1;
    let size = 12;
    wrap.forEach((on, c) => {
      const v = row[c];
      if (!on || typeof v !== "string") return;
      const key = at(r, c);
      if (covered.has(key)) return;
      const fontSize = sizes[r]?.[c] ?? 12;
      let width = 0;
      for (let k = c; k < c + (span.get(key) ?? 1); k++) width += spec.widths[k] ?? 10;
      const perLine = Math.max(1, Math.floor(width * 1.15 * (12 / fontSize) * (bolds[r]?.[c] ? 0.9 : 1)));
      const needed = v.split("\n").reduce((n, part) => n + Math.max(1, Math.ceil(length(part) / perLine)), 0);
      if (needed > lines || (needed === lines && fontSize > size)) size = fontSize;
      lines = Math.max(lines, needed);
    });
    if (lines > 1) heights.set(r, Math.ceil(lines * lineHeight * Math.max(1, size / 12)));
  });
  return heights;
}
