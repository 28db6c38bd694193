/**
 * What every entry point needs: the cluster definition (kept in document
 * properties, chunked under the 9 KB per-value limit), who the user is and
 * what role they hold.
 */
import { loadDefinition, type ClusterDefinition, type School } from "../core/definition/definition";
import { schoolSheetName } from "../core/sheets/school-layout";

const PREFIX = "cau_hinh_";
const CHUNK = 8000;

export function saveDefinition(def: ClusterDefinition): void {
  const json = JSON.stringify(def);
  const props: Record<string, string> = { [PREFIX + "so_phan"]: String(Math.ceil(json.length / CHUNK)) };
  for (let i = 0; i * CHUNK < json.length; i++) props[PREFIX + i] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  const store = PropertiesService.getDocumentProperties();
  const old = store.getProperties();
  for (const k of Object.keys(old)) if (k.startsWith(PREFIX) && !(k in props)) store.deleteProperty(k);
  store.setProperties(props);
}

/** The stored definition, or undefined before set-up. One service call. */
export function storedDefinition(props?: Record<string, string>): ClusterDefinition | undefined {
  const all = props ?? PropertiesService.getDocumentProperties().getProperties();
  const parts = Number(all[PREFIX + "so_phan"] ?? 0);
  if (!parts) return undefined;
  let json = "";
  for (let i = 0; i < parts; i++) json += all[PREFIX + i] ?? "";
  return loadDefinition(JSON.parse(json));
}

export function activeEmail(): string {
  return (Session.getActiveUser().getEmail() || "").toLowerCase();
}

export function schoolOfSheet(def: ClusterDefinition, sheetName: string): School | undefined {
  return def.schools.find((s) => schoolSheetName(s) === sheetName);
}

export function headEditors(def: ClusterDefinition): string[] {
  return def.schools.filter((s) => s.role === "head").flatMap((s) => s.editors);
}

export type Role = { kind: "owner" } | { kind: "head" } | { kind: "school"; school: School } | { kind: "unknown" };

/**
 * The user's role. The owner counts as head. An empty e-mail (accounts of
 * another domain hide it) is "unknown": the sheet protections still decide
 * what such a user can write.
 */
export function roleOf(def: ClusterDefinition, email: string, owner: string): Role {
  if (!email) return { kind: "unknown" };
  if (email === owner) return { kind: "owner" };
  if (headEditors(def).includes(email)) return { kind: "head" };
  const school = def.schools.find((s) => s.editors.includes(email));
  return school ? { kind: "school", school } : { kind: "unknown" };
}

export function ownerEmail(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  const owner = ss.getOwner();
  return owner ? owner.getEmail().toLowerCase() : "";
}

export const BUSY = "Đang có người khác chạy một thao tác của Thi đua trên bảng tính này. Hãy đợi một phút rồi thử lại.";

/**
 * Runs fn under the document lock so two actions never interleave their
 * writes; when another run holds the lock, the user is told to wait and
 * fn does not run (undefined is returned).
 */
export function underDocumentLock<T>(ui: GoogleAppsScript.Base.Ui, fn: () => T, waitMs = 20_000): T | undefined {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(waitMs)) {
    ui.alert(BUSY);
    return undefined;
  }
  try {
    return fn();
  } finally {
    lock.releaseLock();
  }
}

/**
 * For the head school's actions: a school's editor is told why not (refusal
 * gets the e-mail and the school's name); unknown users go on, and the sheet
 * protections decide what they can write.
 */
export function headOnly(def: ClusterDefinition, ss: GoogleAppsScript.Spreadsheet.Spreadsheet, ui: GoogleAppsScript.Base.Ui, refusal: (email: string, school: string) => string): { email: string } | undefined {
  const email = activeEmail();
  const role = roleOf(def, email, ownerEmail(ss));
  if (role.kind === "school") {
    ui.alert(refusal(email, role.school.name));
    return undefined;
  }
  return { email };
}
