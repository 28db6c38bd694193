/**
 * "Nhật ký": the append-only audit sheet. Every action of the add-on and
 * every edit of a figure adds rows; nothing here rewrites or deletes a row.
 */
import { formatDateTime } from "../core/text/format";
import { range, type SheetSpec } from "../core/sheets/sheet-spec";
import { TEXT_FORMAT } from "../core/sheets/school-layout";
import { safeCell } from "./sheet-io";

export const AUDIT_SHEET = "Nhật ký";
export const AUDIT_HEADERS = ["Thời gian", "Người thực hiện", "Thao tác", "Trang", "Ô", "Giá trị cũ", "Giá trị mới", "Chi tiết"];

export interface AuditEntry {
  action: string;
  who: string;
  sheet?: string;
  cell?: string;
  oldValue?: unknown;
  newValue?: unknown;
  detail?: string;
  /** When the action happened, if not now (rows a school's action left waiting for the head). */
  at?: Date;
}

export function auditSheetSpec(): SheetSpec {
  return {
    name: AUDIT_SHEET,
    grid: [AUDIT_HEADERS],
    merges: [],
    styles: [{ range: range(0, 0, 1, AUDIT_HEADERS.length), bold: true, fill: "#DCE6F1", border: true }],
    widths: [17, 28, 22, 16, 8, 16, 16, 60],
    frozenRows: 1,
    inputs: [],
    colourScales: [],
  };
}

function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (v instanceof Date) return formatDateTime(v);
  return String(v);
}

/**
 * Appends rows at the end of Nhật ký in one write; values that look like
 * formulas stay text. The caller holds the document lock: the row after the
 * last is found and written in two calls, and two writers must not both
 * take it.
 */
export function appendAudit(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, entries: AuditEntry[], now = new Date()): void {
  if (!entries.length) return;
  const sheet = ss.getSheetByName(AUDIT_SHEET);
  if (!sheet) throw new Error(`Không tìm thấy trang "${AUDIT_SHEET}"; hãy chạy Thi đua › Thiết lập / cập nhật bảng tính.`);
  const rows = entries.map((e) => [formatDateTime(e.at ?? now), e.who || "(không rõ)", e.action, e.sheet ?? "", e.cell ?? "", text(e.oldValue), text(e.newValue), e.detail ?? ""].map((v) => safeCell(v)));
  const start = sheet.getLastRow() + 1;
  if (start + rows.length - 1 > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), Math.max(500, rows.length));
  // Formatted "@" first: a logged "05/06" or "1.234" must read back as written, not as a date or a number.
  sheet.getRange(start, 1, rows.length, AUDIT_HEADERS.length).setNumberFormat(TEXT_FORMAT).setValues(rows);
}
