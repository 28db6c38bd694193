/**
 * "Kiểm tra cấu trúc": whether the spreadsheet still matches its definition —
 * every school sheet present with its header and target rows, the
 * protections in place with the right editors, Nhật ký and the edit trigger
 * there, and Cấu hình not edited without being applied.
 */
import { CONFIG_SHEET, readConfigSheet } from "../../core/sheets/config-layout";
import type { ClusterDefinition } from "../../core/definition/definition";
import { readSchoolGrid, schoolSheetName, SCHOOL_HEADER_ROW } from "../../core/sheets/school-layout";
import type { Problem } from "../../core/problem";
import { cellText } from "../../core/figures/parse";
import { COVERAGE_SHEET, RANKING_SHEET, SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { AUDIT_SHEET } from "../triggers/audit";
import { activeEmail, effectiveEmail, headEditors, ownerEmail } from "../context";
import { menu } from "../menu-action";
import { ownSheetProtection, readProtections } from "./protect";
import { reportHtml } from "../documents/report-html";
import { readSheets } from "../google/sheet-io";
import { triggerStatus } from "../triggers/trigger-install";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const err = (message: string, sheet?: string, cell?: string): Problem => ({ severity: "error", message, sheet, cell });

type Listed = ReturnType<typeof readProtections>[number];

/**
 * The editors of the sheet's own whole-sheet protection; "hidden" when the
 * user may not edit it, since Google then does not list them.
 */
function sheetProtectionEditors(sheet: Listed): string[] | "hidden" | undefined {
  const p = ownSheetProtection(sheet.protections);
  if (!p) return undefined;
  return p.editors ? (p.editors.users ?? []).map((u) => u.toLowerCase()) : "hidden";
}

export function structureProblems(ss: Spreadsheet, def: ClusterDefinition): Problem[] {
  const problems: Problem[] = [];
  // One read gives every sheet's name and protections.
  const sheets = new Map(readProtections(ss).map((s) => [s.title, s]));
  const heads = headEditors(def);
  const names = def.schools.map(schoolSheetName);
  const hidden: string[] = [];
  const grids = readSheets(
    ss.getId(),
    names.filter((n) => sheets.has(n)),
  );
  def.schools.forEach((school, i) => {
    const name = names[i]!;
    const sheet = sheets.get(name);
    if (!sheet)
      return problems.push(err(`Thiếu trang của ${school.name}; hãy chạy Thiết lập / cập nhật bảng tính.`, name));
    const read = readSchoolGrid(grids.get(name) ?? [], { sheet: name });
    problems.push(...read.problems);
    if (read.headerRow !== null && read.headerRow !== SCHOOL_HEADER_ROW)
      problems.push(
        err(
          `Hàng tiêu đề nằm ở hàng ${read.headerRow + 1}, mẫu đặt ở hàng ${SCHOOL_HEADER_ROW + 1}: có hàng bị chèn hoặc xóa phía trên.`,
          name,
        ),
      );
    const codes = read.rows.map((r) => cellText(r.code));
    const missing = def.targets.filter((t) => !codes.includes(t.code)).map((t) => t.code);
    const extra = codes.filter((c) => !def.targets.some((t) => t.code === c));
    if (missing.length) problems.push(err(`Thiếu hàng chỉ tiêu: ${missing.join(", ")}.`, name));
    if (extra.length) problems.push(err(`Có mã chỉ tiêu không còn trong Cấu hình: ${extra.join(", ")}.`, name));
    const editors = sheetProtectionEditors(sheet);
    if (!editors)
      problems.push(
        err(
          `Trang không còn được bảo vệ: ai có quyền sửa bảng tính cũng sửa được số liệu của ${school.name}. Hãy chạy Thiết lập.`,
          name,
        ),
      );
    else if (editors === "hidden") hidden.push(name);
    else {
      const allowed = new Set([...school.editors, ...heads, ownerEmail(ss), effectiveEmail()]);
      const strangers = editors.filter((e) => !allowed.has(e));
      const lacking = school.editors.filter((e) => !editors.includes(e));
      if (strangers.length)
        problems.push(
          err(
            `Người không thuộc ${school.name} hay trường Cụm trưởng đang sửa được trang: ${strangers.join(", ")}.`,
            name,
          ),
        );
      if (lacking.length)
        problems.push(
          err(`Người nhập liệu của trường chưa có quyền sửa trang: ${lacking.join(", ")}. Hãy chạy Thiết lập.`, name),
        );
    }
  });
  for (const name of [CONFIG_SHEET, SUMMARY_SHEET, COVERAGE_SHEET, RANKING_SHEET, AUDIT_SHEET]) {
    const sheet = sheets.get(name);
    if (!sheet) problems.push(err(`Thiếu trang "${name}"; hãy chạy Thiết lập.`, name));
    else if (!sheetProtectionEditors(sheet))
      problems.push(err(`Trang "${name}" không còn được bảo vệ (chỉ trường Cụm trưởng được sửa).`, name));
  }
  const config = sheets.has(CONFIG_SHEET) ? ss.getSheetByName(CONFIG_SHEET) : null;
  if (config) {
    const r = readConfigSheet(config.getDataRange().getValues());
    if (!r.ok) problems.push(err(`Trang Cấu hình có lỗi: ${r.problems.join(" ")}`, CONFIG_SHEET));
    else if (JSON.stringify(r.definition) !== JSON.stringify(def))
      problems.push({
        severity: "warning",
        sheet: CONFIG_SHEET,
        message: "Cấu hình đã được sửa nhưng chưa áp dụng; hãy chạy Thiết lập / cập nhật bảng tính.",
      });
  }
  if (hidden.length)
    problems.push({
      severity: "warning",
      message: `Tài khoản này không có quyền sửa ${hidden.length} trang (${hidden.join(", ")}) nên Google không cho xem ai được sửa các trang đó; trang vẫn được bảo vệ. Trường Cụm trưởng chạy Kiểm tra cấu trúc để xem đủ.`,
    });
  const trigger = triggerStatus(def, ss, activeEmail()).problem;
  if (trigger) problems.push(err(trigger));
  return problems;
}

export const menuStructure = menu(({ ui, ss, def }) => {
  const problems = structureProblems(ss, def);
  const intro = problems.length
    ? `${problems.length} vấn đề về cấu trúc bảng tính.`
    : "Cấu trúc bảng tính đúng với Cấu hình: đủ trang, đủ hàng chỉ tiêu, bảo vệ đúng người, có Nhật ký và trigger.";
  const triggers = triggerStatus(def, ss, activeEmail()).line;
  ui.showModalDialog(
    HtmlService.createHtmlOutput(
      reportHtml(
        "Kiểm tra cấu trúc",
        `${intro} ${triggers}`,
        problems.map((p) => ({ problem: p })),
      ),
    )
      .setWidth(760)
      .setHeight(480),
    "Kiểm tra cấu trúc",
  );
});
