/**
 * The years from the menu: "Tổng kết giai đoạn" and "Lịch sử cụm" read the
 * locked years this Sheet knows (each archive linked in "Các năm", and the
 * live year once it is locked), each verified by its lock code exactly as
 * a locked workbook is offline, and give what `tong-ket-giai-doan` and
 * `lich-su` give from the same years: the same core, the same sheets, the
 * same document.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { buildPeriodReport } from "../../core/documents/period-report";
import { yearAwards } from "../../core/period/awards";
import { schoolHistory } from "../../core/period/history";
import type { LockedYear } from "../../core/lock/locked-year";
import { COVERAGE_SHEET, RANKING_SHEET, SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { lineageOf, PeriodError, reviewPeriod, type PeriodReview } from "../../core/period/period";
import type { ClusterRegister } from "../../core/register/register";
import { buildPeriodSheets, HISTORY_SHEET, PERIOD_JSON_SHEET } from "../../core/sheets/period-layout";
import { buildTextSheet } from "../../core/sheets/lock-layout";
import { range, type SheetSpec } from "../../core/sheets/sheet-spec";
import { UserError } from "../../core/user-error";
import { lockedYearSheets, spreadsheetIdOf } from "../../core/years/archive";
import { spreadsheetId } from "../context";
import {
  createDocument,
  documentRow,
  documentUrls,
  DOCS_ID_COL,
  recordDocument,
  unrecordedDocument,
} from "../documents/docs";
import { GoogleBusyError } from "../google/google-api";
import { SheetBatch } from "../google/sheet-batch";
import { menu, type MenuContext } from "../menu-action";
import { appendAuditIn, type AuditEntry } from "../triggers/audit";
import { DOCS_SHEET, headOnlyProtection, protectInBatch } from "../year/protect";
import { keptRecord, keptReviewText } from "../year/review";
import { loadState } from "../year/stored-state";
import { frozenYear, sha256Hex } from "../year/year-state";
import { archivedYearRows, checkedYear, protectedTitles, readArchivedYear, readWholeSheets } from "./archive";
import { readLayout, type SheetLayout } from "../google/sheet-batch";
import { bundledRegister } from "./registers";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const awardsOf = (text: string | undefined) => {
  if (!text) return undefined;
  const record = keptRecord(text);
  return record ? yearAwards(record) : undefined;
};

/**
 * The live year, when locked, checked by the same reader as an archive: its
 * summary sheets as they stand, beside the lock's sheets built from what the
 * lock stored.
 */
function liveLockedYear(ss: Spreadsheet, def: ClusterDefinition, layout: SheetLayout[]): LockedYear | undefined {
  const state = loadState(undefined, def);
  if (state.phase !== "locked" || !state.lock) return undefined;
  const frozen = frozenYear(ss, def, state.lock);
  const grids = readWholeSheets(
    spreadsheetId(ss),
    layout.filter((s) => [SUMMARY_SHEET, COVERAGE_SHEET, RANKING_SHEET].includes(s.title)),
  );
  const protectedNames = protectedTitles(layout);
  // The lock's own sheets come from what the lock stored, out of any editor's reach.
  for (const spec of lockedYearSheets(def, frozen, state.lock, sha256Hex)) {
    grids.set(spec.name, spec.grid);
    protectedNames.add(spec.name);
  }
  const check = checkedYear(`Bảng tính dùng chung (năm ${def.year})`, grids, protectedNames);
  if (!check.ok) throw new UserError(check.problem);
  return { ...check.year, awards: awardsOf(keptReviewText()) };
}

/**
 * Every locked year this Sheet knows, each verified; refused, naming every
 * year that fails (edited, unreadable, or its code not the one "Các năm"
 * recorded), before anything is made. The live Sheet's layout is read once,
 * for the writing that follows too.
 */
