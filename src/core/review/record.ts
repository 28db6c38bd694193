/**
 * The meeting's record: the rules applied, the candidates and every change
 * to them, the tally, the result and the documents issued, tied to the
 * fingerprint of the locked year it reviewed. Its own fingerprint is the
 * SHA-256 of the canonical text below (hashing is the adapters' job, as for
 * the year's figures), so a record edited afterwards no longer matches.
 */
import type { Candidate, CandidateChange } from "./candidates";
import type { ReviewResult } from "./decide";
import type { RuleSet } from "./rules";
import type { Tally } from "./tally";

export const REVIEW_RECORD_VERSION = "cum-thi-dua/binh-xet/1";

export interface ReviewDocument {
  /** Stable code of the document within the meeting, e.g. "BB-HOP". */
  code: string;
  title: string;
  file: string;
}

export interface ReviewRecord {
  version: typeof REVIEW_RECORD_VERSION;
  cluster: string;
  year: number;
  /** Fingerprint (full hex) of the locked year the meeting reviewed. */
  lockFingerprint: string;
  rules: RuleSet;
  candidates: Candidate[];
  changes: CandidateChange[];
  /** The counts only: where they sat in a file says nothing about the meeting. */
  tally: {
    ballots: { item: string; issued: number; returned: number; valid: number; invalid: number }[];
    votes: { item: string; school: string; votes: number; voters: string[] }[];
  };
  result: ReviewResult;
  documents: ReviewDocument[];
}

export function reviewRecord(input: Omit<ReviewRecord, "version" | "tally"> & { tally: Tally }): ReviewRecord {
  const { tally, ...rest } = input;
  return {
    version: REVIEW_RECORD_VERSION,
    ...rest,
    tally: {
      ballots: tally.ballots.map((b) => ({
        item: b.item,
        issued: b.issued.value ?? 0,
        returned: b.returned.value ?? 0,
        valid: b.valid.value ?? 0,
        invalid: b.invalid.value ?? 0,
      })),
      votes: tally.votes.map((v) => ({
        item: v.item,
        school: v.school,
        votes: v.votes.value ?? 0,
        voters: v.marks.map((m) => m.voter),
      })),
    },
  };
}

/** JSON with every object's keys sorted and text NFC: the same record gives the same text on every platform. */
export function canonicalReview(record: ReviewRecord): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (x && typeof x === "object")
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, sorted((x as Record<string, unknown>)[k])]),
      );
    return typeof x === "string" ? x.normalize("NFC") : x;
  };
  return JSON.stringify(sorted(record)) + "\n";
}

/** A record read back from its file; undefined when the text is not one. */
export function parseReviewRecord(text: string): ReviewRecord | undefined {
  try {
    const data = JSON.parse(text) as Partial<ReviewRecord>;
    return data && data.version === REVIEW_RECORD_VERSION && typeof data.lockFingerprint === "string" && data.result
      ? (data as ReviewRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The saved form of a record: the record and the fingerprint taken when it was made. */
export interface SavedReview {
  fingerprint: string;
  record: ReviewRecord;
}

export function savedReviewText(
  record: ReviewRecord,
  hash: (text: string) => string,
): { text: string; fingerprint: string } {
  const fingerprint = hash(canonicalReview(record));
  return { text: JSON.stringify({ fingerprint, record }, null, 2) + "\n", fingerprint };
}

/**
 * Whether a saved record is still what the meeting decided and belongs to
 * this locked year: null when it is, else the Vietnamese reason (the caller
 * says where the record is kept).
 */
export function reviewRecordProblem(
  def: { id: string; year: number },
  text: string,
  lockFingerprint: string,
  hash: (text: string) => string,
): { problem: string | null; fingerprint?: string } {
  let saved: Partial<SavedReview> | undefined;
  try {
    saved = JSON.parse(text) as Partial<SavedReview>;
  } catch {
    saved = undefined;
  }
  const record = saved?.record ? parseReviewRecord(JSON.stringify(saved.record)) : undefined;
  if (!record || typeof saved?.fingerprint !== "string")
    return { problem: "không phải biên bản bình xét do cum-thi-dua ghi." };
  if (record.cluster !== def.id || record.year !== def.year)
    return {
      problem:
        `biên bản bình xét của cụm "${record.cluster}" năm ${record.year}, ` + `không phải ${def.id} năm ${def.year}.`,
    };
  const short = (hex: string) => hex.slice(0, 12);
  if (record.lockFingerprint !== lockFingerprint)
    return {
      problem:
        `biên bản bình xét được lập trên số liệu khóa mã ${short(record.lockFingerprint)}, ` +
        `không phải số liệu đã khóa này (mã ${short(lockFingerprint)}).`,
    };
  const now = hash(canonicalReview(record));
  if (now !== saved.fingerprint)
    return {
      problem:
        `nội dung biên bản bình xét không khớp mã kiểm tra ${short(saved.fingerprint)} (nay ` +
        `là ${short(now)}): biên bản đã bị sửa sau Hội nghị.`,
    };
  return { problem: null, fingerprint: now };
}
