/**
 * Where every field sits. A school's sheet and the summary sheets are built
 * here as SheetSpecs (model -> grid) and a school's sheet is read back here
 * (grid -> rows); the Google Sheet and the Excel file share this layout.
 */
import {
  effectiveConstraints,
  levelsOf,
  type ClusterDefinition,
  type School,
  type Target,
} from "../definition/definition";
import { a1, type Problem } from "../problem";
import type { RawCell } from "../figures/parse";
import { cellText, percentToFraction } from "../figures/parse";
import {
  range,
  safeSheetName,
  type CellRange,
  type CellStyle,
  type CellValue,
  type InputSpec,
  type SheetSpec,
} from "./sheet-spec";
import { matchKey } from "../text/text";
import { offlineStatusBlock, STATUS_LINES, type StatusBlock } from "./status-block";
import { figuresOf, type RawRow, type SchoolFigures } from "../figures/validate";

export const SCHOOL_HEADERS = ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Đăng ký", "Thực hiện", "Ghi chú"] as const;

/** Column of each field in a school's sheet as the template writes it. */
export const COL = { stt: 0, code: 1, name: 2, unit: 3, registered: 4, achieved: 5, note: 6 } as const;
/**
 * Rows from the top: three title rows, the status block (STATUS_LINES lines
 * the add-on writes, then the checkbox row), one line of typing help, the
 * header. The block's size never changes, so the header stays on one row.
 */
export const TITLE_ROWS = 3;
export const STATUS_FIRST_ROW = TITLE_ROWS;
/** The checkbox row: the box in column A (the school's to tick), its text in column C (the add-on's). */
export const CHECKBOX_ROW = STATUS_FIRST_ROW + STATUS_LINES;
export const CHECKBOX_COL = COL.stt;
/** Text of the titles and the block: the widest of the frozen label columns, so it wraps within a phone's screen. */
export const TEXT_COL = COL.name;
export const SCHOOL_HEADER_ROW = CHECKBOX_ROW + 2;
/**
 * Columns frozen on the left: STT, Mã and Chỉ tiêu stay in view while the
 * figures scroll under them. They are kept narrow (about 240 pixels in all)
 * so that a phone's screen still shows a figure column beside them; a
 * target's name wraps onto more lines instead.
 */
export const FROZEN_COLUMNS = COL.name + 1;
const WIDTHS = [3, 7, 22, 8, 10, 10, 16];
const HEADER_FILL = "#DCE6F1";
const GROUP_FILL = "#F2F2F2";
const INPUT_FILL = "#FFFDE7";

export const PERCENT_FORMAT = "0.0%";
/** Plain text: the cell keeps what is written, never parsed as a number or a date. */
export const TEXT_FORMAT = "@";
/**
 * Whole numbers grouped with literal dots ("19.082") whatever the reader's
 * locale: an English-locale Excel would otherwise show "19,082".
 */
export const VN_INTEGER_FORMAT = '[>=1000000]#"."###"."###;[>=1000]#"."###;0';
export function numberFormatFor(t: Target): string | undefined {
  if (t.kind === "percent") return PERCENT_FORMAT;
  if (t.kind === "count") return effectiveConstraints(t).integer ? VN_INTEGER_FORMAT : "#,##0.##";
  return undefined;
}

export function schoolSheetName(school: School): string {
  return safeSheetName(school.shortName ?? school.province);
}

export function yearTitle(def: ClusterDefinition): string {
  return `BẢNG ĐĂNG KÝ VÀ KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA NĂM ${def.year}`;
}

const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"];
export function roman(n: number): string {
  return ROMAN[n - 1] ?? String(n);
}

export interface TargetRow {
  target: Target;
  /** Running number shown in STT. */
  number: number;
}
export type SheetLine = { group: { name: string; label: string } } | { row: TargetRow };

/** Targets in definition order with a heading line wherever the group changes. */
export function targetLines(def: ClusterDefinition): SheetLine[] {
  const groupName = new Map((def.groups ?? []).map((g) => [g.code, g.name]));
  const lines: SheetLine[] = [];
  let current: string | undefined;
  let groupCount = 0;
  def.targets.forEach((target, i) => {
    if (target.group && target.group !== current) {
      groupCount++;
      lines.push({ group: { name: groupName.get(target.group) ?? target.group, label: roman(groupCount) } });
    }
    current = target.group;
    lines.push({ row: { target, number: i + 1 } });
  });
  return lines;
}

/** A figure as it sits in a cell: percent as a fraction under a percent format, yes/no as its label. */
export function figureToCell(t: Target, value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return levelsOf(t)[value ? 0 : 1] ?? null;
  if (typeof value === "number") return t.kind === "percent" ? percentToFraction(value) : value;
  return typeof value === "string" ? value : null;
}

