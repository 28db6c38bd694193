/**
 * Writing SheetSpecs through the Sheets API: every sheet an action rewrites,
 * its chart, its Nhật ký rows and its protections, after one
 * spreadsheets.get of what is there. Google applies a batchUpdate whole or
 * not at all and recommends at most 2 MB per request, so the changes go out
 * as one request when they fit, else as ordered parts of at most PART_BYTES:
 * new sheets and rows first, then the protections (no moment when a sheet
 * is unprotected), the Nhật ký rows that must precede a change, the content,
 * and last what says the work is done (Tổng hợp's stamp, the action's own
 * Nhật ký row). Each part rewrites cells to what they must be, so running
 * an interrupted action again finishes it. The cost does not grow with the
 * number of sheets, rows or kinds of formatting beyond one call per part.
 */
import type { CellRange, CellStyle, CellValue, InputSpec, SheetSpec } from "../../core/sheets/sheet-spec";
import { rectangular } from "../../core/sheets/sheet-spec";
import { TEXT_FORMAT } from "../../core/sheets/school-layout";
import { UserError } from "../../core/user-error";
import { columnLetter } from "../../core/problem";
import { sheetA1, wholeNumberFormula } from "./sheet-io";
import { GoogleBusyError, sheetsBatchUpdate, sheetsGet, sheetsValuesBatchUpdate, type ValuesData } from "./google-api";
import { utf8Bytes } from "./store";

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

/** The one read: the locale and time zone, every sheet's id, size, merges, rules, charts and protections (editors only where the user may edit). */
export const LAYOUT_FIELDS =
  "properties(locale,timeZone),sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),merges,conditionalFormats,charts(chartId),protectedRanges)";