function knownLockedYears(
  ss: Spreadsheet,
  def: ClusterDefinition,
): { years: LockedYear[]; live: ReturnType<typeof readLayout> } {
  const live = readLayout(spreadsheetId(ss));
  const years: LockedYear[] = [];
  const problems: string[] = [];
  for (const row of archivedYearRows(ss, live.sheets)) {
    const label = `Bản lưu năm ${row.year}`;
    const id = spreadsheetIdOf(row.url);
    if (!id) {
      problems.push(`${label}: đường dẫn "${row.url}" trên trang Các năm không phải một Google Sheet.`);
      continue;
    }
    const r = readArchivedYear(id, label);
    if (!r.ok) problems.push(r.problem);
    else if (r.year.fingerprint !== row.fingerprint || r.year.definition.year !== row.year)
      problems.push(`${label}: mã kiểm tra trong bản lưu khác mã ghi trên trang Các năm; bản lưu đã bị thay.`);
    else years.push({ ...r.year, awards: awardsOf(r.reviewText) });
  }
  if (problems.length)
    throw new UserError(`Không dùng được các năm sau, chưa có gì được tạo:\n- ${problems.join("\n- ")}`);
  const current = liveLockedYear(ss, def, live.sheets);
  if (current) years.push(current);
  if (!years.length)
    throw new UserError(
      "Chưa có năm nào đã khóa: Tổng kết giai đoạn và Lịch sử cụm đọc các năm đã khóa (trang Các năm, và năm hiện tại khi đã khóa).",
    );
  return { years: years.sort((a, b) => a.definition.year - b.definition.year), live };
}

function review(years: LockedYear[], from: number, to: number, reg: ClusterRegister | undefined): PeriodReview {
  try {
    return reviewPeriod(years, from, to, reg);
  } catch (e) {
    if (e instanceof PeriodError) throw new UserError(e.message);
    throw e;
  }
}

function registerOf(def: ClusterDefinition): ClusterRegister | undefined {
  return def.register ? bundledRegister(def) : undefined;
}

/** "2021-2025", "2021–2025" or "2021 2025" → the two years. */
function askPeriod(ctx: MenuContext, years: LockedYear[]): { from: number; to: number } | undefined {
  const { ui } = ctx;
  const known = years.map((y) => y.definition.year);
  const answer = ui.prompt(
    "Tổng kết giai đoạn",
    `Giai đoạn (năm đầu–năm cuối, ví dụ ${known[0]}–${known[known.length - 1]}). Các năm đã khóa: ${known.join(", ")}.`,
    ui.ButtonSet.OK_CANCEL,
  );
  if (answer.getSelectedButton() !== ui.Button.OK) return undefined;
  const m = /^\s*(\d{4})\s*(?:[-–—]|đến|\s)\s*(\d{4})\s*$/.exec(answer.getResponseText());
  if (!m)
    throw new UserError(
      `"${answer.getResponseText()}" không phải một giai đoạn; hãy viết năm đầu–năm cuối, ví dụ ${known[0]}–${known[known.length - 1]}.`,
    );
  return { from: Number(m[1]), to: Number(m[2]) };
}

/**
 * The years' output sheets, head-only (the head makes them, every editor
 * reads them), with their Nhật ký row, in one batch.
 */
function writeHeadOnly(
  ss: Spreadsheet,
  def: ClusterDefinition,
  batch: SheetBatch,
  specs: SheetSpec[],
  audit: AuditEntry,
) {
  // Past one request, the values follow the sheets, their protections and formats as RAW values, the Nhật ký row
  // last: a stop midway leaves the sheets empty or part-filled, never a mix with the last run, and no row saying done.
  // Each visible sheet's title says it is being written until the last part lands, so a reader meanwhile, or after
  // a stop, is told to run the action again rather than shown a table that looks finished.
  batch.sendValuesApart();
  for (const spec of specs) {
    const title = spec.grid[0]?.[0];
    batch.write(
      spec,
      !spec.hidden && typeof title === "string"
        ? { row: 0, col: 0, pending: `${title} (đang ghi; nếu dòng này còn, hãy chạy lại Thi đua › ${batch.action})` }
        : undefined,
    );
  }
  protectInBatch(ss, batch, (name) =>
    specs.some((s) => s.name === name) ? [headOnlyProtection(def, name)] : undefined,
  );
  appendAuditIn(batch, [audit]);
  batch.commit();
}

