/**
 * Renders a core SheetSpec into an exceljs worksheet. Decides nothing about
 * where things sit: it only translates values, styles, rules and protection.
 */
import type ExcelJS from "exceljs";
import {
  wrappedRowHeights,
  type CellRange,
  type CellStyle,
  type InputSpec,
  type SheetSpec,
} from "../core/sheets/sheet-spec";
import { columnLetter } from "../core/problem";
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
 */
function applyLooks(ws: ExcelJS.Worksheet, spec: SheetSpec, width: number, unlocked: readonly CellRange[]): void {
  const looks: Look[][] = [];
  const lookOf = (r: number, c: number): Look => ((looks[r] ??= [])[c] ??= {});
  for (const { range, ...style } of spec.styles) {
    // An attribute a style leaves undefined keeps what an earlier style set.
    const set = Object.entries(style).filter(([, v]) => v !== undefined);
    each(range, (r, c) => {
      const look = lookOf(r, c) as Record<string, unknown>;
      for (const [k, v] of set) look[k] = v;
    });
  }
  for (const range of unlocked) each(range, (r, c) => (lookOf(r, c).unlocked = true));
  // The grid's every cell, styled or not, so empty cells print in the same font.
  for (let r = 0; r < spec.grid.length; r++) for (let c = 0; c < width; c++) lookOf(r, c);

  const shared = new Map<string, Partial<ExcelJS.Style>>();
  looks.forEach((row, r) =>
    row.forEach((look, c) => {
      const key = lookKey(look);
      let style = shared.get(key);
      if (!style) shared.set(key, (style = toExcelStyle(look)));
      ws.getCell(r + 1, c + 1).style = style;
    }),
  );
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
  const ws = wb.addWorksheet(spec.name, {
    views:
      spec.frozenRows || spec.frozenColumns
        ? [{ state: "frozen", ySplit: spec.frozenRows, xSplit: spec.frozenColumns ?? 0 }]
        : [{}],
    pageSetup: printSetup(spec),
  });
  spec.grid.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === null) return;
      // Text is always written as a string cell: a value starting with "=" stays text, never a formula.
      ws.getCell(r + 1, c + 1).value = v;
    }),
  );
  const width = Math.max(spec.widths.length, ...spec.grid.map((r) => r.length));
  for (let c = 0; c < width; c++) {
    const col = ws.getColumn(c + 1);
    col.width = spec.widths[c] ?? 12;
    col.font = { name: FONT, size: 12 };
  }
  const unlocked = options.password ? [] : (spec.editable ?? []);
  applyLooks(ws, spec, width, unlocked);
  for (const [r, h] of wrappedRowHeights(spec)) ws.getRow(r + 1).height = h;
  for (const m of spec.merges) ws.mergeCells(m.row + 1, m.col + 1, m.row + m.rows, m.col + m.cols);
  for (const i of spec.inputs) applyInput(ws, i);
  for (const cs of spec.colourScales)
    ws.addConditionalFormatting({
      ref:
        `${ws.getCell(cs.range.row + 1, cs.range.col + 1).address}:` +
        `${ws.getCell(cs.range.row + cs.range.rows, cs.range.col + cs.range.cols).address}`,
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
  return ws;
}