export function readLayout(spreadsheetId: string): { sheets: SheetLayout[]; locale: string; timeZone: string } {
  const got = sheetsGet(spreadsheetId, LAYOUT_FIELDS);
  const sheets = (got.sheets ?? []).map((s: ApiSheet) => ({
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
  return { sheets, locale: got.properties?.locale ?? "", timeZone: got.properties?.timeZone ?? "" };
}

/** A new sheet: 1000 rows and 26 columns, https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#addsheetrequest */
export const blankSheet = (sheetId: number, title: string): SheetLayout => ({
  sheetId,
  title,
  rows: 1000,
  cols: 26,
  merges: 0,
  conditionalFormats: 0,
  charts: [],
  protections: [],
});

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
 * Rectangles of equal non-empty keys: equal runs of a row merged with the
 * same runs of the rows below. A sheet's rows mostly repeat a handful of
 * formats, so what is sent stays small however many rows it has.
 */
function blocksOf(keys: string[][]): CellRange[] {
  const done: CellRange[] = [];
  let open = new Map<string, CellRange>();
  keys.forEach((row, i) => {
    const next = new Map<string, CellRange>();
    for (let j = 0; j < row.length;) {
      const key = row[j]!;
      let end = j;
      while (end + 1 < row.length && row[end + 1] === key) end++;
      if (key) {
        const id = `${j}:${end}:${key}`;
        const above = open.get(id);
        if (above) {
          above.rows++;
          open.delete(id);
          next.set(id, above);
        } else next.set(id, { row: i, col: j, rows: 1, cols: end - j + 1 });
      }
      j = end + 1;
    }
    done.push(...open.values());
    open = next;
  });
  return [...done, ...open.values()];
}

/**
 * The spec's styles painted in order (a later one wins), then sent property
 * by property, each as few rectangles as its values allow: a fill that
 * covers the whole figure block goes once even where the number formats
 * change from row to row.
 */
function formatBlocks(styles: CellStyle[], rows: number, cols: number): { range: CellRange; style: StyleProps }[] {
  const painted: (StyleProps | undefined)[][] = Array.from({ length: rows }, () =>
    Array<StyleProps | undefined>(cols).fill(undefined),
  );
  const keys = new Set<keyof StyleProps>();
  for (const { range: r, border: _border, ...props } of styles)
    for (let i = r.row; i < Math.min(rows, r.row + r.rows); i++)
      for (let j = r.col; j < Math.min(cols, r.col + r.cols); j++) {
        const merged: StyleProps = { ...painted[i]![j] };
        for (const [k, v] of Object.entries(props))
          if (v !== undefined) {
            (merged as Record<string, unknown>)[k] = v;
            keys.add(k as keyof StyleProps);
          }
        painted[i]![j] = merged;
      }
  return [...keys].flatMap((key) =>
    blocksOf(painted.map((row) => row.map((p) => (p?.[key] === undefined ? "" : JSON.stringify(p[key]))))).map(
      (range) => ({ range, style: { [key]: painted[range.row]![range.col]![key] } as StyleProps }),
    ),
  );
}

/**
 * Adjacent input blocks whose rule and prompt are the same (what Sheets is
 * sent; the error text is the workbook's), over the same columns, as one
 * block: one request instead of one per row.
 */
function coalesceInputs(inputs: InputSpec[]): InputSpec[] {
  const out: InputSpec[] = [];
  const same = (a: InputSpec, b: InputSpec) =>
    a.range.col === b.range.col &&
    a.range.cols === b.range.cols &&
    a.range.row + a.range.rows === b.range.row &&
    a.prompt === b.prompt &&
    JSON.stringify(a.rule) === JSON.stringify(b.rule);
  for (const input of inputs) {
    const last = out[out.length - 1];
    if (last && same(last, input))
      out[out.length - 1] = { ...last, range: { ...last.range, rows: last.range.rows + input.range.rows } };
    else out.push(input);
  }
  return out;
}

/**
 * The requests that make a sheet exactly what spec says, over what the
 * layout says is there: grow the grid, take away merges and rules, write
 * every cell (values, formats, validation; "*" clears what the spec leaves
 * out), then borders, merges, widths, frozen rows, colour scales. Unless
 * typedInto is false, the strings' cells are formatted "@" too.
 */
export function specRequests(sheet: SheetLayout, spec: SheetSpec, typedInto = true): Request[] {
  const sheetId = sheet.sheetId;
  const grid = rectangular(spec.grid.length ? spec.grid : [[null]]);
  const rows = grid.length;
  const cols = grid[0]!.length;
  const out = prelude(sheet, rows, cols);

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
  const rowData = grid.map((r) => ({
    values: r.map((v): CellData => {
      const typed = value(v);
      return typed ? { userEnteredValue: typed } : {};
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
  // Text stays text when typed over later too: the strings' cells are formatted "@", by rectangles rather than in
  // every cell (a style's own format comes after and wins).
  if (typedInto)
    for (const block of blocksOf(grid.map((r) => r.map((v) => (typeof v === "string" ? "@" : "")))))
      out.push({
        repeatCell: {
          range: gridRange(sheetId, block),
          cell: { userEnteredFormat: { numberFormat: numberFormat(TEXT_FORMAT) } },
          fields: "userEnteredFormat.numberFormat",
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
    const fields = applyStyle(format, { range: block.range, ...block.style });
    out.push({
      repeatCell: {
        range: gridRange(sheetId, block.range),
        cell: { userEnteredFormat: format },
        fields: fields.join(","),
      },
    });
  }
  // One rule per input block, not one per cell.
  for (const input of coalesceInputs(spec.inputs))
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
  out.push(...dimensions(sheetId, spec));
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

/** Grow the grid to rows × cols; take away merges and conditional rules. */
function prelude(sheet: SheetLayout, rows: number, cols: number): Request[] {
  const sheetId = sheet.sheetId;
  const out: Request[] = [];
  if (rows > sheet.rows) out.push({ appendDimension: { sheetId, dimension: "ROWS", length: rows - sheet.rows } });
  if (cols > sheet.cols) out.push({ appendDimension: { sheetId, dimension: "COLUMNS", length: cols - sheet.cols } });
  if (sheet.merges) out.push({ unmergeCells: { range: { sheetId } } });
  // From the last: each deletion moves the later rules up.
  for (let i = sheet.conditionalFormats - 1; i >= 0; i--)
    out.push({ deleteConditionalFormatRule: { sheetId, index: i } });
  return out;
}

/** Column widths, frozen rows and columns, hidden: what a paste does not carry. */
function dimensions(sheetId: number, spec: SheetSpec): Request[] {
  const out: Request[] = [];
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
  return out;
}

/** A sheet written earlier in the same batch, that a sheet of the same look can be pasted from. */
export interface Written {
  sheet: SheetLayout;
  spec: SheetSpec;
}

const cellKey = (v: CellValue) => (v === "" ? null : v instanceof Date ? `${v.getTime()}d` : v);

/**
 * The sheet as a paste of like (formats, borders, merges, then validation)
 * with only its own rows of values and the text formats its strings need:
 * a few hundred bytes where specRequests sends every rule and rectangle
 * again. Undefined when the two differ in anything but values.
 */
function pasteRequests(sheet: SheetLayout, spec: SheetSpec, like: Written, typedInto = true): Request[] | undefined {
  const grid = rectangular(spec.grid.length ? spec.grid : [[null]]);
  const from = rectangular(like.spec.grid.length ? like.spec.grid : [[null]]);
  const rows = grid.length;
  const cols = grid[0]!.length;
  const look = (x: SheetSpec) => JSON.stringify([x.styles, x.inputs, x.merges, x.colourScales]);
  if (rows !== from.length || cols !== from[0]!.length || look(spec) !== look(like.spec)) return undefined;
  const whole = { row: 0, col: 0, rows, cols };
  const paste = (pasteType: string): Request => ({
    copyPaste: {
      source: gridRange(like.sheet.sheetId, whole),
      destination: gridRange(sheet.sheetId, whole),
      pasteType,
    },
  });
  const out: Request[] = [
    {
      updateCells: {
        range: gridRange(sheet.sheetId, {
          ...whole,
          rows: Math.max(rows, sheet.rows),
          cols: Math.max(cols, sheet.cols),
        }),
        fields: "*",
      },
    },
    paste("PASTE_NORMAL"),
    paste("PASTE_DATA_VALIDATION"),
  ];
  for (let i = 0; i < rows;) {
    let end = i;
    while (end < rows && grid[end]!.some((v, j) => cellKey(v) !== cellKey(from[end]![j]!))) end++;
    if (end > i)
      out.push({
        updateCells: {
          range: gridRange(sheet.sheetId, { row: i, col: 0, rows: end - i, cols }),
          rows: grid
            .slice(i, end)
            .map((r) => ({ values: r.map((v) => (value(v) ? { userEnteredValue: value(v) } : {})) })),
          fields: "userEnteredValue",
        },
      });
    i = end + 1;
  }
  if (!typedInto) return out;
  // A string's cell is "@" unless a style sets its format: where the two sheets' strings differ, so does that.
  const styled = grid.map((r) => r.map(() => false));
  for (const st of spec.styles)
    if (st.numberFormat !== undefined)
      for (let i = st.range.row; i < Math.min(rows, st.range.row + st.range.rows); i++)
        for (let j = st.range.col; j < Math.min(cols, st.range.col + st.range.cols); j++) styled[i]![j] = true;
  const keys = grid.map((r, i) =>
    r.map((v, j) =>
      styled[i]![j] || (typeof v === "string") === (typeof from[i]![j] === "string")
        ? ""
        : typeof v === "string"
          ? "@"
          : "-",
    ),
  );
  for (const block of blocksOf(keys))
    out.push({
      repeatCell: {
        range: gridRange(sheet.sheetId, block),
        cell:
          keys[block.row]![block.col] === "@" ? { userEnteredFormat: { numberFormat: numberFormat(TEXT_FORMAT) } } : {},
        fields: "userEnteredFormat.numberFormat",
      },
    });
  return out;
}

/**
 * Google recommends at most 2 MB per Sheets request (read as 2.000.000
 * bytes); a part's requests, counted with their separating commas, leave
 * room for the {"requests":[…]} around them.
 */
export const PART_BYTES = 1_990_000;

/**
 * When a request goes, in a write cut into parts: new sheets and rows,
 * protections, Nhật ký rows that must precede a change, content, and what
 * says the work is done.
 */
export type Phase = "structure" | "protect" | "trace" | "content" | "finish";
const PHASES: Phase[] = ["structure", "protect", "trace", "content", "finish"];

function phaseOf(r: Request): Phase {
  if (r.addSheet || r.appendDimension) return "structure";
  if (r.addProtectedRange || r.updateProtectedRange || r.deleteProtectedRange) return "protect";
  if (r.deleteSheet) return "finish";
  return "content";
}

const sizeOf = (r: unknown) => utf8Bytes(JSON.stringify(r));

/**
 * A request cut by rows so that each piece fits in a part: updateCells over
 * consecutive row ranges (the last keeps the range's end, so what lies past
 * the data is still cleared), appendCells as consecutive appends.
 */
export function splitRequest(r: Request, budget = PART_BYTES): Request[] {
  if (sizeOf(r) <= budget) return [r];
  const rowsOf = r.updateCells?.rows ?? r.appendCells?.rows;
  if (!rowsOf || rowsOf.length < 2) return [r];
  const slices: (typeof rowsOf)[] = [];
  let slice: typeof rowsOf = [];
  let bytes = 0;
  for (const row of rowsOf) {
    const n = sizeOf(row) + 1;
    if (slice.length && bytes + n > budget - 1_000) {
      slices.push(slice);
      slice = [];
      bytes = 0;
    }
    slice.push(row);
    bytes += n;
  }
  slices.push(slice);
  if (r.appendCells) return slices.map((rows) => ({ appendCells: { ...r.appendCells, rows } }));
  const u = r.updateCells!;
  const range = u.range!;
  let at = range.startRowIndex ?? 0;
  return slices.map((rows, i) => {
    const end = i === slices.length - 1 ? (range.endRowIndex ?? at + rows.length) : at + rows.length;
    const piece: Request = { updateCells: { ...u, rows, range: { ...range, startRowIndex: at, endRowIndex: end } } };
    at += rows.length;
    return piece;
  });
}

/** Requests in order (each cut by split when it alone is too large), gathered into parts of at most budget bytes of JSON. */
export function packParts<T>(requests: T[], budget = PART_BYTES, split: (r: T) => T[] = (r) => [r]): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let bytes = 0;
  for (const r of requests.flatMap(split)) {
    const n = sizeOf(r) + 1;
    if (part.length && bytes + n > budget) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(r);
    bytes += n;
  }
  if (part.length) parts.push(part);
  return parts;
}

/**
 * A cell's userEnteredValue as values.batchUpdate takes it with RAW input
 * (stored as given, never parsed:
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueInputOption): blank is what an
 * empty cell becomes (null skips the cell, "" empties it); undefined when the value has no RAW equivalent.
 */
function rawOf(d: CellData, blank: null | ""): unknown {
  const u = d.userEnteredValue;
  if (!u) return Object.keys(d).length ? undefined : blank;
  if (u.stringValue !== undefined) return u.stringValue;
  if (u.numberValue !== undefined) return u.numberValue;
  if (u.boolValue !== undefined) return u.boolValue;
  return undefined;
}

/** Rows of RAW values for one sheet, from a row and column on (0-based). */
interface ValueBlock {
  title: string;
  top: number;
  left: number;
  rows: unknown[][];
}

/**
 * The values an updateCells of the content carries, as RAW rows, and the
 * request that must still go (the clearing of "*" without its rows), or
 * undefined when they cannot go apart.
 */
function valuesApart(r: Request, title: string | undefined): { keep?: Request; block: ValueBlock } | undefined {
  const u = r.updateCells;
  if (!u?.rows?.length || !u.range || title === undefined || (u.fields !== "*" && u.fields !== "userEnteredValue"))
    return undefined;
  const blank = u.fields === "*" ? null : "";
  const rows = u.rows.map((row) => (row.values ?? []).map((d) => rawOf(d, blank)));
  if (rows.some((row) => row.some((v) => v === undefined))) return undefined;
  // A row shorter than its range leaves the cells past it as they are: cleared already when blank is null.
  if (blank === null) for (const row of rows) while (row.length && row[row.length - 1] === null) row.pop();
  const block = { title, top: u.range.startRowIndex ?? 0, left: u.range.startColumnIndex ?? 0, rows };
  // "*" clears every field of the range (values, formats, rules) before the formats are set again; the values follow.
  return { keep: u.fields === "*" ? { updateCells: { range: u.range, fields: "*" } } : undefined, block };
}

/**
 * The blocks in order as values.batchUpdate calls of at most budget bytes
 * each, filled to the brim: a sheet's rows continue in the next call as a
 * range of their own where the call is full, so the calls are as few as
 * the bytes allow.
 */
export function packValues(blocks: ValueBlock[], budget = PART_BYTES): ValuesData[][] {
  const calls: ValuesData[][] = [];
  const base = sizeOf({ valueInputOption: "RAW", data: [] });
  let call: ValuesData[] = [];
  let bytes = base;
  for (const b of blocks) {
    const width = Math.max(1, ...b.rows.map((row) => row.length));
    const range = (from: number, to: number) =>
      sheetA1(b.title, `${columnLetter(b.left)}${b.top + from + 1}:${columnLetter(b.left + width - 1)}${b.top + to}`);
    // A range's own bytes, with the comma before it: {"range":"…","values":[…]}.
    const entry = sizeOf({ range: range(0, b.rows.length), values: [] }) + 1;
    let from = 0;
    bytes += entry;
    b.rows.forEach((row, i) => {
      const n = sizeOf(row) + 1;
      if (bytes + n > budget && (i > from || call.length)) {
        if (i > from) call.push({ range: range(from, i), values: b.rows.slice(from, i) });
        calls.push(call);
        call = [];
        from = i;
        bytes = base + entry;
      }
      bytes += n;
    });
    if (b.rows.length > from) call.push({ range: range(from, b.rows.length), values: b.rows.slice(from) });
  }
  if (call.length) calls.push(call);
  return calls;
}

/** One call of a commit: a batchUpdate of requests, or RAW values of ranges. */
export type Step = { requests: Request[] } | { values: ValuesData[] };

/** A cell written last, once everything else is: until then it shows pending. */
export interface Stamp {
  row: number;
  col: number;
  pending: string;
}

/**
 * The changes of one action, gathered and sent as one atomic batchUpdate,
 * or in ordered parts when they pass PART_BYTES. Sheets that are missing
 * are added in the first part, with ids chosen here so the requests after
 * them can name them.
 */
export class SheetBatch {
  readonly layout: SheetLayout[];
  private readonly queued: { phase: Phase; request: Request; group?: number }[] = [];
  private groups = 0;

  /**
   * action names the work in what the user is told when Google refuses a
   * part ("Tổng hợp"); read is the layout when the action has just read it
   * (the batch then owns it and keeps it up to date).
   */
  constructor(
    readonly spreadsheetId: string,
    readonly action = "thao tác này",
    read = readLayout(spreadsheetId),
  ) {
    this.layout = read.sheets;
    this.settings = { locale: read.locale, timeZone: read.timeZone };
  }

  private readonly settings: { locale: string; timeZone: string };

  /** Sheets whose rows carry an identity in column col: one of a part's rows tells whether the part landed. */
  private readonly identities = new Map<number, { col: number; landed: () => Set<string> }>();

  identify(title: string, col: number, landed: () => Set<string>): void {
    const sheet = this.sheet(title);
    if (sheet) this.identities.set(sheet.sheetId, { col, landed });
  }

  /** A part's first row with an identity, if any: the part is applied whole, so that row says whether all landed. */
  private proofOf(part: Request[]): (() => boolean) | undefined {
    for (const r of part) {
      const id = r.appendCells && this.identities.get(r.appendCells.sheetId ?? -1);
      const value = id && r.appendCells!.rows?.[0]?.values?.[id.col]?.userEnteredValue?.stringValue;
      if (value) return () => id.landed().has(value);
    }
    return undefined;
  }

  /** Sets the spreadsheet's locale and time zone, in the first part, when they differ from what is there. */
  spreadsheetSettings(locale: string, timeZone: string): void {
    const fields = [
      ...(this.settings.locale === locale ? [] : ["locale"]),
      ...(this.settings.timeZone === timeZone ? [] : ["timeZone"]),
    ];
    if (fields.length)
      this.in("structure", {
        updateSpreadsheetProperties: { properties: { locale, timeZone }, fields: fields.join(",") },
      });
  }

  /** Renames a sheet before any sheet is added, so a new sheet may take its old name. */
  retitle(sheet: SheetLayout, title: string): void {
    this.in("structure", { updateSheetProperties: { properties: { sheetId: sheet.sheetId, title }, fields: "title" } });
    sheet.title = title;
  }

  sheet(title: string): SheetLayout | undefined {
    return this.layout.find((s) => s.title === title);
  }

  /**
   * A new sheet's id, from its title (FNV-1a, probing past ids in use). Not
   * the next free number: a deleted sheet's id would go to whatever sheet
   * came next, and an id kept elsewhere (Nhật ký's and Văn bản's, kept by
   * set-up for src/gas/documents/docs.ts) would silently name another
   * sheet. From the title, a sheet made again gets its id back.
   */
  private idFor(title: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < title.length; i++) hash = Math.imul(hash ^ title.charCodeAt(i), 0x01000193);
    const used = new Set(this.layout.map((s) => s.sheetId));
    let id = hash & 0x7fffffff || 1;
    while (used.has(id)) id = (id % 0x7ffffffe) + 1;
    return id;
  }

  /** The sheet of that name, added (in this batch) when it is missing. */
  private ensure(title: string): SheetLayout {
    const found = this.sheet(title);
    if (found) return found;
    const added = blankSheet(this.idFor(title), title);
    this.add({
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

  /**
   * Rewrites (or adds) the sheet spec.name; a stamp cell shows its pending
   * text until the last part. Given like, a sheet of the same look written
   * before it in this batch, it is pasted from that one and then given its
   * own values, all in one part, so no moment shows the other sheet's.
   */
  write(spec: SheetSpec, stamp?: Stamp, like?: Written): SheetLayout {
    const sheet = this.ensure(spec.name);
    const grid = rectangular(spec.grid.length ? spec.grid : [[null]]);
    const pasted = like && !stamp && pasteRequests(sheet, spec, like, this.typedInto);
    if (pasted) {
      this.add(...prelude(sheet, grid.length, grid[0]!.length));
      const group = ++this.groups;
      this.pasted.set(group, () => ({
        updateCells: {
          range: gridRange(sheet.sheetId, { row: 0, col: 0, rows: grid.length, cols: grid[0]!.length }),
          rows: grid.map((r) => ({ values: r.map((v) => (value(v) ? { userEnteredValue: value(v) } : {})) })),
          fields: "userEnteredValue",
        },
      }));
      for (const request of pasted) this.queued.push({ phase: "content", request, group });
      this.add(...dimensions(sheet.sheetId, spec));
    }
    if (stamp) {
      const final = grid[stamp.row]![stamp.col]!;
      grid[stamp.row]![stamp.col] = stamp.pending;
      this.in("finish", {
        updateCells: {
          range: gridRange(sheet.sheetId, { row: stamp.row, col: stamp.col, rows: 1, cols: 1 }),
          rows: [{ values: [{ userEnteredValue: value(final) ?? {} }] }],
          fields: "userEnteredValue",
        },
      });
    }
    if (!pasted) this.add(...specRequests(sheet, { ...spec, grid }, this.typedInto));
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
    for (const objectId of sheet.charts) this.add({ deleteEmbeddedObject: { objectId } });
    sheet.charts = [];
    if (!chart) return;
    this.add({
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

  /**
   * Rows added after the last row with data, as text exactly (RAW): Google
   * finds the row, so two writers never take the same one. "trace" rows go
   * before the content (a record of what the content removes), "finish"
   * rows after it.
   */
  append(title: string, rows: (string | number)[][], missing: string, phase: "trace" | "finish" = "finish"): void {
    const sheet = this.sheet(title);
    if (!sheet) throw new UserError(missing);
    if (!rows.length) return;
    this.in(phase, {
      appendCells: {
        sheetId: sheet.sheetId,
        rows: rows.map((r) => ({
          values: r.map((v) => ({ userEnteredValue: typeof v === "number" ? { numberValue: v } : { stringValue: v } })),
        })),
        fields: "userEnteredValue",
      },
    });
  }

  add(...requests: Request[]): void {
    for (const request of requests) this.queued.push({ phase: phaseOf(request), request });
  }

  private in(phase: Phase, request: Request): void {
    this.queued.push({ phase, request });
  }

  /**
   * Whether the values of rewritten cells may go apart from the rest, when
   * the batch does not fit in one request: through values.batchUpdate as
   * RAW, after the sheets, protections and formats and before what says
   * the work is done. A value there costs its own bytes rather than the
   * forty of an updateCells cell, at the price of a moment when the cells
   * stand empty in their formats: for a spreadsheet nobody reads yet (an
   * archive being made), or sheets whose title says they are being written
   * until the last part lands (src/gas/years/period.ts).
   */
  private apart = false;
  /** Every value of a pasted sheet, by its group, for when the values go apart. */
  private readonly pasted = new Map<number, () => Request>();

  sendValuesApart(): void {
    this.apart = true;
  }

  /**
   * Whether a string's cell is formatted "@", so that text typed over it
   * later stays text. Not in a spreadsheet nobody types into (an archive,
   * every sheet protected): its values are stored exactly as sent, and
   * those rectangles were most of its formats (3,8 MB of 4,1 MB at
   * 120 × 300, two calls).
   */
  private typedInto = true;

  neverTypedInto(): void {
    this.typedInto = false;
  }

  /** Requests in phase order, a group (a pasted sheet and its own values) never cut between two parts. */
  private pack(items: { request: Request; group?: number }[]): Request[][] {
    const units: Request[][] = [];
    let last: number | undefined;
    for (const q of items) {
      if (q.group !== undefined && q.group === last) units[units.length - 1]!.push(q.request);
      else units.push([q.request]);
      last = q.group;
    }
    return packParts(units, PART_BYTES, (u) => (u.length > 1 ? [u] : splitRequest(u[0]!).map((r) => [r]))).map((part) =>
      part.flat(),
    );
  }

  private ordered(phases: Phase[]) {
    return phases.flatMap((p) => this.queued.filter((x) => x.phase === p));
  }

  /** What commit would send, part by part. */
  parts(): Request[][] {
    return this.pack(this.ordered(PHASES));
  }

  /** What commit sends, call by call. */
  steps(): Step[] {
    const whole = this.parts();
    if (!this.apart || whole.length <= 1) return whole.map((requests) => ({ requests }));
    const titles = new Map(this.layout.map((s) => [s.sheetId, s.title]));
    const before: { request: Request; group?: number }[] = [];
    const data: ValueBlock[] = [];
    const apart = (request: Request) => valuesApart(request, titles.get(request.updateCells?.range?.sheetId ?? -1));
    const pastedDone = new Set<number>();
    for (const q of this.ordered(PHASES.filter((p) => p !== "finish"))) {
      const pasted = q.group === undefined ? undefined : this.pasted.get(q.group);
      if (pasted) {
        // The sheet it was pasted from has its values written apart, later: every cell of this one is written
        // (blank ones emptied), not only the rows that differ.
        if (!pastedDone.has(q.group!)) {
          pastedDone.add(q.group!);
          data.push(apart(pasted())!.block);
        }
        if (q.request.updateCells?.fields === "userEnteredValue") continue;
        before.push(q);
        continue;
      }
      const moved = q.phase === "content" ? apart(q.request) : undefined;
      if (!moved) before.push(q);
      else {
        if (moved.keep) before.push({ ...q, request: moved.keep });
        data.push(moved.block);
      }
    }
    return [
      ...this.pack(before).map((requests) => ({ requests })),
      ...packValues(data).map((values) => ({ values })),
      ...this.pack(this.ordered(["finish"])).map((requests) => ({ requests })),
    ];
  }

  /**
   * Sends everything gathered: one request when it fits, else the parts in
   * order. When Google keeps refusing a part, the user is told how far the
   * action got; what was written is whole and protected, and running the
   * action again writes it all anew.
   */
  commit(): void {
    const parts = this.steps();
    this.queued.length = 0;
    parts.forEach((part, i) => {
      const what = parts.length > 1 ? `phần ${i + 1}/${parts.length} của ${this.action}` : this.action;
      try {
        if ("values" in part) sheetsValuesBatchUpdate(this.spreadsheetId, part.values, what);
        else sheetsBatchUpdate(this.spreadsheetId, part.requests, what, this.proofOf(part.requests));
      } catch (e) {
        if (!(e instanceof GoogleBusyError)) throw e;
        throw e.with(
          i === 0
            ? "Chưa có gì thay đổi; hãy chạy lại sau một phút."
            : `Đã ghi ${i}/${parts.length} phần (các trang mới và phần bảo vệ đã đặt, không số liệu nào bị mất); phần còn lại chưa ghi. Hãy chạy lại ${this.action} sau một phút để ghi nốt.`,
        );
      }
    });
  }
}
