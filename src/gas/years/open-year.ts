/**
 * "Mở năm mới": the locked year goes into an archive of its own, then the
 * live Sheet (same address, same bookmark) moves to the next year in one
 * atomic batch: Cấu hình, the school sheets of the new membership with blank
 * figures, Nhật ký and Văn bản begun again, "Các năm" linking the archive,
 * and the protections of the new head. Progress is kept in the document, so
 * an interrupted run leaves the Sheet on the old year and a rerun continues:
 * the archive is made and verified before the live Sheet changes, and the
 * move is known to have landed by its row in "Các năm".
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { shortPrint } from "../../core/lock/fingerprint";
import { initialState, type LockRecord } from "../../core/lock/lifecycle";
import { NewYearError, openNewYear, type HeadChoice, type NewYear } from "../../core/register/new-year";
import { buildConfigSheet } from "../../core/sheets/config-layout";
import { buildInstructionsSheet } from "../../core/sheets/instructions";
import { buildSchoolSheet, schoolSheetName } from "../../core/sheets/school-layout";
import { COVERAGE_SHEET, RANKING_SHEET, SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { TALLY_SHEET } from "../../core/sheets/tally-layout";
import { formatDateTime } from "../../core/text/format";
import { unchanged, UserError } from "../../core/user-error";
import {
  buildYearsSheet,
  spreadsheetIdOf,
  spreadsheetUrl,
  YEARS_SHEET,
  YEARS_URL_COLUMN,
  type ArchivedYearRow,
} from "../../core/years/archive";
import { effectiveEmail, spreadsheetId } from "../context";
import { docsSheetSpec } from "../documents/docs";
import { readLayout, SheetBatch, type SheetLayout, type Written } from "../google/sheet-batch";
import { documentProperties, putProperties } from "../google/store";
import { menu, type MenuContext } from "../menu-action";
import { appendAuditIn, auditSheetSpec } from "../triggers/audit";
import { DOCS_SHEET, protectInBatch, protectionPlan } from "../year/protect";
import { forgetReviewRecord, keptRecord, keptReviewText, reviewRecordCheck } from "../year/review";
import { notSummedYet } from "../year/setup";
import { forgottenSnapshot, loadState, saveDefinition, SNAPSHOT_SHEET, stateEntry } from "../year/stored-state";
import { canLiftLock } from "../year/year-lock";
import { frozenYear } from "../year/year-state";
import {
  archivedYearRows,
  archiveProblem,
  archiveViewers,
  readWholeSheets,
  verifyArchive,
  writeArchive,
} from "./archive";
import { bundledRegister } from "./registers";
import { findCluster, membersInYear, vnDay } from "../../core/register/register";
import { carryOverYear } from "../../core/years/carry-over";
import { MULTI_YEAR_SHEETS } from "../../core/sheets/period-layout";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const CANCELLED = "Đã hủy. Chưa có gì thay đổi.";

// --- progress kept between runs ---------------------------------------------------

const PROGRESS = "mo_nam_moi";
/**
 * The archive a run made, saved the moment it exists so that a rerun writes
 * that one again rather than leaving a stray file. Whether it was verified
 * is not saved (one call fewer): a rerun reads it back instead.
 */
interface Progress {
  from: number;
  archiveId: string;
  by: string;
}

