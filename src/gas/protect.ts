/**
 * Who may edit what, as Protection objects. Each school's sheet: that
 * school's editors and the head school; its labels and every other sheet:
 * the head school only. Follows the documented pattern: add the effective
 * user, remove the other editors, turn domain editing off, then add the
 * allowed editors; the owner always keeps access.
 */
import type { ClusterDefinition, School } from "../core/definition";
import { COL, SCHOOL_HEADER_ROW } from "../core/layout";
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

export function protectSchoolSheet(sheet: Sheet, def: ClusterDefinition, school: School, lastRow: number): void {
  removeOwnProtections(sheet);
  const heads = headEditors(def);
  restrict(sheet.protect(), `số liệu ${school.name}`, [...school.editors, ...heads]);
  // Labels (STT, Mã, Chỉ tiêu, Đơn vị tính) and the title and header rows: head school only.
  const rows = Math.max(lastRow, SCHOOL_HEADER_ROW + 1);
  restrict(sheet.getRange(1, 1, rows, COL.unit + 1).protect(), "nhãn chỉ tiêu", heads);
  restrict(sheet.getRange(1, COL.registered + 1, SCHOOL_HEADER_ROW + 1, COL.note - COL.registered + 1).protect(), "tiêu đề", heads);
}

export function protectHeadOnly(sheet: Sheet, def: ClusterDefinition, what: string): void {
  removeOwnProtections(sheet);
  restrict(sheet.protect(), what, headEditors(def));
}
