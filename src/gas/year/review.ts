/**
 * The review meeting online, after the year-end lock: the head school makes
 * the "Kiểm phiếu" sheet (only the head and the vote-counting board named
 * then may fill it) and the ballots; after the count, the same core as the
 * command line checks it, decides, and the documents are made as Google
 * Docs. The meeting's record is kept beside the locked figures with its own
 * fingerprint, which Kiểm tra toàn vẹn checks.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import type { DocumentModel } from "../../core/documents/doc-model";
import {
  buildAchievementReport,
  buildAwardRequest,
  buildBallots,
  buildCountMinutes,
  buildMeetingMinutes,
  proposedSchools,
} from "../../core/documents/review-documents";
import type { FrozenYear } from "../../core/lock/freeze";
import type { Ranking } from "../../core/figures/score";
import { goneLines, meetingYear, YearContextError, type MeetingYear } from "../../core/register/year-context";
import { bundledRegister } from "../years/registers";
import { shortPrint } from "../../core/lock/fingerprint";
import { formatProblem } from "../../core/problem";
import { applyChanges, proposeCandidates, votedItems } from "../../core/review/candidates";
import { decideReview, explainReview } from "../../core/review/decide";
import { parseReviewRecord, reviewRecord, reviewRecordProblem, savedReviewText } from "../../core/review/record";
import { checkTally } from "../../core/review/tally";
import { buildTallySheet, readTallySheet, TALLY_SHEET } from "../../core/sheets/tally-layout";
import { isoDateOf, parseVietnameseDate } from "../../core/text/format";
import { UserError } from "../../core/user-error";
import { appendAudit, AUDIT_SHEET } from "../triggers/audit";
import { headEditors, spreadsheetId } from "../context";
import { createDocument, recordDocument } from "../documents/docs";
import { menu, type MenuContext } from "../menu-action";
import { MARK, protectInBatch } from "./protect";
import { SheetBatch } from "../google/sheet-batch";
import { deleteChunked, readChunked, writeChunked } from "../google/store";
import { loadState } from "./stored-state";
import { frozenYear, sha256Hex } from "./year-state";

const RECORD = "binh_xet_";

/**
 * The locked year, refused before anything is made when the user may not
 * write Nhật ký: after the lock only the owner and whoever locked can, and a
 * sheet or document made without its Nhật ký row would be half a step.
 */
function lockedYear(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  def: ClusterDefinition,
): { year: FrozenYear; lockFingerprint: string } {
  const state = loadState(undefined, def);
  if (state.phase !== "locked" || !state.lock)
    throw new UserError("Bình xét dựa trên số liệu đã khóa: hãy chạy Thi đua › Khóa số liệu cuối năm trước.");
  const audit = ss.getSheetByName(AUDIT_SHEET);
  const guard = audit
    ?.getProtections(SpreadsheetApp.ProtectionType.SHEET)
    .find((p) => p.getDescription().indexOf(MARK) === 0);
  if (guard && !guard.canEdit())
    throw new UserError(
      "Sau khi khóa số liệu, chỉ chủ sở hữu bảng tính hoặc người đã khóa mới ghi được Nhật ký; hãy nhờ một trong hai người tổ chức bình xét.",
    );
  return { year: frozenYear(ss, def, state.lock), lockFingerprint: state.lock.fingerprint };
}

/**
 * The locked year as the meeting reads it on its day, from the register the add-on carries, as `binh-xet` reads it
 * offline: after a merge the successor stands for its predecessors, and the law is that day's.
 */
function meetingOn(def: ClusterDefinition, ranking: Ranking, iso: string): MeetingYear {
  try {
    return meetingYear({
      definition: def,
      register: def.register ? bundledRegister(def) : undefined,
      date: iso,
      ranking,
    });
  } catch (e) {
    if (e instanceof YearContextError) throw new UserError(e.message);
    throw e;
  }
}

