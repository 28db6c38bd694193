/**
 * The one path from a school's cells to the cluster's verdict:
 *
 *   grid (Sheets batchGet or exceljs) ─ readSchoolReport ─> SchoolReport ─┐
 *   grid ─ readSchoolReport ─> SchoolReport ─────────────────────────────┼─ judge ─> Verdict
 *   ...                                                                   ┘   (summary + ranking)
 *
 * Every entry point, online or offline, goes through these two functions with
 * the stage the year's lifecycle gives (stageOfPhase), never one guessed from
 * which cells happen to be filled. docs/architecture.md draws the whole picture.
 */
import type { ClusterDefinition, School } from "./definition/definition";
import { aggregateCluster, type ClusterSummary, type Submission } from "./figures/aggregate";
import { scoreCluster, type Ranking } from "./figures/score";
import { isBlankReport, validateSchoolRows, type SchoolFigures, type Stage } from "./figures/validate";
import type { Phase } from "./lock/lifecycle";
import { withPlace, type Field, type Problem } from "./problem";
import { readSchoolGrid, schoolSheetName, type GridCellInfo } from "./sheets/school-layout";
import { cleanText } from "./text/text";

/** Until the pledge only Đăng ký is asked for; from the pledge on, the year-end report is. */
export function stageOfPhase(phase: Phase): Stage {
  return phase === "registration" ? "registration" : "report";
}

/** Where a grid came from, for messages: the sheet always, the file when it came from one. */
export interface GridSource {
  sheet: string;
  file?: string;
  /** Number formats and formulas the grid's plain values do not carry (Excel files). */
  cellInfo?: (row: number, col: number) => GridCellInfo;
}

/** One school's hand-in, read and checked: what every entry point starts from. */
export interface SchoolReport {
  school: School;
  sheet: string;
  file?: string;
  /** Parsed figures; absent when the sheet itself could not be read (no sheet, broken header). */
  figures?: SchoolFigures;
  problems: Problem[];
  /** No figure typed at all: not handed in yet, which is "missing", not "invalid". */
  blank: boolean;
  /** A1 reference of each target's cells, by target code, to name a cell in later messages. */
  cells: Map<string, Partial<Record<Field, string>>>;
  /** 0-based row where the header was found (null: none), telling this layout from an older one. */
  headerRow?: number | null;
}

/** A school's grid (null: the sheet is not there) → its report under the given stage. */
export function readSchoolReport(
  def: ClusterDefinition,
  school: School,
  grid: readonly (readonly unknown[])[] | null,
  source: GridSource,
  stage: Stage,
): SchoolReport {
  const place = { sheet: source.sheet, school: school.code, ...(source.file ? { file: source.file } : {}) };
  const base: Pick<SchoolReport, "school" | "sheet" | "file" | "headerRow"> = {
    school,
    sheet: source.sheet,
    ...(source.file ? { file: source.file } : {}),
  };
  if (!grid) {
    const message =
      `Không có trang "${source.sheet}" của ${school.name}; ` + `hãy chạy Thi đua › Thiết lập / cập nhật bảng tính.`;
    return { ...base, problems: [{ severity: "error", ...place, message }], blank: false, cells: new Map() };
  }
  const read = readSchoolGrid(grid, { sheet: source.sheet, ...(source.cellInfo ? { cellInfo: source.cellInfo } : {}) });
  base.headerRow = read.headerRow;
  const cells = new Map<string, Partial<Record<Field, string>>>();
  for (const r of read.rows) if (r.refs) cells.set(cleanText(String(r.code ?? "")), r.refs);
  if (read.problems.length) return { ...base, problems: withPlace(read.problems, place), blank: false, cells };
  if (isBlankReport(read.rows)) {
    const message = `${school.name} chưa nhập số liệu nào; số liệu của trường chưa được tính.`;
    return { ...base, problems: [{ severity: "warning", ...place, message }], blank: true, cells };
  }
  const checked = validateSchoolRows(def, school.code, read.rows, stage);
  return { ...base, figures: checked.figures, problems: withPlace(checked.problems, place), blank: false, cells };
}

/** A hand-in refused before its cells were read (wrong year, broken file): counted as invalid, with its problems. */
export function refusedReport(school: School, source: GridSource, problems: Problem[]): SchoolReport {
  return {
    school,
    sheet: source.sheet,
    ...(source.file ? { file: source.file } : {}),
    problems,
    blank: false,
    cells: new Map(),
  };
}

/** Each member's sheet name, for reading all of them in one request. */
export function schoolSheetNames(def: ClusterDefinition): string[] {
  return def.schools.map(schoolSheetName);
}

/** Every member's report from grids keyed by sheet name (a Sheets batchGet): the online reading of a year. */
export function readClusterSheets(
  def: ClusterDefinition,
  grids: ReadonlyMap<string, readonly (readonly unknown[])[] | null>,
  stage: Stage,
): SchoolReport[] {
  return def.schools.map((school) => {
    const sheet = schoolSheetName(school);
    return readSchoolReport(def, school, grids.get(sheet) ?? null, { sheet }, stage);
  });
}

/** A report as the summary counts it: a blank one was not handed in. */
export function toSubmission(r: SchoolReport): Submission | undefined {
  if (r.blank) return undefined;
  return { school: r.school.code, figures: r.figures, problems: r.problems, source: r.file ?? r.sheet };
}

export interface Verdict {
  summary: ClusterSummary;
  ranking: Ranking;
}

/** Reports → the cluster summary and its ranking. Stray problems belong to no member (a foreign file). */
export function judge(def: ClusterDefinition, reports: readonly SchoolReport[], stray: Problem[] = []): Verdict {
  const submissions: Submission[] = [];
  for (const r of reports) {
    const s = toSubmission(r);
    if (s) submissions.push(s);
  }
  const summary = aggregateCluster(def, submissions, stray);
  return { summary, ranking: scoreCluster(summary) };
}
