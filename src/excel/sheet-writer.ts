/**
 * Renders a core SheetSpec into an exceljs worksheet. Decides nothing about
 * where things sit: it only translates values, styles, rules and protection.
 */
import type ExcelJS from "exceljs";
import {
  wrappedRowHeights,
  type CellRange,
  type CellStyle,
  type CellValue,
  type InputSpec,
  type SheetSpec,
} from "../core/sheets/sheet-spec";
import { a1, columnLetter } from "../core/problem";
import type { SheetPassword } from "./sheet-password";

const argb = (hex: string) => "FF" + hex.replace("#", "").toUpperCase();
const THIN = { style: "thin" as const, color: { argb: "FF7F7F7F" } };
const FONT = "Times New Roman";

/** A4 with the margins of Decree 30 (inches: exceljs takes inches). */
const MM = 1 / 25.4;

function each(r: CellRange, fn: (row: number, col: number) => void): void {
  for (let i = r.row; i < r.row + r.rows; i++) for (let j = r.col; j < r.col + r.cols; j++) fn(i, j);
}

/** A cell's formatting once every CellStyle over it is applied, later ones winning attribute by attribute. */
type Look = Omit<CellStyle, "range"> & { unlocked?: boolean };

/** The same look gives the same key whatever order its attributes were set in. */
function lookKey(l: Look): string {
  return JSON.stringify(l, Object.keys(l).sort());
}

function toExcelStyle(l: Look): Partial<ExcelJS.Style> {
  const style: Partial<ExcelJS.Style> = {
    font: {
      name: FONT,
      size: l.fontSize ?? 12,
      ...(l.bold !== undefined && { bold: l.bold }),
      ...(l.italic !== undefined && { italic: l.italic }),
      ...(l.color !== undefined && { color: { argb: argb(l.color) } }),
    },
  };
  if (l.fill) style.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(l.fill) } };
  if (l.align || l.valign || l.wrap !== undefined)
    style.alignment = {
      ...(l.align && { horizontal: l.align }),
      ...(l.valign && { vertical: l.valign }),
      ...(l.wrap !== undefined && { wrapText: l.wrap }),
    };
  if (l.numberFormat) style.numFmt = l.numberFormat;
  if (l.border) style.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
  if (l.unlocked) style.protection = { locked: false };
  return style;
}

/**
 * Every cell of the sheet gets one shared style object per distinct look.
 * exceljs recognises a style object it has already serialised, so a summary
 * of thousands of cells costs a handful of style lookups instead of one
 * serialisation per cell. Nothing may change a cell's style in place after
 * this (it would change every cell sharing it): protection is part of the look.
 *
 * A cell's look is the fold of the styles over it, so cells under the same
 * styles in the same order share one: each cell keeps the number of its look,
 * and a look and a style give the next look once for the whole sheet, instead
 * of a look object and its key built per cell (100.000 cells in a locked year
 * at 60 schools × 200 targets).
 */
function cellLooks(
  spec: SheetSpec,
  width: number,
  unlocked: readonly CellRange[],
): { ids: number[][]; styles: Partial<ExcelJS.Style>[] } {
  const looks: Look[] = [{}];
  /** Per change (a style's settings, or unlocking), the look each look becomes under it. */
  const changes = new Map<string, Map<number, number>>();
  /** The cells of `range` changed by `make`, known by `key`: each look is changed once for the whole sheet. */
  const change = (range: CellRange, key: string, make: (look: Look) => Look): void => {
    let next = changes.get(key);
    if (!next) changes.set(key, (next = new Map()));
    const to = next;
    each(range, (r, c) => {
      const row = (ids[r] ??= []);
      const id = row[c] ?? 0;
      let after = to.get(id);
      if (after === undefined) {
        after = looks.push(make(looks[id]!)) - 1;
        to.set(id, after);
      }
      row[c] = after;
    });
  };
  const ids: number[][] = [];
  for (const { range, ...style } of spec.styles) {
    // An attribute a style leaves undefined keeps what an earlier style set.
    const set = Object.entries(style).filter(([, v]) => v !== undefined);
    // Styles are told by what they set, not by their place: a sheet may give each of its rows a style of its own.
    change(range, JSON.stringify(set), (look) => {
      const out = { ...look } as Record<string, unknown>;
      for (const [k, v] of set) out[k] = v;
      return out as Look;
    });
  }
  for (const range of unlocked) change(range, "unlocked", (look) => ({ ...look, unlocked: true }));
  // The grid's every cell, styled or not, so empty cells print in the same font.
  for (let r = 0; r < spec.grid.length; r++) {
    const row = (ids[r] ??= []);
    for (let c = 0; c < width; c++) row[c] ??= 0;
  }

  const shared = new Map<string, Partial<ExcelJS.Style>>();
  const styles = looks.map((look) => {
    const key = lookKey(look);
    let style = shared.get(key);
    if (!style) shared.set(key, (style = toExcelStyle(look)));
    return style;
  });
  return { ids, styles };
}

