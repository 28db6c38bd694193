/**
 * Validation of one school's rows against the cluster definition. The rows
 * come from a sheet or a workbook through the layout reader, each cell with
 * its A1 reference, so every problem can point at the cell to fix.
 */
import { DEFAULT_COUNT_MAX, effectiveConstraints, type ClusterDefinition, type Target } from "../definition/definition";
import { formatNumber } from "../text/format";
import { CellRefusal, cellText, formatFigure, parseCellValue, type FigureValue, type RawCell } from "./parse";
import { FIELD_LABEL, type Field, type Problem } from "../problem";
import { matchKey } from "../text/text";

/** One target row as read from a sheet, before parsing. */
export interface RawRow {
  code: unknown;
  registered: RawCell;
  achieved: RawCell;
  note: RawCell;
  /** A1 references of the cells, when the row came from a sheet. */
  refs?: Partial<Record<Field, string>>;
  /** 0-based row in the sheet, when the row came from a sheet. */
  row?: number;
}

/**
 * One target's figures in a school's report; the code says which target, so a list stays checkable against a changed
 * definition.
 */
export interface TargetFigures {
  code: string;
  registered: FigureValue | null;
  achieved: FigureValue | null;
  note: string;
}

/**
 * A school's parsed figures. Kept as a list in definition order rather than
 * keyed by code: Tổng hợp walks schools × targets, and an array is read an
 * order of magnitude faster than 200-key dictionaries (see npm run bench).
 */
export interface SchoolFigures {
  school: string;
  /** One entry per target row the report has, in definition order; a missing row is absent. */
  rows: TargetFigures[];
}

const positions = new WeakMap<ClusterDefinition, Map<string, number>>();
/**
 * Each target's position in the definition, by its code as written and by
 * its match key: codes typed as defined are found without normalising.
 */
function positionIndex(def: ClusterDefinition): Map<string, number> {
  let index = positions.get(def);
  if (!index) {
    index = new Map();
    for (let i = def.targets.length - 1; i >= 0; i--) index.set(matchKey(def.targets[i]!.code), i);
    def.targets.forEach((t, i) => index!.set(t.code, i));
    positions.set(def, index);
  }
  return index;
}

/** The target a code cell names (as written, or in another case, spacing or Unicode form), if any. */
export function findTarget(def: ClusterDefinition, codeText: string): Target | undefined {
  const index = positionIndex(def);
  const at = index.get(codeText) ?? index.get(matchKey(codeText));
  return at === undefined ? undefined : def.targets[at];
}

/**
 * The figures of one target. A complete report lines up with the definition,
 * so the entry at the target's position is checked first (callers walking the
 * definition pass it); otherwise the list is searched by code.
 */
export function figuresOf(
  def: ClusterDefinition,
  figures: SchoolFigures | undefined,
  code: string,
  position: number = positionIndex(def).get(code) ?? -1,
): TargetFigures | undefined {
  if (!figures) return undefined;
  const at = figures.rows[position];
  if (at !== undefined && at.code === code) return at;
  return figures.rows.find((f) => f.code === code);
}

/**
 * registration: only "Đăng ký" is required (start of the year);
 * report: both "Đăng ký" and "Thực hiện" are required (year end).
 */
export type Stage = "registration" | "report";

export interface ValidationResult {
  figures: SchoolFigures;
  problems: Problem[];
}

function targetLabel(t: Target): string {
  return `Chỉ tiêu "${t.name}" (${t.code})`;
}

function unitSuffix(t: Target): string {
  return t.kind === "percent" ? " %" : t.unit ? " " + t.unit : "";
}

