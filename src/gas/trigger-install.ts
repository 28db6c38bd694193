/**
 * The installable triggers (Nhật ký on every edit, the head's queue every
 * five minutes). Google keeps triggers per user, and each runs with its
 * creator's rights: a second head running set-up must not add a second
 * pair (every edit would be logged twice), and it cannot see the first
 * pair. So the document remembers who installed them.
 */
import * as v from "valibot";
import { FLUSH_HANDLER } from "./pending";

export const EDIT_LOG_HANDLER = "onEditLog";
const KEY = "trigger_cua";
const HANDLERS = [EDIT_LOG_HANDLER, FLUSH_HANDLER];

const Installer = v.pipe(v.string(), v.email());

/** Who installed the triggers serving this document, if anyone did; a forged entry reads as nobody. */
export function triggerInstaller(props?: Record<string, string>): string | undefined {
  const raw = (props ?? PropertiesService.getDocumentProperties().getProperties())[KEY];
  return raw && v.is(Installer, raw) ? raw : undefined;
}

/** Handlers of ours that the current user's own triggers lack. */
function missingOwn(): string[] {
  const mine = ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction());
  return HANDLERS.filter((h) => !mine.includes(h));
}

/**
 * Installs the triggers for email unless someone who still holds the head's
 * rights (heads) already did. Returns who runs them.
 */
export function ensureTriggers(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, email: string, heads: string[], props?: Record<string, string>): string {
  const by = triggerInstaller(props);
  if (by && by !== email && heads.includes(by)) return by;
  for (const h of missingOwn()) {
    if (h === EDIT_LOG_HANDLER) ScriptApp.newTrigger(h).forSpreadsheet(ss).onEdit().create();
    else ScriptApp.newTrigger(h).timeBased().everyMinutes(5).create();
  }
  PropertiesService.getDocumentProperties().setProperty(KEY, email);
  return email;
}

/** For Kiểm tra cấu trúc: what is wrong with the triggers, as far as this user can see. */
export function triggerProblem(email: string): string | undefined {
  const by = triggerInstaller();
  if (!by) return "Chưa có trigger ghi Nhật ký khi sửa số liệu; trường Cụm trưởng hãy chạy Thiết lập.";
  // Another user's triggers are invisible to this one: Google lists only the caller's own.
  if (by !== email) return undefined;
  const missing = missingOwn();
  return missing.length ? `Thiếu trigger ${missing.join(", ")} của tài khoản ${by}; hãy chạy lại Thiết lập.` : undefined;
}
