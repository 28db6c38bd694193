/**
 * Reads a filled school workbook back into validated figures. The file may
 * come from Excel, LibreOffice or Google Sheets, so cells are unwrapped from
 * every form exceljs gives (shared and inline strings, rich text, formulas
 * with cached results, hyperlinks, merged cells) into plain values, and the
 * sheet is found by its identity and headers, not by name alone.
 */
import ExcelJS from "exceljs";
import type { ClusterDefinition, School } from "../core/definition/definition";
import { schoolSheetMatch, schoolSheetName, type GridCellInfo } from "../core/sheets/school-layout";
import { readSchoolReport, refusedReport, type SchoolReport } from "../core/pipeline";
import { cellText } from "../core/figures/parse";
import { withPlace, type Problem } from "../core/problem";
import {
  checkMeta,
  META_MARKER,
  META_SHEET,
  readMeta,
  type ReadMeta,
  type TemplateMeta,
} from "../core/sheets/template-meta";
import { matchKey } from "../core/text/text";
import type { SchoolFigures, Stage } from "../core/figures/validate";
import { checkXlsxContainer } from "./zip-guard";

/** Rows and columns read at most from one sheet; a template has a few dozen. */
const MAX_ROWS = 2000;
const MAX_COLS = 60;

export interface Grid {
  values: unknown[][];
  info: Map<string, GridCellInfo>;
}

function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object" || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
  if ("error" in o) return String(o.error);
  if ("text" in o) return plain(o.text);
  if ("result" in o) return plain(o.result);
  return null;
}

/**
 * The worksheet as a 2-D array of plain values, with number formats and formulas on the side. A school's sheet is
 * read within MAX_ROWS × MAX_COLS; a sheet this program wrote (a locked summary, one column per school) is read
 * within the limits its caller gives.
 */
export function worksheetGrid(ws: ExcelJS.Worksheet, limits = { rows: MAX_ROWS, cols: MAX_COLS }): Grid {
  const values: unknown[][] = [];
  const info = new Map<string, GridCellInfo>();
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (r > limits.rows) return;
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (c > limits.cols) return;
      // Only the top-left cell of a merged range holds the value.
      if (cell.isMerged && cell.master !== cell) return;
      const raw = cell.value as unknown;
      const o = raw && typeof raw === "object" && !(raw instanceof Date) ? (raw as Record<string, unknown>) : undefined;
      const formula =
        o && ("formula" in o || "sharedFormula" in o)
          ? String(cell.formula ?? o.formula ?? o.sharedFormula)
          : undefined;
      const value = plain(raw);
      (values[r - 1] ??= [])[c - 1] = value;
      const percentFormatted = typeof cell.numFmt === "string" && cell.numFmt.includes("%");
      if (formula || percentFormatted) info.set(`${r - 1}:${c - 1}`, { formula, percentFormatted });
    });
  });
  for (let i = 0; i < values.length; i++) values[i] ??= [];
  return { values, info };
}

export interface WorkbookReport {
  file: string;
  school?: School;
  meta?: Partial<TemplateMeta>;
  sheet?: string;
  figures?: SchoolFigures;
  problems: Problem[];
  /** The school's report through the core pipeline, when the file is one of a member's. */
  report?: SchoolReport;
}

export async function loadWorkbook(
  bytes: Uint8Array,
  file: string,
): Promise<{ wb?: ExcelJS.Workbook; problems: Problem[] }> {
  const container = checkXlsxContainer(bytes);
  if (!container.ok) return { problems: [{ severity: "error", file, message: container.reason }] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    return {
      problems: [
        {
          severity: "error",
          file,
          message:
            "Tệp .xlsx bị hỏng hoặc không đúng định dạng Excel " +
            "nên không đọc được. Hãy mở " +
            "bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx.",
        },
      ],
    };
  }
  if (wb.worksheets.length === 0)
    return {
      problems: [{ severity: "error", file, message: "Tệp không có trang tính nào. Hãy dùng mẫu của trường." }],
    };
  return { wb, problems: [] };
}

function findMeta(wb: ExcelJS.Workbook): ReadMeta | undefined {
  const named = wb.getWorksheet(META_SHEET);
  const candidates = named ? [named, ...wb.worksheets] : wb.worksheets;
  for (const ws of candidates) {
    const first = plain(ws.getCell(1, 1).value);
    if (typeof first === "string" && matchKey(first) === META_MARKER) return readMeta(worksheetGrid(ws).values);
  }
  return undefined;
}

/**
 * The data sheet: the one the identity names if its header is complete,
 * else any sheet with a complete header (it was renamed), else a sheet with
 * a damaged header, so the reader can say which column is missing.
 */
