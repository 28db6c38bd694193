/**
 * The locked year copied into a spreadsheet of its own before the live Sheet
 * moves on. Under the drive.file scope the add-on may copy only files it
 * made, and the bound Sheet it did not make, so the archive is built through
 * the Sheets API: a new spreadsheet made by the add-on in the head's
 * documents folder, every sheet of the year written as values in the layout
 * the product gave it (not the sheets about several years, which the live
 * Sheet keeps and any run rebuilds from the archives), the lock's three
 * sheets (as a locked workbook offline keeps them) and the review record,
 * every sheet protected, shared to view.
 * It is read back and checked against the lock code before anything else.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import type { FrozenYear } from "../../core/lock/freeze";
import type { LockRecord } from "../../core/lock/lifecycle";
import { shortPrint } from "../../core/lock/fingerprint";
import {
  checkLockedWorkbook,
  lockedYearRefusal,
  type LockedWorkbook,
  type LockedYear,
} from "../../core/lock/locked-year";
import { reviewRecordProblem } from "../../core/review/record";
import { buildConfigSheet } from "../../core/sheets/config-layout";
import { buildInstructionsSheet } from "../../core/sheets/instructions";
import { DEFINITION_SHEET, LOCK_SHEET, readSnapshotSheet, SNAPSHOT_SHEET } from "../../core/sheets/lock-layout";
import { MULTI_YEAR_SHEETS } from "../../core/sheets/period-layout";
import { buildSchoolSheet, schoolSheetName } from "../../core/sheets/school-layout";
import type { SheetSpec } from "../../core/sheets/sheet-spec";
import { buildSummarySheets, COVERAGE_SHEET, RANKING_SHEET, SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { formatDateTime } from "../../core/text/format";
import { UserError } from "../../core/user-error";
import {
  archivedReviewSheet,
  archivedSheet,
  ARCHIVED_REVIEW_SHEET,
  buildArchiveCover,
  coverSheetName,
  lockedYearSheets,
  spreadsheetUrl,
  buildYearsSheet,
  readYearsSheet,
  YEARS_SHEET,
  type ArchivedYearRow,
} from "../../core/years/archive";
import { effectiveEmail, ownerEmail, spreadsheetId } from "../context";
import { docsSheetSpec, newDocumentsFile } from "../documents/docs";
import { blankSheet, readLayout, SheetBatch, type SheetLayout, type Written } from "../google/sheet-batch";
import { readSheets } from "../google/sheet-io";
import { driveShareToView } from "../google/google-api";
import { columnLetter } from "../../core/problem";
import { auditSheetSpec } from "../triggers/audit";
import { isOurs, MARK } from "../year/protect";
import { sha256Hex } from "../year/year-state";
import { SNAPSHOT_SHEET as LIVE_SNAPSHOT_SHEET } from "../year/stored-state";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const SPREADSHEET = "application/vnd.google-apps.spreadsheet";

/** Every cell of the named sheets, in one request: values exactly as stored (dates as the text they show). */
export function readWholeSheets(id: string, sheets: SheetLayout[]): Map<string, unknown[][]> {
  const size = new Map(
    sheets.map((s) => [s.title, `A1:${columnLetter(Math.max(1, s.cols) - 1)}${Math.max(1, s.rows)}`]),
  );
  return readSheets(
    id,
    sheets.map((s) => s.title),
    (name) => size.get(name)!,
  );
}

/** The layout the product gives a sheet of this name in this year, when the product made it. */
function productLayouts(def: ClusterDefinition, year: FrozenYear): Map<string, SheetSpec> {
  const specs: SheetSpec[] = [
    buildInstructionsSheet(def, "sheet"),
    buildConfigSheet(def),
    ...buildSummarySheets(year.verdict.summary, year.verdict.ranking, { madeAt: new Date(0), madeBy: "" }),
    ...def.schools.map((s) => buildSchoolSheet(def, s).spec),
    auditSheetSpec(),
    docsSheetSpec(),
    buildYearsSheet([]),
  ];
  return new Map(specs.map((s) => [s.name, s]));
}