function applyLooks(ws: ExcelJS.Worksheet, spec: SheetSpec, width: number, unlocked: readonly CellRange[]): void {
  const { ids, styles } = cellLooks(spec, width, unlocked);
  ids.forEach((row, r) => {
    const cells = ws.getRow(r + 1);
    row.forEach((id, c) => (cells.getCell(c + 1).style = styles[id]!));
  });
}

function listFormula(values: string[]): string {
  // An inline list: quoted, comma separated; a value must not contain a comma or a quote.
  return `"${values.map((v) => v.replace(/[",]/g, " ")).join(",")}"`;
}

function applyInput(ws: ExcelJS.Worksheet, input: InputSpec): void {
  const rule = input.rule;
  const common = {
    allowBlank: true,
    showInputMessage: true,
    promptTitle: "Hướng dẫn nhập",
    prompt: input.prompt.slice(0, 255),
    showErrorMessage: true,
    errorStyle: "stop" as const,
    errorTitle: "Giá trị không hợp lệ",
    error: input.error.slice(0, 255),
  };
  // Only the online sheet has a tick box (the add-on reads it); an Excel file gets none.
  if (rule.type === "checkbox") return;
  each(input.range, (r, c) => {
    const cell = ws.getCell(r + 1, c + 1);
    if (rule.type === "list") cell.dataValidation = { type: "list", formulae: [listFormula(rule.values)], ...common };
    else if (rule.min !== undefined && rule.max !== undefined)
      cell.dataValidation = { type: rule.type, operator: "between", formulae: [rule.min, rule.max], ...common };
    else if (rule.min !== undefined)
      cell.dataValidation = { type: rule.type, operator: "greaterThanOrEqual", formulae: [rule.min], ...common };
    else if (rule.max !== undefined)
      cell.dataValidation = { type: rule.type, operator: "lessThanOrEqual", formulae: [rule.max], ...common };
  });
}

/**
 * Characters of column width an A4 page holds at 100 %: 297 or 210 mm less
 * the margins, at about 1,9 mm per character of 12 pt Times New Roman.
 */
const PAGE_CHARS = { landscape: 135, portrait: 88 };
/** Below this scale a printed figure is too small to read: the table is split across pages instead. */
const MIN_FIT_SCALE = 0.7;
const SPLIT_SCALE = 85;

/**
 * One page wide when the table fits at a readable size; otherwise columns
 * run over several pages at a fixed scale, with the title rows and the
 * first columns (target names) repeated on each.
 */
