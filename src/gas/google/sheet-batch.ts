/**
 * Writing SheetSpecs through the Sheets API: every sheet an action rewrites,
 * its chart, its Nhật ký rows and its protections go out in one
 * spreadsheets.batchUpdate, after one spreadsheets.get of what is there.
 * Google applies a batch whole or not at all, so a refused write (a
 * protected cell, a sheet gone) leaves nothing half-written, and the cost
 * does not grow with the number of sheets, rows or kinds of formatting.
 */
import type { CellRange, CellStyle, CellValue, InputSpec, SheetSpec } from "../../core/sheets/sheet-spec";
import { rectangular } from "../../core/sheets/sheet-spec";
import { TEXT_FORMAT } from "../../core/sheets/school-layout";
import { UserError } from "../../core/user-error";
import { wholeNumberFormula } from "./sheet-io";

type Request = GoogleAppsScript.Sheets.Schema.Request;
type CellData = GoogleAppsScript.Sheets.Schema.CellData;
type CellFormat = GoogleAppsScript.Sheets.Schema.CellFormat;
type GridRange = GoogleAppsScript.Sheets.Schema.GridRange;
type ApiSheet = GoogleAppsScript.Sheets.Schema.Sheet;

/** What a rewrite must know of a sheet that is there: its id and size, and what to take away first. */
export interface SheetLayout {
  sheetId: number;
  title: string;
  rows: number;
  cols: number;
  merges: number;
  conditionalFormats: number;
  charts: number[];
  protections: GoogleAppsScript.Sheets.Schema.ProtectedRange[];
}

/** The one read: every sheet's id, size, merges, rules, charts and protections (editors only where the user may edit). */
export const LAYOUT_FIELDS =
  "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),merges,conditionalFormats,charts(chartId),protectedRanges)";

export function readLayout(spreadsheetId: string): SheetLayout[] {
  const got = Sheets!.Spreadsheets!.get(spreadsheetId, { fields: LAYOUT_FIELDS });
  return (got.sheets ?? []).map((s: ApiSheet) => ({
    // The API leaves out zeros: the first sheet's id is 0.
    sheetId: s.properties?.sheetId ?? 0,
    title: s.properties?.title ?? "",
    rows: s.properties?.gridProperties?.rowCount ?? 0,
    cols: s.properties?.gridProperties?.columnCount ?? 0,
    merges: (s.merges ?? []).length,
    conditionalFormats: (s.conditionalFormats ?? []).length,
    charts: (s.charts ?? []).map((c) => c.chartId ?? 0),
    protections: s.protectedRanges ?? [],
  }));
}

/** Pixels for a width in characters of 11 pt text. */
const px = (chars: number) => Math.round(chars * 7.5 + 10);

/** "#RRGGBB" as the API's colour. */
function colour(hex: string): GoogleAppsScript.Sheets.Schema.ColorStyle {
  const n = (i: number) => parseInt(hex.slice(i, i + 2), 16) / 255;
  return { rgbColor: { red: n(1), green: n(3), blue: n(5) } };
}

/** The API wants the kind of a number format with its pattern. */
function numberFormat(pattern: string): GoogleAppsScript.Sheets.Schema.NumberFormat {
  return { type: pattern === TEXT_FORMAT ? "TEXT" : pattern.includes("%") ? "PERCENT" : "NUMBER", pattern };
}

export function gridRange(sheetId: number, r: CellRange): GridRange {
  return {
    sheetId,
    startRowIndex: r.row,
    endRowIndex: r.row + r.rows,
    startColumnIndex: r.col,
    endColumnIndex: r.col + r.cols,
  };
}

function validation(input: InputSpec): GoogleAppsScript.Sheets.Schema.DataValidationRule {
  const rule = input.rule;
  const values = (...xs: (string | number)[]) => xs.map((x) => ({ userEnteredValue: String(x) }));
  const condition =
    rule.type === "checkbox"
      ? { type: "BOOLEAN" }
      : rule.type === "list"
        ? { type: "ONE_OF_LIST", values: values(...rule.values) }
        : rule.type === "whole"
          ? { type: "CUSTOM_FORMULA", values: values(wholeNumberFormula(rule.min ?? 0, rule.max)) }
          : rule.min !== undefined && rule.max !== undefined
            ? { type: "NUMBER_BETWEEN", values: values(rule.min, rule.max) }
            : rule.max !== undefined
              ? { type: "NUMBER_LESS_THAN_EQ", values: values(rule.max) }
              : { type: "NUMBER_GREATER_THAN_EQ", values: values(rule.min ?? 0) };
  return { condition, inputMessage: input.prompt, strict: true, showCustomUi: true };
}