function inputFor(t: Target, where: CellRange): InputSpec {
  const c = effectiveConstraints(t);
  switch (t.kind) {
    case "count": {
      const lo = c.min ?? 0;
      const bounds = c.max !== undefined ? `từ ${lo} đến ${c.max}` : `từ ${lo} trở lên`;
      return {
        range: where,
        rule: { type: c.integer ? "whole" : "decimal", min: lo, max: c.max },
        prompt: `Nhập số ${t.unit} (${c.integer ? "số nguyên " : ""}${bounds}). Nhập 0 nếu không có.`,
        error: `Chỉ tiêu "${t.name}" cần một ${c.integer ? "số nguyên" : "số"} ${bounds} (${t.unit}).`,
      };
    }
    case "percent": {
      const lo = c.min ?? 0;
      const hi = c.max ?? 100;
      return {
        range: where,
        rule: { type: "decimal", min: lo / 100, max: hi / 100 },
        prompt: `Nhập tỷ lệ phần trăm từ ${lo} đến ${hi}, ví dụ 95,5%.`,
        error: `Chỉ tiêu "${t.name}" cần tỷ lệ từ ${lo} % đến ${hi} %, ví dụ 95,5%.`,
      };
    }
    default: {
      const values = levelsOf(t);
      return {
        range: where,
        rule: { type: "list", values },
        prompt: `Chọn ${values.map((v) => `"${v}"`).join(" hoặc ")} từ danh sách.`,
        error: `Chỉ tiêu "${t.name}" chỉ nhận ${values.map((v) => `"${v}"`).join(" hoặc ")}.`,
      };
    }
  }
}

export interface SchoolSheetLayout {
  spec: SheetSpec;
  /** 0-based row of each target code. */
  rowOf: Record<string, number>;
}

/**
 * A school's sheet: titles, the status block, the header row, one row per
 * target, input rules and protection. Without a block (an Excel template)
 * the block says that the file does not update itself. Online nothing is
 * merged: the text above the header sits in the frozen Chỉ tiêu column and
 * wraps, so it reads on a phone without scrolling sideways. An Excel file is
 * read and printed on a computer, whose office suite does not grow a row for
 * its wrapped text: there each line above the header spans the table's width
 * (merged, no frozen columns), and its height is written with it.
 */
