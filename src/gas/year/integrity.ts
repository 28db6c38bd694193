/** "Kiểm tra toàn vẹn": the figures now against the copy kept at the lock, cell by cell. */
import type { ClusterDefinition } from "../../core/definition/definition";
import { describeChange, diffFigures, shortPrint } from "../../core/lock/fingerprint";
import type { YearState } from "../../core/lock/lifecycle";
import { FIELD_LABEL, type Problem } from "../../core/problem";
import { UserError } from "../../core/user-error";
import { collectSchools } from "../google/collect";
import { appendAudit, AUDIT_SHEET } from "../triggers/audit";
import { menu } from "../menu-action";
import { reportHtml } from "../documents/report-html";
import { loadState } from "./stored-state";
import { reviewRecordCheck } from "./review";
import { frozenYear, schoolPrint } from "./year-state";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface IntegrityResult {
  ok: boolean;
  problems: Problem[];
}

export function integrityCheck(ss: Spreadsheet, def: ClusterDefinition, state: YearState): IntegrityResult {
  // Nothing locked, or a kept snapshot that no longer matches its code: said as such, not as "differences".
  if (!state.lock)
    throw new UserError(
      "Số liệu chưa được khóa cuối năm nên chưa có gì để kiểm tra toàn vẹn. Kiểm tra này dùng sau khi trường Cụm trưởng chọn Khóa số liệu cuối năm.",
    );
  const year = frozenYear(ss, def, state.lock);
  const problems: Problem[] = [];
  for (const r of collectSchools(ss, def, "report")) {
    const before = year.figures.find((f) => f.school === r.school.code);
    if (before && r.figures && year.schoolPrints[r.school.code] === schoolPrint(def, r.figures)) continue;
    for (const d of diffFigures(def, before, r.figures)) {
      problems.push({
        severity: "error",
        school: r.school.code,
        sheet: r.sheet,
        cell: r.cells.get(d.target)?.[d.field],
        message: `${r.school.name}, chỉ tiêu ${d.target}, cột ${FIELD_LABEL[d.field]}: ${describeChange(d)}.`,
      });
    }
  }
  const review = reviewRecordCheck(def, state.lock.fingerprint);
  if (review) problems.push({ severity: "error", message: `Biên bản bình xét: ${review}` });
  return { ok: problems.length === 0, problems };
}

export const menuIntegrity = menu(({ ui, ss, def, actor, locked }) => {
  const state = loadState(undefined, def);
  const result = integrityCheck(ss, def, state);
  const when = `${state.lock!.at}, mã ${shortPrint(state.lock!.fingerprint)}`;
  const intro = result.ok
    ? `Số liệu khớp hoàn toàn với lúc khóa (${when}).`
    : `${result.problems.length} điểm khác so với lúc khóa (${when}).`;
  if (ss.getSheetByName(AUDIT_SHEET) && state.lock)
    try {
      locked(() => appendAudit(ss, [{ action: "Kiểm tra toàn vẹn", who: actor.email, detail: intro }]));
    } catch {
      // After the lock only the owner writes Nhật ký (and a busy sheet is no reason to hide the result): the check still reports.
    }
  ui.showModalDialog(
    HtmlService.createHtmlOutput(
      reportHtml(
        "Kiểm tra toàn vẹn",
        intro,
        result.problems.map((p) => ({ problem: p })),
      ),
    )
      .setWidth(760)
      .setHeight(480),
    "Kiểm tra toàn vẹn",
  );
});
