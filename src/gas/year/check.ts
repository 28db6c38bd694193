/** "Kiểm tra số liệu": every school's sheet through the core validator, as a report with a jump to each cell. */
import { collectSchools } from "../google/collect";
import { menu } from "../menu-action";
import { reportHtml } from "../documents/report-html";

export const menuCheck = menu(({ ui, ss, def }) => {
  const reports = collectSchools(ss, def);
  const problems = reports.flatMap((r) => r.problems);
  const nameOf = new Map(def.schools.map((s) => [s.code, s.name]));
  const errors = problems.filter((p) => p.severity === "error").length;
  const withData = reports.filter((r) => r.figures && !r.blank).length;
  const intro = problems.length
    ? `${errors} lỗi, ${problems.length - errors} lưu ý trong ${withData}/${def.schools.length} trường đã nhập số liệu. Trường có lỗi chưa được tính vào Tổng hợp.`
    : `Không có lỗi. ${withData}/${def.schools.length} trường đã nhập số liệu.`;
  const html = reportHtml(
    "Kiểm tra số liệu",
    intro,
    problems.map((p) => ({ school: p.school ? nameOf.get(p.school) : undefined, problem: p })),
  );
  ui.showModalDialog(HtmlService.createHtmlOutput(html).setWidth(760).setHeight(520), "Kiểm tra số liệu");
});

/** google.script.run target of the report's "Đến ô" buttons. */
export function jumpToCell(sheetName: string, a1: string): void {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(sheetName);
  if (sheet) sheet.getRange(a1).activate();
}
