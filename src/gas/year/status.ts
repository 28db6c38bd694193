/**
 * Writing the status block of school sheets (src/core/sheets/status-block.ts)
 * with the head school's rights: at set-up, Tổng hợp, every change of the
 * year's state, Kiểm tra số liệu run by the head, and the head's edit
 * trigger after a school's edit. Only the block's cells are written, so a
 * school's figures are never touched; a sheet still in an older layout
 * (its header elsewhere) is left alone until set-up moves it.
 */
import type { ClusterDefinition, School } from "../../core/definition/definition";
import type { YearState } from "../../core/lock/lifecycle";
import { readSchoolReport, stageOfPhase, type SchoolReport } from "../../core/pipeline";
import {
  CHECKBOX_ROW,
  SCHOOL_HEADER_ROW,
  schoolSheetName,
  STATUS_FIRST_ROW,
  TEXT_COL,
} from "../../core/sheets/school-layout";
import { statusBlock } from "../../core/sheets/status-block";
import { formatDateTime } from "../../core/text/format";
import { spreadsheetId } from "../context";
import { collectSchools } from "../google/collect";
import { SheetBatch } from "../google/sheet-batch";
import { readSheets } from "../google/sheet-io";
import { protectInBatch, protectionPlan } from "./protect";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type CellData = GoogleAppsScript.Sheets.Schema.CellData;

/** A note for the block of a school, by its code: what became of its last tick. */
export type StatusNotes = Readonly<Record<string, string>>;

/** Adds to a batch the block of every report whose sheet is in this layout. */
export function statusInBatch(
  batch: SheetBatch,
  reports: readonly SchoolReport[],
  state: YearState,
  now: Date,
  notes: StatusNotes = {},
): void {
  const checkedAt = formatDateTime(now);
  for (const report of reports) {
    const sheet = batch.sheet(report.sheet);
    if (!sheet || report.headerRow !== SCHOOL_HEADER_ROW) continue;
    const block = statusBlock(report, state, checkedAt, notes[report.school.code]);
    const text = (line: string): CellData => (line ? { userEnteredValue: { stringValue: line } } : {});
    const rows = block.lines.map((line) => ({ values: [{}, {}, text(line)] }));
    rows.push({ values: [{ userEnteredValue: { boolValue: block.checked === true } }, {}, text(block.checkboxText)] });
    batch.add({
      updateCells: {
        range: {
          sheetId: sheet.sheetId,
          startRowIndex: STATUS_FIRST_ROW,
          endRowIndex: CHECKBOX_ROW + 1,
          startColumnIndex: 0,
          endColumnIndex: TEXT_COL + 1,
        },
        rows,
        fields: "userEnteredValue",
      },
    });
  }
}

/**
 * The year's state made visible: protections and every school's block in
 * one atomic request (blocks first, while the runner may still write them).
 */
export function applyYearState(
  ss: Spreadsheet,
  def: ClusterDefinition,
  state: YearState,
  options: { reports?: readonly SchoolReport[]; notes?: StatusNotes; now?: Date } = {},
): void {
  const reports = options.reports ?? collectSchools(ss, def, stageOfPhase(state.phase));
  const batch = new SheetBatch(spreadsheetId(ss), "việc đặt quyền sửa và khung tình trạng");
  statusInBatch(batch, reports, state, options.now ?? new Date(), options.notes);
  protectInBatch(ss, batch, protectionPlan(def, state));
  batch.commit();
}

/** Every school's block, from reports just read. */
export function refreshStatus(
  ss: Spreadsheet,
  reports: readonly SchoolReport[],
  state: YearState,
  now = new Date(),
  notes?: StatusNotes,
): void {
  const batch = new SheetBatch(spreadsheetId(ss), "việc cập nhật khung tình trạng");
  statusInBatch(batch, reports, state, now, notes);
  batch.commit();
}

/** One school's sheet read alone (the edit trigger's case), with its grid for the checkbox. */
export function readOneSchool(
  ss: Spreadsheet,
  def: ClusterDefinition,
  school: School,
  state: YearState,
): { report: SchoolReport; grid: unknown[][] | null } {
  const sheet = schoolSheetName(school);
  const grid = readSheets(spreadsheetId(ss), [sheet]).get(sheet) ?? null;
  return { report: readSchoolReport(def, school, grid, { sheet }, stageOfPhase(state.phase)), grid };
}