function periodReview(ctx: MenuContext): void {
  const { ui, ss, def, actor, locked } = ctx;
  locked(() => {
    const { years, live } = knownLockedYears(ss, def);
    const period = askPeriod(ctx, years);
    if (!period) return;
    const reg = registerOf(def);
    const result = review(years, period.from, period.to, reg);
    const specs = [...buildPeriodSheets(result), buildTextSheet(PERIOD_JSON_SHEET, JSON.stringify(result))];
    const last = years.find((y) => y.definition.year === result.to)!.definition;
    const title = `Báo cáo tổng kết giai đoạn ${result.from}–${result.to}`;
    const made = createDocument(
      spreadsheetId(ss),
      def,
      "tong_ket_giai_doan",
      title,
      buildPeriodReport(result, last, new Date()),
    );
    // The document's row in Văn bản goes in the batch's first part, before the sheets (one call fewer): a run
    // stopped after it leaves the document listed. A spreadsheet set up before Văn bản existed has it made by
    // recordDocument, and the layout is read again after.
    const hadDocs = live.sheets.some((s) => s.title === DOCS_SHEET);
    if (!hadDocs) recordDocument(ss, spreadsheetId(ss), def, made, title, actor.email);
    const batch = new SheetBatch(spreadsheetId(ss), "Tổng kết giai đoạn", hadDocs ? live : undefined);
    if (hadDocs) {
      batch.append(DOCS_SHEET, [documentRow(made, title, actor.email)], unrecordedDocument(made), "trace");
      batch.identify(DOCS_SHEET, DOCS_ID_COL, () => documentUrls(spreadsheetId(ss)));
    }
    try {
      writeHeadOnly(ss, def, batch, specs, {
        action: "Tổng kết giai đoạn",
        who: actor.email,
        sheet: specs[0]!.name,
        newValue: `${result.from}–${result.to}`,
        detail: `Từ các năm đã khóa ${result.years.join(", ")}, mỗi năm đối chiếu mã kiểm tra. Báo cáo: ${made.docUrl}`,
      });
    } catch (e) {
      if (!hadDocs || !(e instanceof GoogleBusyError)) throw e;
      // The row goes in the first part: a later part refused leaves it written, and asking for it again would double it.
      let listed = false;
      try {
        listed = documentUrls(spreadsheetId(ss)).has(made.docUrl);
      } catch {
        // Unknown: say the row may be missing, with the links, rather than lose them.
      }
      throw e.with(
        `${e.detail} ${listed ? `${made.name} đã được tạo và có dòng trên trang "${DOCS_SHEET}".` : unrecordedDocument(made)}`,
      );
    }
    ui.alert(
      `Đã tổng kết giai đoạn ${result.from}–${result.to}`,
      `Các trang ${specs
        .slice(0, -1)
        .map((s) => `"${s.name}"`)
        .join(", ")} và ${made.name} (đường dẫn ở trang "Văn bản").`,
      ui.ButtonSet.OK,
    );
  });
}

/** The history as `lich-su` prints it: one line a row. */
export function historySheet(lines: string[]): SheetSpec {
  return {
    name: HISTORY_SHEET,
    grid: lines.map((l) => [l === "" ? null : l]),
    merges: [],
    styles: lines.length ? [{ range: range(0, 0, 1, 1), bold: true, fontSize: 13 }] : [],
    widths: [120],
    frozenRows: 0,
    inputs: [],
    colourScales: [],
  };
}

function history(ctx: MenuContext): void {
  const { ui, ss, def, actor, locked } = ctx;
  locked(() => {
    const { years, live } = knownLockedYears(ss, def);
    const reg = registerOf(def);
    const codes = reg ? reg.schools.map((s) => s.id) : def.schools.map((s) => s.code);
    const answer = ui.prompt(
      "Lịch sử cụm",
      `Mã trường cần xem lịch sử cụm (ví dụ trường mới vào cụm). Các mã: ${codes.join(", ")}.`,
      ui.ButtonSet.OK_CANCEL,
    );
    if (answer.getSelectedButton() !== ui.Button.OK) return;
    const code = answer.getResponseText().trim().toUpperCase();
    if (!codes.includes(code)) throw new UserError(`Mã trường "${code}" không có; các mã có: ${codes.join(", ")}.`);
    const numbers = years.map((y) => y.definition.year);
    const result = review(years, Math.min(...numbers), Math.max(...numbers), reg);
    const lines = schoolHistory(result, code, lineageOf(years[0]!), reg).lines;
    writeHeadOnly(ss, def, new SheetBatch(spreadsheetId(ss), HISTORY_SHEET, live), [historySheet(lines)], {
      action: HISTORY_SHEET,
      who: actor.email,
      sheet: HISTORY_SHEET,
      newValue: code,
      detail: `Các năm ${numbers.join(", ")}, mỗi năm đối chiếu mã kiểm tra.`,
    });
    ui.alert(`Đã ghi lịch sử cụm cho trường ${code} (các năm ${numbers.join(", ")}) vào trang "${HISTORY_SHEET}".`);
  });
}

// All their work is under the lock: the stored state is read once.
const HEAD_ONLY = { headOnly: "Chỉ trường Cụm trưởng hoặc chủ sở hữu bảng tính lập được trang này.", lockFirst: true };
export const menuPeriodReview = menu(periodReview, HEAD_ONLY);
export const menuHistory = menu(history, HEAD_ONLY);
