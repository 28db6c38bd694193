/** The Tổng hợp workbook: totals, coverage and ranking sheets from the shared summary layout. */
import ExcelJS from "exceljs";
import type { ClusterSummary } from "../core/figures/aggregate";
import type { Ranking } from "../core/figures/score";
import type { SheetSpec } from "../core/sheets/sheet-spec";
import { buildSummarySheets, type SummaryStamp } from "../core/sheets/summary-layout";
import { sheetPassword } from "./sheet-password";
import { writeSheet } from "./sheet-writer";

export interface LockedExtras {
  password: string;
  sheets: SheetSpec[];
}

/** The summary; when locked, the lock sheets are added and every sheet is protected with the password. */
export async function buildSummaryWorkbook(
  summary: ClusterSummary,
  ranking: Ranking,
  stamp: SummaryStamp,
  locked?: LockedExtras,
): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Tổng hợp thi đua năm ${summary.definition.year}`;
  wb.subject = summary.definition.name;
  wb.created = stamp.madeAt;
  const password = locked && sheetPassword(locked.password);
  for (const spec of [...buildSummarySheets(summary, ranking, stamp), ...(locked?.sheets ?? [])])
    await writeSheet(wb, spec, password ? { password } : {});
  return wb;
}