export function buildSchoolSheet(
  def: ClusterDefinition,
  school: School,
  figures?: SchoolFigures,
  name = schoolSheetName(school),
  block: StatusBlock = offlineStatusBlock(),
): SchoolSheetLayout {
  const width = SCHOOL_HEADERS.length;
  const blank = (): CellValue[] => Array<CellValue>(width).fill(null);
  const grid: CellValue[][] = [];
  const text = (line: string) => {
    const r = blank();
    r[TEXT_COL] = line || null;
    grid.push(r);
  };
  text(def.name.toLocaleUpperCase("vi"));
  text(yearTitle(def));
  text(`${school.name} (mã trường: ${school.code})`);
  for (const line of block.lines) text(line);
  text(block.checkboxText);
  text("Nhập số liệu vào các ô màu vàng. Phần trăm gõ như 95,5%; chỉ tiêu Đạt/Không đạt chọn từ danh sách.");
  grid.push([...SCHOOL_HEADERS]);

  const online = block.checked !== null;
  if (online) grid[CHECKBOX_ROW]![CHECKBOX_COL] = block.checked;
  const styles: CellStyle[] = [
    { range: range(0, 0, TITLE_ROWS, width), bold: true, wrap: true, valign: "top" },
    { range: range(1, 0, 1, width), fontSize: 13 },
    { range: range(2, 0, 1, width), bold: false, italic: true },
    { range: range(STATUS_FIRST_ROW, 0, STATUS_LINES + 1, width), wrap: true, valign: "top", fontSize: 10 },
    { range: range(STATUS_FIRST_ROW, 0, 1, width), bold: true, fill: HEADER_FILL },
    { range: range(STATUS_FIRST_ROW + 3, 0, 1, width), bold: true },
    { range: range(CHECKBOX_ROW, 0, 1, width), bold: true, fill: HEADER_FILL },
    { range: range(CHECKBOX_ROW + 1, 0, 1, width), italic: true, fontSize: 10, color: "#555555", wrap: true },
    {
      range: range(SCHOOL_HEADER_ROW, 0, 1, width),
      bold: true,
      align: "center",
      fill: HEADER_FILL,
      border: true,
      wrap: true,
      valign: "middle",
    },
  ];
  const merges: CellRange[] = [];
  if (!online)
    grid.forEach((row, r) => {
      if (r < SCHOOL_HEADER_ROW && row[TEXT_COL] !== null) merges.push(range(r, TEXT_COL, 1, width - TEXT_COL));
    });
  const inputs: InputSpec[] = [];
  if (online)
    inputs.push({
      range: range(CHECKBOX_ROW, CHECKBOX_COL),
      rule: { type: "checkbox" },
      prompt: "Đánh dấu để xác nhận số liệu của trường.",
      error: "Ô này chỉ nhận dấu chọn.",
    });
  const editable: CellRange[] = [];
  const rowOf = Object.create(null) as Record<string, number>;

  for (const line of targetLines(def)) {
    const r = grid.length;
    const row = blank();
    if ("group" in line) {
      row[COL.stt] = line.group.label;
      row[COL.name] = line.group.name;
      grid.push(row);
      styles.push({ range: range(r, 0, 1, width), bold: true, fill: GROUP_FILL, border: true });
      continue;
    }
    const t = line.row.target;
    const f = figuresOf(def, figures, t.code);
    row[COL.stt] = line.row.number;
    row[COL.code] = t.code;
    row[COL.name] = t.name;
    row[COL.unit] = t.kind === "percent" ? "%" : t.unit;
    row[COL.registered] = figureToCell(t, f?.registered);
    row[COL.achieved] = figureToCell(t, f?.achieved);
    row[COL.note] = f?.note ? f.note : null;
    grid.push(row);
    rowOf[t.code] = r;
    styles.push({ range: range(r, 0, 1, width), border: true, wrap: true, valign: "middle" });
    styles.push({ range: range(r, COL.stt, 1, 2), align: "center" });
    styles.push({ range: range(r, COL.unit, 1, 1), align: "center" });
    const figureCells = range(r, COL.registered, 1, 2);
    styles.push({ range: figureCells, fill: INPUT_FILL, align: "right", numberFormat: numberFormatFor(t) });
    // Notes are text: "@" keeps "05/06" or "1.234" from being read as a date or a number when typed or imported.
    styles.push({ range: range(r, COL.note, 1, 1), fill: INPUT_FILL, numberFormat: TEXT_FORMAT });
    if (t.kind === "yesno" || t.kind === "level") styles.push({ range: figureCells, align: "center" });
    inputs.push(inputFor(t, figureCells));
    const last = editable[editable.length - 1];
    if (last && last.row + last.rows === r) last.rows++;
    else editable.push(range(r, COL.registered, 1, 3));
  }

  const spec: SheetSpec = {
    name,
    grid,
    merges,
    styles,
    widths: WIDTHS,
    // Rows are not frozen: with the block above the header they would fill a phone's screen.
    frozenRows: 0,
    frozenColumns: online ? FROZEN_COLUMNS : 0,
    printTitleRow: SCHOOL_HEADER_ROW,
    inputs,
    colourScales: [],
    editable,
  };
  return { spec, rowOf };
}

// ---------------------------------------------------------------------------
// Reading a school's sheet back.

const HEADER_ALIASES: Record<keyof typeof COL, string[]> = {
  stt: ["stt", "tt", "số tt"],
  code: ["mã", "mã chỉ tiêu", "mã số"],
  name: ["chỉ tiêu", "nội dung", "tên chỉ tiêu"],
  unit: ["đơn vị tính", "đvt", "đơn vị"],
  registered: ["đăng ký", "đăng kí", "chỉ tiêu đăng ký"],
  achieved: ["thực hiện", "kết quả thực hiện", "kết quả"],
  note: ["ghi chú"],
};
const REQUIRED_COLUMNS = ["code", "registered", "achieved"] as const;
const HEADER_SCAN_ROWS = 30;

export interface GridCellInfo {
  percentFormatted?: boolean;
  formula?: string;
}

export interface GridReadOptions {
  sheet?: string;
  /** Format and formula of a cell, where the source knows them (exceljs does, a plain grid does not). */
  cellInfo?: (row: number, col: number) => GridCellInfo | undefined;
}

export interface GridReadResult {
  rows: RawRow[];
  problems: Problem[];
  headerRow: number | null;
  columns: Partial<Record<keyof typeof COL, number>>;
}

interface Header {
  row: number;
  columns: Partial<Record<keyof typeof COL, number>>;
  /**
   * Fields more than one column answers to (an inserted "Kết quả" left of "Thực hiện"): never guessed between.
   */
  duplicates: { field: keyof typeof COL; cols: number[] }[];
}