function checkConstraints(t: Target, value: number): string | undefined {
  const c = effectiveConstraints(t);
  if (c.integer && !Number.isInteger(value))
    return (
      `${formatNumber(value, 6)} không phải số nguyên; ${t.unit || "số"} phải là số nguyên, ví ` +
      `dụ ${formatNumber(Math.round(value))}`
    );
  if (c.min !== undefined && value < c.min)
    return c.min === 0
      ? `${formatNumber(value, 6)} là số âm; hãy nhập số từ 0 trở lên`
      : `${formatNumber(value, 6)} nhỏ hơn mức tối thiểu ${formatNumber(c.min)}${unitSuffix(t)}`;
  if (c.max !== undefined && value > c.max) {
    const unit = unitSuffix(t);
    const hint =
      t.kind === "percent"
        ? `; hãy nhập tỷ lệ từ ${formatNumber(c.min ?? 0)} đến ${formatNumber(c.max)}, ví dụ 95,5%`
        : "";
    return `${formatNumber(value, 6)}${unit} vượt quá mức tối đa ${formatNumber(c.max)}${unit}${hint}`;
  }
  if (c.max === undefined && Math.abs(value) > DEFAULT_COUNT_MAX)
    return (
      `${Math.abs(value) >= 1e15 ? value.toExponential(3).replace(".", ",") : formatNumber(value, 0)} lớn ` +
      `bất thường cho một chỉ tiêu thi đua (giới ` +
      `hạn ${formatNumber(DEFAULT_COUNT_MAX)}${unitSuffix(t)}); hãy kiểm tra lại số đã nhập, ` +
      `hoặc ghi mức tối đa (constraints.max) trong tệp định nghĩa cụm`
    );
  return undefined;
}

/**
 * One figure cell: its value, or the message for a value that cannot be
 * read or breaks a constraint. Empty is a value (null) here; whether it is
 * allowed depends on the stage, which only the whole report knows.
 */
export function checkFigure(
  target: Target,
  field: "registered" | "achieved",
  cell: RawCell,
): { value: FigureValue | null } | { message: string } {
  const v = figureOrRefusal(target, field, cell);
  return v instanceof CellRefusal ? { message: v.reason } : { value: v };
}

/** checkFigure without a wrapper object for the common valid case: the validation loop runs it for every cell. */
function figureOrRefusal(
  target: Target,
  field: "registered" | "achieved",
  cell: RawCell,
): FigureValue | null | CellRefusal {
  const parsed = parseCellValue(target, cell);
  const bad =
    parsed instanceof CellRefusal
      ? parsed.reason
      : typeof parsed === "number"
        ? checkConstraints(target, parsed)
        : undefined;
  if (bad === undefined) return parsed as FigureValue | null;
  return new CellRefusal(`${targetLabel(target)}, cột ${FIELD_LABEL[field]}: ${bad}.`);
}

const FIGURE_FIELDS = ["registered", "achieved"] as const;
const REGISTRATION_FIELDS = ["registered"] as const;

function checkedFigure(
  target: Target,
  field: "registered" | "achieved",
  row: RawRow,
  problems: Problem[],
  schoolCode: string,
): FigureValue | null {
  const checked = figureOrRefusal(target, field, row[field]);
  if (!(checked instanceof CellRefusal)) return checked;
  problems.push({
    severity: "error",
    school: schoolCode,
    target: target.code,
    field,
    cell: row.refs?.[field],
    message: checked.reason,
  });
  return null;
}

