/** The review meeting's record file next to the locked year, and the check that it is still what the meeting decided. */
import { existsSync, readFileSync } from "node:fs";
import type { ClusterDefinition } from "../core/definition/definition";
import { shortPrint } from "../core/lock/fingerprint";
import { canonicalReview, parseReviewRecord, type ReviewRecord } from "../core/review/record";
import { UserError } from "./errors";
import { sha256 } from "./hash";

export const RECORD_FILE = "ket-qua-binh-xet.json";

export function recordFileText(record: ReviewRecord): { text: string; fingerprint: string } {
  const fingerprint = sha256(canonicalReview(record));
  return { text: JSON.stringify({ fingerprint, record }, null, 2) + "\n", fingerprint };
}

/** Whether the record still gives its fingerprint and belongs to this locked year; the lines say what was found. */
export function verifyRecordFile(
  def: ClusterDefinition,
  file: string,
  lockFingerprint: string,
): { ok: boolean; line: string } {
  if (!existsSync(file)) throw new UserError(`Không tìm thấy "${file}".`);
  let saved: { fingerprint?: unknown; record?: unknown } | undefined;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as typeof saved;
  } catch {
    saved = undefined;
  }
  const record = saved?.record ? parseReviewRecord(JSON.stringify(saved.record)) : undefined;
  if (!record || typeof saved?.fingerprint !== "string")
    return { ok: false, line: `${file}: không phải biên bản bình xét do lệnh binh-xet ghi.` };
  if (record.cluster !== def.id || record.year !== def.year)
    return {
      ok: false,
      line: `${file}: biên bản bình xét của cụm "${record.cluster}" năm ${record.year}, không phải ${def.id} năm ${def.year}.`,
    };
  if (record.lockFingerprint !== lockFingerprint)
    return {
      ok: false,
      line: `${file}: biên bản bình xét được lập trên số liệu khóa mã ${shortPrint(record.lockFingerprint)}, không phải bảng đã khóa này (mã ${shortPrint(lockFingerprint)}).`,
    };
  const now = sha256(canonicalReview(record));
  if (now !== saved.fingerprint)
    return {
      ok: false,
      line: `${file}: nội dung biên bản bình xét không khớp mã kiểm tra ${shortPrint(saved.fingerprint)} (nay là ${shortPrint(now)}): biên bản đã bị sửa sau Hội nghị.`,
    };
  return { ok: true, line: `${file}: biên bản bình xét khớp mã kiểm tra ${shortPrint(now)} và số liệu đã khóa.` };
}
