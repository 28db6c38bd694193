/**
 * "Nhật ký": the append-only audit sheet. Every action of the add-on and
 * every edit of a figure adds rows; nothing here rewrites or deletes a row.
 * Each row carries an identity (the last column, "Mã dòng"): a write Google
 * answered with an error may still have landed, so before trying again the
 * rows already there are left out, and none is written twice.
 */
import { spreadsheetId } from "../context";
import { formatDateTime } from "../../core/text/format";
import { range, type SheetSpec } from "../../core/sheets/sheet-spec";
import { UserError } from "../../core/user-error";
import type { SheetBatch } from "../google/sheet-batch";
import { readSheets, sheetA1 } from "../google/sheet-io";
import { GoogleBusyError, sheetsAppend } from "../google/google-api";
import { forgetDocumentProperties } from "../google/store";
import { reserveForHead } from "./queue";
import { newWriteId } from "../google/write-id";

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
  "Mã dòng",
];
/** The column of a row's identity (0-based). */
export const AUDIT_ID_COL = AUDIT_HEADERS.length - 1;

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
  /** The row's identity, given once (a queued row keeps its own); a new one when absent. */
  id?: string;
}

export function auditSheetSpec(): SheetSpec {
  return {
    name: AUDIT_SHEET,
    grid: [AUDIT_HEADERS],
    merges: [],
    styles: [{ range: range(0, 0, 1, AUDIT_HEADERS.length), bold: true, fill: "#DCE6F1", border: true }],
    widths: [17, 28, 22, 16, 8, 16, 16, 60, 14],
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
    e.id ?? newWriteId(),
  ]);

const NO_AUDIT_SHEET = `Không tìm thấy trang "${AUDIT_SHEET}"; hãy chạy Thi đua › Thiết lập / cập nhật bảng tính.`;

/** The same rows, added to an action's batch: they are written with its other changes or not at all. */
export function appendAuditIn(
  batch: SheetBatch,
  entries: AuditEntry[],
  now = new Date(),
  phase: "trace" | "finish" = "finish",
): void {
  batch.append(AUDIT_SHEET, auditRows(entries, now), NO_AUDIT_SHEET, phase);
  // A retried part whose rows are in Nhật ký already had landed: it is not sent again, and no row is doubled.
  batch.identify(AUDIT_SHEET, AUDIT_ID_COL, () => landedIds(batch.spreadsheetId));
}

/**
 * The rows as an appendCells request on Nhật ký's sheet id, for a call that
 * writes another sheet's rows too, and what tells whether they landed (the
 * first row's identity), for the retry.
 */
export function auditAppendCells(
  spreadsheetId: string,
  sheetId: number,
  entries: AuditEntry[],
  now = new Date(),
): { request: GoogleAppsScript.Sheets.Schema.Request; landed: () => boolean } {
  const rows = auditRows(entries, now);
  return {
    request: {
      appendCells: {
        sheetId,
        rows: rows.map((r) => ({ values: r.map((v) => ({ userEnteredValue: { stringValue: v } })) })),
        fields: "userEnteredValue",
      },
    },
    landed: () => landedIds(spreadsheetId).has(rows[0]![AUDIT_ID_COL]!),
  };
}

/**
 * The header row of a Nhật ký made by an older version, brought up to date
 * (it lacked "Mã dòng"): values only, in the action's batch.
 */
export function auditHeaderIn(batch: SheetBatch): void {
  const sheet = batch.sheet(AUDIT_SHEET);
  if (!sheet) return;
  batch.add({
    updateCells: {
      range: {
        sheetId: sheet.sheetId,
        startRowIndex: 0,
        endRowIndex: 1,
        startColumnIndex: 0,
        endColumnIndex: AUDIT_HEADERS.length,
      },
      rows: [{ values: AUDIT_HEADERS.map((h) => ({ userEnteredValue: { stringValue: h } })) }],
      fields: "userEnteredValue",
    },
  });
}

/** The identities of the rows Nhật ký holds, in one read. */
function landedIds(id: string): Set<string> {
  const col = String.fromCharCode(65 + AUDIT_ID_COL);
  const grid = readSheets(id, [AUDIT_SHEET], `${col}:${col}`).get(AUDIT_SHEET) ?? [];
  return new Set(grid.map((r) => String(r[0] ?? "")).filter(Boolean));
}

export interface AppendOptions {
  /** Rows that may be there already (a queue a run wrote but could not clear): their ids are checked first. */
  checkFirst?: boolean;
  /** When Google keeps refusing, the rows wait in the head's queue rather than be lost (default; not for the queue's own rows). */
  queueWhenRefused?: boolean;
}

/**
 * Appends rows at the end of Nhật ký in one Sheets API call, through the
 * retrying wrapper; before each retry the rows that landed are left out.
 * When Google still refuses, the rows go to the head's queue (under the
 * document lock) and are written by the next flush, with their own time.
 */
export function appendAudit(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  entries: AuditEntry[],
  now = new Date(),
  options: AppendOptions = {},
): void {
  if (!entries.length) return;
  const id = spreadsheetId(ss);
  const withIds = entries.map((e) => ({ ...e, at: e.at ?? now, id: e.id ?? newWriteId() }));
  let rows = auditRows(withIds, now);
  const leaveOutLanded = () => {
    const landed = landedIds(id);
    rows = rows.filter((r) => !landed.has(r[AUDIT_ID_COL]!));
  };
  try {
    if (options.checkFirst) leaveOutLanded();
    sheetsAppend(id, sheetA1(AUDIT_SHEET), () => rows, "các dòng Nhật ký", { beforeRetry: leaveOutLanded });
  } catch (e) {
    if (e instanceof GoogleBusyError) {
      if (options.queueWhenRefused === false) throw e;
      const landed = new Set(rows.map((r) => r[AUDIT_ID_COL]));
      queueForHead(withIds.filter((x) => landed.has(x.id)));
      return;
    }
    if (!ss.getSheetByName(AUDIT_SHEET)) throw new UserError(NO_AUDIT_SHEET);
    throw e;
  }
}

/** Rows Google would not take now, left in the head's queue under the document lock (taken here if not held). */
function queueForHead(entries: AuditEntry[]): void {
  const lock = LockService.getDocumentLock();
  const held = lock.hasLock();
  if (!held) {
    if (!lock.tryLock(30_000))
      throw new UserError(
        `Google tạm thời không nhận ${entries.length} dòng Nhật ký và bảng tính đang bận; các dòng này chưa được ghi. Hãy báo trường Cụm trưởng.`,
      );
    forgetDocumentProperties();
  }
  try {
    reserveForHead(entries, false)();
  } finally {
    if (!held) lock.releaseLock();
  }
}
