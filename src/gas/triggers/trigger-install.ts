/**
 * The installable triggers (Nhật ký on every edit, the head's queue every
 * five minutes). Google keeps triggers per user, and each runs with its
 * creator's rights: a second head running set-up must not add a second
 * pair (every edit would be logged twice), and it cannot see the first
 * pair. So the document remembers who installed them.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { headEditors, ownerEmail } from "../context";
import { CREATORS_KEY, INSTALLER_KEY, recordCreators, triggerInstaller } from "./trigger-creators";
import { runsAsAddOn } from "../deployment";
import { FLUSH_HANDLER } from "./pending";
import { documentProperties } from "../google/store";

export const EDIT_LOG_HANDLER = "onEditLog";
const HANDLERS = [EDIT_LOG_HANDLER, FLUSH_HANDLER];

/**
 * The current user's triggers of ours that serve this spreadsheet, and the
 * handlers this deployment needs that they lack. An add-on's time-driven
 * trigger would run at most hourly and without the document (no document
 * properties, no active spreadsheet), so an add-on has only the edit
 * trigger, which applies the queue too. An add-on's project is the add-on
 * itself, so getProjectTriggers would list the user's triggers on every
 * spreadsheet it serves; getUserTriggers(ss) lists this one's
 * (docs/platform.md).
 */
function ownTriggers(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): {
  own: GoogleAppsScript.Script.Trigger[];
  missing: string[];
} {
  const addOn = runsAsAddOn();
  const listed = addOn ? ScriptApp.getUserTriggers(ss) : ScriptApp.getProjectTriggers();
  const ours = listed.map((t) => ({ t, handler: t.getHandlerFunction() })).filter((x) => HANDLERS.includes(x.handler));
  const have = ours.map((x) => x.handler);
  return {
    own: ours.map((x) => x.t),
    missing: (addOn ? [EDIT_LOG_HANDLER] : HANDLERS).filter((h) => !have.includes(h)),
  };
}

/**
 * Installs the triggers for email unless someone who still holds the head's
 * rights (heads) already did. Returns who runs them, and the entry that
 * records it for the caller to save (with its own write: one call, not two).
 */
export function ensureTriggers(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  email: string,
  heads: string[],
  props?: Record<string, string>,
): { by: string; record: Record<string, string> } {
  const all = props ?? documentProperties();
  const by = triggerInstaller(all);
  if (by && by !== email && heads.includes(by)) return { by, record: {} };
  const { own, missing } = ownTriggers(ss);
  const made = missing.map((h) =>
    h === EDIT_LOG_HANDLER
      ? ScriptApp.newTrigger(h).forSpreadsheet(ss).onEdit().create()
      : ScriptApp.newTrigger(h).timeBased().everyMinutes(5).create(),
  );
  // Earlier heads' ids stay (./trigger-creators.ts): their triggers keep firing, known to be theirs without asking Google.
  const ids = [...own, ...made].map((t) => t.getUniqueId());
  return { by: email, record: { [INSTALLER_KEY]: email, [CREATORS_KEY]: recordCreators(all, ids, email) } };
}

/**
 * For Kiểm tra cấu trúc: whose triggers serve the Sheet and whether they act
 * (a line to show), and what is wrong with them, as far as this user can see.
 */
export function triggerStatus(
  def: ClusterDefinition,
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  email: string,
): { line: string; problem?: string } {
  const by = triggerInstaller();
  if (!by)
    return {
      line: "Chưa có trigger ghi Nhật ký.",
      problem: "Chưa có trigger ghi Nhật ký khi sửa số liệu; trường Cụm trưởng hãy chạy Thiết lập.",
    };
  const head = def.schools.find((s) => s.role === "head");
  if (by !== ownerEmail(ss) && !headEditors(def).includes(by))
    return {
      line: `Trigger ghi Nhật ký do ${by} cài; tài khoản này không còn là Cụm trưởng năm ${def.year} nên trigger không còn tác dụng.`,
      problem:
        `Trigger của ${by} không còn tác dụng (không ghi Nhật ký, không áp dụng việc chờ). ` +
        `Người nhập liệu của ${head?.name ?? "trường Cụm trưởng"} hãy chạy Thi đua › Thiết lập / cập nhật bảng tính một lần để cài trigger của mình.`,
    };
  const line = `Trigger ghi Nhật ký do ${by} cài, đang có tác dụng.`;
  // Another user's triggers are invisible to this one: Google lists only the caller's own.
  if (by !== email) return { line };
  const { missing } = ownTriggers(ss);
  return missing.length
    ? { line, problem: `Thiếu trigger ${missing.join(", ")} của tài khoản ${by}; hãy chạy lại Thiết lập.` }
    : { line };
}
