/**
 * What every step of the year's sign-off shares: fingerprints, the year as
 * frozen at the lock, and refusals of a transition as UserErrors. What the
 * state shows on the sheets (protections, status blocks) is applied by
 * src/gas/year/status.ts.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import type { SchoolFigures } from "../../core/figures/validate";
import { canonicalSchool } from "../../core/lock/fingerprint";
import { sha256Text } from "../../core/lock/sha256";
import { thawYear, type FrozenYear } from "../../core/lock/freeze";
import type { LockRecord, Transition, YearState } from "../../core/lock/lifecycle";
import { UserError } from "../../core/user-error";
import { loadSnapshot } from "./stored-state";
import { spreadsheetId } from "../context";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Hashed here, not with Utilities.computeDigest: a service call per school would make the lock and its checks grow with the cluster. */
export const sha256Hex = sha256Text;

/** A school's fingerprint over its figures as the sheet holds them; no figures (a broken sheet) hash as nothing. */
export function schoolPrint(def: ClusterDefinition, figures: SchoolFigures | undefined): string {
  return sha256Hex(canonicalSchool(def, figures ?? { school: "", rows: [] }));
}

/**
 * The year as locked, back from the kept snapshot: what the report and the
 * integrity check print from. A snapshot that is gone or no longer matches
 * the code recorded at the lock is refused, never printed beside the code.
 */
export function frozenYear(
  ss: Spreadsheet,
  def: ClusterDefinition,
  lock: LockRecord,
  grids?: Map<string, unknown[][]>,
): FrozenYear {
  const text = loadSnapshot(spreadsheetId(ss), undefined, grids);
  if (!text)
    throw new UserError("Không tìm thấy bản số liệu lưu lúc khóa; hãy đối chiếu với Nhật ký và tệp PDF báo cáo đã ký.");
  const year = thawYear(def, text, sha256Hex);
  if (year.fingerprint !== lock.fingerprint)
    throw new UserError(
      "Bản số liệu lưu khi khóa không khớp mã kiểm tra trong Nhật ký: bản lưu đã bị sửa. Hãy đối chiếu với Nhật ký và tệp PDF báo cáo.",
    );
  return year;
}

/** The state a transition leads to; a refused transition is the user's to act on. */
export function allowed(result: Transition): YearState {
  if (!result.ok) throw new UserError(result.message);
  return result.state;
}
