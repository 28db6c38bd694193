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
import { CHECKBOX_COL, CHECKBOX_ROW, SCHOOL_HEADER_ROW } from "../../core/sheets/school-layout";
import { a1 } from "../../core/problem";
import { formatDateTime } from "../../core/text/format";
import { UserError } from "../../core/user-error";
import type { AuditEntry } from "./audit";
import { actorOf, describeActor, underDocumentLock } from "../context";
import { checkConfirmation, recordConfirmation } from "../year/confirm";
import { loadState } from "../year/stored-state";
import { readOneSchool, refreshStatus } from "../year/status";

type EditEvent = GoogleAppsScript.Events.SheetsOnEdit;

export const HIDDEN_TICKER =
  "Google không cho Thi đua biết e-mail của người vừa đánh dấu (tài khoản ngoài tên miền của Cụm, " +
  "hoặc e-mail bị ẩn), nên không xác nhận. Hãy đánh dấu bằng tài khoản nhập liệu có trong trang Cấu hình, hoặc đề nghị trường Cụm trưởng " +
  "xác nhận giúp (Thi đua › Xác nhận số liệu của trường).";

const REOPEN_BY_MENU =
  "Ô xác nhận được đánh dấu lại: số liệu đã xác nhận chỉ mở lại được khi trường Cụm trưởng chọn Thi đua › Mở lại số " +
  "liệu của trường (ghi lý do).";

/** Whether the edit is exactly the checkbox cell. */
function isTick(range: GoogleAppsScript.Spreadsheet.Range): boolean {
  return (
    range.getRow() === CHECKBOX_ROW + 1 &&
    range.getColumn() === CHECKBOX_COL + 1 &&
    range.getNumRows() === 1 &&
    range.getNumColumns() === 1
  );
}

/**
 * Runs under the document lock (a confirmation changes the year's state; a
 * refresh must not write an older reading over a newer one). Returns the
 * Nhật ký rows of what it did, for the trigger to append with its own.
 */
export function afterSchoolEdit(e: EditEvent, def: ClusterDefinition, school: School): AuditEntry[] {
  const ss = e.source;
  const tick = isTick(e.range);
  return underDocumentLock(() => {
    const state = loadState(undefined, def);
    const { report, grid } = readOneSchool(ss, def, school, state);
    // An older layout (set-up not run since): its cells are not this block's; nothing is written over them.
    if (report.headerRow !== SCHOOL_HEADER_ROW) return [];
    const now = new Date();
    const code = school.code;
    const ticked = grid?.[CHECKBOX_ROW]?.[CHECKBOX_COL] === true;
    const confirmed = !!state.confirmed[code];
    if (!tick || ticked === confirmed) {
      refreshStatus(ss, [report], state, now);
      return [];
    }
    const email = ((e.user && e.user.getEmail()) || "").toLowerCase();
    const who = email || "(không rõ)";
    const cell = a1(CHECKBOX_ROW, CHECKBOX_COL);
    const at = `Lần đánh dấu lúc ${formatDateTime(now)} của ${email || "một tài khoản không rõ e-mail"}`;
    if (!ticked) {
      refreshStatus(ss, [report], state, now, { [code]: `${at}: ${REOPEN_BY_MENU}` });
      return [{ action: "Bỏ đánh dấu xác nhận: không nhận", who, sheet: report.sheet, cell, detail: REOPEN_BY_MENU }];
    }
    let reason: string;
    if (!email) reason = HIDDEN_TICKER;
    else {
      const actor = actorOf(def, ss, email);
      try {
        if (actor.role === "unknown")
          throw new UserError(
            `${describeActor(def, actor)}; chỉ người nhập liệu của trường hoặc trường Cụm trưởng ` +
              "xác nhận được số liệu.",
          );
        const done = checkConfirmation(ss, def, actor, code, "đánh dấu ô xác nhận", now);
        recordConfirmation(ss, def, done, { [code]: `${at}: đã xác nhận.` });
        return [done.entry];
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        reason = err.message;
      }
    }
    refreshStatus(ss, [report], state, now, { [code]: `${at}: chưa xác nhận. ${reason}` });
    return [{ action: "Đánh dấu xác nhận: không nhận", who, sheet: report.sheet, cell, detail: reason }];
  }, 20_000);
}
