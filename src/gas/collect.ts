/** Reading every school's sheet (one request) and validating it with core. */
import type { Submission } from "../core/figures/aggregate";
import type { ClusterDefinition } from "../core/definition/definition";
import { readSchoolGrid, schoolSheetName } from "../core/sheets/school-layout";
import { withPlace, type Problem } from "../core/problem";
import { inferStage, isBlankReport, validateSchoolRows } from "../core/figures/validate";
import { readSheets } from "./sheet-io";

export interface Collected {
  submissions: Submission[];
  /** Per school, the problems found, for the check report (warnings included). */
  problems: Problem[];
}

/**
 * Reads all school sheets in one Sheets API request; when a sheet is missing
 * the request fails as a whole, so only then are the existing names looked up.
 */
export function readAllSchoolSheets(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, names: string[]): Map<string, unknown[][] | null> {
  try {
    return readSheets(ss.getId(), names);
  } catch (e) {
    const existing = new Set(ss.getSheets().map((s) => s.getName()));
    const present = names.filter((n) => existing.has(n));
    const grids: Map<string, unknown[][] | null> = readSheets(ss.getId(), present);
    for (const n of names) if (!existing.has(n)) grids.set(n, null);
    if (present.length === names.length) throw e;
    return grids;
  }
}

export function collectSchools(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, def: ClusterDefinition): Collected {
  const names = def.schools.map(schoolSheetName);
  const grids = readAllSchoolSheets(ss, names);
  const submissions: Submission[] = [];
  const problems: Problem[] = [];
  def.schools.forEach((school, i) => {
    const sheet = names[i]!;
    const grid = grids.get(sheet);
    if (!grid) {
      const p: Problem = { severity: "error", school: school.code, sheet, message: `Không có trang "${sheet}" của ${school.name}; hãy chạy Thi đua › Thiết lập / cập nhật bảng tính.` };
      submissions.push({ school: school.code, problems: [p], source: sheet });
      problems.push(p);
      return;
    }
    const read = readSchoolGrid(grid, { sheet });
    if (read.problems.length) {
      const ps = withPlace(read.problems, { sheet, school: school.code });
      submissions.push({ school: school.code, problems: ps, source: sheet });
      problems.push(...ps);
      return;
    }
    if (isBlankReport(read.rows)) return;
    const checked = validateSchoolRows(def, school.code, read.rows, inferStage(read.rows));
    const ps = withPlace(checked.problems, { sheet, school: school.code });
    submissions.push({ school: school.code, figures: checked.figures, problems: ps, source: sheet });
    problems.push(...ps);
  });
  return { submissions, problems };
}
