/**
 * "Kiểm tra số liệu": every school's sheet through the core validator, as a
 * report with a jump to each cell, and each school's state in the words of
 * its status block (the same schoolStatus). Run by the head school, it also
 * rewrites every status block; a school's editor may not write them (they
 * are the head's), and the head's edit trigger keeps its block current.
 */
import { schoolStatus, sheetStateText } from "../../core/sheets/status-block";
import { collectSchools } from "../google/collect";
import { holdsHeadRights } from "../context";
import { menu } from "../menu-action";
import { reportHtml } from "../documents/report-html";
import { loadState } from "./stored-state";
import { refreshStatus } from "./status";

export const menuCheck = menu(({ ui, ss, def, actor, locked }) => {
  const state = loadState(undefined, def);
  const reports = collectSchools(ss, def);
  const statuses = reports.map((r) => ({ report: r, status: schoolStatus(r, state) }));
  const problems = statuses.flatMap((s) => s.status.problems);
  const errors = problems.filter((p) => p.severity === "error").length;
  const withData = reports.filter((r) => r.figures && !r.blank).length;
  const intro = problems.length
    ? `${errors} lỗi, ${problems.length - errors} lưu ý trong ${withData}/${def.schools.length} trường đã nhập số liệu. Trường có lỗi chưa được tính vào Tổng hợp.`
    : `Không có lỗi. ${withData}/${def.schools.length} trường đã nhập số liệu.`;
  const html = reportHtml(
    "Kiểm tra số liệu",
    intro,
    statuses.flatMap((s) => s.status.problems.map((problem) => ({ school: s.report.school.name, problem }))),
    statuses.map((s) => ({ school: s.report.school.name, state: sheetStateText(s.status.state) })),
  );
  if (holdsHeadRights(actor)) locked(() => refreshStatus(ss, collectSchools(ss, def), loadState(undefined, def)));
  ui.showModalDialog(HtmlService.createHtmlOutput(html).setWidth(760).setHeight(520), "Kiểm tra số liệu");
});

/** google.script.run target of the report's "Đến ô" buttons. */
export function jumpToCell(sheetName: string, a1: string): void {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(sheetName);
  if (sheet) sheet.getRange(a1).activate();
}