export interface ArchiveInput {
  ss: Spreadsheet;
  /** The live Sheet's layout and every sheet's cells, as the run read them. */
  live: SheetLayout[];
  liveGrids: Map<string, unknown[][]>;
  def: ClusterDefinition;
  lock: LockRecord;
  year: FrozenYear;
  /** The review record as kept (its text), when the meeting's record was made online. */
  reviewText?: string;
  /** Who may view the archive besides its maker: the heads and deputies of both years, the owner. */
  viewers: string[];
  /** A spreadsheet an earlier, interrupted run made for this year, to write again. */
  existingId?: string;
  now: Date;
  /**
   * Called with the new archive's id as soon as it exists, so a rerun finds
   * it, and what remembers a documents folder made on the way (to write with it).
   */
  made(id: string, unsaved?: Record<string, string>): void;
}

/** The archive's name in Drive. */
export const archiveName = (def: ClusterDefinition) => `Bản lưu năm ${def.year} – ${def.name}`;

/** What writeArchive made: the archive and its sheets as written. */
export interface WrittenArchive {
  id: string;
  sheets: SheetLayout[];
}

/**
 * A spreadsheet just made holds one blank sheet, id 0 (a new spreadsheet
 * opens at #gid=0), and nothing else: no need to read it before writing.
 */
const freshLayout = (): ReturnType<typeof readLayout> => ({ sheets: [blankSheet(0, "")], locale: "", timeZone: "" });

/**
 * Makes (or, on a rerun, rewrites) the archive. Every sheet goes out in one
 * batch on the archive; the live Sheet is only read.
 */
export function writeArchive(a: ArchiveInput): WrittenArchive {
  const liveId = spreadsheetId(a.ss);
  const me = effectiveEmail();
  let id = a.existingId;
  const fresh = !id;
  if (!id) {
    const made = newDocumentsFile(liveId, a.def, archiveName(a.def), SPREADSHEET);
    id = made.id;
    a.made(id, made.unsaved);
  }
  const live = a.live;
  const values = a.liveGrids;
  const layouts = productLayouts(a.def, a.year);
  const batch = new SheetBatch(id, `Mở năm mới (bản lưu năm ${a.def.year})`, fresh ? freshLayout() : undefined);
  // Nobody reads the archive before it is verified: its values may follow its sheets and formats, as RAW values.
  batch.sendValuesApart();
  batch.neverTypedInto();
  batch.spreadsheetSettings("vi_VN", "Asia/Ho_Chi_Minh");
  // The blank sheet of a new archive becomes the cover (its name, in the user's language, is not known here).
  if (fresh) batch.retitle(batch.layout[0]!, coverSheetName(a.def.year));
  const before = new Set(batch.layout.map((s) => s.title));

  const cover = buildArchiveCover({
    def: a.def,
    fingerprint: a.year.fingerprint,
    lockedAt: a.lock.at,
    lockedBy: a.lock.by,
    archivedAt: formatDateTime(a.now),
    archivedBy: me,
    liveUrl: spreadsheetUrl(liveId),
    // The kept text was checked against its fingerprint before (reviewRecordCheck).
    reviewPrint: a.reviewText
      ? shortPrint((JSON.parse(a.reviewText) as { fingerprint: string }).fingerprint)
      : undefined,
  });
  const written: SheetLayout[] = [batch.write(cover)];
  // The school sheets share one look: each after the first is pasted from it with its own values (pasteRequests
  // falls back to the whole layout when a sheet's size differs).
  const schools = new Set(a.def.schools.map(schoolSheetName));
  let like: Written | undefined;
  for (const sheet of live) {
    // The live Sheet's copy of the lock's snapshot is the text the lock's own sheets below keep (loadSnapshot checked
    // it against the SHA-256 the lock stored), where the verification reads it: a second copy would cost 0,8 MB at
    // 120 × 300.
    const skipped = [
      LOCK_SHEET,
      SNAPSHOT_SHEET,
      DEFINITION_SHEET,
      ARCHIVED_REVIEW_SHEET,
      LIVE_SNAPSHOT_SHEET,
      cover.name,
    ];
    // A period review or a school's history is about several years and stays in the live Sheet: archived with
    // each year it would be copied again every year until the next review (5,5 MB at 120 × 300, three calls).
    if (skipped.includes(sheet.title) || MULTI_YEAR_SHEETS.includes(sheet.title)) continue;
    const spec = archivedSheet(sheet.title, values.get(sheet.title) ?? [], layouts.get(sheet.title));
    const school = schools.has(sheet.title);
    const out = batch.write(spec, undefined, school ? like : undefined);
    if (school) like ??= { sheet: out, spec };
    written.push(out);
  }
  const lockSheets = lockedYearSheets(a.def, a.year, a.lock, sha256Hex);
  for (const spec of lockSheets) written.push(batch.write(spec));
  if (a.reviewText) written.push(batch.write(archivedReviewSheet(a.reviewText)));

  // The blank sheet a new spreadsheet starts with (or any sheet an earlier run left that is not the year's) goes.
  const keep = new Set(written.map((s) => s.title));
  for (const s of batch.layout)
    if (before.has(s.title) && !keep.has(s.title)) batch.add({ deleteSheet: { sheetId: s.sheetId } });
  batch.add({ updateSheetProperties: { properties: { sheetId: written[0]!.sheetId, index: 0 }, fields: "index" } });
  // Read-only: every sheet protected for its maker alone (the spreadsheet's owner); a rerun keeps what it set.
  for (const s of written)
    if (!s.protections.some(isOurs))
      batch.add({
        addProtectedRange: {
          protectedRange: {
            range: { sheetId: s.sheetId },
            description: `${MARK}bản lưu năm ${a.def.year}, chỉ đọc`,
            warningOnly: false,
            editors: { users: [me], domainUsersCanEdit: false },
          },
        },
      });
  batch.commit();
  for (const email of [...new Set(a.viewers.map((e) => e.toLowerCase()))].filter((e) => e && e !== me))
    driveShareToView(id, email, `yêu cầu chia sẻ bản lưu năm ${a.def.year}`);
  return { id, sheets: written };
}

