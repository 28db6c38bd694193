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

export async function xlsxBytes(wb: ExcelJS.Workbook, modified: Date): Promise<Uint8Array> {
  const parts: ZipPart[] = [];
  const zip: PartSink = {
    append(data, options) {
      // Only pictures come as base64, and the command line's workbooks have none.
      if (options.base64) throw new Error(`xlsx: base64 part ${options.name} not supported`);
      parts.push({ name: options.name, content: [data] });
    },
  };
  const xlsx = wb.xlsx as unknown as XlsxSteps;
  const { model } = wb;
  // In XLSX.write's order: the shared strings fill while the sheets render, the workbook part comes last.
  xlsx.prepareModel(model, {});
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
