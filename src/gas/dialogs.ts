/**
 * Server side of the Excel dialogs. The browser builds and parses workbooks;
 * everything it sends back is checked again here: the user's right to write
 * that school, the year's state, the figures themselves, and that the sheet
 * did not change since the preview. The write is one batch, every old and
 * new value goes to Nhật ký, and text that looks like a formula stays text.
 */
import type { ClusterDefinition } from "../core/definition/definition";
import { canonicalValue } from "../core/lock/fingerprint";
import { COL, figureToCell, readSchoolGrid, schoolSheetName, TEXT_FORMAT } from "../core/sheets/school-layout";
import { schoolEditRights } from "../core/lock/lifecycle";
import { cellText, formatFigure, type FigureValue } from "../core/figures/parse";
import { a1 } from "../core/problem";
import { checkFigure, figuresOf, figuresToRows, inferStage, validateSchoolRows, type SchoolFigures } from "../core/figures/validate";
import { appendAudit, type AuditEntry } from "./audit";
import { activeEmail, BUSY, ownerEmail, roleOf, storedDefinition } from "./context";
import { actorOf, loadState, sha256Hex } from "./lifecycle";
import { queueForHead } from "./pending";
import { readSheets, safeCell } from "./sheet-io";

export const DOWNLOAD_DIALOG = "dialog-tai-mau";
export const IMPORT_DIALOG = "dialog-nhap";

export function menuDownloadTemplate(): void {
  SpreadsheetApp.getUi().showModalDialog(HtmlService.createHtmlOutputFromFile(DOWNLOAD_DIALOG).setWidth(560).setHeight(420), "Tải mẫu Excel");
}

export function menuImport(): void {
  SpreadsheetApp.getUi().showModalDialog(HtmlService.createHtmlOutputFromFile(IMPORT_DIALOG).setWidth(820).setHeight(600), "Nhập từ Excel");
}

export interface DialogContext {
  definition: ClusterDefinition;
  email: string;
  /** Schools this user may download or import for: all for the head, their own for a school's editor. */
  schools: string[];
  message?: string;
}

function allowedSchools(def: ClusterDefinition, ss: GoogleAppsScript.Spreadsheet.Spreadsheet): { email: string; schools: string[] } {
  const email = activeEmail();
  const role = roleOf(def, email, ownerEmail(ss));
  if (role.kind === "school") return { email, schools: [role.school.code] };
  if (role.kind === "head" || role.kind === "owner") return { email, schools: def.schools.map((s) => s.code) };
  return { email, schools: [] };
}

/** google.script.run: what the dialogs need to start. */
export function getDialogContext(): DialogContext {
  const def = storedDefinition();
  if (!def) throw new Error("Bảng tính chưa được thiết lập. Trường Cụm trưởng hãy chọn Thi đua › Thiết lập / cập nhật bảng tính.");
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { email, schools } = allowedSchools(def, ss);
  return {
    definition: def,
    email,
    schools,
    message: schools.length ? undefined : `Tài khoản ${email || "(không rõ e-mail)"} không có trong danh sách người nhập liệu của Cụm; hãy nhờ trường Cụm trưởng thêm e-mail vào trang Cấu hình.`,
  };
}

export interface SchoolSheetFigures {
  school: string;
  /** Parsed figures (invalid cells left out), for pre-filling a template. */
  figures: SchoolFigures;
  /** What each figure cell shows now, as text, for the preview. */
  current: Record<string, { registered: string; achieved: string; note: string }>;
  /** Fingerprint of the figure cells as they are, to detect a change between preview and import. */
  version: string;
}

