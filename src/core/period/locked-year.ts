/**
 * A locked year read back for the period review: the definition, the figures
 * and the lock record kept in the locked workbook, each checked against the
 * codes written when the year was locked. Hashing is the adapter's (Node's
 * crypto offline, Utilities online), passed in.
 */
import { checkDefinition, type ClusterDefinition } from "../definition/definition";
import type { SchoolFigures } from "../figures/validate";
import { shortPrint } from "../lock/fingerprint";
import { thawYear } from "../lock/freeze";
import type { Verdict } from "../pipeline";
import { LOCK_SHEET, readLockSheet, readSnapshotSheet } from "../sheets/lock-layout";

export type Grid = readonly (readonly unknown[])[];
export type Sha256 = (text: string) => string;

export interface LockedYear {
  /** File (or Sheet) name, for messages. */
  source: string;
  definition: ClusterDefinition;
  figures: SchoolFigures[];
  /** The summary and ranking recomputed from the locked figures, as the lock computed them. */
  verdict: Verdict;
  fingerprint: string;
  lockedAt: string;
  /** The awards the year's review meeting proposed (its record beside the locked year), when there is one. */
  awards?: YearAwards;
}

/** Award name → school codes, in the meeting's order. */
export type YearAwards = { name: string; schools: string[] }[];

export interface LockedSheets {
  lock?: Grid;
  snapshot?: Grid;
  definition?: Grid;
}

export type LockedYearResult = { ok: true; year: LockedYear } | { ok: false; problem: string };

const refuse = (source: string, text: string): LockedYearResult => ({ ok: false, problem: `${source}: ${text}` });

export function verifyLockedYear(source: string, sheets: LockedSheets, sha256: Sha256): LockedYearResult {
  if (!sheets.lock)
    return refuse(
      source,
      `chưa được khóa (không có trang "${LOCK_SHEET}"). Tổng kết giai đoạn chỉ đọc các năm ` +
        `đã khóa: hãy khóa năm đó bằng lệnh khoa rồi dùng tệp tong-hop-da-khoa.xlsx.`,
    );
  if (!sheets.definition || !sheets.snapshot)
    return refuse(
      source,
      "là bảng đã khóa nhưng không lưu định nghĩa cụm của năm (khóa bằng phiên bản cũ " +
        "hoặc đã bị xóa trang ẩn); hãy khóa lại năm đó bằng phiên bản này.",
    );
  const text = readSnapshotSheet(sheets.definition);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse(source, "định nghĩa cụm lưu khi khóa đã bị sửa hoặc hỏng; không dùng được năm này.");
  }
  const checked = checkDefinition(parsed);
  if (!checked.ok) return refuse(source, `định nghĩa cụm lưu khi khóa không hợp lệ: ${checked.problems[0]}`);
  const def = checked.definition;
  const lock = readLockSheet(def, sheets.lock);
  if (!lock) return refuse(source, `trang "${LOCK_SHEET}" không đọc được; bảng đã khóa bị sửa.`);
  const tampered =
    `số liệu hoặc định nghĩa đã bị sửa sau khi khóa (không khớp mã kiểm ` +
    `tra ${shortPrint(lock.fingerprint)}); không dùng được năm ${def.year}. Hãy dùng bản đã khóa ` +
    `gốc.`;
  if (!lock.definitionPrint || sha256(text) !== lock.definitionPrint) return refuse(source, tampered);
  if (lock.cluster !== def.id || lock.year !== def.year) return refuse(source, tampered);
  let thawed;
  try {
    thawed = thawYear(def, readSnapshotSheet(sheets.snapshot), sha256);
  } catch {
    return refuse(source, tampered);
  }
  if (thawed.fingerprint !== lock.fingerprint) return refuse(source, tampered);
  return {
    ok: true,
    year: {
      source,
      definition: def,
      figures: thawed.figures,
      verdict: thawed.verdict,
      fingerprint: lock.fingerprint,
      lockedAt: lock.at,
    },
  };
}
