/**
 * Server side of the Excel dialogs. The browser builds and parses workbooks;
 * everything it sends back is checked again here: the user's right to write
 * that school, the year's state, the figures themselves, and that the sheet
 * did not change since the preview. The write is one batch, every old and
 * new value goes to Nhật ký, and text that looks like a formula stays text.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { canonicalValue } from "../../core/lock/fingerprint";
import { COL, figureToCell, readSchoolGrid, schoolSheetName, TEXT_FORMAT } from "../../core/sheets/school-layout";
import { schoolEditRights } from "../../core/lock/lifecycle";
import { cellText, formatFigure, fractionToPercent, type FigureValue } from "../../core/figures/parse";
import { a1 } from "../../core/problem";
import { checkFigure, figuresOf, figuresToRows, validateSchoolRows } from "../../core/figures/validate";
import { UserError } from "../../core/user-error";
import { appendAudit, type AuditEntry } from "../triggers/audit";
import { actorOf, holdsHeadRights, underDocumentLock } from "../context";
import { requireDefinition } from "../menu-action";
import { reserveForHead } from "../triggers/queue";
import { refreshStatus } from "../year/status";
import { collectSchools } from "../google/collect";
import type { DialogContext, ImportRequest, ImportResult, SchoolSheetFigures } from "./server-api";
import { stageOfPhase } from "../../core/pipeline";
import { currentStage } from "../google/collect";
import { readSheets, safeCell } from "../google/sheet-io";
import { loadState } from "../year/stored-state";
import { sha256Hex } from "../year/year-state";

export const DOWNLOAD_DIALOG = "dialog-tai-mau";
export const IMPORT_DIALOG = "dialog-nhap";

export function menuDownloadTemplate(): void {
  SpreadsheetApp.getUi().showModalDialog(
    HtmlService.createHtmlOutputFromFile(DOWNLOAD_DIALOG).setWidth(560).setHeight(420),
    "Tải mẫu Excel",
  );
}

export function menuImport(): void {
  SpreadsheetApp.getUi().showModalDialog(
    HtmlService.createHtmlOutputFromFile(IMPORT_DIALOG).setWidth(820).setHeight(600),
    "Nhập từ Excel",
  );
}

function allowedSchools(
  def: ClusterDefinition,
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
): { email: string; schools: string[] } {
  const actor = actorOf(def, ss);
  if (actor.role === "school") return { email: actor.email, schools: [actor.school] };
  if (holdsHeadRights(actor)) return { email: actor.email, schools: def.schools.map((s) => s.code) };
  return { email: actor.email, schools: [] };
}

/** google.script.run: what the dialogs need to start. */
export function getDialogContext(): DialogContext {
  const def = requireDefinition();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { email, schools } = allowedSchools(def, ss);
  return {
    definition: def,
    email,
    schools,
    message: schools.length
      ? undefined
      : `Tài khoản ${email || "(không rõ e-mail)"} không có trong danh sách người nhập liệu của Cụm; hãy nhờ trường Cụm trưởng thêm e-mail vào trang Cấu hình.`,
  };
}

function readSchool(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, def: ClusterDefinition, code: string) {
  const school = def.schools.find((s) => s.code === code)!;
  const name = schoolSheetName(school);
  const grid = readSheets(ss.getId(), [name]).get(name) ?? [];
  const read = readSchoolGrid(grid, { sheet: name });
  if (read.problems.length) throw new UserError(`Trang "${name}" đã bị sửa cấu trúc: ${read.problems[0]!.message}`);
  const checked = validateSchoolRows(def, code, read.rows, currentStage(def));
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
    current[code] = {
      registered: shown(code, "registered", r.registered),
      achieved: shown(code, "achieved", r.achieved),
      note: cellText(r.note.value),
    };
  }
  const version = sha256Hex(
    JSON.stringify(read.rows.map((r) => [cellText(r.code), r.registered.value, r.achieved.value, r.note.value])),
  );
  return { school, name, read, figures: checked.figures, current, version };
}

function requireSchool(def: ClusterDefinition, ss: GoogleAppsScript.Spreadsheet.Spreadsheet, code: string): void {
  const { email, schools } = allowedSchools(def, ss);
  if (!def.schools.some((s) => s.code === code))
    throw new UserError(`Mã trường "${code}" không thuộc ${def.name} năm ${def.year}.`);
  if (!schools.includes(code))
    throw new UserError(
      `Tài khoản ${email || "(không rõ e-mail)"} không được nhập số liệu cho ${def.schools.find((s) => s.code === code)!.name}.`,
    );
}

