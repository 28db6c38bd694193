/**
 * A workbook's .xlsx bytes: the parts exceljs renders, zipped by Node's zlib (src/docx/zip.ts) instead of
 * exceljs's own zip writer. That writer runs JSZip, which encodes the UTF-8, computes the CRC-32 and deflates
 * in JavaScript, a few kilobytes per tick: for the locked year at 60 schools × 200 targets (5 MB of XML) it
 * took longer than reading the 60 school files. The parts are exactly those `wb.xlsx.writeBuffer()` writes, in
 * the same order, so every cell, style, protection and property is the same; only the compressed bytes differ,
 * and the empty folder entries JSZip adds ("xl/", "xl/worksheets/"), which no reader needs, are left out.
 * exceljs is pinned (package.json): the steps below are those of its `XLSX.write` in 4.4.0. Node only.
 */
import type ExcelJS from "exceljs";
import { zipText, type ZipPart } from "../docx/zip";
import { columnLetter } from "../core/problem";
import { cellKey, type SheetRows } from "./sheet-writer";

/** The zip exceljs's part writers append to: a name and its text (or bytes). */
interface PartSink {
  append(data: string | Uint8Array, options: { name: string; base64?: boolean }): void;
}

/** The rendering steps of exceljs's XLSX writer (lib/xlsx/xlsx.js), which its typings leave out. */
interface XlsxSteps {
  prepareModel(model: unknown, options: object): void;
  addContentTypes(zip: PartSink, model: unknown): Promise<void>;
  addOfficeRels(zip: PartSink, model: unknown): Promise<void>;
  addWorkbookRels(zip: PartSink, model: unknown): Promise<void>;
  addWorksheets(zip: PartSink, model: unknown): Promise<void>;
  addSharedStrings(zip: PartSink, model: unknown): Promise<void>;
  addDrawings(zip: PartSink, model: unknown): void;
  addTables(zip: PartSink, model: unknown): void;
  addThemes(zip: PartSink, model: unknown): Promise<void>;
  addStyles(zip: PartSink, model: unknown): Promise<void>;
  addMedia(zip: PartSink, model: unknown): Promise<void>;
  addApp(zip: PartSink, model: unknown): Promise<void>;
  addCore(zip: PartSink, model: unknown): Promise<void>;
  addWorkbook(zip: PartSink, model: unknown): Promise<void>;
}

/** What exceljs's worksheet model holds of the rows (lib/doc/worksheet.js, `worksheet.model`). */
interface WorksheetModel {
  id: number;
  rows: unknown[];
  dimensions: { expand(top: number, left: number, bottom: number, right: number): void };
  mergeCells?: string[];
}

/** exceljs's StylesXform and SharedStringsXform, as its writer leaves them on the workbook model. */
interface Registers {
  styles: { addStyleModel(style: object, cellType?: number): number };
  sharedStrings: { add(value: string): number };
}

/**
 * `sheets`: worksheets whose cells come as SheetRows (writeSheetRows in sheet-writer.ts). Their rows are
 * prepared and rendered here, at the moment exceljs prepares the sheet's rows (so every style and shared
 * string gets the number it would), and the XML goes where exceljs renders an empty <sheetData/>.
 */
export async function xlsxBytes(
  wb: ExcelJS.Workbook,
  modified: Date,
  sheets: readonly SheetRows[] = [],
): Promise<Uint8Array> {
  const parts: ZipPart[] = [];
  const sheetData = new Map<string, (string | Uint8Array)[]>();
  const zip: PartSink = {
    append(data, options) {
      // Only pictures come as base64, and the command line's workbooks have none.
      if (options.base64) throw new Error(`xlsx: base64 part ${options.name} not supported`);
      const rows = sheetData.get(options.name);
      if (rows === undefined) {
        parts.push({ name: options.name, content: [data] });
        return;
      }
      const xml = typeof data === "string" ? data : new TextDecoder().decode(data);
      const at = xml.indexOf(EMPTY_SHEET_DATA);
      if (at < 0 || xml.indexOf(EMPTY_SHEET_DATA, at + 1) >= 0)
        throw new Error(`xlsx: no one <sheetData/> in ${options.name}`);
      parts.push({ name: options.name, content: [xml.slice(0, at), ...rows, xml.slice(at + EMPTY_SHEET_DATA.length)] });
    },
  };
  const xlsx = wb.xlsx as unknown as XlsxSteps;
  const { model } = wb;
  const book = model as unknown as { worksheets: WorksheetModel[] } & Partial<Registers>;
  const given = sheets.map((sheet) => {
    const ws = book.worksheets.find((w) => w.id === sheet.ws.id);
    if (!ws || ws.rows.length) throw new Error(`xlsx: sheet ${sheet.ws.name} already has cells`);
    const spans = rowSpans(sheet);
    for (const [r, span] of spans) ws.dimensions.expand(r + 1, span.min, r + 1, span.max);
    const part = `xl/worksheets/sheet${ws.id}.xml`;
    // One stand-in row: exceljs prepares it where it would prepare the sheet's first row, and its "cells"
    // prepare and render all of the sheet's rows with exceljs's own style and shared-string registers.
    if (spans.size)
      ws.rows = [
        {
          style: ROW_STYLE,
          cells: {
            forEach: () => sheetData.set(part, sheetXml(sheet, spans, book as Registers)),
          },
        },
      ];
    return { ws, sheet, part };
  });
  // In XLSX.write's order: the shared strings and style numbers are given while the sheets are prepared.
  xlsx.prepareModel(model, {});
  for (const g of given) {
    g.ws.rows = [];
    g.ws.mergeCells = g.sheet.merges;
    if (!sheetData.has(g.part)) sheetData.set(g.part, [EMPTY_SHEET_DATA]);
  }
  await xlsx.addContentTypes(zip, model);
  await xlsx.addOfficeRels(zip, model);
  await xlsx.addWorkbookRels(zip, model);
  await xlsx.addWorksheets(zip, model);
  await xlsx.addSharedStrings(zip, model);
  xlsx.addDrawings(zip, model);
  xlsx.addTables(zip, model);
  await xlsx.addThemes(zip, model);
  await xlsx.addStyles(zip, model);
  await xlsx.addMedia(zip, model);
  await xlsx.addApp(zip, model);
  await xlsx.addCore(zip, model);
  await xlsx.addWorkbook(zip, model);
  return zipText(parts, modified);
}

