/**
 * The review meeting's record file next to the locked year, and the check that it is still what the meeting decided.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { readInputFile, SMALL_JSON_BYTES } from "../io/disk";
import type { ClusterDefinition } from "../../core/definition/definition";
import { shortPrint } from "../../core/lock/fingerprint";
import { reviewRecordProblem } from "../../core/review/record";
import { UserError } from "../errors";
import { sha256 } from "../io/hash";

export const RECORD_FILE = "ket-qua-binh-xet.json";

/** Whether the record file still gives its fingerprint and belongs to this locked year, as one line to print. */
export function verifyRecordFile(
  def: ClusterDefinition,
  file: string,
  lockFingerprint: string,
): { ok: boolean; line: string } {
  if (!existsSync(file)) throw new UserError(`Không tìm thấy "${file}".`);
  const { problem, fingerprint } = reviewRecordProblem(
    def,
    new TextDecoder().decode(readInputFile(file, SMALL_JSON_BYTES)),
    lockFingerprint,
    sha256,
  );
  if (problem) return { ok: false, line: `${file}: ${problem}` };
  return {
    ok: true,
    line: `${file}: biên bản bình xét khớp mã kiểm tra ${shortPrint(fingerprint!)} và số liệu đã khóa.`,
  };
}

/** The folder `binh-xet --phieu` writes its documents and record into, beside the locked workbook by default. */
export const REVIEW_DIR = "binh-xet";

/**
 * The review record that belongs beside a locked workbook: in the documents folder binh-xet writes there, or
 * (records written before that folder existed) right beside it; undefined when there is none.
 */
export function recordBeside(lockedFile: string): string | undefined {
  const dir = dirname(lockedFile);
  return [join(dir, REVIEW_DIR, RECORD_FILE), join(dir, RECORD_FILE)].find((p) => existsSync(p));
}
