import ExcelJS from "exceljs";
import JSZip from "jszip";
import type { ClusterDefinition } from "../../src/core/definition/definition";
import { a1 } from "../../src/core/problem";
import { COL, SCHOOL_HEADER_ROW, targetLines } from "../../src/core/sheets/school-layout";
import { templateBuffer } from "../../src/excel/template";

export async function blankTemplate(def: ClusterDefinition, code: string): Promise<Uint8Array> {
  return templateBuffer(
    def,
    def.schools.find((s) => s.code === code)!,
  );
}

export async function loadWb(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

export async function saveWb(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Types values into the data sheet as a user would: by target code and column. */
export async function fill(
  bytes: Uint8Array,
  cells: Record<string, { registered?: ExcelJS.CellValue; achieved?: ExcelJS.CellValue; note?: ExcelJS.CellValue }>,
  edit?: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void,
): Promise<Uint8Array> {
  const wb = await loadWb(bytes);
  const ws = wb.worksheets[0]!;
  ws.eachRow((row) => {
    const code = row.getCell(COL.code + 1).value;
    const c = typeof code === "string" ? cells[code] : undefined;
    if (!c) return;
    if ("registered" in c) row.getCell(COL.registered + 1).value = c.registered!;
    if ("achieved" in c) row.getCell(COL.achieved + 1).value = c.achieved!;
    if ("note" in c) row.getCell(COL.note + 1).value = c.note!;
  });
  edit?.(ws, wb);
  return saveWb(wb);
}

/** Complete figures for the 2023 sample's targets. */
export const FULL_2023 = {
  LOP: { registered: 40, achieved: 42 },
  HOCVIEN: { registered: "2.800", achieved: 2950 },
  DETAI_TINH: { registered: 1, achieved: 1 },
  DETAI_TRUONG: { registered: 2, achieved: 3 },
  HOITHAO: { registered: 4, achieved: 5 },
  HTTNV: { registered: 0.9, achieved: 0.955 },
  CHUAN: { registered: "Đạt", achieved: "Đạt" },
};

/** Rewrites one part of the zip, for files exceljs itself would never write. */
export async function rewritePart(bytes: Uint8Array, part: string, fn: (xml: string) => string): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file(part)!.async("string");
  zip.file(part, fn(xml));
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** The 1-based row of a target on a school's sheet: its line under the header row. */
export function figureRow(def: ClusterDefinition, code: string): number {
  const line = targetLines(def).findIndex((l) => "row" in l && l.row.target.code === code);
  if (line < 0) throw new Error(`no target ${code} in ${def.id}`);
  return SCHOOL_HEADER_ROW + 2 + line;
}

/** Where a target's figure sits on a school's sheet, as A1. */
export function figureCell(def: ClusterDefinition, code: string, column: keyof typeof COL): string {
  return a1(figureRow(def, code) - 1, COL[column]);
}
