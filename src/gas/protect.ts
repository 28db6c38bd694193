/**
 * Who may edit what, as Protection objects. Each school's sheet: that
 * school's editors and the head school; its labels and every other sheet:
 * the head school only. Follows the documented pattern: add the effective
 * user, remove the other editors, turn domain editing off, then add the
 * allowed editors; the owner always keeps access.
 */
import type { ClusterDefinition, School } from "../core/definition/definition";
import { COL, SCHOOL_HEADER_ROW } from "../core/sheets/school-layout";
import type { EditRights } from "../core/lock/lifecycle";
import { headEditors } from "./context";

export const MARK = "cum-thi-dua: ";

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Protection = GoogleAppsScript.Spreadsheet.Protection;

function restrict(p: Protection, description: string, editors: string[]): Protection {
  p.setDescription(MARK + description);
  p.addEditor(Session.getEffectiveUser());
  p.removeEditors(p.getEditors());
  if (p.canDomainEdit()) p.setDomainEdit(false);
  const unique = [...new Set(editors.filter(Boolean))];
  if (unique.length) p.addEditors(unique);
  return p;
}

/** Removes the protections this add-on made before, and only those. */
export function removeOwnProtections(sheet: Sheet): void {
  for (const type of [SpreadsheetApp.ProtectionType.SHEET, SpreadsheetApp.ProtectionType.RANGE])
    for (const p of sheet.getProtections(type)) if (p.getDescription().indexOf(MARK) === 0) p.remove();
}

/**
 * A school's sheet, as the year's state allows: its editors and the head
 * while it is open; the head alone once the school has confirmed; the
 * "Đăng ký" column frozen for the school after the pledge.
 */
export function protectSchoolSheet(sheet: Sheet, def: ClusterDefinition, school: School, lastRow: number, rights: EditRights): void {
  removeOwnProtections(sheet);
  const heads = headEditors(def);
  const open = rights.achieved || rights.registered;
  restrict(sheet.protect(), open ? `số liệu ${school.name}` : `số liệu ${school.name} (đã xác nhận)`, open ? [...school.editors, ...heads] : heads);
  // Labels (STT, Mã, Chỉ tiêu, Đơn vị tính) and the title and header rows: head school only.
  const rows = Math.max(lastRow, SCHOOL_HEADER_ROW + 1);
  restrict(sheet.getRange(1, 1, rows, COL.unit + 1).protect(), "nhãn chỉ tiêu", heads);
  restrict(sheet.getRange(1, COL.registered + 1, SCHOOL_HEADER_ROW + 1, COL.note - COL.registered + 1).protect(), "tiêu đề", heads);
  if (open && !rights.registered) restrict(sheet.getRange(SCHOOL_HEADER_ROW + 2, COL.registered + 1, Math.max(1, rows - SCHOOL_HEADER_ROW - 1), 1).protect(), "đăng ký đã chốt theo giao ước", heads);
}

/** After the year-end lock: nobody but the owner (and, as Google requires, whoever ran the lock). */
export function protectLocked(sheet: Sheet): void {
  removeOwnProtections(sheet);
  restrict(sheet.protect(), "khóa số liệu cuối năm", []);
}

export function protectHeadOnly(sheet: Sheet, def: ClusterDefinition, what: string): void {
  protectFor(sheet, what, headEditors(def));
}

/** A sheet only these people may edit (the owner always keeps access). */
export function protectFor(sheet: Sheet, what: string, editors: string[]): void {
  removeOwnProtections(sheet);
  restrict(sheet.protect(), what, editors);
}