function readSchool(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, def: ClusterDefinition, code: string) {
  const school = def.schools.find((s) => s.code === code)!;
  const name = schoolSheetName(school);
  const grid = readSheets(ss.getId(), [name]).get(name) ?? [];
  const read = readSchoolGrid(grid, { sheet: name });
  if (read.problems.length) throw new Error(`Trang "${name}" đã bị sửa cấu trúc: ${read.problems[0]!.message}`);
  const checked = validateSchoolRows(def, code, read.rows, inferStage(read.rows));
  // What the cell shows, as the preview compares it: the figure in Vietnamese format, or the raw text when invalid.
  const shown = (code: string, field: "registered" | "achieved", cell: (typeof read.rows)[number]["registered"]) => {
    const t = def.targets.find((x) => x.code === code);
    if (!t) return cellText(cell.value);
    const c = checkFigure(t, field, cell);
    return "value" in c ? formatFigure(t, c.value) : cellText(cell.value);
  };
  const current: SchoolSheetFigures["current"] = {};
  for (const r of read.rows) {
    const code = cellText(r.code);
    current[code] = { registered: shown(code, "registered", r.registered), achieved: shown(code, "achieved", r.achieved), note: cellText(r.note.value) };
  }
  const version = sha256Hex(JSON.stringify(read.rows.map((r) => [cellText(r.code), r.registered.value, r.achieved.value, r.note.value])));
  return { school, name, read, figures: checked.figures, current, version };
}

function requireSchool(def: ClusterDefinition, ss: GoogleAppsScript.Spreadsheet.Spreadsheet, code: string): void {
  const { email, schools } = allowedSchools(def, ss);
  if (!def.schools.some((s) => s.code === code)) throw new Error(`Mã trường "${code}" không thuộc ${def.name} năm ${def.year}.`);
  if (!schools.includes(code)) throw new Error(`Tài khoản ${email || "(không rõ e-mail)"} không được nhập số liệu cho ${def.schools.find((s) => s.code === code)!.name}.`);
}

/** google.script.run: a school's current figures, for the template and for the preview. */
export function getSchoolFigures(code: string): SchoolSheetFigures {
  const def = storedDefinition()!;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  requireSchool(def, ss, code);
  const r = readSchool(ss, def, code);
  return { school: code, figures: r.figures, current: r.current, version: r.version };
}

export interface ImportRequest {
  cluster: string;
  year: number;
  school: string;
  file: string;
  figures: SchoolFigures;
  /** The version of the sheet the preview was made against. */
  version: string;
}

export interface ImportResult {
  changed: number;
  message: string;
}

