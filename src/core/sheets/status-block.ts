/**
 * The status block at the top of a school's sheet: what a school on a phone
 * reads instead of a menu, a dialog or a toast (the Sheets apps for phones
 * run none of them). One function turns a school's report and the year's
 * state into the block's lines; "Kiểm tra số liệu" reports the same verdict
 * (schoolStatus), so the block after any action says what Kiểm tra says.
 */
import type { SchoolReport } from "../pipeline";
import { PHASE_LABEL, schoolEditRights, type YearState } from "../lock/lifecycle";
import type { Problem } from "../problem";

/** How far a school's sheet has got, in the words the block and Kiểm tra share. */
export type SheetState =
  | { kind: "blank" }
  | { kind: "missing"; cells: number }
  | { kind: "errors"; errors: number; missing: number }
  | { kind: "valid" }
  | { kind: "confirmed"; at: string; by: string }
  | { kind: "locked"; at: string };

export interface SchoolStatus {
  /** The sheet's state; "confirmed" and "locked" say what the year did with figures that were valid. */
  state: SheetState;
  /** What is wrong, errors before warnings, each with its cell: what the school acts on. */
  problems: Problem[];
}

/** A required cell left empty: reported by validation as "chưa nhập cột …", counted apart from wrong cells. */
export const isMissingCell = (p: Problem): boolean => p.severity === "error" && p.missing === true;

/** The verdict on one school's sheet under the year's state. */
export function schoolStatus(report: SchoolReport, state: YearState): SchoolStatus {
  const errors = report.problems.filter((p) => p.severity === "error");
  const problems = [...errors, ...report.problems.filter((p) => p.severity !== "error")];
  const confirmed = state.confirmed[report.school.code];
  if (state.phase === "locked") return { state: { kind: "locked", at: state.lock?.at ?? "" }, problems };
  if (confirmed) return { state: { kind: "confirmed", at: confirmed.at, by: confirmed.by }, problems };
  if (report.blank) return { state: { kind: "blank" }, problems };
  const missing = errors.filter(isMissingCell).length;
  const wrong = errors.length - missing;
  if (wrong) return { state: { kind: "errors", errors: wrong, missing }, problems };
  if (missing) return { state: { kind: "missing", cells: missing }, problems };
  return { state: { kind: "valid" }, problems };
}

/** The state as one phrase: "có 2 lỗi, còn thiếu 1 ô", "đã xác nhận lúc … bởi …". */
export function sheetStateText(s: SheetState): string {
  switch (s.kind) {
    case "blank":
      return "chưa nhập";
    case "missing":
      return `còn thiếu ${s.cells} ô`;
    case "errors":
      return `có ${s.errors} lỗi${s.missing ? `, còn thiếu ${s.missing} ô` : ""}`;
    case "valid":
      return "hợp lệ, chưa xác nhận";
    case "confirmed":
      return `đã xác nhận lúc ${s.at} bởi ${s.by || "(không rõ)"}`;
    case "locked":
      return `đã khóa${s.at ? ` lúc ${s.at}` : ""}`;
  }
}

/** One problem as a line of the block: the cell first, where a thumb can find it. */
export function problemLine(p: Problem): string {
  const level = p.severity === "warning" ? "Lưu ý: " : "";
  return `• ${p.cell ? `Ô ${p.cell}: ` : ""}${level}${p.message}`;
}

/** Problems shown one per line; the rest are counted. */
export const SHOWN_PROBLEMS = 3;
/** Lines of the block above its checkbox row, whatever it says, so the header row below never moves. */
export const STATUS_LINES = 10;

function editLine(state: YearState, school: string): string {
  if (state.phase === "locked") return "Số liệu đã khóa cuối năm; không ai sửa được.";
  if (state.confirmed[school])
    return "Trường đã xác nhận nên không sửa được nữa; cần sửa thì đề nghị trường Cụm trưởng mở lại.";
  const rights = schoolEditRights(state, school);
  const excel = " Nhập từ tệp Excel chỉ làm được trên máy tính (Thi đua › Nhập từ Excel).";
  return rights.registered
    ? `Trường nhập cột Đăng ký (Thực hiện và Ghi chú nếu đã có) ở các ô màu vàng.${excel}`
    : `Cột Đăng ký đã chốt theo giao ước; trường nhập cột Thực hiện và Ghi chú ở các ô màu vàng.${excel}`;
}

/** What the checkbox row says beside the box, for the state the year is in. */
function checkboxLine(state: YearState, school: string): string {
  if (state.phase === "locked") return "Số liệu đã khóa cuối năm.";
  if (state.confirmed[school]) return "Đã xác nhận (ô bên trái đã đánh dấu).";
  if (state.phase === "registration")
    return "Xác nhận số liệu: mở sau khi trường Cụm trưởng ghi nhận ký giao ước; khi đó đánh dấu ô bên trái.";
  return "← Đánh dấu ô bên trái để xác nhận số liệu khi đã nhập đủ và hết lỗi; sau đó không sửa được nữa.";
}

export interface StatusBlock {
  /** STATUS_LINES lines of text, blank ones included. */
  lines: string[];
  /** The text beside the checkbox. */
  checkboxText: string;
  /**
   * The checkbox: ticked exactly when the school's figures are confirmed (or
   * the year locked with them); null where there is no box (an Excel file).
   */
  checked: boolean | null;
}

/**
 * The block of one school's sheet. checkedAt is when the sheet was read;
 * note says what became of the last tick, when there was one.
 */
export function statusBlock(report: SchoolReport, state: YearState, checkedAt: string, note?: string): StatusBlock {
  const code = report.school.code;
  const status = schoolStatus(report, state);
  const shown = status.problems.slice(0, SHOWN_PROBLEMS);
  const rest = status.problems.length - shown.length;
  const lines = [
    "TÌNH TRẠNG SỐ LIỆU (Thi đua tự ghi; không sửa tay được)",
    `Giai đoạn: ${PHASE_LABEL[state.phase]}.`,
    editLine(state, code),
    `Trạng thái: ${sheetStateText(status.state)}.`,
    ...shown.map(problemLine),
    ...Array<string>(SHOWN_PROBLEMS - shown.length).fill(""),
    rest > 0 ? `… và ${rest} lỗi/lưu ý khác; sửa các ô trên rồi xem lại tình trạng ở đây.` : "",
    note ?? "",
    `Kiểm tra lần cuối: ${checkedAt}.`,
  ];
  return { lines, checkboxText: checkboxLine(state, code), checked: boxTicked(state, code) };
}

/** Whether a school's checkbox is ticked in the year's state: its figures confirmed, or locked with them. */
export function boxTicked(state: YearState, code: string): boolean {
  return !!state.confirmed[code] || (state.phase === "locked" && !state.lock?.unconfirmed.includes(code));
}

/** The block's line that says what became of the last tick. */
export const TICK_NOTE_LINE = 3 + 1 + SHOWN_PROBLEMS + 1;

/** The block of a template that no add-on will update (an Excel file). */
export function offlineStatusBlock(): StatusBlock {
  const lines = [
    "TÌNH TRẠNG SỐ LIỆU",
    "Tệp Excel này không tự cập nhật tình trạng. Tình trạng và ô xác nhận có trên trang của trường",
    "trong Google Sheet của Cụm; nhập tệp này vào đó từ máy tính (Thi đua › Nhập từ Excel).",
  ];
  return {
    lines: [...lines, ...Array<string>(STATUS_LINES - lines.length).fill("")],
    checkboxText: "Xác nhận số liệu: trên Google Sheet của Cụm.",
    checked: null,
  };
}
