/**
 * The review meeting's record file next to the locked year, and the check that it is still what the meeting decided:
 * its own code, the locked year it names, and its result derived again from its tally, the locked ranking and the
 * rules of its day.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { readInputFile, SMALL_JSON_BYTES } from "../io/disk";
import type { ClusterDefinition } from "../../core/definition/definition";
import type { Ranking } from "../../core/figures/score";
import { shortPrint } from "../../core/lock/fingerprint";
import type { ClusterRegister } from "../../core/register/register";
import { meetingYear } from "../../core/register/year-context";
import type { LockedYear } from "../../core/lock/locked-year";
import { parseReviewRecord, reviewRecordProblem, type ReviewRecord } from "../../core/review/record";
import { rederiveReview } from "../../core/review/rederive";
import type { RuleSet } from "../../core/review/rules";
import { UserError } from "../errors";
import { sha256 } from "../io/hash";
import { registerFor } from "./review-inputs";

export const RECORD_FILE = "ket-qua-binh-xet.json";

export interface RecordProof {
  ok: boolean;
  lines: string[];
  /** The record's full fingerprint, when the file is a record at all. */
  fingerprint?: string;
  /** Whether the code given (--ma) is the record's: the record, and through it the locked year, is proven. */
  codeProven: boolean;
}

/**
 * Whether the record file still gives its fingerprint, belongs to this locked year and follows from what it keeps;
 * with a code, whether it is the record printed on the signed minutes.
 */
export function proveRecordFile(args: {
  def: ClusterDefinition;
  file: string;
  lockFingerprint: string;
  ranking: Ranking;
  register: ClusterRegister | undefined;
  sets: readonly RuleSet[];
  code?: string;
}): RecordProof {
  const { def, file, lockFingerprint } = args;
  if (!existsSync(file)) throw new UserError(`Không tìm thấy "${file}".`);
  const text = new TextDecoder().decode(readInputFile(file, SMALL_JSON_BYTES));
  const { problem, fingerprint } = reviewRecordProblem(def, text, lockFingerprint, sha256);
  if (problem) return { ok: false, lines: [`${file}: ${problem}`], codeProven: false };
  const record = parseReviewRecord(JSON.stringify((JSON.parse(text) as { record: unknown }).record))!;
  const lines: string[] = [];
  let differences: string[];
  try {
    const meeting = meetingYear({
      definition: def,
      register: args.register,
      date: record.result.meeting.date,
      ruleSets: args.sets,
      ranking: args.ranking,
    });
    differences = rederiveReview({ record, def: meeting.def, ranking: meeting.ranking, rules: meeting.ctx.rules });
  } catch (e) {
    differences = [`không tính lại được kết quả: ${(e as Error).message}`];
  }
  if (differences.length) {
    lines.push(
      `${file}: biên bản khớp mã kiểm tra ${shortPrint(fingerprint!)} nhưng kết quả không theo từ kết quả kiểm ` +
        `phiếu, bảng xếp hạng đã khóa và quy tắc ngày họp:`,
      ...differences.map((d) => `  - ${d}`),
    );
    return { ok: false, lines, fingerprint, codeProven: false };
  }
  const codeProven = args.code !== undefined && fingerprint!.startsWith(args.code);
  lines.push(
    `${file}: biên bản bình xét khớp mã kiểm tra ${shortPrint(fingerprint!)} và số liệu đã khóa; kết quả tính ` +
      `lại từ kết quả kiểm phiếu, bảng xếp hạng đã khóa và quy tắc ngày họp trùng với biên bản.`,
  );
  if (codeProven)
    lines.push(
      `Mã ${args.code!.slice(0, 12)} là mã của biên bản bình xét in trong biên bản họp đã ký: biên bản đúng là ` +
        `bản đã ký, và số liệu đã khóa nó ghi (mã ${shortPrint(lockFingerprint)}) đúng là bảng này.`,
    );
  return { ok: true, lines, fingerprint, codeProven };
}

/**
 * The review record of a locked year, for the commands that build on it (the period review, the Academy's roll-up):
 * proven as `xac-minh --binh-xet` proves it (its code, the locked year it names, its result derived again), else
 * refused with every reason. The register is the one the year's definition names, found beside the locked year.
 */
export function readProvenRecord(
  year: LockedYear,
  lockedFile: string,
  file: string,
  sets: readonly RuleSet[],
): { record: ReviewRecord; fingerprint: string } {
  const def = year.definition;
  const proof = proveRecordFile({
    def,
    file,
    lockFingerprint: year.fingerprint,
    ranking: year.verdict.ranking,
    register: registerFor(def, [lockedFile], undefined),
    sets,
  });
  if (!proof.ok) throw new UserError(proof.lines.join("\n"));
  const text = new TextDecoder().decode(readInputFile(file, SMALL_JSON_BYTES));
  const record = parseReviewRecord(JSON.stringify((JSON.parse(text) as { record: unknown }).record))!;
  return { record, fingerprint: proof.fingerprint! };
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