function findHeader(grid: readonly (readonly unknown[])[]): Header | null {
  const limit = Math.min(grid.length, HEADER_SCAN_ROWS);
  for (let r = 0; r < limit; r++) {
    const found = new Map<keyof typeof COL, number[]>();
    (grid[r] ?? []).forEach((cell, c) => {
      const key = matchKey(cellText(cell));
      for (const field of Object.keys(HEADER_ALIASES) as (keyof typeof COL)[])
        if (HEADER_ALIASES[field].includes(key)) found.set(field, [...(found.get(field) ?? []), c]);
    });
    // Three known labels make a header row, even with a required column deleted.
    if (found.size >= 3) {
      const columns: Partial<Record<keyof typeof COL, number>> = {};
      const duplicates: Header["duplicates"] = [];
      for (const [field, cols] of found) {
        columns[field] = cols[0];
        if (cols.length > 1) duplicates.push({ field, cols });
      }
      return { row: r, columns, duplicates };
    }
  }
  return null;
}

/** "full": a header row with every column this layout needs; "partial": a header row missing some. */
export function schoolSheetMatch(grid: readonly (readonly unknown[])[]): "full" | "partial" | "none" {
  const h = findHeader(grid);
  if (!h) return "none";
  return REQUIRED_COLUMNS.every((c) => h.columns[c] !== undefined) ? "full" : "partial";
}

export function looksLikeSchoolSheet(grid: readonly (readonly unknown[])[]): boolean {
  return schoolSheetMatch(grid) === "full";
}

/**
 * Reads target rows from a school's grid. The header row is found by its
 * labels, so moved columns, extra title rows and blank rows are fine; a
 * deleted column or a row with figures but no code is a problem.
 */
export function readSchoolGrid(grid: readonly (readonly unknown[])[], options: GridReadOptions = {}): GridReadResult {
  const sheet = options.sheet;
  const header = findHeader(grid);
  if (!header) {
    return {
      rows: [],
      headerRow: null,
      columns: {},
      problems: [
        {
          severity: "error",
          sheet,
          message:
            `Không tìm thấy hàng tiêu đề (${SCHOOL_HEADERS.join(", ")}) trong ${HEADER_SCAN_ROWS} ` +
            `hàng đầu; có thể trang đã bị sửa cấu trúc — hãy tải lại mẫu và nhập ` +
            `lại số liệu.`,
        },
      ],
    };
  }
  const { columns } = header;
  const problems: Problem[] = [];
  for (const field of REQUIRED_COLUMNS)
    if (columns[field] === undefined)
      problems.push({
        severity: "error",
        sheet,
        cell: `${header.row + 1}:${header.row + 1}`,
        message:
          `Hàng tiêu đề (hàng ${header.row + 1}) thiếu cột "${SCHOOL_HEADERS[COL[field]]}"; có ` +
          `thể cột đã bị xóa — hãy tải lại mẫu và nhập lại số liệu.`,
      });
  for (const d of header.duplicates)
    problems.push({
      severity: "error",
      sheet,
      cell: a1(header.row, d.cols[0]!),
      message:
        `Có ${d.cols.length} cột cùng là cột "${SCHOOL_HEADERS[COL[d.field]]}": ` +
        `${d.cols.map((c) => `${a1(header.row, c)} "${cellText(grid[header.row]?.[c])}"`).join(" và ")} ` +
        `(có thể có cột chèn thêm hoặc cột ẩn). Chương trình không đoán cột nào đúng; ` +
        `hãy xóa cột thừa hoặc đổi tiêu đề của nó.`,
    });
  if (problems.length) return { rows: [], problems, headerRow: header.row, columns };

  const at = (r: number, field: keyof typeof COL): RawCell => {
    const c = columns[field];
    if (c === undefined) return { value: null };
    const info = options.cellInfo?.(r, c);
    return { value: grid[r]?.[c] ?? null, percentFormatted: info?.percentFormatted ?? true, formula: info?.formula };
  };
  const ref = (r: number, field: keyof typeof COL) =>
    columns[field] === undefined ? undefined : a1(r, columns[field]!);

  const rows: RawRow[] = [];
  for (let r = header.row + 1; r < grid.length; r++) {
    const code = at(r, "code");
    const registered = at(r, "registered");
    const achieved = at(r, "achieved");
    const note = at(r, "note");
    if (cellText(code.value) === "") {
      if (cellText(registered.value) !== "" || cellText(achieved.value) !== "")
        problems.push({
          severity: "error",
          sheet,
          cell: ref(r, "code"),
          message:
            `Hàng ${r + 1} có số liệu nhưng không có mã chỉ tiêu; hãy chuyển số liệu vào ` +
            `đúng hàng của chỉ tiêu hoặc xóa hàng này.`,
        });
      continue;
    }
    rows.push({
      code: code.value,
      registered,
      achieved,
      note,
      refs: {
        code: ref(r, "code"),
        registered: ref(r, "registered"),
        achieved: ref(r, "achieved"),
        note: ref(r, "note"),
      },
      row: r,
    });
  }
  return { rows, problems, headerRow: header.row, columns };
}
