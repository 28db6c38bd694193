/** The Tổng hợp workbook: totals, coverage and ranking sheets from the shared summary layout. */
import ExcelJS from "exceljs";
import type { ClusterSummary } from "../core/aggregate";
import type { Ranking } from "../core/score";
import { buildSummarySheets, type SummaryStamp } from "../core/summary-layout";
import { writeSheet } from "./sheet-writer";

export async function buildSummaryWorkbook(summary: ClusterSummary, ranking: Ranking, stamp: SummaryStamp): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Tổng hợp thi đua năm ${summary.definition.year}`;
  wb.subject = summary.definition.name;
  wb.created = stamp.madeAt;
  for (const spec of buildSummarySheets(summary, ranking, stamp)) await writeSheet(wb, spec);
  return wb;
}
