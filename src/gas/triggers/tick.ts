/**
 * What the head's edit trigger does after an edit in a school's sheet:
 * refreshes that school's status block, and when the edit was the block's
 * checkbox, confirms the school's figures with exactly the checks of the
 * menu (src/gas/year/confirm.ts) — the door a phone has, since phones run
 * no menus. A refused tick is unticked with its reason in the block; an
 * untick of confirmed figures is ticked again (reopening takes the head's
 * menu and a reason). Who ticked is the edit event's user: Google may leave
 * it blank (docs/platform.md), and a blank e-mail confirms nothing.
 */
import type { ClusterDefinition, School } from "../../core/definition/definition";
import {
  CHECKBOX_COL,
  CHECKBOX_ROW,
  SCHOOL_HEADER_ROW,
  STATUS_FIRST_ROW,
  TEXT_COL,
} from "../../core/sheets/school-layout";
import { boxTicked, TICK_NOTE_LINE } from "../../core/sheets/status-block";
import { a1, type CellBlock } from "../../core/problem";
import { formatDateTime } from "../../core/text/format";
import { UserError } from "../../core/user-error";
import { appendAuditIn, type AuditEntry } from "./audit";
import { actorOf, BUSY, spreadsheetId, underDocumentLock } from "../context";
import { forgetDocumentProperties } from "../google/store";
import { checkConfirmation, recordConfirmation, refuseUnknown } from "../year/confirm";
import { loadState } from "../year/stored-state";
import { readOneSchool, refreshStatus, statusInBatch } from "../year/status";
import { SheetBatch } from "../google/sheet-batch";

type EditEvent = GoogleAppsScript.Events.SheetsOnEdit;

const HIDDEN_TICKER =
  "Google không cho Thi đua biết e-mail của người vừa đánh dấu (tài khoản ngoài tên miền của Cụm, hoặc e-mail bị " +
  "ẩn), nên không xác nhận. Hãy dùng tài khoản nhập liệu có trong Cấu hình, hoặc nhờ trường Cụm trưởng xác nhận giúp.";

const REOPEN_BY_MENU =
  "Ô xác nhận được đánh dấu lại: số liệu đã xác nhận chỉ mở lại được khi trường Cụm trưởng chọn Thi đua › Mở lại số " +
  "liệu của trường (ghi lý do).";

/** A tick not weighed: the lock's own words say what to do (wait, then tick again). */
const BUSY_TICK = `chưa xác nhận, ô được bỏ đánh dấu. ${BUSY}`;

/** How long a tick waits for another action to finish (a confirmation is worth waiting for; an edit's refresh is not). */
const TICK_WAIT_MS = 90_000;

/** Whether the edit is exactly the checkbox cell. */
const isTick = (edited: CellBlock): boolean =>
  edited.row === CHECKBOX_ROW && edited.col === CHECKBOX_COL && edited.rows === 1 && edited.cols === 1;

/**
 * Runs under the document lock (a confirmation changes the year's state; a
 * refresh must not write an older reading over a newer one). The edit's own
 * Nhật ký rows go out with the block's refresh in one write where they can,
 * since every school's edit spends the head's per-minute writes; what is
 * returned is left for the trigger to append: those rows otherwise, and the
 * rows of what it did.
 */
export function afterSchoolEdit(
  e: EditEvent,
  edited: CellBlock,
  def: ClusterDefinition,
  school: School,
  edits: AuditEntry[],
): AuditEntry[] {
  const tick = isTick(edited);
  const email = tick ? ((e.user && e.user.getEmail()) || "").toLowerCase() : "";
  try {
    return weighEdit(e, def, school, tick, email, edits);
  } catch (err) {
    if (!tick || !(err instanceof UserError) || err.message !== BUSY) throw err;
    return [...edits, ...tickWhileBusy(e, def, school, email)];
  }
}

/**
 * A tick the trigger could not weigh, another action holding the lock past
 * TICK_WAIT_MS: the box goes back to what the year's state says, the block
 * says why and to tick again, and Nhật ký keeps the refusal. Written without
 * the lock, only the box and that one line, which no other run words
 * differently: the holder, rewriting blocks, writes the box from the same state.
 */
function tickWhileBusy(e: EditEvent, def: ClusterDefinition, school: School, email: string): AuditEntry[] {
  forgetDocumentProperties();
  const box = boxTicked(loadState(undefined, def), school.code);
  if (e.range.getValue() === box) return [];
  const sheet = e.range.getSheet();
  // An untick of confirmed figures is refused whatever the lock: it says what it always says.
  const why = box ? REOPEN_BY_MENU : BUSY_TICK;
  e.range.setValue(box);
  sheet
    .getRange(STATUS_FIRST_ROW + TICK_NOTE_LINE + 1, TEXT_COL + 1)
    .setValue(`${tickedAt(new Date(), email)}: ${why}`);
  return [refusal(box ? "Bỏ đánh dấu" : "Đánh dấu", email, sheet.getName(), why)];
}

const refusal = (what: string, email: string, sheet: string, detail: string): AuditEntry => ({
  action: `${what} xác nhận: không nhận`,
  who: email || "(không rõ)",
  sheet,
  cell: a1(CHECKBOX_ROW, CHECKBOX_COL),
  detail,
});

const tickedAt = (now: Date, email: string) =>
  `Lần đánh dấu lúc ${formatDateTime(now)} của ${email || "một tài khoản không rõ e-mail"}`;

function weighEdit(
  e: EditEvent,
  def: ClusterDefinition,
  school: School,
  tick: boolean,
  email: string,
  edits: AuditEntry[],
): AuditEntry[] {
  const ss = e.source;
  const rows = underDocumentLock<AuditEntry[] | null>(
    () => {
      const state = loadState(undefined, def);
      const { report, grid } = readOneSchool(ss, def, school, state);
      // An older layout (set-up not run since): its cells are not this block's; nothing is written over them.
      if (report.headerRow !== SCHOOL_HEADER_ROW) return [];
      const now = new Date();
      const code = school.code;
      const ticked = grid?.[CHECKBOX_ROW]?.[CHECKBOX_COL] === true;
      const confirmed = !!state.confirmed[code];
      if (!tick || ticked === confirmed) {
        const batch = new SheetBatch(spreadsheetId(ss), "việc cập nhật khung tình trạng và Nhật ký");
        statusInBatch(batch, [report], state, now);
        if (edits.length) appendAuditIn(batch, edits, now);
        batch.commit();
        // The edit's rows went out with the block.
        return null;
      }
      const at = tickedAt(now, email);
      if (!ticked) {
        refreshStatus(ss, [report], state, now, { [code]: `${at}: ${REOPEN_BY_MENU}` });
        return [refusal("Bỏ đánh dấu", email, report.sheet, REOPEN_BY_MENU)];
      }
      let reason: string;
      if (!email) reason = HIDDEN_TICKER;
      else {
        const actor = actorOf(def, ss, email);
        try {
          refuseUnknown(def, actor);
          const done = checkConfirmation(ss, def, actor, code, "đánh dấu ô xác nhận", now);
          recordConfirmation(ss, def, done, { [code]: `${at}: đã xác nhận.` });
          return [done.entry];
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          reason = err.message;
        }
      }
      refreshStatus(ss, [report], state, now, { [code]: `${at}: chưa xác nhận. ${reason}` });
      return [refusal("Đánh dấu", email, report.sheet, reason)];
    },
    tick ? TICK_WAIT_MS : 20_000,
  );
  // Otherwise the edit's rows come first, then what the tick did.
  return rows === null ? [] : [...edits, ...rows];
}
