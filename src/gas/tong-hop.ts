/**
 * "Tổng hợp": one batched read of every school sheet, aggregation and scoring
 * in core, batched writes of the Tổng hợp, Tình trạng nộp and Xếp hạng
 * sheets, under the document lock so two runs never interleave.
 */
import type { ClusterDefinition } from "../core/definition/definition";
import { shortPrint } from "../core/lock/fingerprint";
import { judge, type Verdict } from "../core/pipeline";
import { formatScore } from "../core/text/format";
import { buildSummarySheets, SUMMARY_HEADER_ROW, SUMMARY_SHEET } from "../core/sheets/summary-layout";
import { appendAudit } from "./audit";
import { collectSchools } from "./collect";
import { menu } from "./menu-action";
import { loadState } from "./stored-state";
import { frozenYear } from "./year-state";
import { writeSpec } from "./sheet-io";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

function addChart(sheet: GoogleAppsScript.Spreadsheet.Sheet, firstRow: number, rows: number): void {
  for (const c of sheet.getCharts()) sheet.removeChart(c);
  if (rows <= 0) return;
  // Target names (column C) against completion rates (column G).
  const chart = sheet
    .newChart()
    .asBarChart()
    .addRange(sheet.getRange(firstRow, 3, rows, 1))
    .addRange(sheet.getRange(firstRow, 7, rows, 1))
    .setOption("title", "Tỷ lệ hoàn thành chỉ tiêu toàn cụm")
    .setOption("legend", { position: "none" })
    .setPosition(firstRow + rows + 2, 3, 0, 0)
    .build();
  sheet.insertChart(chart);
}

/**
 * Writes the three summary sheets from a verdict: the one just judged from
 * the sheets, or, at the lock, the frozen one, so the sheets show exactly
 * what was hashed.
 */
export function runTongHop(ss: Spreadsheet, def: ClusterDefinition, who: string, now = new Date(), verdict: Verdict = judge(def, collectSchools(ss, def))): Verdict {
  const { summary, ranking } = verdict;
  const specs = buildSummarySheets(summary, ranking, { madeAt: now, madeBy: who });
  for (const spec of specs) writeSpec(ss.getSheetByName(spec.name) ?? ss.insertSheet(spec.name), spec);
  const totals = specs[0]!;
  const firstRow = SUMMARY_HEADER_ROW + 2;
  addChart(ss.getSheetByName(SUMMARY_SHEET)!, firstRow, totals.grid.length - firstRow + 1);
  const invalid = summary.schools.filter((s) => s.status === "invalid").map((s) => s.school.code);
  const missing = summary.schools.filter((s) => s.status === "missing").map((s) => s.school.code);
  appendAudit(
    ss,
    [
      {
        action: "Tổng hợp",
        who,
        sheet: SUMMARY_SHEET,
        detail: `Tính trên ${summary.covered.length}/${summary.schools.length} trường.${invalid.length ? ` Có lỗi: ${invalid.join(", ")}.` : ""}${missing.length ? ` Chưa nhập: ${missing.join(", ")}.` : ""}`,
      },
    ],
    now,
  );
  return verdict;
}

export const menuTongHop = menu(
  ({ ui, ss, def, actor, locked }) => {
    const state = loadState(undefined, def);
    // After the lock Tổng hợp shows the year as locked: the frozen verdict, never figures changed since.
    const lock = state.phase === "locked" ? state.lock : undefined;
    const { summary, ranking } = locked(() => (lock ? runTongHop(ss, def, actor.email, new Date(), frozenYear(def, lock).verdict) : runTongHop(ss, def, actor.email)));
    const left = summary.schools.filter((s) => s.status !== "valid").map((s) => `${s.school.name}: ${s.status === "missing" ? "chưa nhập" : `${s.problems.filter((p) => p.severity === "error").length} lỗi`}`);
    const first = ranking.ranked[0];
    ui.alert(
      "Đã tổng hợp",
      `${lock ? `Năm đã khóa lúc ${lock.at} (mã ${shortPrint(lock.fingerprint)}): Tổng hợp in lại đúng số liệu đã khóa.\n` : ""}Số liệu tính trên ${summary.covered.length}/${summary.schools.length} trường.${left.length ? `\nChưa tính:\n- ${left.join("\n- ")}` : ""}${first ? `\nDẫn đầu: ${def.schools.find((s) => s.code === first.school)!.name} (${formatScore(first.total)} điểm).` : ""}\nXem các trang Tổng hợp, Tình trạng nộp, Xếp hạng.`,
      ui.ButtonSet.OK,
    );
  },
  { headOnly: "Chỉ trường Cụm trưởng chạy Tổng hợp; mỗi trường xem số liệu của mình bằng Thi đua › Kiểm tra số liệu." },
);