/** Serial day number of a date in the spreadsheet's time zone (Asia/Ho_Chi_Minh), as Sheets stores dates. */
const serial = (d: Date) => (d.getTime() + 7 * 3600_000 - Date.UTC(1899, 11, 30)) / 86_400_000;

/** A cell's value as typed-in-nothing: strings stay text exactly (no formula, no date, no number), numbers stay numbers. */
function value(v: CellValue): GoogleAppsScript.Sheets.Schema.ExtendedValue | undefined {
  if (v === null || v === "") return undefined;
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "number") return { numberValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  return { numberValue: serial(v) };
}

/** Sets a style's formats and returns the field paths it sets, for repeatCell's mask. */
function applyStyle(f: CellFormat, s: CellStyle): string[] {
  const fields: string[] = [];
  const text = (key: keyof GoogleAppsScript.Sheets.Schema.TextFormat, v: unknown) => {
    (f.textFormat ??= {})[key] = v as never;
    fields.push(`userEnteredFormat.textFormat.${key}`);
  };
  const set = (key: keyof CellFormat, v: unknown) => {
    f[key] = v as never;
    fields.push(`userEnteredFormat.${key}`);
  };
  if (s.bold !== undefined) text("bold", s.bold);
  if (s.italic !== undefined) text("italic", s.italic);
  if (s.fontSize !== undefined) text("fontSize", s.fontSize);
  if (s.color !== undefined) text("foregroundColorStyle", colour(s.color));
  if (s.fill !== undefined) set("backgroundColorStyle", colour(s.fill));
  if (s.align !== undefined) set("horizontalAlignment", s.align.toUpperCase());
  if (s.valign !== undefined) set("verticalAlignment", s.valign.toUpperCase());
  if (s.wrap !== undefined) set("wrapStrategy", s.wrap ? "WRAP" : "OVERFLOW_CELL");
  if (s.numberFormat !== undefined) set("numberFormat", numberFormat(s.numberFormat));
  return fields;
}

type StyleProps = Omit<CellStyle, "range" | "border">;

/**
 * The spec's styles as few rectangles of one final format each: the styles
 * painted in order (a later one wins), then equal runs of a row merged with
 * the same runs of the rows below. A sheet's rows mostly repeat a handful
 * of formats, so the request stays small however many rows it has.
 */