/** google.script.run: a school's current figures, for the template and for the preview. */
export function getSchoolFigures(code: string): SchoolSheetFigures {
  const def = requireDefinition();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  requireSchool(def, ss, code);
  const r = readSchool(ss, def, code);
  return { school: code, figures: r.figures, current: r.current, version: r.version };
}

/** google.script.run: writes an imported workbook's figures after checking everything again. */
export function applyImport(request: ImportRequest): ImportResult {
  const def = requireDefinition();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (request.cluster !== def.id || request.year !== def.year)
    throw new UserError(
      `Tệp là của cụm "${request.cluster}" năm ${request.year}, không phải ${def.name} năm ${def.year}. Không nhập gì.`,
    );
  requireSchool(def, ss, request.school);
  const actor = actorOf(def, ss);
  const state = loadState(undefined, def);
  const rights = schoolEditRights(state, request.school);
  const schoolName = def.schools.find((s) => s.code === request.school)!.name;
  if (state.phase === "locked")
    throw new UserError(
      "Số liệu cuối năm đã khóa; không nhập được. Cần sửa thì đề nghị trường Cụm trưởng mở khóa (Thi đua › Mở khóa). Không có gì thay đổi.",
    );
  if (state.confirmed[request.school])
    throw new UserError(
      `${schoolName} đã xác nhận số liệu; muốn sửa hãy đề nghị trường Cụm trưởng mở lại. Không có gì thay đổi.`,
    );

  // Never trust the browser: the figures go through the validator again, as if typed.
  const rows = figuresToRows(request.figures);
  const checked = validateSchoolRows(def, request.school, rows, stageOfPhase(state.phase));
  const errors = checked.problems.filter((p) => p.severity === "error");
  if (errors.length)
    throw new UserError(
      `Số liệu trong tệp còn ${errors.length} lỗi, không nhập gì: ${errors
        .slice(0, 3)
        .map((p) => p.message)
        .join(" ")}`,
    );

  return underDocumentLock(() => {
    const now = readSchool(ss, def, request.school);
    if (now.version !== request.version)
      throw new UserError(
        `Số liệu trên trang "${now.name}" đã thay đổi kể từ lúc xem trước. Hãy chọn lại tệp để xem trước lần nữa; chưa có gì được ghi.`,
      );
    const headRights = holdsHeadRights(actor);
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
          throw new UserError(
            `Cột Đăng ký đã chốt theo giao ước; tệp đổi chỉ tiêu ${t.code} từ ${cellText(before) || "(trống)"} thành ${formatFigure(t, value as FigureValue)}. Không có gì thay đổi.`,
          );
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
    // A school's Nhật ký rows, and the rewrite of its status block (the head's cells), wait for the head: room
    // for them is made sure of before any figure is written. Writes by a script fire no edit trigger.
    const queue = headRights ? undefined : reserveForHead(entries, true);
    writeColumns(sheet, block, first, left, [...changedColumns], noteCol);
    if (queue) queue();
    else {
      appendAudit(ss, entries);
      refreshStatus(ss, collectSchools(ss, def), loadState(undefined, def));
    }
    return {
      changed: entries.length,
      message: `Đã nhập ${entries.length} ô từ ${request.file} vào trang "${now.name}". Giá trị cũ và mới được ghi vào Nhật ký.`,
    };
  });
}

/**
 * Writes only the columns that changed, each run of adjacent ones in one
 * call. Google refuses a write that touches any protected cell, even one
 * whose value stays the same, so a school's import after the pledge must
 * never span the frozen Đăng ký column. Notes are formatted as text first,
 * or Sheets would read "05/06" or "1.234" as a date or a number.
 */
function writeColumns(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  block: unknown[][],
  first: number,
  left: number,
  columns: number[],
  noteCol: number,
): void {
  const sorted = columns.sort((a, b) => a - b);
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const [from, to] = [sorted[i]!, sorted[j]!];
    if (noteCol >= from && noteCol <= to)
      sheet.getRange(first + 1, noteCol + 1, block.length, 1).setNumberFormat(TEXT_FORMAT);
    sheet
      .getRange(first + 1, from + 1, block.length, to - from + 1)
      .setValues(block.map((row) => row.slice(from - left, to - left + 1)));
    i = j + 1;
  }
}

/** A stored cell read back as a figure, to log the old value as people read it. */
function parsedFromCell(t: ClusterDefinition["targets"][number], v: unknown): FigureValue | null {
  if (v === "" || v === null || v === undefined) return null;
  if (typeof v === "number") return t.kind === "percent" ? fractionToPercent(v) : v;
  if (typeof v === "boolean") return v;
  return cellText(v);
}