function printSetup(spec: SheetSpec): Partial<ExcelJS.PageSetup> {
  const page = PAGE_CHARS[spec.landscape ? "landscape" : "portrait"];
  const total = spec.widths.reduce((a, w) => a + w, 0);
  const common: Partial<ExcelJS.PageSetup> = {
    paperSize: 9,
    orientation: spec.landscape ? "landscape" : "portrait",
    margins: {
      top: 20 * MM,
      bottom: 20 * MM,
      left: (spec.landscape ? 20 : 30) * MM,
      right: 15 * MM,
      header: 8 * MM,
      footer: 8 * MM,
    },
    printTitlesRow:
      spec.printTitleRow !== undefined
        ? `${spec.printTitleRow + 1}:${spec.printTitleRow + 1}`
        : spec.frozenRows
          ? `1:${spec.frozenRows}`
          : undefined,
  };
  if (total * MIN_FIT_SCALE <= page || !spec.printTitleColumns)
    return { ...common, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  return {
    ...common,
    fitToPage: false,
    scale: SPLIT_SCALE,
    pageOrder: "overThenDown",
    printTitlesColumn: `A:${columnLetter(spec.printTitleColumns - 1)}`,
  };
}

/** exceljs keeps a sheet's protection in a field its typings leave out; protect() fills it. */
function protectionOf(ws: ExcelJS.Worksheet): Record<string, unknown> {
  return (ws as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
}

export async function writeSheet(
  wb: ExcelJS.Workbook,
  spec: SheetSpec,
  options: { password?: SheetPassword } = {},
): Promise<ExcelJS.Worksheet> {
  const ws = sheetFrame(wb, spec);
  const width = sheetWidth(spec);
  spec.grid.forEach((row, r) => {
    // By row: exceljs's getCell(r, c) parses and caches an "A1" address for every cell.
    const cells = ws.getRow(r + 1);
    row.forEach((v, c) => {
      if (v === null) return;
      // Text is always written as a string cell: a value starting with "=" stays text, never a formula.
      cells.getCell(c + 1).value = v;
    });
  });
  const unlocked = options.password ? [] : (spec.editable ?? []);
  applyLooks(ws, spec, width, unlocked);
  for (const [r, h] of wrappedRowHeights(spec)) ws.getRow(r + 1).height = h;
  for (const m of spec.merges) ws.mergeCells(m.row + 1, m.col + 1, m.row + m.rows, m.col + m.cols);
  for (const i of spec.inputs) applyInput(ws, i);
  for (const cs of spec.colourScales) {
    // Naming the corners creates their cells, as it always did; the cells render even when empty.
    ws.getCell(cs.range.row + 1, cs.range.col + 1);
    ws.getCell(cs.range.row + cs.range.rows, cs.range.col + cs.range.cols);
  }
  await sheetRules(ws, spec, options);
  return ws;
}

/**
 * A sheet whose cells are handed to the writer (xlsx-bytes.ts) as they would be in exceljs, without an exceljs
 * Cell, Row or cell model per cell: which cells exist, each one's value and style object, the merged cells and
 * the row heights.
 */
export interface SheetRows {
  ws: ExcelJS.Worksheet;
  /** Per row, per column: the style object of each cell that exists (exceljs makes a cell for a value, a look,
   * a merge or a colour scale's corner). */
  styles: (Partial<ExcelJS.Style> | undefined)[][];
  values: readonly (readonly CellValue[])[];
  /** Merged cells (not their first cell), by row and column: the first cell's address. */
  merged: Map<number, string>;
  heights: Map<number, number>;
  /** The merged ranges with more than one cell, as exceljs lists them: by their first merged cell. */
  merges: string[];
}

/** The key of a cell in SheetRows.merged. */
export const cellKey = (r: number, c: number): number => r * 16_384 + c;

/**
 * The same sheet as `writeSheet` writes, its cells kept as SheetRows for xlsxBytes: the locked year at
 * 60 schools × 200 targets has 100.000 cells, and building exceljs's Cell and Row objects, then their models,
 * was most of the time `khoa` spent writing. Every cell exceljs would have made is there with the same value
 * and style object, so the file is the one writeSheet gives (tests/excel/sheet-rows.test.ts compares them part
 * by part). Sheets with input rules are written by writeSheet only.
 */
export async function writeSheetRows(
  wb: ExcelJS.Workbook,
  spec: SheetSpec,
  options: { password?: SheetPassword } = {},
): Promise<SheetRows> {
  if (spec.inputs.length) throw new Error(`writeSheetRows: sheet ${spec.name} has input rules`);
  const ws = sheetFrame(wb, spec);
  const width = sheetWidth(spec);
  const columnFonts = Array.from({ length: width }, (_, c) => ws.getColumn(c + 1).font);
  const styles: (Partial<ExcelJS.Style> | undefined)[][] = [];
  /** The cell at (r, c), made as exceljs makes one when it has none: the column's font, no value. */
  const cell = (r: number, c: number): Partial<ExcelJS.Style> => {
    const row = (styles[r] ??= []);
    let style = row[c];
    if (!style) {
      const font = columnFonts[c];
      style = row[c] = font ? { font } : {};
    }
    return style;
  };
  spec.grid.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v !== null) cell(r, c);
    }),
  );
  const unlocked = options.password ? [] : (spec.editable ?? []);
  const looks = cellLooks(spec, width, unlocked);
  looks.ids.forEach((row, r) => {
    const cells = (styles[r] ??= []);
    row.forEach((id, c) => (cells[c] = looks.styles[id]!));
  });
  const merged = new Map<number, string>();
  const firsts: { at: number; range: string }[] = [];
  for (const m of spec.merges) {
    const masterStyle = cell(m.row, m.col);
    const master = a1(m.row, m.col);
    for (let r = m.row; r < m.row + m.rows; r++)
      for (let c = m.col; c < m.col + m.cols; c++) {
        if (r === m.row && c === m.col) continue;
        cell(r, c);
        styles[r]![c] = masterStyle;
        merged.set(cellKey(r, c), master);
      }
    if (m.rows * m.cols > 1)
      firsts.push({
        at: m.cols > 1 ? cellKey(m.row, m.col + 1) : cellKey(m.row + 1, m.col),
        range: `${master}:${a1(m.row + m.rows - 1, m.col + m.cols - 1)}`,
      });
  }
  for (const cs of spec.colourScales) {
    cell(cs.range.row, cs.range.col);
    cell(cs.range.row + cs.range.rows - 1, cs.range.col + cs.range.cols - 1);
  }
  await sheetRules(ws, spec, options);
  return {
    ws,
    styles,
    values: spec.grid,
    merged,
    heights: wrappedRowHeights(spec),
    merges: firsts.sort((a, b) => a.at - b.at).map((f) => f.range),
  };
}