function makeTallySheet({ ui, ss, def, actor, locked }: MenuContext): void {
  const { year } = lockedYear(ss, def);
  if (ss.getSheetByName(TALLY_SHEET))
    throw new UserError(`Đã có trang "${TALLY_SHEET}". Muốn lập lại, hãy đổi tên hoặc xóa trang đó trước.`);
  const dateAnswer = ui.prompt("Bình xét", "Ngày họp (ngày/tháng/năm, ví dụ 20/11/2024):", ui.ButtonSet.OK_CANCEL);
  if (dateAnswer.getSelectedButton() !== ui.Button.OK) return;
  const date = parseVietnameseDate(dateAnswer.getResponseText());
  if (!date) throw new UserError(`Ngày "${dateAnswer.getResponseText()}" không hợp lệ; hãy viết dạng ngày/tháng/năm.`);
  const boardAnswer = ui.prompt(
    "Bình xét",
    "E-mail các thành viên Ban kiểm phiếu (cách nhau bằng dấu phẩy; phải là người đã được chia sẻ quyền chỉnh sửa bảng tính); chỉ họ và trường Cụm trưởng được điền trang Kiểm phiếu:",
    ui.ButtonSet.OK_CANCEL,
  );
  if (boardAnswer.getSelectedButton() !== ui.Button.OK) return;
  const board = boardAnswer
    .getResponseText()
    .split(/[,;\s]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const bad = board.filter((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
  if (!board.length || bad.length)
    throw new UserError(
      `Cần ít nhất một e-mail hợp lệ của Ban kiểm phiếu${bad.length ? `; không hợp lệ: ${bad.join(", ")}` : ""}.`,
    );
  const meeting = meetingOn(def, year.verdict.ranking, isoDateOf(date));
  const rules = meeting.ctx.rules;
  const candidates = proposeCandidates(meeting.def, meeting.ranking, rules);
  const items = votedItems(rules);
  const head = meeting.def.schools.find((s) => s.role === "head")!;
  locked(() => {
    // The sheet and its protection in one atomic request: never a moment when it is open to every editor.
    const batch = new SheetBatch(spreadsheetId(ss));
    batch.write(
      buildTallySheet(meeting.def, {
        date,
        place: meeting.ctx.place,
        chair: head.principal.name,
        items,
        candidates,
        changes: [],
      }),
    );
    protectInBatch(ss, batch, (name) =>
      name === TALLY_SHEET
        ? [{ description: "kiểm phiếu bình xét", editors: [...headEditors(def), ...board] }]
        : undefined,
    );
    batch.commit();
    const made = createDocument(
      ss.getId(),
      def,
      "phieu_bau",
      `Phiếu bầu bình xét năm ${def.year}`,
      buildBallots(meeting.def, rules, candidates, items, date),
    );
    recordDocument(ss, spreadsheetId(ss), def, made, `Phiếu bầu bình xét năm ${def.year}`, actor.email);
    appendAudit(ss, [
      {
        action: "Tạo trang Kiểm phiếu",
        who: actor.email,
        sheet: TALLY_SHEET,
        detail: `Ban kiểm phiếu: ${board.join(", ")}. Áp dụng ${rules.name}. Phiếu bầu: ${made.docUrl}`,
      },
    ]);
    ui.alert(
      `Đã tạo trang "${TALLY_SHEET}" và ${made.name}. Ban kiểm phiếu điền các ô nền vàng; xong thì trường Cụm trưởng chọn Thi đua › Bình xét: lập văn bản.`,
    );
  });
}

function makeDocuments({ ui, ss, def, actor, locked }: MenuContext): void {
  const { year, lockFingerprint } = lockedYear(ss, def);
  const sheet = ss.getSheetByName(TALLY_SHEET);
  if (!sheet)
    throw new UserError(`Chưa có trang "${TALLY_SHEET}": hãy chọn Thi đua › Bình xét: tạo trang Kiểm phiếu trước.`);
  const grid = sheet.getDataRange().getValues();
  // The meeting's day is read first: it says who exists, so the tally is read against that day.
  const dated = readTallySheet(def, grid, { sheet: TALLY_SHEET }).tally.meeting.date;
  const meeting = meetingOn(def, year.verdict.ranking, dated || isoDateOf(new Date()));
  const read = readTallySheet(meeting.def, grid, { sheet: TALLY_SHEET });
  const refuse = (lines: string[]) => {
    throw new UserError(
      `Chưa lập được văn bản bình xét:\n${lines.slice(0, 15).join("\n")}${lines.length > 15 ? `\n… và ${lines.length - 15} lỗi khác.` : ""}`,
    );
  };
  if (read.problems.length) refuse(read.problems.map((p) => formatProblem(p)));
  const rules = meeting.ctx.rules;
  const { candidates, problems } = applyChanges(
    meeting.def,
    proposeCandidates(meeting.def, meeting.ranking, rules),
    read.changes,
  );
  if (problems.length) refuse(problems);
  const refused = checkTally(meeting.def, rules, candidates, read.tally);
  if (refused.length) refuse(refused.map((p) => formatProblem(p)));
  const result = decideReview(meeting.def, meeting.ranking, rules, candidates, read.tally);
  if (result.revote.length)
    refuse([
      ...explainReview(meeting.def, result).filter((l) => l.startsWith("Cần bỏ phiếu lại")),
      "Ghi kết quả lần bỏ phiếu lại vào trang Kiểm phiếu rồi chạy lại.",
    ]);

  const input = {
    def: meeting.def,
    summary: year.verdict.summary,
    ranking: meeting.ranking,
    rules,
    result,
    lockPrint: shortPrint(lockFingerprint),
    gone: goneLines(meeting.ctx),
  };
  const models: { code: string; model: DocumentModel }[] = [
    { code: "BB-HOP", model: buildMeetingMinutes(input) },
    { code: "BB-KIEM-PHIEU", model: buildCountMinutes(input) },
    { code: "TO-TRINH", model: buildAwardRequest(input) },
    ...proposedSchools(meeting.def, result).map((c) => ({
      code: `BC-THANH-TICH-${c}`,
      model: buildAchievementReport(input, c),
    })),
  ];
  locked(() => {
    const ssId = spreadsheetId(ss);
    const made = models.map(({ code, model }) => {
      const doc = createDocument(ssId, def, `binh_xet_${code}`, model.title, model);
      recordDocument(ss, ssId, def, doc, model.title, actor.email);
      return { code, title: model.title, file: doc.docUrl };
    });
    const record = reviewRecord({
      cluster: def.id,
      year: def.year,
      lockFingerprint,
      rules,
      candidates,
      changes: read.changes,
      tally: read.tally,
      result,
      documents: made,
    });
    const { text, fingerprint } = savedReviewText(record, sha256Hex);
    writeChunked(RECORD, text, "biên bản bình xét");
    appendAudit(ss, [
      {
        action: "Bình xét: lập văn bản",
        who: actor.email,
        sheet: TALLY_SHEET,
        newValue: shortPrint(fingerprint),
        detail: `Mã kiểm tra biên bản bình xét: ${fingerprint}. ${explainReview(meeting.def, result).join(" ")}`.slice(
          0,
          45_000,
        ),
      },
    ]);
    ui.alert(
      `Đã lập ${made.length} văn bản bình xét (đường dẫn ở trang "Văn bản"). Mã kiểm tra biên bản bình xét: ${shortPrint(fingerprint)}.${result.nextHead ? ` Cụm trưởng năm ${def.year + 1}: ${meeting.def.schools.find((s) => s.code === result.nextHead)!.name}.` : ""}`,
    );
  });
}

/** The review record kept online (its saved text), if the meeting's documents were made. */
export function keptReviewText(): string | undefined {
  return readChunked(RECORD);
}

/** The meeting's record inside a kept text (which carries it beside its fingerprint). */
export const keptRecord = (text: string) =>
  parseReviewRecord(JSON.stringify((JSON.parse(text) as { record: unknown }).record));

/** The record leaves the live Sheet with its year (it is kept in the year's archive). */
export function forgetReviewRecord(): void {
  deleteChunked(RECORD);
}

/** For Kiểm tra toàn vẹn: the record kept online still gives its fingerprint and belongs to the locked year; null when none is kept. */
export function reviewRecordCheck(def: ClusterDefinition, lockFingerprint: string): string | null | undefined {
  const text = readChunked(RECORD);
  if (!text) return undefined;
  return reviewRecordProblem(def, text, lockFingerprint, sha256Hex).problem;
}

const HEAD_ONLY = { headOnly: "Chỉ trường Cụm trưởng tổ chức bình xét." };
export const menuReviewSheet = menu(makeTallySheet, HEAD_ONLY);
export const menuReviewDocuments = menu(makeDocuments, HEAD_ONLY);
