/**
 * Who the user is and what they hold in the cluster, resolved in one place,
 * and the document lock every writing action runs under.
 */
import type { ClusterDefinition, School } from "../core/definition/definition";
import type { Actor } from "../core/lock/lifecycle";
import { schoolSheetName } from "../core/sheets/school-layout";
import { UserError } from "../core/user-error";
import { forgetDocumentProperties } from "./google/store";

/** The user's e-mail, lower case; empty where Google hides it (another domain, or the e-mail scope declined). */
export function activeEmail(): string {
  return (Session.getActiveUser().getEmail() || "").toLowerCase();
}

export function schoolOfSheet(def: ClusterDefinition, sheetName: string): School | undefined {
  return def.schools.find((s) => schoolSheetName(s) === sheetName);
}

export function headEditors(def: ClusterDefinition): string[] {
  return def.schools.filter((s) => s.role === "head").flatMap((s) => s.editors);
}

let owner: string | undefined;
/** The spreadsheet's owner, read once a run (it does not change during one). */
export function ownerEmail(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  if (owner === undefined) {
    const user = ss.getOwner();
    owner = user ? user.getEmail().toLowerCase() : "";
  }
  return owner;
}

let id: string | undefined;
/** The spreadsheet's id for the Sheets API, read once a run. */
export function spreadsheetId(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  return (id ??= ss.getId());
}

let effective: string | undefined;
/** Whose rights the run has: the user, or the installer of the trigger running it. */
export function effectiveEmail(): string {
  return (effective ??= Session.getEffectiveUser().getEmail().toLowerCase());
}

/**
 * Whose rights the run has, when known without asking Google: a menu item
 * runs as the user who chose it, a trigger as its creator (recorded with its
 * id at install). Saves the call, which every school's edit would spend.
 */
export function runsWithRightsOf(email: string): void {
  if (email) effective ??= email;
}

/**
 * The user as the year's rules see them. The owner counts as head. An empty
 * e-mail is never the owner nor the head, even when the owner's address is
 * also unknown: it is "unknown", and may do only what any editor may.
 * A head editor is known from the definition alone; the owner's address
 * (two calls) is asked only of someone who is not one, since an owner who
 * is also a school's editor must still count as head.
 */
export function actorOf(
  def: ClusterDefinition,
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  email = activeEmail(),
): Actor {
  if (!email) return { email, role: "unknown" };
  if (headEditors(def).includes(email)) return { email, role: "head" };
  if (email === ownerEmail(ss)) return { email, role: "owner" };
  const school = def.schools.find((s) => s.editors.includes(email));
  return school ? { email, role: "school", school: school.code } : { email, role: "unknown" };
}

export const holdsHeadRights = (actor: Actor): boolean => actor.role === "head" || actor.role === "owner";

export const UNKNOWN_EMAIL =
  "Không xác định được e-mail của tài khoản đang dùng (tài khoản ngoài tên miền, hoặc chưa cho Thi đua xem địa chỉ e-mail khi cấp quyền); hãy cấp lại quyền rồi chạy lại";

/** Who the user is, in the words of a refusal: "Tài khoản … là người nhập liệu của …". */
export function describeActor(def: ClusterDefinition, actor: Actor): string {
  if (!actor.email) return UNKNOWN_EMAIL;
  if (actor.role === "school")
    return `Tài khoản ${actor.email} là người nhập liệu của ${def.schools.find((s) => s.code === actor.school)!.name}`;
  if (actor.role === "unknown") return `Tài khoản ${actor.email} không có trong danh sách của trang Cấu hình`;
  return `Tài khoản ${actor.email} thuộc trường Cụm trưởng`;
}

export const BUSY =
  "Đang có người khác chạy một thao tác của Thi đua trên bảng tính này. Hãy đợi một phút rồi thử lại.";

/** Runs fn under the document lock, so two actions never interleave their writes; busy → a UserError saying to wait. */
export function underDocumentLock<T>(fn: () => T, waitMs = 20_000): T {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(waitMs)) throw new UserError(BUSY);
  // What was read before the lock may have been rewritten by the run that held it.
  forgetDocumentProperties();
  try {
    return fn();
  } finally {
    lock.releaseLock();
  }
}
