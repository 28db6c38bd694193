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
import type { RowModel, SheetRows } from "./sheet-writer";

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
}

/**
 * `sheets`: worksheets whose rows come as models (writeSheetRows in sheet-writer.ts); they take the place of
 * the rows exceljs would have modelled from its cells, and widen the used range as exceljs's own rows do.
 */
export async function xlsxBytes(
  wb: ExcelJS.Workbook,
  modified: Date,
  sheets: readonly SheetRows[] = [],
): Promise<Uint8Array> {
  const parts: ZipPart[] = [];
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
      parts.push({
        name: options.name,
        content: [xml.slice(0, at), ...renderSheetData(rows), xml.slice(at + EMPTY_SHEET_DATA.length)],
      });
    },
  };
  const xlsx = wb.xlsx as unknown as XlsxSteps;
  const { model } = wb;
  const worksheets = (model as unknown as { worksheets: WorksheetModel[] }).worksheets;
  const given = sheets.map((sheet) => {
    const ws = worksheets.find((w) => w.id === sheet.ws.id);
    if (!ws || ws.rows.length) throw new Error(`xlsx: sheet ${sheet.ws.name} already has cells`);
    ws.rows = sheet.rows;
    for (const row of sheet.rows) ws.dimensions.expand(row.number, row.min, row.number, row.max);
    return { ws, rows: sheet.rows, part: `xl/worksheets/sheet${ws.id}.xml` };
  });
  // In XLSX.write's order: the shared strings and style numbers are given while the sheets are prepared.
  xlsx.prepareModel(model, {});
  // The given rows are rendered here (renderSheetData), the rest of their sheets by exceljs around an empty
  // <sheetData/>: exceljs's XML stream pushes a string per attribute and per tag, a million for the locked year.
  const sheetData = new Map<string, RowModel[]>();
  for (const g of given) {
    sheetData.set(g.part, g.rows);
    g.ws.rows = [];
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

/** exceljs's Enums.ValueType of the cells a SheetSpec makes. */
const NULL = 0;
const MERGE = 1;
const NUMBER = 2;
const STRING = 3;
const DATE = 4;
const BOOLEAN = 9;

/** A cell model once exceljs's CellXform.prepare has given it its style number and shared string. */
interface PreparedCell {
  address: string;
  type: number;
  value?: unknown;
  styleId?: number;
  ssId?: number;
  date1904?: boolean;
}

/**
 * <sheetData> as exceljs's RowXform and CellXform render it (lib/xlsx/xform/sheet/row-xform.js and
 * cell-xform.js, 4.4.0), for the kinds of cell a SheetSpec makes; a block of rows at a time. Attribute values
 * are numbers and cell addresses, which XML never needs to escape.
 */
function* renderSheetData(rows: readonly RowModel[]): Generator<string> {
  let out = rows.length ? "<sheetData>" : EMPTY_SHEET_DATA;
  for (const row of rows) {
    const prepared = row as RowModel & { styleId?: number };
    out += `<row r="${row.number}"`;
    if (row.height) out += ` ht="${row.height}" customHeight="1"`;
    if (row.hidden) out += ` hidden="1"`;
    if (row.min > 0 && row.max > 0 && row.min <= row.max) out += ` spans="${row.min}:${row.max}"`;
    if (prepared.styleId) out += ` s="${prepared.styleId}" customFormat="1"`;
    out += ` x14ac:dyDescent="0.25"`;
    if (row.outlineLevel) out += ` outlineLevel="${row.outlineLevel}"`;
    if (row.collapsed) out += ` collapsed="1"`;
    // A row whose cells all render as nothing closes as an empty element, as exceljs's stream closes it.
    let open = true;
    for (const cell of row.cells as PreparedCell[]) {
      if (cell.type === NULL && !cell.styleId) continue;
      if (open) out += ">";
      open = false;
      out += `<c r="${cell.address}"`;
      if (cell.styleId) out += ` s="${cell.styleId}"`;
      switch (cell.type) {
        case NULL:
        case MERGE:
          out += "/>";
          break;
        case NUMBER:
          out += `><v>${String(cell.value)}</v></c>`;
          break;
        case STRING:
          if (cell.ssId === undefined) throw new Error(`xlsx: ${cell.address} has no shared string`);
          out += ` t="s"><v>${cell.ssId}</v></c>`;
          break;
        case BOOLEAN:
          out += ` t="b"><v>${cell.value ? "1" : "0"}</v></c>`;
          break;
        case DATE:
          out += `><v>${25569 + (cell.value as Date).getTime() / (24 * 3600 * 1000) - (cell.date1904 ? 1462 : 0)}</v></c>`;
          break;
        default:
          throw new Error(`xlsx: ${cell.address} has a value of kind ${cell.type}`);
      }
    }
    out += open ? "/>" : "</row>";
    if (out.length >= 1 << 16) {
      yield out;
      out = "";
    }
  }
  yield rows.length ? `${out}</sheetData>` : out;
}
