/**
 * What every step of the year's sign-off shares: fingerprints computed with
 * Utilities.computeDigest, the year as frozen at the lock, and the
 * protections derived from the stored state (so unlocking restores
 * exactly the rights the state gives).
 */
import type { ClusterDefinition } from "../core/definition/definition";
import type { SchoolFigures } from "../core/figures/validate";
import { canonicalSchool, toHex } from "../core/lock/fingerprint";
import { thawYear, type FrozenYear } from "../core/lock/freeze";
import { schoolEditRights, type LockRecord, type Transition, type YearState } from "../core/lock/lifecycle";
import { schoolSheetName } from "../core/sheets/school-layout";
import { UserError } from "../core/user-error";
import { loadSnapshot } from "./stored-state";
import { protectLocked, protectSchoolSheet } from "./protect";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export function sha256Hex(text: string): string {
  return toHex(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8));
}

/** A school's fingerprint over its figures as the sheet holds them; no figures (a broken sheet) hash as nothing. */
export function schoolPrint(def: ClusterDefinition, figures: SchoolFigures | undefined): string {
  return sha256Hex(canonicalSchool(def, figures ?? { school: "", rows: [] }));
}

/**
 * The year as locked, back from the kept snapshot: what the report and the
 * integrity check print from. A snapshot that is gone or no longer matches
 * the code recorded at the lock is refused, never printed beside the code.
 */
export function frozenYear(def: ClusterDefinition, lock: LockRecord): FrozenYear {
  const text = loadSnapshot();
  if (!text) throw new UserError("Không tìm thấy bản số liệu lưu lúc khóa; hãy đối chiếu với Nhật ký và tệp PDF báo cáo đã ký.");
  const year = thawYear(def, text, sha256Hex);
  if (year.fingerprint !== lock.fingerprint)
    throw new UserError("Bản số liệu lưu khi khóa không khớp mã kiểm tra trong Nhật ký: bản lưu đã bị sửa. Hãy đối chiếu với Nhật ký và tệp PDF báo cáo.");
  return year;
}

/** Protections of every sheet rebuilt from the state. */
export function applyProtections(ss: Spreadsheet, def: ClusterDefinition, state: YearState): void {
  if (state.phase === "locked") {
    for (const sheet of ss.getSheets()) protectLocked(sheet);
    return;
  }
  for (const school of def.schools) {
    const sheet = ss.getSheetByName(schoolSheetName(school));
    if (sheet) protectSchoolSheet(sheet, def, school, sheet.getLastRow(), schoolEditRights(state, school.code));
  }
}

/** The state a transition leads to; a refused transition is the user's to act on. */
export function allowed(result: Transition): YearState {
  if (!result.ok) throw new UserError(result.message);
  return result.state;
}
