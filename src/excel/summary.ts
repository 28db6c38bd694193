/** The Tổng hợp workbook: totals, coverage and ranking sheets from the shared summary layout. */
import ExcelJS from "exceljs";
import type { ClusterSummary } from "../core/figures/aggregate";
import type { Ranking } from "../core/figures/score";
import type { SheetSpec } from "../core/sheets/sheet-spec";
import { buildSummarySheets, type SummaryStamp } from "../core/sheets/summary-layout";
import { sheetPassword } from "./sheet-password";
import { writeSheet, writeSheetRows, type SheetRows } from "./sheet-writer";
import { xlsxBytes } from "./xlsx-bytes";

export interface LockedExtras {
  password: string;
  sheets: SheetSpec[];
}

function summaryWorkbook(summary: ClusterSummary, stamp: SummaryStamp): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Tổng hợp thi đua năm ${summary.definition.year}`;
  wb.subject = summary.definition.name;
  wb.created = stamp.madeAt;
  return wb;
}

/** The summary; when locked, the lock sheets are added and every sheet is protected with the password. */
export async function buildSummaryWorkbook(
  summary: ClusterSummary,
  ranking: Ranking,
  stamp: SummaryStamp,
  locked?: LockedExtras,
): Promise<ExcelJS.Workbook> {
  const wb = summaryWorkbook(summary, stamp);
  const password = locked && sheetPassword(locked.password);
  for (const spec of [...buildSummarySheets(summary, ranking, stamp), ...(locked?.sheets ?? [])])
    await writeSheet(wb, spec, password ? { password } : {});
  return wb;
}

/**
 * The locked summary's .xlsx (Node only): the workbook buildSummaryWorkbook makes with `locked`, its sheets'
 * cells handed to the writer as row models (writeSheetRows) and zipped by zlib (xlsx-bytes.ts), which at
 * 60 schools × 200 targets takes a fraction of the time and memory of exceljs's cells and its JSZip.
 */
export async function lockedSummaryBytes(
  summary: ClusterSummary,
  ranking: Ranking,
  stamp: SummaryStamp,
  locked: LockedExtras,
): Promise<Uint8Array> {
  const wb = summaryWorkbook(summary, stamp);
  const password = sheetPassword(locked.password);
  const sheets: SheetRows[] = [];
  for (const spec of [...buildSummarySheets(summary, ranking, stamp), ...locked.sheets])
    sheets.push(await writeSheetRows(wb, spec, { password }));
  return xlsxBytes(wb, stamp.madeAt, sheets);
}