const EMPTY_SHEET_DATA = "<sheetData/>";

/** A row has no style of its own: exceljs registers each row's empty style, which gives style 0. */
const ROW_STYLE = {};

/** exceljs's Enums.ValueType of the cells a SheetSpec makes. */
const NULL = 0;
const MERGE = 1;
const NUMBER = 2;
const STRING = 3;
const DATE = 4;
const BOOLEAN = 9;

/** Per row that exceljs would write (one with a cell or a height): its first and last column, 1-based (0: none). */
function rowSpans(sheet: SheetRows): Map<number, { min: number; max: number }> {
  const spans = new Map<number, { min: number; max: number }>();
  const count = Math.max(sheet.styles.length, ...[...sheet.heights.keys()].map((r) => r + 1));
  for (let r = 0; r < count; r++) {
    let min = 0;
    let max = 0;
    sheet.styles[r]?.forEach((style, c) => {
      if (!style) return;
      if (!min) min = c + 1;
      max = c + 1;
    });
    if (min || sheet.heights.get(r)) spans.set(r, { min, max });
  }
  return spans;
}

/**
 * The sheet's rows, prepared and rendered as exceljs's RowXform and CellXform prepare and render them
 * (lib/xlsx/xform/sheet/row-xform.js and cell-xform.js, 4.4.0): each row's style, then each cell's style by
 * its kind of value and each text's shared string, in row order. Attribute values are numbers and cell
 * addresses, which XML never needs to escape.
 */
function sheetXml(sheet: SheetRows, spans: Map<number, { min: number; max: number }>, book: Registers): Uint8Array[] {
  const { styles, sharedStrings } = book;
  const letters: string[] = [];
  const out: Uint8Array[] = [];
  let xml = "<sheetData>";
  for (const [r, span] of spans) {
    const rowStyle = styles.addStyleModel(ROW_STYLE);
    const height = sheet.heights.get(r);
    xml += `<row r="${r + 1}"`;
    if (height) xml += ` ht="${height}" customHeight="1"`;
    if (span.min > 0 && span.max > 0 && span.min <= span.max) xml += ` spans="${span.min}:${span.max}"`;
    if (rowStyle) xml += ` s="${rowStyle}" customFormat="1"`;
    xml += ` x14ac:dyDescent="0.25"`;
    // A row whose cells all render as nothing closes as an empty element, as exceljs's stream closes it.
    let open = true;
    const values = sheet.values[r];
    sheet.styles[r]?.forEach((style, c) => {
      if (!style) return;
      const master = sheet.merged.get(cellKey(r, c));
      const value = master === undefined ? values?.[c] : null;
      const type =
        master !== undefined
          ? MERGE
          : value === null || value === undefined
            ? NULL
            : typeof value === "string"
              ? STRING
              : typeof value === "number"
                ? NUMBER
                : typeof value === "boolean"
                  ? BOOLEAN
                  : DATE;
      const styleId = styles.addStyleModel(style, type);
      if (type === NULL && !styleId) return;
      if (open) xml += ">";
      open = false;
      xml += `<c r="${(letters[c] ??= columnLetter(c))}${r + 1}"`;
      if (styleId) xml += ` s="${styleId}"`;
      switch (type) {
        case NULL:
        case MERGE:
          xml += "/>";
          break;
        case NUMBER:
          xml += `><v>${String(value)}</v></c>`;
          break;
        case STRING:
          xml += ` t="s"><v>${sharedStrings.add(value as string)}</v></c>`;
          break;
        case BOOLEAN:
          xml += ` t="b"><v>${value ? "1" : "0"}</v></c>`;
          break;
        default:
          // exceljs's dateToExcel; the workbook is never in the 1904 date system.
          xml += `><v>${25569 + (value as Date).getTime() / (24 * 3600 * 1000)}</v></c>`;
      }
    });
    xml += open ? "/>" : "</row>";
    if (xml.length >= 1 << 16) {
      // Encoded as soon as a block is full: the text built with += is a chain of pieces, and kept as text until
      // the zip, each piece would be copied by every young-generation collection in between.
      out.push(Buffer.from(xml, "utf8"));
      xml = "";
    }
  }
  out.push(Buffer.from(`${xml}</sheetData>`, "utf8"));
  return out;
}
