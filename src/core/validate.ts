/**
 * Validation of one school's rows against the cluster definition. The rows
 * come from a sheet or a workbook through the layout reader, each cell with
 * its A1 reference, so every problem can point at the cell to fix.
 */
import { effectiveConstraints, type ClusterDefinition, type Target } from "./definition";
import { formatNumber } from "./format";
import { CellRefusal, cellText, formatFigure, parseCellValue, type FigureValue, type RawCell } from "./parse";
import { FIELD_LABEL, type Field, type Problem } from "./problem";
import { matchKey } from "./text";

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

export interface TargetFigures {
  registered: FigureValue | null;
  achieved: FigureValue | null;
  note: string;
}

/** A school's parsed figures, keyed by target code (as written in the definition). */
export interface SchoolFigures {
  school: string;
  values: Record<string, TargetFigures>;
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

function checkConstraints(t: Target, value: number): string | undefined {
  const c = effectiveConstraints(t);
  const unit = t.kind === "percent" ? " %" : t.unit ? " " + t.unit : "";
  if (c.integer && !Number.isInteger(value))
    return `${formatNumber(value, 6)} không phải số nguyên; ${t.unit || "số"} phải là số nguyên, ví dụ ${formatNumber(Math.round(value))}`;
  if (c.min !== undefined && value < c.min)
    return c.min === 0 ? `${formatNumber(value, 6)} là số âm; hãy nhập số từ 0 trở lên` : `${formatNumber(value, 6)} nhỏ hơn mức tối thiểu ${formatNumber(c.min)}${unit}`;
  if (c.max !== undefined && value > c.max) {
    const hint = t.kind === "percent" ? `; hãy nhập tỷ lệ từ ${formatNumber(c.min ?? 0)} đến ${formatNumber(c.max)}, ví dụ 95,5%` : "";
    return `${formatNumber(value, 6)}${unit} vượt quá mức tối đa ${formatNumber(c.max)}${unit}${hint}`;
  }
  return undefined;
}

const indexes = new WeakMap<ClusterDefinition, Map<string, Target>>();
/** Targets by match key, built once per definition: Tổng hợp validates every school against the same one. */
export function targetIndex(def: ClusterDefinition): Map<string, Target> {
  let index = indexes.get(def);
  if (!index) {
    index = new Map(def.targets.map((t) => [matchKey(t.code), t]));
    indexes.set(def, index);
  }
  return index;
}

/**
 * One figure cell: its value, or the message for a value that cannot be
 * read or breaks a constraint. Empty is a value (null) here; whether it is
 * allowed depends on the stage, which only the whole report knows.
 */
export function checkFigure(target: Target, field: "registered" | "achieved", cell: RawCell): { value: FigureValue | null } | { message: string } {
  const v = figureOrRefusal(target, field, cell);
  return v instanceof CellRefusal ? { message: v.reason } : { value: v };
}

/** checkFigure without a wrapper object for the common valid case: the validation loop runs it for every cell. */
function figureOrRefusal(target: Target, field: "registered" | "achieved", cell: RawCell): FigureValue | null | CellRefusal {
  const parsed = parseCellValue(target, cell);
  const bad = parsed instanceof CellRefusal ? parsed.reason : typeof parsed === "number" ? checkConstraints(target, parsed) : undefined;
  if (bad === undefined) return parsed as FigureValue | null;
  return new CellRefusal(`${targetLabel(target)}, cột ${FIELD_LABEL[field]}: ${bad}.`);
}

const FIGURE_FIELDS = ["registered", "achieved"] as const;
const REGISTRATION_FIELDS = ["registered"] as const;

/** Parses and checks one school's rows. Never throws, whatever the cells hold. */
export function validateSchoolRows(def: ClusterDefinition, schoolCode: string, rows: readonly RawRow[], stage: Stage = "report"): ValidationResult {
  const problems: Problem[] = [];
  const values: Record<string, TargetFigures> = {};
  const byKey = targetIndex(def);
  const seen = new Map<string, string | undefined>();

  const push = (p: Omit<Problem, "school" | "severity"> & { severity?: Problem["severity"] }) =>
    problems.push({ severity: "error", school: schoolCode, ...p });

  for (const row of rows) {
    const codeText = cellText(row.code);
    const target = byKey.get(matchKey(codeText));
    if (!target) {
      push({
        field: "code",
        cell: row.refs?.code,
        message: `Mã chỉ tiêu "${codeText}" không có trong định nghĩa cụm năm ${def.year}; hãy dùng đúng mẫu của năm ${def.year}, không thêm hoặc sửa mã.`,
      });
      continue;
    }
    if (seen.has(target.code)) {
      const first = seen.get(target.code);
      push({
        target: target.code,
        field: "code",
        cell: row.refs?.code,
        message: `${targetLabel(target)} xuất hiện hai lần${first ? ` (đã có ở ô ${first})` : ""}; hãy xóa hàng thừa để mỗi chỉ tiêu chỉ có một hàng.`,
      });
      continue;
    }
    seen.set(target.code, row.refs?.code);

    let registered: FigureValue | null = null;
    let achieved: FigureValue | null = null;
    for (const field of FIGURE_FIELDS) {
      const checked = figureOrRefusal(target, field, row[field]);
      if (checked instanceof CellRefusal) push({ target: target.code, field, cell: row.refs?.[field], message: checked.reason });
      else if (field === "registered") registered = checked;
      else achieved = checked;
    }
    let note = "";
    if (row.note.formula) {
      push({
        target: target.code,
        field: "note",
        cell: row.refs?.note,
        message: `${targetLabel(target)}, cột Ghi chú: ô chứa công thức "${row.note.formula}"; ghi chú chỉ nhận văn bản — hãy xóa dấu "=" ở đầu hoặc gõ lại nội dung.`,
      });
    } else {
      note = cellText(row.note.value);
    }
    // Built once with its final values: V8 keeps one stable shape for all of them.
    values[target.code] = { registered, achieved, note };
  }

  for (const target of def.targets) {
    const f = values[target.code];
    const c = effectiveConstraints(target);
    if (!f) {
      if (!seen.has(target.code))
        push({ target: target.code, message: `Thiếu hàng của ${targetLabel(target)}; hãy dùng mẫu đúng năm ${def.year} và không xóa hàng.` });
      continue;
    }
    if (!c.required) continue;
    for (const field of stage === "report" ? FIGURE_FIELDS : REGISTRATION_FIELDS) {
      if (f[field] !== null || problems.some((p) => p.target === target.code && p.severity === "error")) continue;
      const what = target.kind === "yesno" ? `hãy chọn "Đạt" hoặc "Không đạt"` : target.kind === "level" ? "hãy chọn mức" : "hãy nhập số (nhập 0 nếu không có)";
      const ref = rows.find((r) => matchKey(cellText(r.code)) === matchKey(target.code))?.refs?.[field];
      push({ target: target.code, field, cell: ref, message: `${targetLabel(target)}: chưa nhập cột ${FIELD_LABEL[field]}; ${what}.` });
    }
    if (target.kind === "count" && typeof f.registered === "number" && typeof f.achieved === "number" && f.registered > 0 && f.achieved > 10 * f.registered) {
      const ref = rows.find((r) => matchKey(cellText(r.code)) === matchKey(target.code))?.refs?.achieved;
      push({
        severity: "warning",
        target: target.code,
        field: "achieved",
        cell: ref,
        message: `${targetLabel(target)}: Thực hiện ${formatFigure(target, f.achieved)} gấp hơn 10 lần Đăng ký ${formatFigure(target, f.registered)}; hãy kiểm tra có gõ thừa chữ số không.`,
      });
    }
  }
  return { figures: { school: schoolCode, values }, problems };
}

/** Validates figures already parsed (e.g. sent back by a dialog) by rendering them as raw rows. */
export function figuresToRows(def: ClusterDefinition, figures: SchoolFigures): RawRow[] {
  return def.targets
    .filter((t) => figures.values[t.code])
    .map((t) => {
      const f = figures.values[t.code]!;
      return { code: t.code, registered: { value: f.registered }, achieved: { value: f.achieved }, note: { value: f.note } };
    });
}


/** No figure typed at all: the school has not started, which is "missing", not "invalid". */
export function isBlankReport(rows: readonly RawRow[]): boolean {
  return rows.every((r) => cellText(r.registered.value) === "" && cellText(r.achieved.value) === "");
}

/**
 * The stage a school's sheet is in when the cluster does not say: once any
 * "Thực hiện" figure is typed, the year-end report must be complete;
 * before that only "Đăng ký" is required.
 */
export function inferStage(rows: readonly RawRow[]): Stage {
  return rows.some((r) => cellText(r.achieved.value) !== "") ? "report" : "registration";
}