/** Columns past the widths given still get a width and the font when the grid reaches them. */
function sheetWidth(spec: SheetSpec): number {
  return Math.max(spec.widths.length, ...spec.grid.map((r) => r.length));
}

/**
 * The worksheet with its view, print set-up and columns. The columns come before any cell: a column's font is
 * otherwise copied into every cell already written, only to be replaced by the cell's own look.
 */
function sheetFrame(wb: ExcelJS.Workbook, spec: SheetSpec): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(spec.name, {
    views:
      spec.frozenRows || spec.frozenColumns
        ? [{ state: "frozen", ySplit: spec.frozenRows, xSplit: spec.frozenColumns ?? 0 }]
        : [{}],
    pageSetup: printSetup(spec),
  });
  const width = sheetWidth(spec);
  for (let c = 0; c < width; c++) {
    const col = ws.getColumn(c + 1);
    col.width = spec.widths[c] ?? 12;
    col.font = { name: FONT, size: 12 };
  }
  return ws;
}

/** Colour scales, protection and visibility: what the sheet carries beside its cells. */
async function sheetRules(ws: ExcelJS.Worksheet, spec: SheetSpec, options: { password?: SheetPassword }) {
  for (const cs of spec.colourScales)
    ws.addConditionalFormatting({
      ref: `${a1(cs.range.row, cs.range.col)}:${a1(cs.range.row + cs.range.rows - 1, cs.range.col + cs.range.cols - 1)}`,
      rules: [
        {
          type: "colorScale",
          priority: 1,
          cfvo: [
            { type: "num", value: cs.min },
            { type: "num", value: cs.mid },
            { type: "num", value: cs.max },
          ],
          color: [{ argb: "FFF8696B" }, { argb: "FFFFEB84" }, { argb: "FF63BE7B" }],
        },
      ],
    });
  if (spec.editable || options.password) {
    // Templates: no password, the lock guards labels against accidents. A locked year: a password,
    // hashed once for the whole workbook (sheet-password.ts).
    await ws.protect("", {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatColumns: true,
      formatRows: true,
      formatCells: false,
      insertRows: false,
      deleteRows: false,
      insertColumns: false,
      deleteColumns: false,
      sort: false,
      autoFilter: false,
    });
    if (options.password) Object.assign(protectionOf(ws), options.password);
  }
  if (spec.hidden) ws.state = "veryHidden";
}