/** Parses and checks one school's rows. Never throws, whatever the cells hold. */
export function validateSchoolRows(
  def: ClusterDefinition,
  schoolCode: string,
  rows: readonly RawRow[],
  stage: Stage = "report",
): ValidationResult {
  const problems: Problem[] = [];
  // Slots in definition order, compacted at the end: rows usually come in that order anyway.
  const slots: (TargetFigures | undefined)[] = new Array<TargetFigures | undefined>(def.targets.length);
  const position = positionIndex(def);
  // Per target position: the cell references of its row, for messages about the whole row.
  const refsAt: RawRow["refs"][] = [];

  const push = (p: Omit<Problem, "school" | "severity"> & { severity?: Problem["severity"] }) =>
    problems.push({ severity: "error", school: schoolCode, ...p });

  for (const row of rows) {
    const codeText = cellText(row.code);
    const at = position.get(codeText) ?? position.get(matchKey(codeText));
    if (at === undefined) {
      push({
        field: "code",
        cell: row.refs?.code,
        message:
          `Mã chỉ tiêu "${codeText}" không có trong định nghĩa cụm năm ${def.year}; hãy dùng ` +
          `đúng mẫu của năm ${def.year}, không thêm hoặc sửa mã.`,
      });
      continue;
    }
    const target = def.targets[at]!;
    if (slots[at] !== undefined) {
      const first = refsAt[at]?.code;
      push({
        target: target.code,
        field: "code",
        cell: row.refs?.code,
        message:
          `${targetLabel(target)} xuất hiện hai lần${first ? ` (đã có ở ô ${first})` : ""}; hãy ` +
          `xóa hàng thừa để mỗi chỉ tiêu chỉ có một hàng.`,
      });
      continue;
    }
    refsAt[at] = row.refs;

    const registered = checkedFigure(target, "registered", row, problems, schoolCode);
    const achieved = checkedFigure(target, "achieved", row, problems, schoolCode);
    let note = "";
    if (row.note.formula) {
      push({
        target: target.code,
        field: "note",
        cell: row.refs?.note,
        message:
          `${targetLabel(target)}, cột Ghi chú: ô chứa công thức "${row.note.formula}"; ghi chú ` +
          `chỉ nhận văn bản — hãy xóa dấu "=" ở đầu hoặc gõ lại nội dung.`,
      });
    } else {
      note = cellText(row.note.value);
    }
    // Built once with its final values: V8 keeps one stable shape for all of them.
    slots[at] = { code: target.code, registered, achieved, note };
  }

  for (let i = 0; i < def.targets.length; i++) {
    const target = def.targets[i]!;
    const f = slots[i];
    const c = effectiveConstraints(target);
    if (!f) {
      push({
        target: target.code,
        message: `Thiếu hàng của ${targetLabel(target)}; hãy dùng mẫu đúng năm ${def.year} và không xóa hàng.`,
      });
      continue;
    }
    if (!c.required) continue;
    for (const field of stage === "report" ? FIGURE_FIELDS : REGISTRATION_FIELDS) {
      // A refused cell reads as empty too; it is already reported, not "not entered".
      if (
        f[field] !== null ||
        problems.some((p) => p.target === target.code && p.field === field && p.severity === "error")
      )
        continue;
      const what =
        target.kind === "yesno"
          ? `hãy chọn "Đạt" hoặc "Không đạt"`
          : target.kind === "level"
            ? "hãy chọn mức"
            : "hãy nhập số (nhập 0 nếu không có)";
      push({
        target: target.code,
        field,
        cell: refsAt[i]?.[field],
        missing: true,
        message: `${targetLabel(target)}: chưa nhập cột ${FIELD_LABEL[field]}; ${what}.`,
      });
    }
    if (
      target.kind === "count" &&
      typeof f.registered === "number" &&
      typeof f.achieved === "number" &&
      f.registered > 0 &&
      f.achieved > 10 * f.registered
    ) {
      push({
        severity: "warning",
        target: target.code,
        field: "achieved",
        cell: refsAt[i]?.achieved,
        message:
          `${targetLabel(target)}: Thực hiện ${formatFigure(target, f.achieved)} gấp hơn 10 lần ` +
          `Đăng ký ${formatFigure(target, f.registered)}; hãy kiểm tra có gõ thừa chữ số không.`,
      });
    }
  }
  const present: TargetFigures[] = [];
  for (const f of slots) if (f !== undefined) present.push(f);
  return { figures: { school: schoolCode, rows: present }, problems };
}

/**
 * Validates figures already parsed (e.g. sent back by a dialog) by rendering them as raw rows; codes are kept as sent,
 * so a code the definition no longer has is reported.
 */
export function figuresToRows(figures: SchoolFigures): RawRow[] {
  // Sent over google.script.run: a malformed payload reads as a report with no rows, which validation refuses in
  // Vietnamese.
  const rows: unknown = (figures as Partial<SchoolFigures> | null)?.rows;
  if (!Array.isArray(rows)) return [];
  return (rows as (Partial<TargetFigures> | null)[]).map((f) => ({
    code: f?.code,
    registered: { value: f?.registered },
    achieved: { value: f?.achieved },
    note: { value: f?.note },
  }));
}

/** No figure typed at all: the school has not started, which is "missing", not "invalid". */
export function isBlankReport(rows: readonly RawRow[]): boolean {
  return rows.every((r) => cellText(r.registered.value) === "" && cellText(r.achieved.value) === "");
}
