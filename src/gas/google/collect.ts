/** Reading every school's sheet in one request, into the core pipeline's reports. */
import { spreadsheetId } from "../context";
import type { ClusterDefinition } from "../../core/definition/definition";
import type { Stage } from "../../core/figures/validate";
import { readClusterSheets, schoolSheetNames, stageOfPhase, type SchoolReport } from "../../core/pipeline";
import { loadState } from "../year/stored-state";
import { readSheets } from "./sheet-io";

/**
 * Reads all school sheets in one Sheets API request; when a sheet is missing
 * the request fails as a whole, so only then are the existing names looked up.
 */
export function readAllSchoolSheets(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  names: string[],
): Map<string, unknown[][] | null> {
  try {
    return readSheets(spreadsheetId(ss), names);
  } catch (e) {
    const existing = new Set(ss.getSheets().map((s) => s.getName()));
    const present = names.filter((n) => existing.has(n));
    const grids: Map<string, unknown[][] | null> = readSheets(spreadsheetId(ss), present);
    for (const n of names) if (!existing.has(n)) grids.set(n, null);
    if (present.length === names.length) throw e;
    return grids;
  }
}

/** The stage the year's state gives: the one stage policy of docs/architecture.md. */
export function currentStage(def: ClusterDefinition): Stage {
  return stageOfPhase(loadState(undefined, def).phase);
}

/** Every member's report, read in one request, checked under the year's stage. */
export function collectSchools(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  def: ClusterDefinition,
  stage: Stage = currentStage(def),
): SchoolReport[] {
  return readClusterSheets(def, readAllSchoolSheets(ss, schoolSheetNames(def)), stage);
}