function formatBlocks(styles: CellStyle[], rows: number, cols: number): { range: CellRange; style: CellStyle }[] {
  const painted: (StyleProps | undefined)[][] = Array.from({ length: rows }, () =>
    Array<StyleProps | undefined>(cols).fill(undefined),
  );
  for (const { range: r, border: _border, ...props } of styles)
    for (let i = r.row; i < Math.min(rows, r.row + r.rows); i++)
      for (let j = r.col; j < Math.min(cols, r.col + r.cols); j++) {
        const merged: StyleProps = { ...painted[i]![j] };
        for (const [k, v] of Object.entries(props)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
        painted[i]![j] = merged;
      }
  const keyOf = (p: StyleProps | undefined) =>
    p && Object.keys(p).length ? JSON.stringify(Object.entries(p).sort(([a], [b]) => a.localeCompare(b))) : "";
  const done: { range: CellRange; style: CellStyle }[] = [];
  let open = new Map<string, { range: CellRange; style: CellStyle }>();
  for (let i = 0; i < rows; i++) {
    const next = new Map<string, { range: CellRange; style: CellStyle }>();
    for (let j = 0; j < cols;) {
      const key = keyOf(painted[i]![j]);
      let end = j;
      while (end + 1 < cols && keyOf(painted[i]![end + 1]) === key) end++;
      if (key) {
        const id = `${j}:${end}:${key}`;
        const above = open.get(id);
        if (above) {
          above.range.rows++;
          open.delete(id);
          next.set(id, above);
        } else
          next.set(id, {
            range: { row: i, col: j, rows: 1, cols: end - j + 1 },
            style: { range: { row: i, col: j, rows: 1, cols: end - j + 1 }, ...painted[i]![j]! },
          });
      }
      j = end + 1;
    }
    done.push(...open.values());
    open = next;
  }
  return [...done, ...open.values()];
}

/**
 * The requests that make a sheet exactly what spec says, over what the
 * layout says is there: grow the grid, take away merges and rules, write
 * every cell (values, formats, validation; "*" clears what the spec leaves
 * out), then borders, merges, widths, frozen rows, colour scales.
 */
export function specRequests(sheet: SheetLayout, spec: SheetSpec): Request[] {
  const sheetId = sheet.sheetId;
  const grid = rectangular(spec.grid.length ? spec.grid : [[null]]);
  const rows = grid.length;
  const cols = grid[0]!.length;
  const out: Request[] = [];
  if (rows > sheet.rows) out.push({ appendDimension: { sheetId, dimension: "ROWS", length: rows - sheet.rows } });
  if (cols > sheet.cols) out.push({ appendDimension: { sheetId, dimension: "COLUMNS", length: cols - sheet.cols } });
  if (sheet.merges) out.push({ unmergeCells: { range: { sheetId } } });
  // From the last: each deletion moves the later rules up.
  for (let i = sheet.conditionalFormats - 1; i >= 0; i--)
    out.push({ deleteConditionalFormatRule: { sheetId, index: i } });

  let border: CellRange | undefined;
  for (const st of spec.styles) {
    if (!st.border) continue;
    const b = st.range;
    const row = Math.min(border?.row ?? b.row, b.row);
    const col = Math.min(border?.col ?? b.col, b.col);
    border = border
      ? {
          row,
          col,
          rows: Math.max(border.row + border.rows, b.row + b.rows) - row,
          cols: Math.max(border.col + border.cols, b.col + b.cols) - col,
        }
      : b;
  }
  // Text stays text when typed over later too: a string's cell is formatted "@" (a style's own format comes after).
  const rowData = grid.map((r) => ({
    values: r.map((v): CellData => {
      const cell: CellData =
        typeof v === "string" ? { userEnteredFormat: { numberFormat: numberFormat(TEXT_FORMAT) } } : {};
      const typed = value(v);
      if (typed) cell.userEnteredValue = typed;
      return cell;
    }),
  }));
  // Over the whole grid: what lies beyond the spec (an older, larger layout) is cleared with the rest.
  out.push({
    updateCells: {
      range: {
        sheetId,
        startRowIndex: 0,
        endRowIndex: Math.max(rows, sheet.rows),
        startColumnIndex: 0,
        endColumnIndex: Math.max(cols, sheet.cols),
      },
      rows: rowData,
      fields: "*",
    },
  });
  // Formats by the spec's own ranges, in its order (a later style wins), rather than repeated in every cell.
  out.push({
    repeatCell: {
      range: gridRange(sheetId, { row: 0, col: 0, rows, cols }),
      cell: { userEnteredFormat: { textFormat: { fontFamily: "Times New Roman", fontSize: 11 } } },
      fields: "userEnteredFormat.textFormat.fontFamily,userEnteredFormat.textFormat.fontSize",
    },
  });
  for (const block of formatBlocks(spec.styles, rows, cols)) {
    const format: CellFormat = {};
    const fields = applyStyle(format, block.style);
    out.push({
      repeatCell: {
        range: gridRange(sheetId, block.range),
        cell: { userEnteredFormat: format },
        fields: fields.join(","),
      },
    });
  }
  // One rule per input block, not one per cell.
  for (const input of spec.inputs)
    out.push({ setDataValidation: { range: gridRange(sheetId, input.range), rule: validation(input) } });
  if (border) {
    const solid = { style: "SOLID" };
    out.push({
      updateBorders: {
        range: gridRange(sheetId, border),
        top: solid,
        bottom: solid,
        left: solid,
        right: solid,
        innerHorizontal: solid,
        innerVertical: solid,
      },
    });
  }
  for (const m of spec.merges) out.push({ mergeCells: { range: gridRange(sheetId, m), mergeType: "MERGE_ALL" } });
  // Runs of equal widths in one request each (the school columns of Tổng hợp share one width).
  for (let c = 0; c < spec.widths.length;) {
    let end = c;
    while (end + 1 < spec.widths.length && spec.widths[end + 1] === spec.widths[c]) end++;
    out.push({
      updateDimensionProperties: {
        range: { sheetId, dimension: "COLUMNS", startIndex: c, endIndex: end + 1 },
        properties: { pixelSize: px(spec.widths[c]!) },
        fields: "pixelSize",
      },
    });
    c = end + 1;
  }
  out.push({
    updateSheetProperties: {
      properties: {
        sheetId,
        gridProperties: { frozenRowCount: spec.frozenRows, frozenColumnCount: spec.frozenColumns ?? 0 },
        ...(spec.hidden ? { hidden: true } : {}),
      },
      fields: [
        "gridProperties.frozenRowCount",
        "gridProperties.frozenColumnCount",
        ...(spec.hidden ? ["hidden"] : []),
      ].join(","),
    },
  });
  spec.colourScales.forEach((cs, index) =>
    out.push({
      addConditionalFormatRule: {
        index,
        rule: {
          ranges: [gridRange(sheetId, cs.range)],
          gradientRule: {
            minpoint: { colorStyle: colour("#F8696B"), type: "NUMBER", value: String(cs.min) },
            midpoint: { colorStyle: colour("#FFEB84"), type: "NUMBER", value: String(cs.mid) },
            maxpoint: { colorStyle: colour("#63BE7B"), type: "NUMBER", value: String(cs.max) },
          },
        },
      },
    }),
  );
  return out;
}

/**
 * The changes of one action, gathered and sent as one atomic batchUpdate.
 * Sheets that are missing are added in the same request, with ids chosen
 * here so the requests after them can name them.
 */
export class SheetBatch {
  readonly layout: SheetLayout[];
  private readonly requests: Request[] = [];
  private nextId: number;

  constructor(readonly spreadsheetId: string) {
    this.layout = readLayout(spreadsheetId);
    this.nextId = Math.max(0, ...this.layout.map((s) => s.sheetId)) + 1;
  }

  sheet(title: string): SheetLayout | undefined {
    return this.layout.find((s) => s.title === title);
  }

  /** The sheet of that name, added (in this batch) when it is missing. */
  private ensure(title: string): SheetLayout {
    const found = this.sheet(title);
    if (found) return found;
    // A new sheet has 1000 rows and 26 columns: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#addsheetrequest
    const added: SheetLayout = {
      sheetId: this.nextId++,
      title,
      rows: 1000,
      cols: 26,
      merges: 0,
      conditionalFormats: 0,
      charts: [],
      protections: [],
    };
    this.requests.push({
      addSheet: {
        properties: {
          sheetId: added.sheetId,
          title,
          gridProperties: { rowCount: added.rows, columnCount: added.cols },
        },
      },
    });
    this.layout.push(added);
    return added;
  }

  /** Rewrites (or adds) the sheet spec.name. */
  write(spec: SheetSpec): SheetLayout {
    const sheet = this.ensure(spec.name);
    this.requests.push(...specRequests(sheet, spec));
    const grid = rectangular(spec.grid.length ? spec.grid : [[null]]);
    Object.assign(sheet, {
      rows: Math.max(sheet.rows, grid.length),
      cols: Math.max(sheet.cols, grid[0]!.length),
      merges: spec.merges.length,
      conditionalFormats: spec.colourScales.length,
    });
    return sheet;
  }

  /** Replaces the sheet's charts with one bar chart of labels against values, anchored at a cell (0-based); none when chart is undefined. */
  barChart(
    title: string,
    chart: { title: string; labels: CellRange; values: CellRange; at: { row: number; col: number } } | undefined,
  ): void {
    const sheet = this.sheet(title);
    if (!sheet) throw new Error(`no sheet ${title} in this batch`);
    for (const objectId of sheet.charts) this.requests.push({ deleteEmbeddedObject: { objectId } });
    sheet.charts = [];
    if (!chart) return;
    this.requests.push({
      addChart: {
        chart: {
          spec: {
            title: chart.title,
            basicChart: {
              chartType: "BAR",
              legendPosition: "NO_LEGEND",
              headerCount: 0,
              domains: [{ domain: { sourceRange: { sources: [gridRange(sheet.sheetId, chart.labels)] } } }],
              series: [{ series: { sourceRange: { sources: [gridRange(sheet.sheetId, chart.values)] } } }],
            },
          },
          position: {
            overlayPosition: {
              anchorCell: { sheetId: sheet.sheetId, rowIndex: chart.at.row, columnIndex: chart.at.col },
            },
          },
        },
      },
    });
  }

  /** Rows added after the last row with data, as text exactly (RAW): Google finds the row, so two writers never take the same one. */
  append(title: string, rows: string[][], missing: string): void {
    const sheet = this.sheet(title);
    if (!sheet) throw new UserError(missing);
    if (!rows.length) return;
    this.requests.push({
      appendCells: {
        sheetId: sheet.sheetId,
        rows: rows.map((r) => ({ values: r.map((v) => ({ userEnteredValue: { stringValue: v } })) })),
        fields: "userEnteredValue",
      },
    });
  }

  add(...requests: Request[]): void {
    this.requests.push(...requests);
  }

  /** Sends everything gathered in one request; nothing when nothing was gathered. */
  commit(): void {
    if (this.requests.length) Sheets!.Spreadsheets!.batchUpdate({ requests: this.requests }, this.spreadsheetId);
    this.requests.length = 0;
  }
}