/** The sheets of a locked year the one locked-year reader checks: as `khoa` writes them, so as the archive keeps them. */
const LOCKED_SHEETS = [SUMMARY_SHEET, COVERAGE_SHEET, RANKING_SHEET, LOCK_SHEET, SNAPSHOT_SHEET, DEFINITION_SHEET];

/** The sheets of a layout that carry the add-on's protection. */
export function protectedTitles(layout: SheetLayout[]): Set<string> {
  return new Set(layout.filter((s) => s.protections.some(isOurs)).map((s) => s.title));
}

/**
 * A locked year as the reader takes it, from the grids of its sheets and
 * which are protected (here by Sheets' protection, where a workbook has a
 * password).
 */
function lockedBook(source: string, grids: Map<string, unknown[][]>, protectedNames: Set<string>): LockedWorkbook {
  const present = LOCKED_SHEETS.filter((n) => grids.has(n));
  return {
    source,
    sheets: new Map(present.map((n) => [n, grids.get(n)!])),
    protectedSheets: new Map(present.map((n) => [n, protectedNames.has(n)])),
  };
}

/** A locked year from its sheets, checked by the one locked-year reader; the refusal names the source. */
export function checkedYear(
  source: string,
  grids: Map<string, unknown[][]>,
  protectedNames: Set<string>,
): { ok: true; year: LockedYear } | { ok: false; problem: string } {
  const check = checkLockedWorkbook(lockedBook(source, grids, protectedNames), sha256Hex);
  const refusal = lockedYearRefusal(check);
  return refusal || !check.ok ? { ok: false, problem: refusal ?? source } : { ok: true, year: check.year };
}

/**
 * A year read back from its archive and checked by the one locked-year
 * reader exactly as a locked workbook is, with the review meeting's record
 * when it is kept; a problem names the year, and says whether the archive
 * did not open at all. Right after writing, written gives the sheets:
 * Google applied the batch whole, protections with them.
 */