/** What an interrupted run did; an entry that does not read is ignored (a new archive is made). */
function loadProgress(year: number): Progress | undefined {
  try {
    const p = JSON.parse(documentProperties()[PROGRESS] || "0") as Progress | 0;
    return p && p.from === year && /^[\w-]{1,200}$/.test(p.archiveId) && typeof p.by === "string" ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The progress, with other entries to keep in the same write (a documents folder made for the archive). */
const saveProgress = (p: Progress, with_: Record<string, string> = {}) =>
  putProperties({ ...with_, [PROGRESS]: JSON.stringify(p) });

/**
 * What a rerun does with the archive an earlier run made. One that reads
 * back as this locked year is kept, whoever made it: it was verified before
 * the live Sheet began to move, and the live Sheet may since have begun to,
 * so it is never copied again. One that does not, this user writes again
 * when they made it and it still opens (drive.file: another account's is
 * not theirs to rewrite); else a new one is made.
 */
function earlierArchive(
  earlier: Progress | undefined,
  me: string,
  def: ClusterDefinition,
  lock: LockRecord,
  reviewText: string | undefined,
): { keep: string } | { rewrite: string } | undefined {
  if (!earlier) return undefined;
  const problem = archiveProblem(earlier.archiveId, def, lock.fingerprint, reviewText);
  if (!problem) return { keep: earlier.archiveId };
  return earlier.by === me && !problem.unreadable ? { rewrite: earlier.archiveId } : undefined;
}

// --- the new year -----------------------------------------------------------------------

/** The next head and deputies: the review meeting's record when it is kept, else the head's answer, else rotation. */
function headChoice(ctx: MenuContext, year: number, reviewText: string | undefined): HeadChoice | undefined {
  const record = reviewText ? keptRecord(reviewText) : undefined;
  if (record?.result.nextHead) return { nextHead: record.result.nextHead, nextDeputies: record.result.nextDeputies };
  const { ui, def } = ctx;
  const codes = def.schools.map((s) => s.code).join(", ");
  const answer = ui.prompt(
    "Mở năm mới",
    `Chưa có kết quả bình xét lập trên bảng tính này. Mã trường Cụm trưởng năm ${year} (để trống: theo thứ tự luân phiên). Các mã: ${codes}.`,
    ui.ButtonSet.OK_CANCEL,
  );
  if (answer.getSelectedButton() !== ui.Button.OK) throw new UserError(CANCELLED);
  const code = answer.getResponseText().trim().toUpperCase();
  return code ? { nextHead: code } : undefined;
}

/**
 * The new year from the register, or carried over without one. When the
 * register already records the year's head and deputies they win, as in
 * `nam-moi`; a review that chose otherwise is said among the changes rather
 * than refused, since the register the add-on carries cannot be edited from
 * the Sheet.
 */
function nextYear(def: ClusterDefinition, choice: HeadChoice | undefined): NewYear {
  try {
    if (!def.register) return carryOverYear(def, def.year + 1, choice);
    const reg = bundledRegister(def);
    const cluster = findCluster(reg, def.register);
    const recorded = cluster ? membersInYear(reg, cluster.id, def.year + 1).filter((m) => m.role !== "member") : [];
    if (!recorded.length || !choice) return openNewYear(def, reg, def.year + 1, choice);
    const opened = openNewYear(def, reg, def.year + 1);
    const head = recorded.find((m) => m.role === "head")?.school;
    const deputies = recorded.filter((m) => m.role === "deputy").map((m) => m.school);
    const differs =
      choice.nextHead !== head || (choice.nextDeputies !== undefined && choice.nextDeputies.join() !== deputies.join());
    if (differs)
      opened.changes.push(
        `Kết quả bình xét chọn Cụm trưởng ${choice.nextHead}${choice.nextDeputies?.length ? `, Cụm phó ${choice.nextDeputies.join(", ")}` : ""}, ` +
          `khác vai trò năm ${def.year + 1} đã ghi trong sổ đăng ký; năm mới theo sổ đăng ký.`,
      );
    return opened;
  } catch (e) {
    if (e instanceof NewYearError) throw unchanged(e.message);
    throw e;
  }
}

/** Every e-mail that gains or loses the head's rights, said before anything is written. */
function authorityLines(prev: ClusterDefinition, next: ClusterDefinition): string[] {
  const heads = (d: ClusterDefinition) => d.schools.filter((s) => s.role === "head").flatMap((s) => s.editors);
  const before = heads(prev);
  const after = heads(next);
  const lines: string[] = [];
  const gained = after.filter((e) => !before.includes(e));
  const lost = before.filter((e) => !after.includes(e));
  if (gained.length) lines.push(`Nhận quyền Cụm trưởng: ${gained.join(", ")}.`);
  if (lost.length)
    lines.push(`Thôi quyền Cụm trưởng: ${lost.join(", ")}; trigger của các tài khoản này thôi tác dụng.`);
  if (!after.length)
    lines.push(
      `Trường Cụm trưởng năm ${next.year} chưa có e-mail người nhập liệu: chỉ chủ sở hữu bảng tính giữ quyền Cụm trưởng cho đến khi Cấu hình ghi e-mail.`,
    );
  return lines;
}

// --- the move -------------------------------------------------------------------------

/** The live Sheet as the new year's, in one atomic request: it lands whole or not at all. */
function moveLiveSheet(
  ss: Spreadsheet,
  live: ReturnType<typeof readLayout>,
  prev: ClusterDefinition,
  next: NewYear,
  row: ArchivedYearRow,
  rows: ArchivedYearRow[],
  who: string,
  now: Date,
): void {
  const def = next.definition;
  const batch = new SheetBatch(spreadsheetId(ss), "Mở năm mới", live);
  const members = new Set(def.schools.map(schoolSheetName));
  // A school that left (merged away, or no longer a member) takes its sheet with the archive; so do the count and
  // the lock's snapshot.
  const gone = new Set<string>();
  for (const name of [...prev.schools.map(schoolSheetName), TALLY_SHEET, SNAPSHOT_SHEET]) {
    const sheet = batch.sheet(name);
    if (!sheet || members.has(name)) continue;
    batch.add({ deleteSheet: { sheetId: sheet.sheetId } });
    gone.add(name);
  }
  batch.write(buildInstructionsSheet(def, "sheet"));
  batch.write(buildConfigSheet(def));
  for (const name of [SUMMARY_SHEET, COVERAGE_SHEET, RANKING_SHEET]) {
    batch.write(notSummedYet(name));
    batch.barChart(name, undefined);
  }
  // Every school's sheet has the first one's look: pasted from it with its own values, as set-up does, so the move
  // sends a few hundred bytes a school instead of every rule and rectangle again.
  let like: Written | undefined;
  for (const school of def.schools) {
    const spec = buildSchoolSheet(def, school).spec;
    const sheet = batch.write(spec, undefined, like);
    like ??= { sheet, spec };
  }
  batch.write(auditSheetSpec());
  batch.write(docsSheetSpec());
  // The new row's link is written last: a rerun takes the move as done only when every part has landed.
  const years = buildYearsSheet([...rows.filter((r) => r.year !== row.year), row]);
  const at = years.grid.findIndex((r) => r[0] === row.year);
  batch.write(years, { row: at, col: YEARS_URL_COLUMN, pending: "(đang chuyển sang năm mới)" });
  // The new year's rights; the lock's protection leaves every other sheet too.
  const plan = protectionPlan(def, initialState());
  protectInBatch(ss, batch, (name) => (gone.has(name) ? undefined : (plan(name) ?? [])));
  appendAuditIn(
    batch,
    [
      {
        action: "Mở năm mới",
        who,
        sheet: YEARS_SHEET,
        newValue: String(def.year),
        detail: `Năm ${prev.year} đã lưu tại ${row.url} (mã kiểm tra ${shortPrint(row.fingerprint)}); Nhật ký và Văn bản năm ${prev.year} nằm trong bản lưu. ${next.changes.join(" ")}`,
      },
    ],
    now,
  );
  batch.commit();
}

/**
 * The year's stored definition and state become the new year's, in one
 * write after the sheets; the lock's snapshot pointer and the progress go
 * with it (emptied, which reads as none); the review record after.
 */
function finishMove(def: ClusterDefinition): void {
  saveDefinition(def, undefined, { ...stateEntry(initialState()), ...forgottenSnapshot(), [PROGRESS]: "" });
  forgetReviewRecord();
}

function refuseUnlocked(ss: Spreadsheet, live: SheetLayout[], def: ClusterDefinition): never {
  const opened = archivedYearRows(ss, live).find((r) => r.year === def.year - 1);
  throw unchanged(
    opened
      ? `Năm ${def.year} đã được mở (năm ${def.year - 1} đã lưu ngày ${opened.archivedAt}); không mở năm mới lần nữa. Khi năm ${def.year} khóa số liệu mới mở được năm ${def.year + 1}.`
      : `Năm ${def.year} chưa khóa số liệu: hãy chọn Thi đua › Khóa số liệu cuối năm trước.`,
  );
}

/** The review record kept online, refused when it no longer matches its code or this locked year. */
function intactReview(def: ClusterDefinition, lock: LockRecord): string | undefined {
  const problem = reviewRecordCheck(def, lock.fingerprint);
  if (problem)
    throw unchanged(
      `Biên bản bình xét lưu trong bảng tính: ${problem} Hãy lập lại văn bản bình xét (Thi đua › Bình xét: lập văn bản) rồi chạy lại.`,
    );
  return keptReviewText();
}

function openYear(ctx: MenuContext): void {
  const { ui, ss, def, actor, locked } = ctx;
  locked(() => {
    const state = loadState(undefined, def);
    // One read of the live layout serves the checks, the archive and the move.
    const read = readLayout(spreadsheetId(ss));
    const live = read.sheets;
    if (state.phase !== "locked" || !state.lock) refuseUnlocked(ss, live, def);
    const lock = state.lock;
    if (!canLiftLock(live))
      throw unchanged(
        `Số liệu năm ${def.year} do ${lock.by} khóa; Google chỉ cho người đó hoặc chủ sở hữu bảng tính gỡ bảo vệ khi khóa, nên chỉ một trong hai người mở được năm mới.`,
      );
    const reviewText = intactReview(def, lock);
    const next = nextYear(def, headChoice(ctx, def.year + 1, reviewText));
    const newDef = next.definition;
    const head = newDef.schools.find((s) => s.role === "head");
    const staying = live.filter((s) => MULTI_YEAR_SHEETS.includes(s.title)).map((s) => `"${s.title}"`);
    const answer = ui.alert(
      `Mở năm ${newDef.year}`,
      `Năm ${def.year} sẽ được lưu thành một bảng tính chỉ đọc (mọi trang của năm, số liệu khóa, Nhật ký, Văn bản, biên bản bình xét), ` +
        `rồi bảng tính này chuyển sang năm ${newDef.year} (địa chỉ giữ nguyên).` +
        (staying.length
          ? ` Các trang về nhiều năm (${staying.join(", ")}) ở lại bảng tính này, chỉ Cụm trưởng sửa được, ` +
            `và lập lại được bất cứ lúc nào từ các bản lưu.`
          : "") +
        ` Các thay đổi:\n\n- ` +
        [...next.changes, ...authorityLines(def, newDef)].join("\n- ") +
        `\n\nTheo sổ đăng ký và bảng văn bản áp dụng, ngày ký ${vnDay(newDef.signing.date)}:\n- ` +
        next.taken.join("\n- ") +
        `\n\nSố liệu các trang trường để trống cho giai đoạn đăng ký. Tiếp tục?`,
      ui.ButtonSet.YES_NO,
    );
    if (answer !== ui.Button.YES) {
      ui.alert(CANCELLED);
      return;
    }
    const me = effectiveEmail();
    const now = new Date();
    const earlier = loadProgress(def.year);
    // Every live sheet's cells, read once: the archive's content, the lock's snapshot and "Các năm".
    const liveGrids = readWholeSheets(spreadsheetId(ss), live);
    const rows = archivedYearRows(ss, live, liveGrids);
    // The move's last cell is "Các năm"'s link to the archive this run's progress names: there, it has landed.
    const landed = !!earlier && rows.some((r) => r.year === def.year && spreadsheetIdOf(r.url) === earlier.archiveId);
    const archived = () => {
      const before = earlierArchive(earlier, me, def, lock, reviewText);
      if (before && "keep" in before) return before.keep;
      const archive = writeArchive({
        ss,
        live,
        liveGrids,
        def,
        lock,
        year: frozenYear(ss, def, lock, liveGrids),
        reviewText,
        viewers: archiveViewers(ss, [def, newDef]),
        existingId: before?.rewrite,
        now,
        made: (id, unsaved) => saveProgress({ from: def.year, archiveId: id, by: me }, unsaved),
      });
      verifyArchive(archive, def, lock.fingerprint, reviewText);
      return archive.id;
    };
    const archiveId = landed && earlier ? earlier.archiveId : archived();
    const url = spreadsheetUrl(archiveId);
    const fingerprint = lock.fingerprint;
    if (!landed) {
      const row: ArchivedYearRow = {
        year: def.year,
        head: def.schools.find((s) => s.role === "head")?.name ?? "—",
        fingerprint,
        url,
        archivedAt: formatDateTime(now),
        by: actor.email || me,
      };
      moveLiveSheet(ss, read, def, next, row, rows, actor.email || me, now);
    }
    finishMove(newDef);
    ui.alert(
      `Đã mở năm ${newDef.year}`,
      `Năm ${def.year} đã lưu tại ${url} (mã kiểm tra ${shortPrint(fingerprint)}), có đường dẫn ở trang "${YEARS_SHEET}".\n` +
        `Cụm trưởng năm ${newDef.year}: ${head?.name ?? "—"}. Người nhập liệu của trường Cụm trưởng hãy chạy ` +
        `Thi đua › Thiết lập / cập nhật bảng tính một lần để cài trigger ghi Nhật ký của mình; trigger của Cụm trưởng ` +
        `năm trước không còn tác dụng.\nCác trường nhập số liệu đăng ký năm ${newDef.year} trên trang của mình. ` +
        `Văn bản năm ${def.year} vẫn ở trang "${DOCS_SHEET}" của bản lưu.`,
      ui.ButtonSet.OK,
    );
  });
}

// All its work is under the lock: the stored definition and state are read once, after taking it.
export const menuOpenYear = menu(openYear, {
  headOnly: "Chỉ trường Cụm trưởng của năm đã khóa hoặc chủ sở hữu bảng tính được mở năm mới.",
  lockFirst: true,
});
