/**
 * "Nhật ký": the append-only audit sheet. Every action of the add-on and
 * every edit of a figure adds rows; nothing here rewrites or deletes a row.
 */
import { spreadsheetId } from "../context";
import { formatDateTime } from "../../core/text/format";
import { range, type SheetSpec } from "../../core/sheets/sheet-spec";
import { UserError } from "../../core/user-error";
import type { SheetBatch } from "../google/sheet-batch";
import { sheetA1 } from "../google/sheet-io";

export const AUDIT_SHEET = "Nhật ký";
export const AUDIT_HEADERS = [
  "Thời gian",
  "Người thực hiện",
  "Thao tác",
  "Trang",
  "Ô",
  "Giá trị cũ",
  "Giá trị mới",
  "Chi tiết",
];

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
 * Appends rows at the end of Nhật ký in one Sheets API call. Google finds
 * the last row and writes after it in one step, so two writers never take
 * the same row; RAW input keeps every value as text exactly (a value that
 * looks like a formula or a date stays what it was).
 */
const auditRows = (entries: AuditEntry[], now: Date): string[][] =>
  entries.map((e) => [
    formatDateTime(e.at ?? now),
    e.who || "(không rõ)",
    e.action,
    e.sheet ?? "",
    e.cell ?? "",
    text(e.oldValue),
    text(e.newValue),
    e.detail ?? "",
  ]);

const NO_AUDIT_SHEET = `Không tìm thấy trang "${AUDIT_SHEET}"; hãy chạy Thi đua › Thiết lập / cập nhật bảng tính.`;

/** The same rows, added to an action's batch: they are written with its other changes or not at all. */
export function appendAuditIn(batch: SheetBatch, entries: AuditEntry[], now = new Date()): void {
  batch.append(AUDIT_SHEET, auditRows(entries, now), NO_AUDIT_SHEET);
}

export function appendAudit(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  entries: AuditEntry[],
  now = new Date(),
): void {
  if (!entries.length) return;
  const rows = auditRows(entries, now);
  try {
    Sheets!.Spreadsheets!.Values!.append({ values: rows }, spreadsheetId(ss), sheetA1(AUDIT_SHEET), {
      valueInputOption: "RAW",
      insertDataOption: "INSERT_ROWS",
    });
  } catch (e) {
    if (!ss.getSheetByName(AUDIT_SHEET)) throw new UserError(NO_AUDIT_SHEET);
    throw e;
  }
}