export function readArchivedYear(
  id: string,
  label: string,
  written?: SheetLayout[],
): { ok: true; year: LockedYear; reviewText?: string } | { ok: false; problem: string; unreadable?: boolean } {
  let layout: SheetLayout[];
  try {
    layout = written ?? readLayout(id).sheets;
  } catch (e) {
    return {
      ok: false,
      problem: `${label}: không mở được bản lưu (${(e as Error).message}). Hãy nhờ người đã lưu năm đó chia sẻ quyền xem.`,
      unreadable: true,
    };
  }
  const wanted = layout.filter((s) => LOCKED_SHEETS.includes(s.title) || s.title === ARCHIVED_REVIEW_SHEET);
  const grids = readWholeSheets(id, wanted);
  const check = checkedYear(label, grids, written ? new Set(written.map((s) => s.title)) : protectedTitles(layout));
  if (!check.ok) return check;
  const review = grids.get(ARCHIVED_REVIEW_SHEET);
  if (!review) return check;
  const text = readSnapshotSheet(review);
  const problem = reviewRecordProblem(check.year.definition, text, check.year.fingerprint, sha256Hex).problem;
  if (problem) return { ok: false, problem: `${label}, trang ${ARCHIVED_REVIEW_SHEET}: ${problem}` };
  return { ...check, reviewText: text };
}

/**
 * Whether an archive reads back as this locked year (same lock code, the
 * review record as kept): undefined when it does, else why not, and whether
 * it did not open at all.
 */
export function archiveProblem(
  id: string,
  def: ClusterDefinition,
  fingerprint: string,
  reviewText: string | undefined,
  written?: SheetLayout[],
): { why: string; unreadable: boolean } | undefined {
  const back = readArchivedYear(id, `Bản lưu năm ${def.year}`, written);
  if (!back.ok) return { why: back.problem, unreadable: !!back.unreadable };
  if (back.year.fingerprint !== fingerprint)
    return {
      why: `mã kiểm tra ${shortPrint(back.year.fingerprint)} khác mã khóa ${shortPrint(fingerprint)}`,
      unreadable: false,
    };
  if ((reviewText ?? "") !== (back.reviewText ?? ""))
    return { why: "biên bản bình xét không khớp bản trong bảng tính", unreadable: false };
  return undefined;
}

/**
 * The check after copying: the archive's cells read back as this locked
 * year. Refused in Vietnamese, before the live Sheet changes, when not.
 */
export function verifyArchive(
  archive: WrittenArchive,
  def: ClusterDefinition,
  fingerprint: string,
  reviewText?: string,
): void {
  const problem = archiveProblem(archive.id, def, fingerprint, reviewText, archive.sheets);
  if (problem)
    throw new UserError(
      `Bản lưu năm ${def.year} chưa đúng sau khi sao chép (${problem.why}). Bảng tính dùng chung vẫn ở năm ${def.year}, chưa thay đổi gì; hãy chạy lại Thi đua › Mở năm mới.`,
    );
}

/** The archived years the live Sheet links in "Các năm", from its layout and the cells when they were read already. */
export function archivedYearRows(
  ss: Spreadsheet,
  live: SheetLayout[],
  grids?: Map<string, unknown[][]>,
): ArchivedYearRow[] {
  if (!live.some((s) => s.title === YEARS_SHEET)) return [];
  const grid = grids?.get(YEARS_SHEET) ?? readSheets(spreadsheetId(ss), [YEARS_SHEET]).get(YEARS_SHEET);
  return grid ? readYearsSheet(grid) : [];
}

/** Who may view the archive: the live Sheet's owner and the e-mails of both years' heads and deputies. */
export function archiveViewers(ss: Spreadsheet, defs: ClusterDefinition[]): string[] {
  return [
    ownerEmail(ss),
    ...defs.flatMap((d) => d.schools.filter((s) => s.role !== "member").flatMap((s) => s.editors)),
  ];
}
