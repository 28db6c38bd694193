/**
 * Turning one spreadsheet cell into a figure. Cells come from Google Sheets,
 * exceljs and files saved by other office suites, so the value may be a
 * number, Vietnamese-formatted text ("19.082", "95,5%"), a boolean, a date,
 * or something else entirely; every case yields a value or a reason.
 */
import { levelsOf, NO_LABEL, YES_LABEL, type Target } from "../definition/definition";
import { formatDate, formatFixed, formatNumber } from "../text/format";
import { cleanText, isBlankText, matchKey } from "../text/text";

/** count and percent: number (percent in percent units, 95.5); yesno: boolean; level: the level label. */
export type FigureValue = number | boolean | string;

export interface RawCell {
  value: unknown;
  /** The cell carries a percent number format, so a number in it is a fraction (0,955 = 95,5 %). */
  percentFormatted?: boolean;
  /** Formula text when the cell holds a formula; value is then its cached result. */
  formula?: string;
}

export type ParseResult = { ok: true; value: FigureValue | null } | { ok: false; reason: string };

/** A refused cell. Valid values are returned bare, so the common case allocates nothing. */
export class CellRefusal {
  constructor(readonly reason: string) {}
}
type Parsed = FigureValue | null | CellRefusal;

const ok = (value: FigureValue | null): Parsed => value;
const fail = (reason: string): Parsed => new CellRefusal(reason);

const DIGITS = /^\d{1,15}$/;

export type NumberParse = { ok: true; value: number; percentSign: boolean } | { ok: false; reason: string };

/**
 * Vietnamese number text: "." groups thousands, "," marks decimals, spaces
 * may group thousands too. A dot that cannot be a thousands separator
 * ("19.08") is refused rather than guessed.
 */
export function parseVietnameseNumber(text: string): NumberParse {
  const r = numberFromText(text);
  return typeof r === "number"
    ? { ok: true, value: r, percentSign: cleanText(text).endsWith("%") }
    : { ok: false, reason: r.reason };
}

/** The number, or a refusal; allocates nothing for the common case (validation runs it on every text cell). */
/**
 * "19.082", "1.234.567": digits grouped by dots in threes, read by scanning
 * (no regex, no string built); NaN when the text is anything else.
 */
function groupedInteger(s: string): number {
  const n = s.length;
  const firstDot = s.indexOf(".");
  // "0.750" is not a grouped integer: it is 0,75 written the English way, or a typo; never 750.
  if (s.charCodeAt(0) === 48) return NaN;
  if (firstDot < 1 || firstDot > 3 || (n - firstDot) % 4 !== 0) return NaN;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (i >= firstDot && (i - firstDot) % 4 === 0) {
      if (c !== 46) return NaN;
      continue;
    }
    if (c < 48 || c > 57) return NaN;
    value = value * 10 + (c - 48);
  }
  return value;
}