function findDataSheet(
  wb: ExcelJS.Workbook,
  meta: Partial<TemplateMeta>,
): { ws: ExcelJS.Worksheet; grid: Grid; others: string[] } | undefined {
  const byName = meta.sheet ? wb.worksheets.find((w) => matchKey(w.name) === matchKey(meta.sheet!)) : undefined;
  const order = (byName ? [byName, ...wb.worksheets.filter((w) => w !== byName)] : wb.worksheets).filter(
    (w) => w.name !== META_SHEET,
  );
  let partial: { ws: ExcelJS.Worksheet; grid: Grid } | undefined;
  let full: { ws: ExcelJS.Worksheet; grid: Grid } | undefined;
  // Every sheet is looked at: a copy ("Đắk Lắk (2)") is a second set of figures,
  // and which one counts is not ours to guess.
  const others: string[] = [];
  for (const ws of order) {
    const grid = worksheetGrid(ws);
    const match = schoolSheetMatch(grid.values);
    if (match === "full") {
      if (full) others.push(ws.name);
      else full = { ws, grid };
    }
    if (match === "partial") partial ??= { ws, grid };
  }
  const chosen = full ?? partial;
  return chosen && { ...chosen, others };
}

/** The data sheet must be this school's: its name is not another school's province, its title names no other code. */
function sheetIdentityProblems(def: ClusterDefinition, school: School, ws: ExcelJS.Worksheet, grid: Grid): Problem[] {
  const problems: Problem[] = [];
  const other = def.schools.find((s) => s.code !== school.code && matchKey(schoolSheetName(s)) === matchKey(ws.name));
  if (other)
    problems.push({
      severity: "error",
      message:
        `Trang thông tin nhận dạng ghi mã trường ${school.code} (${school.name}), nhưng ` +
        `trang số liệu mang tên "${ws.name}" của ${other.name}. Tệp không được tính; hãy ` +
        `dùng đúng mẫu của trường mình.`,
    });
  for (let r = 0; r < Math.min(grid.values.length, 6); r++) {
    const text = cellText(grid.values[r]?.[0]);
    const m = /mã trường:\s*([A-Za-z0-9_-]+)/i.exec(text);
    if (m && matchKey(m[1]!) !== matchKey(school.code))
      problems.push({
        severity: "error",
        cell: `A${r + 1}`,
        message:
          `Tiêu đề trang ghi mã trường ${m[1]}, nhưng trang thông tin nhận dạng ghi ` +
          `${school.code}. Tệp không được tính; hãy dùng đúng mẫu của trường mình.`,
      });
  }
  return problems;
}

/** Reads, identifies and validates one school's workbook. Never throws on a bad file. */
export async function readSchoolWorkbook(
  def: ClusterDefinition,
  bytes: Uint8Array,
  file: string,
  stage: Stage = "report",
): Promise<WorkbookReport> {
  const loaded = await loadWorkbook(bytes, file);
  if (!loaded.wb) return { file, problems: loaded.problems };
  const wb = loaded.wb;
  const meta = findMeta(wb);
  const identity = checkMeta(def, meta, file);
  if (identity.problems.length) {
    const problems = withPlace(identity.problems, { school: identity.school?.code });
    const report = identity.school
      ? refusedReport(identity.school, { sheet: meta?.sheet ?? "", file }, problems)
      : undefined;
    return { file, meta, school: identity.school, problems, ...(report ? { report } : {}) };
  }
  const school = identity.school!;

  const found = findDataSheet(wb, meta!);
  if (!found) {
    const problems: Problem[] = [
      {
        severity: "error",
        file,
        school: school.code,
        sheet: meta!.sheet,
        message:
          `Không tìm thấy trang số liệu (trang có hàng tiêu đề STT, Mã, Chỉ tiêu, Đơn vị ` +
          `tính, Đăng ký, Thực hiện, Ghi chú). Có thể trang đã bị xóa hoặc sửa tiêu đề; ` +
          `hãy tải lại mẫu và nhập lại số liệu.`,
      },
    ];
    return {
      file,
      meta,
      school,
      problems,
      report: refusedReport(school, { sheet: meta!.sheet ?? "", file }, problems),
    };
  }
  const { ws, grid } = found;
  const wrongSheet = [
    ...sheetIdentityProblems(def, school, ws, grid),
    ...found.others.map((name): Problem => ({
      severity: "error",
      message:
        `Tệp có hai trang số liệu: "${ws.name}" và "${name}" (có thể là bản sao). Chương ` +
        `trình không đoán trang nào đúng; hãy xóa trang thừa rồi lưu lại.`,
    })),
  ];
  if (wrongSheet.length) {
    const problems = withPlace(wrongSheet, { file, sheet: ws.name, school: school.code });
    return {
      file,
      meta,
      school,
      sheet: ws.name,
      problems,
      report: refusedReport(school, { sheet: ws.name, file }, problems),
    };
  }
  const report = readSchoolReport(
    def,
    school,
    grid.values,
    { sheet: ws.name, file, cellInfo: (r, c) => grid.info.get(`${r}:${c}`) ?? { percentFormatted: false } },
    stage,
  );
  return { file, meta, school, sheet: ws.name, report, figures: report.figures, problems: report.problems };
}
