/**
 * A problem found in a school's figures or file: what is wrong, where (file,
 * sheet, A1 cell), for which school, target and field, and what to do.
 */
import { stripInvisible } from "./text/text";

export type Field = "registered" | "achieved" | "note" | "code";

export const FIELD_LABEL: Record<Field, string> = {
  registered: "Đăng ký",
  achieved: "Thực hiện",
  note: "Ghi chú",
  code: "Mã",
};

export interface Problem {
  /** Errors keep the school out of the totals; warnings only ask for a second look. */
  severity: "error" | "warning";
  message: string;
  school?: string;
  target?: string;
  field?: Field;
  file?: string;
  sheet?: string;
  /** A1 reference, e.g. "E7". */
  cell?: string;
  /** A required cell left empty ("còn thiếu"), as opposed to a cell holding something wrong. */
  missing?: boolean;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** Where the problem is, as people read it: "tệp.xlsx › Chỉ tiêu!E7". */
export function problemPlace(p: Problem): string {
  const parts: string[] = [];
  if (p.file) parts.push(p.file);
  const sheet = p.sheet ? (p.cell ? `${p.sheet}!${p.cell}` : p.sheet) : p.cell;
  if (sheet) parts.push(sheet);
  return parts.join(" › ");
}

export function formatProblem(p: Problem, schoolName?: string): string {
  const place = problemPlace(p);
  const who = schoolName ? `[${schoolName}] ` : "";
  const level = p.severity === "warning" ? "Lưu ý: " : "";
  return stripInvisible(`${who}${place ? place + ": " : ""}${level}${p.message}`);
}

export function withPlace<T extends Problem>(
  problems: readonly T[],
  place: Pick<Problem, "file" | "sheet" | "school">,
): T[] {
  return problems.map((p) => ({
    ...p,
    file: p.file ?? place.file,
    sheet: p.sheet ?? place.sheet,
    school: p.school ?? place.school,
  }));
}

/** 0-based column index -> "A", "B", …, "AA". */
export function columnLetter(col: number): string {
  let n = col + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A block of cells, 0-based, as an A1 address names it. */
export interface CellBlock {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

const column = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/**
 * "E7" or "E7:F9" -> the block it names; undefined for any other shape
 * (whole columns or rows, another sheet's name), which the caller reads another way.
 */
export function parseA1(address: string): CellBlock | undefined {
  const m = /^([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?$/.exec(address);
  if (!m) return undefined;
  const [c1, r1] = [column(m[1]!), Number(m[2]) - 1];
  const [c2, r2] = m[3] ? [column(m[3]), Number(m[4]) - 1] : [c1, r1];
  if (r1 < 0 || r2 < r1 || c2 < c1) return undefined;
  return { row: r1, col: c1, rows: r2 - r1 + 1, cols: c2 - c1 + 1 };
}

/** 0-based row and column -> "E7". */
export function a1(row: number, col: number): string {
  return columnLetter(col) + (row + 1);
}
