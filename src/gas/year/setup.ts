/**
 * "Thiết lập / cập nhật bảng tính": builds or updates every sheet from the
 * cluster definition. Safe to run again on a sheet full of data: figures are
 * read first and written back into the new layout, a figure whose target was
 * removed from the definition is written to Nhật ký before its row goes.
 */
import sample from "../../../sheets-templates/nam-trung-bo-tay-nguyen-2023.json";
import { buildConfigSheet, CONFIG_SHEET, readConfigSheet } from "../../core/sheets/config-layout";
import { loadDefinition, type ClusterDefinition, type School } from "../../core/definition/definition";
import { buildInstructionsSheet, INSTRUCTIONS_SHEET } from "../../core/sheets/instructions";
import {
  buildSchoolSheet,
  COL,
  readSchoolGrid,
  schoolSheetName,
  type SchoolSheetLayout,
} from "../../core/sheets/school-layout";
import { statusBlock } from "../../core/sheets/status-block";
import { readSchoolReport, stageOfPhase } from "../../core/pipeline";
import type { YearState } from "../../core/lock/lifecycle";
import { formatDateTime } from "../../core/text/format";
import { cellText } from "../../core/figures/parse";
import type { CellValue, SheetSpec } from "../../core/sheets/sheet-spec";
import { range } from "../../core/sheets/sheet-spec";
import { COVERAGE_SHEET, RANKING_SHEET, SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { appendAuditIn, AUDIT_SHEET, auditHeaderIn, auditSheetSpec, type AuditEntry } from "../triggers/audit";
import {
  activeEmail,
  actorOf,
  describeActor,
  headEditors,
  ownerEmail,
  underDocumentLock,
  UNKNOWN_EMAIL,
  spreadsheetId,
} from "../context";
import { UserError } from "../../core/user-error";
import { alertingUserErrors } from "../menu-action";
import { DOCS_SHEET, protectInBatch, protectionPlan } from "./protect";
import { docsSheetSpec, rowSheetIds } from "../documents/docs";
import { SheetBatch, type Written } from "../google/sheet-batch";
import { readSheets } from "../google/sheet-io";
import { loadState, saveDefinition, storedDefinition } from "./stored-state";
import { ensureTriggers } from "../triggers/trigger-install";

/**
 * What set-up needs granted before it changes anything: with granular
 * consent a user may have declined some, and a run that fails half-way
 * would leave the spreadsheet half set up.
 */
export const SETUP_SCOPES = [
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/script.container.ui",
  "https://www.googleapis.com/auth/script.scriptapp",
  "https://www.googleapis.com/auth/userinfo.email",
];

type Ui = GoogleAppsScript.Base.Ui;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A summary sheet before the year's first Tổng hợp. */
export function notSummedYet(name: string): SheetSpec {
  return {
    name,
    grid: [[`${name}: chưa tổng hợp. Trường Cụm trưởng chọn Thi đua › Tổng hợp.`]],
    merges: [],
    styles: [{ range: range(0, 0, 1, 1), italic: true }],
    widths: [90],
    frozenRows: 0,
    inputs: [],
    colourScales: [],
  };
}

export interface SetupResult {
  created: string[];
  updated: string[];
  removedFigures: AuditEntry[];
}

function definitionForSetup(ss: Spreadsheet, ui: Ui): ClusterDefinition | undefined {
  const config = ss.getSheetByName(CONFIG_SHEET);
  if (config) {
    const r = readConfigSheet(config.getDataRange().getValues());
    if (r.ok) return r.definition;
    ui.alert(
      "Trang Cấu hình chưa hợp lệ",
      "Chưa thay đổi gì. Hãy sửa các lỗi sau rồi chạy lại:\n\n" + r.problems.join("\n"),
      ui.ButtonSet.OK,
    );
    return undefined;
  }
  const answer = ui.alert(
    "Thiết lập bảng tính",
    "Bảng tính chưa có trang Cấu hình. Tạo bảng tính từ cụm mẫu Nam Trung bộ và Tây Nguyên năm 2023?\n\nSau đó hãy sửa trang Cấu hình (trường, e-mail người nhập liệu, chỉ tiêu) rồi chạy lại Thiết lập.",
    ui.ButtonSet.YES_NO,
  );
  return answer === ui.Button.YES ? loadDefinition(sample) : undefined;
}

/** Figures already in a school's sheet, by target code, as raw cells (kept exactly as typed). */
function existingRows(grid: unknown[][]): Map<string, [unknown, unknown, unknown]> {
  const out = new Map<string, [unknown, unknown, unknown]>();
  for (const row of readSchoolGrid(grid).rows)
    out.set(cellText(row.code), [row.registered.value, row.achieved.value, row.note.value]);
  return out;
}

function writeSchoolSheet(
  batch: SheetBatch,
  def: ClusterDefinition,
  school: School,
  existing: Map<string, [unknown, unknown, unknown]> | undefined,
  who: string,
  state: YearState,
  now: Date,
  result: SetupResult,
  like: Written | undefined,
): Written {
  const name = schoolSheetName(school);
  // The figures as they will sit in the new layout, read back as Kiểm tra reads them, give the block its verdict.
  const figuresIn = ({ spec, rowOf }: SchoolSheetLayout): SheetSpec => {
    for (const [code, [reg, ach, note]] of existing ?? []) {
      const r = rowOf[code];
      if (r === undefined) continue;
      spec.grid[r]![COL.registered] = reg as CellValue;
      spec.grid[r]![COL.achieved] = ach as CellValue;
      spec.grid[r]![COL.note] = note as CellValue;
    }
    return spec;
  };
  const plain = buildSchoolSheet(def, school);
  const report = readSchoolReport(def, school, figuresIn(plain).grid, { sheet: name }, stageOfPhase(state.phase));
  const spec = figuresIn(
    buildSchoolSheet(def, school, undefined, name, statusBlock(report, state, formatDateTime(now))),
  );
  for (const [code, [reg, ach, note]] of existing ?? [])
    if (plain.rowOf[code] === undefined && (cellText(reg) !== "" || cellText(ach) !== "" || cellText(note) !== ""))
      result.removedFigures.push({
        action: "Bỏ chỉ tiêu khỏi trang trường",
        who,
        sheet: name,
        oldValue: `Đăng ký: ${cellText(reg) || "(trống)"}; Thực hiện: ${cellText(ach) || "(trống)"}`,
        detail: `Chỉ tiêu ${code} không còn trong Cấu hình; số liệu cũ ghi lại ở đây.${cellText(note) ? ` Ghi chú: ${cellText(note)}` : ""}`,
      });
  (existing ? result.updated : result.created).push(name);
  // Every school's sheet has the first one's look: pasted from it, a few hundred bytes each instead of ~200 KB.
  return { sheet: batch.write(spec, undefined, like), spec };
}

/**
 * Every sheet, its protections and the Nhật ký rows go out in one atomic
 * request: a refused write leaves the spreadsheet as it was.
 */
export function runSetup(ss: Spreadsheet, def: ClusterDefinition, who: string): SetupResult {
  const result: SetupResult = { created: [], updated: [], removedFigures: [] };
  const batch = new SheetBatch(spreadsheetId(ss), "Thiết lập");
  // Numbers and dates typed later are read the Vietnamese way (19.082, 10/03/2023); in the same request as the rest.
  batch.spreadsheetSettings("vi_VN", "Asia/Ho_Chi_Minh");
  const names = new Set(batch.layout.map((s) => s.title));
  const placeholder = batch.layout.length === 1 ? batch.layout[0]! : undefined;

  const fixed = (name: string, build: () => void) => {
    const existed = names.has(name);
    build();
    (existed ? result.updated : result.created).push(name);
  };
  fixed(INSTRUCTIONS_SHEET, () => batch.write(buildInstructionsSheet(def, "sheet")));
  if (!names.has(CONFIG_SHEET)) {
    batch.write(buildConfigSheet(def));
    result.created.push(CONFIG_SHEET);
  }

  for (const name of [SUMMARY_SHEET, COVERAGE_SHEET, RANKING_SHEET]) {
    if (!names.has(name)) {
      batch.write(notSummedYet(name));
      result.created.push(name);
    }
  }

  const schoolNames = def.schools.map(schoolSheetName);
  const existing = readSheets(
    batch.spreadsheetId,
    schoolNames.filter((n) => names.has(n)),
  );
  const state = loadState(undefined, def);
  const now = new Date();
  let like: Written | undefined;
  for (const school of def.schools) {
    const grid = existing.get(schoolSheetName(school));
    const written = writeSchoolSheet(
      batch,
      def,
      school,
      grid ? existingRows(grid) : undefined,
      who,
      state,
      now,
      result,
      like,
    );
    like ??= written;
  }

  if (!names.has(AUDIT_SHEET)) {
    batch.write(auditSheetSpec());
    result.created.push(AUDIT_SHEET);
  } else auditHeaderIn(batch);
  // Made here, in the one request with its protection, so that a document costs the same every time.
  if (!names.has(DOCS_SHEET)) {
    batch.write(docsSheetSpec());
    result.created.push(DOCS_SHEET);
  }

  // The blank sheet a new spreadsheet starts with goes, if nobody wrote in it.
  if (
    placeholder &&
    !result.created.includes(placeholder.title) &&
    !result.updated.includes(placeholder.title) &&
    ss.getSheets()[0]!.getLastRow() === 0
  )
    batch.add({ deleteSheet: { sheetId: placeholder.sheetId } });

  // Every protection, as the sheets will be: only those that differ change.
  protectInBatch(ss, batch, protectionPlan(def, state));
  // The figures a removed target takes with it are in Nhật ký before any sheet changes (after, when Nhật ký is new).
  appendAuditIn(batch, result.removedFigures, new Date(), names.has(AUDIT_SHEET) ? "trace" : "finish");
  appendAuditIn(batch, [
    {
      action: "Thiết lập bảng tính",
      who,
      detail: `${def.name} năm ${def.year}: ${def.schools.length} trường, ${def.targets.length} chỉ tiêu. Tạo mới: ${result.created.join(", ") || "không"}. Cập nhật: ${result.updated.join(", ") || "không"}.`,
    },
  ]);
  batch.commit();
  // The installable triggers run with the rights of whoever installed them: a head of the cluster; who did is
  // saved with the definition, in one write.
  const installer = ensureTriggers(ss, who, [...headEditors(def), ownerEmail(ss)]);
  saveDefinition(def, undefined, { ...installer.record, ...rowSheetIds(batch) });
  return result;
}

export function menuSetup(): void {
  const ui = SpreadsheetApp.getUi();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  alertingUserErrors(ui, () => underDocumentLock(() => setupAs(ss, ui), 30_000));
}

/** Set-up for the user running it: refused while locked or to a school's editor. */
function setupAs(ss: Spreadsheet, ui: Ui): void {
  // Ends the run with Google's consent prompt when a scope was declined, before anything changes.
  ScriptApp.requireScopes(ScriptApp.AuthMode.FULL, SETUP_SCOPES);
  const email = activeEmail();
  // An unknown e-mail is never the head: set-up would hand the triggers and protections to nobody.
  if (!email) throw new UserError(`Chỉ trường Cụm trưởng được thiết lập bảng tính. ${UNKNOWN_EMAIL}.`);
  const stored = storedDefinition();
  if (loadState(undefined, stored).phase === "locked")
    throw new UserError(
      "Số liệu cuối năm đã khóa; không thiết lập lại được. Nếu cần sửa, trường Cụm trưởng chọn Thi đua › Mở khóa (ghi lý do).",
    );
  const actor = stored && actorOf(stored, ss, email);
  if (actor && actor.role === "school")
    throw new UserError(`Chỉ trường Cụm trưởng được thiết lập bảng tính. ${describeActor(stored, actor)}.`);
  const def = definitionForSetup(ss, ui);
  if (!def) return;
  const result = runSetup(ss, def, email);
  const removed = result.removedFigures.length
    ? `\n\n${result.removedFigures.length} chỉ tiêu không còn trong Cấu hình đã có số liệu; số liệu cũ được ghi lại trong trang Nhật ký.`
    : "";
  ui.alert(
    "Đã thiết lập bảng tính",
    `${def.name} năm ${def.year}: ${def.schools.length} trường, ${def.targets.length} chỉ tiêu.\nTạo mới: ${result.created.join(", ") || "không có"}.\nCập nhật: ${result.updated.join(", ") || "không có"}.\nSố liệu đã nhập được giữ nguyên.${removed}`,
    ui.ButtonSet.OK,
  );
}
