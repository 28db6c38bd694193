/** Bench helpers for the offline path: many filled school files, and exceljs alone loading them. */
import ExcelJS from "exceljs";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validateSchoolRows } from "../src/core/figures/validate";
import { templateBuffer } from "../src/excel/template";
import { syntheticCluster, syntheticRows } from "./core";

export { syntheticCluster };

/** Writes one filled template per school of a synthetic cluster; returns the definition as JSON. */
export async function writeSchoolFiles(dir: string, schools: number, targets: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const def = syntheticCluster(schools, targets);
  for (const [i, s] of def.schools.entries()) {
    const { figures } = validateSchoolRows(def, s.code, syntheticRows(def, i));
    writeFileSync(join(dir, `${s.code}.xlsx`), await templateBuffer(def, s, figures));
  }
  return JSON.stringify(def);
}

/** The floor for tong-hop: exceljs only loading the same files, nothing read from them. */
export async function loadAllWithExcelJs(dir: string): Promise<number> {
  let sheets = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".xlsx"))) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(dir, f)) as unknown as ArrayBuffer);
    sheets += wb.worksheets.length;
  }
  return sheets;
}
