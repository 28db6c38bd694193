/**
 * "Tổng hợp": one batched read of every school sheet, aggregation and scoring
 * in core, batched writes of the Tổng hợp, Tình trạng nộp and Xếp hạng
 * sheets, under the document lock so two runs never interleave.
 */
import { spreadsheetId } from "../context";
import type { ClusterDefinition } from "../../core/definition/definition";
import { shortPrint } from "../../core/lock/fingerprint";
import { judge, stageOfPhase, type Verdict } from "../../core/pipeline";
import { formatScore } from "../../core/text/format";
import { buildSummarySheets, stampLine, SUMMARY_HEADER_ROW, SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { range } from "../../core/sheets/sheet-spec";
import { appendAuditIn } from "../triggers/audit";
import { collectSchools } from "../google/collect";
import { menu } from "../menu-action";
import { loadState } from "./stored-state";
import { frozenYear } from "./year-state";
import { statusInBatch } from "./status";
import { SheetBatch } from "../google/sheet-batch";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** What Tổng hợp's stamp says until its last part is written. */
export const SUMMARY_PENDING =
  "Đang tổng hợp: số liệu trên các trang Tổng hợp, Tình trạng nộp, Xếp hạng chưa đầy đủ. Nếu dòng này còn sau vài phút, trường Cụm trưởng hãy chạy lại Thi đua › Tổng hợp.";

/**
 * Writes the three summary sheets from a verdict: the one just judged from
 * the sheets, or, after the lock, the frozen one, so the sheets show exactly
 * what was hashed. Sheets, chart, the schools' status blocks and the Nhật ký
 * row go in one atomic request.
 */
export function runTongHop(
  ss: Spreadsheet,
  def: ClusterDefinition,
  who: string,
  now = new Date(),
  frozen?: Verdict,
): Verdict {
  const state = loadState(undefined, def);
  const reports = collectSchools(ss, def, stageOfPhase(state.phase));
  const verdict = frozen ?? judge(def, reports);
  const batch = new SheetBatch(spreadsheetId(ss), "Tổng hợp");
  tongHopInBatch(batch, who, now, verdict);
  // Each school's block says what Tổng hợp found in its sheet.
  statusInBatch(batch, reports, state, now);
  batch.commit();
  return verdict;
}

/** The summary sheets, their chart and the Nhật ký row, added to a batch the caller sends. */
export function tongHopInBatch(batch: SheetBatch, who: string, now: Date, verdict: Verdict): void {
  const { summary, ranking } = verdict;
  const stamp = { madeAt: now, madeBy: who };
  const specs = buildSummarySheets(summary, ranking, stamp);
  // The time it was made is written last: while a large cluster's sheets go out in parts, Tổng hợp says it is
  // being made, never passing a mix of two runs off as one.
  const stampRow = specs[0]!.grid.findIndex((r) => r[0] === stampLine(stamp));
  batch.write(specs[0]!, stampRow < 0 ? undefined : { row: stampRow, col: 0, pending: SUMMARY_PENDING });
  for (const spec of specs.slice(1)) batch.write(spec);
  const rows = specs[0]!.grid.length - SUMMARY_HEADER_ROW - 1;
  // Target names (column C) against completion rates (column G), below the table.
  batch.barChart(
    SUMMARY_SHEET,
    rows > 0
      ? {
          title: "Tỷ lệ hoàn thành chỉ tiêu toàn cụm",
          labels: range(SUMMARY_HEADER_ROW + 1, 2, rows, 1),
          values: range(SUMMARY_HEADER_ROW + 1, 6, rows, 1),
          at: { row: SUMMARY_HEADER_ROW + rows + 3, col: 2 },
        }
      : undefined,
  );
  const invalid = summary.schools.filter((s) => s.status === "invalid").map((s) => s.school.code);
  const missing = summary.schools.filter((s) => s.status === "missing").map((s) => s.school.code);
  appendAuditIn(
    batch,
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
}

export const menuTongHop = menu(
  ({ ui, ss, def, actor, locked }) => {
    const state = loadState(undefined, def);
    // After the lock Tổng hợp shows the year as locked: the frozen verdict, never figures changed since.
    const lock = state.phase === "locked" ? state.lock : undefined;
    const { summary, ranking } = locked(() =>
      lock
        ? runTongHop(ss, def, actor.email, new Date(), frozenYear(ss, def, lock).verdict)
        : runTongHop(ss, def, actor.email),
    );
    const left = summary.schools
      .filter((s) => s.status !== "valid")
      .map(
        (s) =>
          `${s.school.name}: ${s.status === "missing" ? "chưa nhập" : `${s.problems.filter((p) => p.severity === "error").length} lỗi`}`,
      );
    const first = ranking.ranked[0];
    ui.alert(
      "Đã tổng hợp",
      `${lock ? `Năm đã khóa lúc ${lock.at} (mã ${shortPrint(lock.fingerprint)}): Tổng hợp in lại đúng số liệu đã khóa.\n` : ""}Số liệu tính trên ${summary.covered.length}/${summary.schools.length} trường.${left.length ? `\nChưa tính:\n- ${left.join("\n- ")}` : ""}${first ? `\nDẫn đầu: ${def.schools.find((s) => s.code === first.school)!.name} (${formatScore(first.total)} điểm).` : ""}\nXem các trang Tổng hợp, Tình trạng nộp, Xếp hạng.`,
      ui.ButtonSet.OK,
    );
  },
  { headOnly: "Chỉ trường Cụm trưởng chạy Tổng hợp; mỗi trường xem số liệu của mình bằng Thi đua › Kiểm tra số liệu." },
);