function numberFromText(text: string): number | CellRefusal {
  let s = cleanText(text);
  if (DIGITS.test(s)) return Number(s);
  const grouped = groupedInteger(s);
  if (!Number.isNaN(grouped)) return grouped;
  if (s.includes("\u2212")) s = s.replace(/\u2212/g, "-");
  if (s.endsWith("%")) s = s.slice(0, -1).trim();
  let negative = false;
  if (s.startsWith("-")) {
    negative = true;
    s = s.slice(1).trim();
  } else if (s.startsWith("+")) {
    s = s.slice(1).trim();
  }
  let normalised: string | undefined;
  if (DIGITS.test(s)) normalised = s;
  else if (/^[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/.test(s)) normalised = s.replace(/\./g, "").replace(",", ".");
  else if (/^\d{1,3}( \d{3})+(,\d+)?$/.test(s)) normalised = s.replace(/ /g, "").replace(",", ".");
  else if (/^\d+,\d+$/.test(s)) normalised = s.replace(",", ".");
  else if (/^\d+$/.test(s)) normalised = s;
  if (normalised === undefined) {
    if (/^0\.\d+$/.test(s)) {
      const decimals = s.slice(2);
      return new CellRefusal(
        `${quoteCell(text)} không rõ là ${"0," + decimals} hay ${String(Number(decimals))}: số thập phân ` +
          `viết bằng dấu phẩy (0,${decimals}), số nguyên không có số 0 ở đầu`,
      );
    }
    if (/^[\d.,\s]+$/.test(s) && /\d/.test(s))
      return new CellRefusal(
        `${quoteCell(text)} không đúng cách viết số của Việt Nam: dấu chấm chỉ để tách ` +
          `hàng nghìn (19.082), dấu phẩy là dấu thập phân (95,5)`,
      );
    return new CellRefusal(`${quoteCell(text)} không phải là số`);
  }
  const value = Number(normalised) * (negative ? -1 : 1);
  if (!Number.isFinite(value)) return new CellRefusal(`${quoteCell(text)} quá lớn`);
  return value === 0 ? 0 : value;
}

const YES_WORDS = new Set(["đạt", "có", "yes", "true", "x", "✓", "✔"].map(matchKey));
const NO_WORDS = new Set(["không đạt", "chưa đạt", "không", "no", "false"].map(matchKey));

function describe(value: unknown): string {
  if (value instanceof Date) return "ngày tháng";
  if (typeof value === "object") return "dữ liệu không đọc được";
  return typeof value === "string" ? quoteCell(value) : JSON.stringify(value);
}

/** Rounds away binary noise from ×100 and ÷100 (0.955 * 100 = 95.49999…). */
function tidy(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/**
 * A percent cell holds a fraction (0,955 shown as 95,5 %); figures are in percent units. The one place both ways are
 * done.
 */
export function fractionToPercent(fraction: number): number {
  return tidy(fraction * 100);
}

export function percentToFraction(percent: number): number {
  return tidy(percent / 100);
}

/** 0,5 in a percent cell without a percent format: half a percent or fifty? Never guessed. */
function ambiguousPercent(value: number): string {
  const n = formatNumber(value, 6);
  return (
    `${n} không rõ là ${n} % hay ${formatNumber(fractionToPercent(value), 6)} %; hãy gõ kèm dấu %, ` +
    `ví dụ ${formatNumber(fractionToPercent(value), 6)}% hoặc ${n}%`
  );
}

/** A cell's text for a message: quoted, and cut when long so the message stays readable. */
export function quoteCell(text: string): string {
  const t = cleanText(text);
  const chars = Array.from(t);
  return chars.length > 60 ? `"${chars.slice(0, 57).join("")}…" (${chars.length} ký tự)` : `"${t}"`;
}

function parseNumberCell(target: Target, cell: RawCell): Parsed {
  const { value } = cell;
  const isPercent = target.kind === "percent";
  const example = isPercent ? "95,5" : "19.082";
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      return fail(`ô chứa giá trị lỗi (${String(value)}); hãy nhập một số, ví dụ ${example}`);
    if (isPercent && cell.percentFormatted) return ok(fractionToPercent(value));
    // Only where the source knows the cell is not formatted as percent (a plain grid carries percent units).
    if (isPercent && cell.percentFormatted === false && value > 0 && value <= 1) return fail(ambiguousPercent(value));
    return ok(value === 0 ? 0 : value);
  }
  if (typeof value === "boolean") return fail(`ô chứa ${value ? "TRUE" : "FALSE"}; hãy nhập một số, ví dụ ${example}`);
  if (value instanceof Date) return fail(`ô chứa ngày tháng; hãy nhập một số, ví dụ ${example}`);
  if (typeof value === "string") {
    const parsed = numberFromText(value);
    if (parsed instanceof CellRefusal) return fail(`${parsed.reason}; hãy nhập một số, ví dụ ${example}`);
    if (!isPercent && value.includes("%") && value.trimEnd().endsWith("%"))
      return fail(
        `chỉ tiêu "${target.name}" tính bằng ${target.unit || "số"}, không dùng dấu %; hãy nhập số, ví dụ 19.082`,
      );
    if (isPercent && parsed > 0 && parsed <= 1 && !cleanText(value).endsWith("%"))
      return fail(ambiguousPercent(parsed));
    return ok(parsed);
  }
  return fail(`ô chứa ${describe(value)}; hãy nhập một số, ví dụ ${example}`);
}

function parseYesNoCell(cell: RawCell): Parsed {
  const { value } = cell;
  const hint = `hãy chọn "${YES_LABEL}" hoặc "${NO_LABEL}"`;
  if (typeof value === "boolean") return ok(value);
  if (typeof value === "string") {
    const key = matchKey(value);
    if (YES_WORDS.has(key)) return ok(true);
    if (NO_WORDS.has(key)) return ok(false);
    return fail(`${quoteCell(value)} không phải là lựa chọn hợp lệ; ${hint}`);
  }
  return fail(`ô chứa ${describe(value)}; ${hint}`);
}

function parseLevelCell(target: Target, cell: RawCell): Parsed {
  const levels = levelsOf(target);
  const hint = `hãy chọn một trong: ${levels.map((l) => `"${l}"`).join(", ")}`;
  const text =
    typeof cell.value === "number" ? String(cell.value) : typeof cell.value === "string" ? cell.value : undefined;
  if (text === undefined) return fail(`ô chứa ${describe(cell.value)}; ${hint}`);
  const key = matchKey(text);
  const exact = levels.find((l) => matchKey(l) === key);
  if (exact) return ok(exact);
  // "1" for "Mức 1": accepted only when exactly one level ends with it.
  const bySuffix = levels.filter((l) => matchKey(l).endsWith(" " + key));
  if (bySuffix.length === 1) return ok(bySuffix[0]!);
  return fail(`${quoteCell(text)} không phải là mức hợp lệ; ${hint}`);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && isBlankText(value));
}

/** Parses one figure cell for a target. Never throws, whatever the value. */
export function parseCell(target: Target, cell: RawCell): ParseResult {
  const v = parseCellValue(target, cell);
  return v instanceof CellRefusal ? { ok: false, reason: v.reason } : { ok: true, value: v };
}

/** parseCell without the wrapper object, for the validation loop over every cell. */
export function parseCellValue(target: Target, cell: RawCell): Parsed {
  if (isEmpty(cell.value)) {
    if (cell.formula)
      return fail(
        `ô có công thức "${cell.formula}" nhưng chưa có kết quả; hãy mở tệp trong Excel, để ` +
          `tính lại rồi lưu, hoặc nhập thẳng giá trị`,
      );
    return ok(null);
  }
  switch (target.kind) {
    case "count":
    case "percent":
      return parseNumberCell(target, cell);
    case "yesno":
      return parseYesNoCell(cell);
    case "level":
      return parseLevelCell(target, cell);
  }
}

/** Text for people: "19.082", "95,5 %", "Đạt". */
export function formatFigure(target: Target, value: FigureValue | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? YES_LABEL : NO_LABEL;
  if (typeof value === "string") return value;
  // One decimal always, so a column of percentages lines up with the rates beside it: "90,0 %", "95,5 %".
  return target.kind === "percent" ? formatFixed(value, 1) + " %" : formatNumber(value);
}

/** Reads a free-text cell (note, name); numbers print in Vietnamese style. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return cleanText(value);
  if (typeof value === "number") return formatNumber(value, 6);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : formatDate(value);
  return "";
}