/** google.script.run: writes an imported workbook's figures after checking everything again. */
export function applyImport(request: ImportRequest): ImportResult {
  const def = storedDefinition();
  if (!def) throw new Error("Bảng tính chưa được thiết lập.");
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (request.cluster !== def.id || request.year !== def.year)
    throw new Error(`Tệp là của cụm "${request.cluster}" năm ${request.year}, không phải ${def.name} năm ${def.year}. Không nhập gì.`);
  requireSchool(def, ss, request.school);
  const actor = actorOf(def, ss);
  const state = loadState();
  const rights = schoolEditRights(state, request.school);
  const schoolName = def.schools.find((s) => s.code === request.school)!.name;
  if (state.phase === "locked") throw new Error("Số liệu cuối năm đã khóa; không nhập được. Không có gì thay đổi.");
  if (state.confirmed[request.school]) throw new Error(`${schoolName} đã xác nhận số liệu; muốn sửa hãy đề nghị trường Cụm trưởng mở lại. Không có gì thay đổi.`);

  // Never trust the browser: the figures go through the validator again, as if typed.
  const rows = figuresToRows(request.figures);
  const checked = validateSchoolRows(def, request.school, rows, inferStage(rows));
  const errors = checked.problems.filter((p) => p.severity === "error");
  if (errors.length) throw new Error(`Số liệu trong tệp còn ${errors.length} lỗi, không nhập gì: ${errors.slice(0, 3).map((p) => p.message).join(" ")}`);

  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(20_000)) throw new Error(BUSY);
  try {
    const now = readSchool(ss, def, request.school);
    if (now.version !== request.version) throw new Error(`Số liệu trên trang "${now.name}" đã thay đổi kể từ lúc xem trước. Hãy chọn lại tệp để xem trước lần nữa; chưa có gì được ghi.`);
    const headRights = actor.role === "head" || actor.role === "owner";
    const columns = now.read.columns;
    const rowOf = new Map(now.read.rows.map((r) => [cellText(r.code), r.row!]));
    const first = Math.min(...rowOf.values());
    const last = Math.max(...rowOf.values());
    const regCol = columns.registered!;
    const achCol = columns.achieved!;
    const noteCol = columns.note ?? COL.note;
    const left = Math.min(regCol, achCol, noteCol);
    const right = Math.max(regCol, achCol, noteCol);
    const sheet = ss.getSheetByName(now.name)!;
    const block = sheet.getRange(first + 1, left + 1, last - first + 1, right - left + 1).getValues();
    const entries: AuditEntry[] = [];
    const changedColumns = new Set<number>();
    for (const t of def.targets) {
      const r = rowOf.get(t.code);
      const f = figuresOf(def, checked.figures, t.code);
      if (r === undefined || !f) continue;
      const cells: [keyof typeof f, number, FigureValue | string | null][] = [
        ["registered", regCol, f.registered],
        ["achieved", achCol, f.achieved],
        ["note", noteCol, f.note],
      ];
      for (const [field, col, value] of cells) {
        const before = block[r - first]![col - left];
        const next = field === "note" ? (value as string) : figureToCell(t, value);
        const beforeText = field === "note" ? cellText(before) : canonicalValue(before as FigureValue);
        const nextText = field === "note" ? cellText(next) : canonicalValue(next as FigureValue);
        if (beforeText === nextText) continue;
        if (field === "registered" && !rights.registered && !headRights)
          throw new Error(`Cột Đăng ký đã chốt theo giao ước; tệp đổi chỉ tiêu ${t.code} từ ${cellText(before) || "(trống)"} thành ${formatFigure(t, value as FigureValue)}. Không có gì thay đổi.`);
        block[r - first]![col - left] = field === "note" ? safeCell(next as string) : next;
        changedColumns.add(col);
        entries.push({
          action: "Nhập từ Excel",
          who: actor.email,
          sheet: now.name,
          cell: a1(r, col),
          oldValue: field === "note" ? cellText(before) : formatFigure(t, parsedFromCell(t, before)),
          newValue: field === "note" ? cellText(next) : formatFigure(t, value as FigureValue),
          detail: `Tệp ${request.file}`,
        });
      }
    }
    if (!entries.length) return { changed: 0, message: "Tệp không có số liệu nào khác với trang; không cần ghi gì." };
    writeColumns(sheet, block, first, left, [...changedColumns], noteCol);
    if (headRights) appendAudit(ss, entries);
    else queueForHead(entries, false);
    return { changed: entries.length, message: `Đã nhập ${entries.length} ô từ ${request.file} vào trang "${now.name}". Giá trị cũ và mới được ghi vào Nhật ký.` };
  } finally {
    lock.releaseLock();
  }
}

/**
 * Writes only the columns that changed, each run of adjacent ones in one
 * call. Google refuses a write that touches any protected cell, even one
 * whose value stays the same, so a school's import after the pledge must
 * never span the frozen Đăng ký column. Notes are formatted as text first,
 * or Sheets would read "05/06" or "1.234" as a date or a number.
 */
function writeColumns(sheet: GoogleAppsScript.Spreadsheet.Sheet, block: unknown[][], first: number, left: number, columns: number[], noteCol: number): void {
  const sorted = columns.sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const [from, to] = [sorted[i]!, sorted[j]!];
    if (noteCol >= from && noteCol <= to) sheet.getRange(first + 1, noteCol + 1, block.length, 1).setNumberFormat(TEXT_FORMAT);
    sheet.getRange(first + 1, from + 1, block.length, to - from + 1).setValues(block.map((row) => row.slice(from - left, to - left + 1)));
    i = j + 1;
  }
}

/** A stored cell read back as a figure, to log the old value as people read it. */
function parsedFromCell(t: ClusterDefinition["targets"][number], v: unknown): FigureValue | null {
  if (v === "" || v === null || v === undefined) return null;
  if (typeof v === "number") return t.kind === "percent" ? Math.round(v * 100 * 1e9) / 1e9 : v;
  if (typeof v === "boolean") return v;
  return cellText(v);
}
