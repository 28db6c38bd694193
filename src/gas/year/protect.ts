/**
 * Who may edit what. Each school's sheet: that school's editors and the head
 * school; its labels, titles and status block (but its checkbox) and every
 * other sheet: the head school only; after the
 * year-end lock, nobody but the owner (and whoever locks: Google keeps the
 * current user).
 *
 * The protections are made through the Sheets API in one atomic request:
 * one read of the protections there are, then only those that differ from
 * the wanted ones are added, updated or deleted. There is no moment when a
 * sheet is unprotected, and an action changes a handful of protections in
 * two calls instead of rebuilding all of them in hundreds.
 */
import type { ClusterDefinition, School } from "../../core/definition/definition";
import { CONFIG_SHEET } from "../../core/sheets/config-layout";
import { INSTRUCTIONS_SHEET } from "../../core/sheets/instructions";
import {
  buildSchoolSheet,
  CHECKBOX_COL,
  CHECKBOX_ROW,
  COL,
  SCHOOL_HEADER_ROW,
  SCHOOL_HEADERS,
  schoolSheetName,
} from "../../core/sheets/school-layout";
import { COVERAGE_SHEET, RANKING_SHEET, SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { TALLY_SHEET } from "../../core/sheets/tally-layout";
import { MULTI_YEAR_SHEETS } from "../../core/sheets/period-layout";
import { YEARS_SHEET } from "../../core/years/archive";
import { schoolEditRights, type EditRights, type YearState } from "../../core/lock/lifecycle";
import { unchanged } from "../../core/user-error";
import { AUDIT_SHEET } from "../triggers/audit";
import { effectiveEmail, headEditors, ownerEmail, spreadsheetId } from "../context";
import { SheetBatch, type SheetLayout } from "../google/sheet-batch";
import { SNAPSHOT_SHEET } from "./stored-state";
import { sheetsGet } from "../google/google-api";

export const MARK = "cum-thi-dua: ";
/** A protection the add-on set: its description starts with MARK. */
export const isOurs = (p: { description?: string | null }): boolean => (p.description ?? "").indexOf(MARK) === 0;
/** The add-on's protection of a whole sheet, among a sheet's protections as the Sheets API lists them. */
export const ownSheetProtection = (protections: GoogleAppsScript.Sheets.Schema.ProtectedRange[]) =>
  protections.find((x) => isOurs(x) && x.range?.startRowIndex === undefined && x.range?.startColumnIndex === undefined);
export const DOCS_SHEET = "Văn bản";

/** A protection as wanted: the whole sheet, or a block (0-based row and column, sizes). */
export interface WantedProtection {
  area?: { row: number; col: number; rows: number; cols: number };
  description: string;
  editors: string[];
}

/** The wanted protections of a sheet, by its name; undefined leaves the sheet's protections as they are. */
export type ProtectionPlan = (sheetName: string) => WantedProtection[] | undefined;

/**
 * A school's sheet, as the year's state allows: its editors and the head
 * while it is open; the head alone once the school has confirmed; the
 * "Đăng ký" column frozen for the school after the pledge.
 */
export function schoolProtections(def: ClusterDefinition, school: School, rights: EditRights): WantedProtection[] {
  const heads = headEditors(def);
  const open = rights.achieved || rights.registered;
  const rows = buildSchoolSheet(def, school).spec.grid.length;
  const width = SCHOOL_HEADERS.length;
  const out: WantedProtection[] = [
    {
      description: open ? `số liệu ${school.name}` : `số liệu ${school.name} (đã xác nhận)`,
      editors: open ? [...school.editors, ...heads] : heads,
    },
    // Titles and the status block: the add-on's (it runs as the head school), all but the checkbox, which stays
    // the school's to tick while its figures are open. A range protection has no holes, so three rectangles.
    { area: { row: 0, col: 0, rows: CHECKBOX_ROW, cols: width }, description: "tình trạng", editors: heads },
    {
      area: { row: CHECKBOX_ROW, col: CHECKBOX_COL + 1, rows: 1, cols: width - CHECKBOX_COL - 1 },
      description: "tình trạng, cạnh ô xác nhận",
      editors: heads,
    },
    {
      area: { row: CHECKBOX_ROW + 1, col: 0, rows: SCHOOL_HEADER_ROW - CHECKBOX_ROW, cols: width },
      description: "tiêu đề",
      editors: heads,
    },
    // Labels (STT, Mã, Chỉ tiêu, Đơn vị tính): head school only.
    {
      area: { row: SCHOOL_HEADER_ROW + 1, col: 0, rows: Math.max(1, rows - SCHOOL_HEADER_ROW - 1), cols: COL.unit + 1 },
      description: "nhãn chỉ tiêu",
      editors: heads,
    },
  ];
  if (open && !rights.registered)
    out.push({
      area: {
        row: SCHOOL_HEADER_ROW + 1,
        col: COL.registered,
        rows: Math.max(1, rows - SCHOOL_HEADER_ROW - 1),
        cols: 1,
      },
      description: "đăng ký đã chốt theo giao ước",
      editors: heads,
    });
  return out;
}

const HEAD_ONLY_SHEETS = [
  INSTRUCTIONS_SHEET,
  CONFIG_SHEET,
  SUMMARY_SHEET,
  COVERAGE_SHEET,
  RANKING_SHEET,
  AUDIT_SHEET,
  DOCS_SHEET,
  SNAPSHOT_SHEET,
  YEARS_SHEET,
  // They stay in the live Sheet from year to year (a year's archive does not keep them): the next head's, not anyone's.
  ...MULTI_YEAR_SHEETS,
];

export function headOnlyProtection(def: ClusterDefinition, sheetName: string): WantedProtection {
  return { description: sheetName.toLocaleLowerCase("vi"), editors: headEditors(def) };
}

/** Every protection the year's state asks for, sheet by sheet; sheets the add-on did not make are left alone. */
export function protectionPlan(def: ClusterDefinition, state: YearState): ProtectionPlan {
  const schools = new Map(def.schools.map((s) => [schoolSheetName(s), s]));
  return (name) => {
    // Locked: every sheet, whoever made it, but the review meeting's count, which happens after the lock and keeps the rights it was made with.
    if (state.phase === "locked")
      return name === TALLY_SHEET ? undefined : [{ description: "khóa số liệu cuối năm", editors: [] }];
    const school = schools.get(name);
    if (school) return schoolProtections(def, school, schoolEditRights(state, school.code));
    return HEAD_ONLY_SHEETS.includes(name) ? [headOnlyProtection(def, name)] : undefined;
  };
}

type ApiProtection = GoogleAppsScript.Sheets.Schema.ProtectedRange;

/** The protections of every sheet, by sheet name, in one Sheets API read (editors only where the user may edit). */
export function readProtections(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
): { sheetId: number; title: string; protections: ApiProtection[] }[] {
  const got = sheetsGet(spreadsheetId(ss), "sheets(properties(sheetId,title),protectedRanges)");
  return (got.sheets ?? []).map((s) => ({
    sheetId: s.properties?.sheetId ?? 0,
    title: s.properties?.title ?? "",
    protections: s.protectedRanges ?? [],
  }));
}
type Request = GoogleAppsScript.Sheets.Schema.Request;

function keyOf(sheetId: number, area: WantedProtection["area"]): string {
  return area ? `${sheetId}:${area.row}:${area.col}:${area.rows}:${area.cols}` : `${sheetId}:trang`;
}

function keyOfExisting(p: ApiProtection): string {
  const g = p.range ?? {};
  if (g.startRowIndex === undefined && g.startColumnIndex === undefined) return keyOf(g.sheetId ?? 0, undefined);
  const row = g.startRowIndex ?? 0;
  const col = g.startColumnIndex ?? 0;
  return keyOf(g.sheetId ?? 0, { row, col, rows: (g.endRowIndex ?? 0) - row, cols: (g.endColumnIndex ?? 0) - col });
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * Adds to a batch the protection changes the plan asks for, over the sheets
 * as the batch will leave them (a sheet it adds has none yet): an action's
 * content and protections then change in the same atomic request.
 */
export function protectInBatch(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  batch: SheetBatch,
  plan: ProtectionPlan,
): number {
  const requests = protectionRequests(ss, batch.layout, plan);
  batch.add(...requests);
  return requests.length;
}

function protectionRequests(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  sheets: SheetLayout[],
  plan: ProtectionPlan,
): Request[] {
  const owner = ownerEmail(ss);
  const me = effectiveEmail();
  const requests: Request[] = [];
  const blocked: string[] = [];
  for (const { sheetId, title, protections } of sheets) {
    const wanted = plan(title);
    if (!wanted) continue;
    const ours = protections.filter(isOurs);
    const byKey = new Map<string, ApiProtection>();
    const change = (p: ApiProtection, request: Request) => {
      if (p.requestingUserCanEdit === false) blocked.push(title);
      requests.push(request);
    };
    for (const p of ours) {
      const key = keyOfExisting(p);
      // A second protection over the same cells (an interrupted run of an older version) goes.
      if (byKey.has(key)) change(p, { deleteProtectedRange: { protectedRangeId: p.protectedRangeId } });
      else byKey.set(key, p);
    }
    for (const w of wanted) {
      const key = keyOf(sheetId, w.area);
      const description = MARK + w.description;
      // The one running this keeps access: Google never removes the current user, so the wanted list says so too.
      const users = [...new Set([...w.editors, me].filter(Boolean).map((e) => e.toLowerCase()))];
      const editors = { users, domainUsersCanEdit: false };
      const existing = byKey.get(key);
      byKey.delete(key);
      if (!existing) {
        const range = w.area
          ? {
              sheetId,
              startRowIndex: w.area.row,
              endRowIndex: w.area.row + w.area.rows,
              startColumnIndex: w.area.col,
              endColumnIndex: w.area.col + w.area.cols,
            }
          : { sheetId };
        requests.push({ addProtectedRange: { protectedRange: { range, description, warningOnly: false, editors } } });
        continue;
      }
      const seen = new Set((existing.editors?.users ?? []).map((e) => e.toLowerCase()).filter((e) => e !== owner));
      const same =
        existing.editors !== undefined &&
        !existing.editors.domainUsersCanEdit &&
        existing.description === description &&
        sameSet(seen, new Set(users.filter((e) => e !== owner)));
      if (!same)
        change(existing, {
          updateProtectedRange: {
            protectedRange: { protectedRangeId: existing.protectedRangeId, description, editors },
            fields: "description,editors",
          },
        });
    }
    for (const p of byKey.values()) change(p, { deleteProtectedRange: { protectedRangeId: p.protectedRangeId } });
  }
  if (blocked.length)
    throw unchanged(
      `Tài khoản ${me || "này"} không sửa được phần bảo vệ do người khác đặt trên ${[...new Set(blocked)].join(", ")}; chỉ người đã đặt hoặc chủ sở hữu bảng tính (${owner}) sửa được.`,
    );
  return requests;
}
