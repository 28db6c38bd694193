/** "Kiểm tra toàn vẹn": the figures now against the copy kept at the lock, cell by cell. */
import type { ClusterDefinition } from "../core/definition/definition";
import { canonicalCluster, diffFigures, shortPrint, unpackSnapshot } from "../core/lock/fingerprint";
import type { YearState } from "../core/lock/lifecycle";
import { a1, type Problem } from "../core/problem";
import { COL } from "../core/sheets/school-layout";
import { appendAudit, AUDIT_SHEET } from "./audit";
import { menu } from "./menu-action";
import { reportHtml } from "./report-html";
import { loadSnapshot, loadState } from "./stored-state";
import { readAllFigures, schoolPrint, sha256Hex } from "./year-state";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface IntegrityResult {
  ok: boolean;
  problems: Problem[];
}

export function integrityCheck(ss: Spreadsheet, def: ClusterDefinition, state: YearState): IntegrityResult {
  const lock = state.lock;
  const snapshotText = loadSnapshot();
  if (!lock || !snapshotText) return { ok: false, problems: [{ severity: "error", message: "Số liệu chưa được khóa cuối năm; chưa có gì để kiểm tra." }] };
  const locked = unpackSnapshot(def, snapshotText);
  const lockedPrints = Object.fromEntries(locked.map((f) => [f.school, schoolPrint(def, f)]));
  if (sha256Hex(canonicalCluster(def, lockedPrints)) !== lock.fingerprint)
    return { ok: false, problems: [{ severity: "error", message: "Bản số liệu lưu khi khóa không khớp mã kiểm tra trong Nhật ký: bản lưu đã bị sửa. Hãy đối chiếu với Nhật ký và tệp PDF báo cáo." }] };
  const problems: Problem[] = [];
  for (const r of readAllFigures(ss, def)) {
    const before = locked.find((f) => f.school === r.school.code);
    if (before && schoolPrint(def, before) === schoolPrint(def, r.figures)) continue;
    for (const d of diffFigures(def, before, r.figures)) {
      const row = r.rowOf.get(d.target);
      const col = r.columns[d.field] ?? COL[d.field];
      problems.push({
        severity: "error",
        school: r.school.code,
        sheet: r.sheet,
        cell: row === undefined ? undefined : a1(row, col),
        message: `${r.school.name}, chỉ tiêu ${d.target}, cột ${d.field === "registered" ? "Đăng ký" : d.field === "achieved" ? "Thực hiện" : "Ghi chú"}: khi khóa "${d.locked}", nay "${d.now}".`,
      });
    }
  }
  return { ok: problems.length === 0, problems };
}

export const menuIntegrity = menu(({ ui, ss, def, actor, locked }) => {
  const state = loadState(undefined, def);
  const result = integrityCheck(ss, def, state);
  const intro = result.ok
    ? `Số liệu khớp hoàn toàn với lúc khóa (${state.lock!.at}, mã ${shortPrint(state.lock!.fingerprint)}).`
    : `${result.problems.length} điểm khác so với lúc khóa${state.lock ? ` (${state.lock.at}, mã ${shortPrint(state.lock.fingerprint)})` : ""}.`;
  if (ss.getSheetByName(AUDIT_SHEET) && state.lock)
    try {
      locked(() => appendAudit(ss, [{ action: "Kiểm tra toàn vẹn", who: actor.email, detail: intro }]));
    } catch {
      // After the lock only the owner writes Nhật ký (and a busy sheet is no reason to hide the result): the check still reports.
    }
  ui.showModalDialog(HtmlService.createHtmlOutput(reportHtml("Kiểm tra toàn vẹn", intro, result.problems.map((p) => ({ problem: p })))).setWidth(760).setHeight(480), "Kiểm tra toàn vẹn");
});
