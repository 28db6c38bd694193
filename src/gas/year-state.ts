/**
 * What every step of the year's sign-off shares: fingerprints computed with
 * Utilities.computeDigest, every school's figures read in one request, and
 * the protections derived from the stored state (so unlocking restores
 * exactly the rights the state gives).
 */
import type { ClusterDefinition, School } from "../core/definition/definition";
import { canonicalSchool, toHex } from "../core/lock/fingerprint";
import { readSchoolGrid, schoolSheetName } from "../core/sheets/school-layout";
import type { Transition, YearState } from "../core/lock/lifecycle";
import { UserError } from "../core/user-error";
import type { Problem } from "../core/problem";
import { cellText } from "../core/figures/parse";
import { validateSchoolRows, type SchoolFigures } from "../core/figures/validate";
import { readAllSchoolSheets } from "./collect";
import { protectionPlan, syncProtections } from "./protect";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export function sha256Hex(text: string): string {
  return toHex(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8));
}

export interface SchoolRead {
  school: School;
  sheet: string;
  figures: SchoolFigures;
  problems: Problem[];
  /** Row (0-based) of each target code in the sheet as it is now, for naming cells. */
  rowOf: Map<string, number>;
  columns: Partial<Record<"registered" | "achieved" | "note", number>>;
}

/** Every school's figures as the year-end report requires them (both columns), in one read. */
export function readAllFigures(ss: Spreadsheet, def: ClusterDefinition): SchoolRead[] {
  const names = def.schools.map(schoolSheetName);
  // A missing sheet reads as empty: its header problem keeps the school from confirming.
  const grids = readAllSchoolSheets(ss, names);
  return def.schools.map((school, i) => {
    const sheet = names[i]!;
    const read = readSchoolGrid(grids.get(sheet) ?? [], { sheet });
    const checked = validateSchoolRows(def, school.code, read.rows, "report");
    const rowOf = new Map(read.rows.map((r) => [cellText(r.code), r.row!]));
    return { school, sheet, figures: checked.figures, problems: [...read.problems, ...checked.problems], rowOf, columns: read.columns };
  });
}

export function schoolPrint(def: ClusterDefinition, figures: SchoolFigures): string {
  return sha256Hex(canonicalSchool(def, figures));
}

/** Protections of every sheet made what the state gives, in one atomic change. */
export function applyProtections(ss: Spreadsheet, def: ClusterDefinition, state: YearState): void {
  syncProtections(ss, protectionPlan(def, state));
}

/** The state a transition leads to; a refused transition is the user's to act on. */
export function allowed(result: Transition): YearState {
  if (!result.ok) throw new UserError(result.message);
  return result.state;
}
