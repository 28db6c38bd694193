/**
 * A review record proves itself only if its result follows from what it
 * keeps: the locked ranking it names, the rules in force on its day and its
 * own tally. This derives the result again from those and names every
 * difference, so a record whose result was changed and whose fingerprint was
 * recomputed is still caught.
 */
import type { ClusterDefinition } from "../definition/definition";
import type { Ranking } from "../figures/score";
import { applyChanges, itemName, proposeCandidates, type ReviewItem } from "./candidates";
import { decideReview } from "./decide";
import type { ReviewRecord } from "./record";
import { paramLabel, type RuleParams, type RuleSet } from "./rules";
import { checkTally, type Tally } from "./tally";

/** The tally as the record keeps it, back in the shape the checks read. */
export function recordTally(record: ReviewRecord): Tally {
  return {
    meeting: record.result.meeting,
    ballots: record.tally.ballots.map((b) => ({
      item: b.item as ReviewItem,
      issued: { value: b.issued },
      returned: { value: b.returned },
      valid: { value: b.valid },
      invalid: { value: b.invalid },
    })),
    votes: record.tally.votes.map((v) => ({
      item: v.item as ReviewItem,
      school: v.school,
      votes: { value: v.votes },
      marks: v.voters.map((voter) => ({ voter })),
    })),
  };
}

const show = (x: unknown) => (x === undefined ? "(không có)" : JSON.stringify(x));

/** Every path where two JSON values differ, "result.nextHead: biên bản ghi "BDI", tính lại được "KTU"". */
function differences(path: string, kept: unknown, derived: unknown, out: string[], limit = 30): void {
  if (out.length >= limit) return;
  if (JSON.stringify(kept) === JSON.stringify(derived)) return;
  const isObj = (x: unknown) => x !== null && typeof x === "object";
  if (isObj(kept) && isObj(derived) && Array.isArray(kept) === Array.isArray(derived)) {
    const keys = new Set([...Object.keys(kept as object), ...Object.keys(derived as object)]);
    for (const k of keys)
      differences(
        Array.isArray(kept) ? `${path}[${k}]` : `${path}.${k}`,
        (kept as Record<string, unknown>)[k],
        (derived as Record<string, unknown>)[k],
        out,
        limit,
      );
    return;
  }
  out.push(`${path}: biên bản ghi ${show(kept)}, tính lại được ${show(derived)}.`);
}

export interface RederiveInput {
  record: ReviewRecord;
  /** The definition as it stands on the meeting's day (see definitionOnDay). */
  def: ClusterDefinition;
  /** The locked ranking as the meeting reads it (see rankingOnDay). */
  ranking: Ranking;
  /** The rules in force on the meeting's day, from the built-in sets or the cluster's rules file. */
  rules: RuleSet;
}

/** The differences between the record and the result derived again; empty when the record follows from its inputs. */
export function rederiveReview({ record, def, ranking, rules }: RederiveInput): string[] {
  const out: string[] = [];
  if (JSON.stringify(record.rules) !== JSON.stringify(rules)) {
    const changed = (Object.keys(rules.params) as (keyof RuleParams)[]).filter(
      (k) => JSON.stringify(record.rules.params?.[k]) !== JSON.stringify(rules.params[k]),
    );
    out.push(
      `quy tắc ghi trong biên bản khác quy tắc áp dụng ngày họp (${rules.name})` +
        (changed.length ? ` ở: ${changed.map(paramLabel).join("; ")}` : "") +
        `; nếu Cụm dùng tệp quy tắc riêng, hãy thêm --quy-tac <tệp>. Các dòng dưới tính theo quy tắc ghi ` +
        `trong biên bản.`,
    );
  }
  // Past a rules difference the rest is derived under the record's own rules, so what else differs is named rather
  // than every consequence of the rules.
  const applied = out.length ? record.rules : rules;
  const { candidates, problems } = applyChanges(def, proposeCandidates(def, ranking, applied), record.changes);
  const listed: string[] = problems.map((p) => `danh sách đề cử: ${p}`);
  const key = (c: { item: string; school: string }) => `${c.item} ${c.school}`;
  const kept = new Set(record.candidates.map(key));
  const derived = new Set(candidates.map(key));
  for (const c of candidates)
    if (!kept.has(key(c)))
      listed.push(
        `danh sách đề cử: thiếu ${c.school} ở mục "${itemName(c.item, record.year)}" theo bảng xếp hạng đã khóa.`,
      );
  for (const c of record.candidates)
    if (!derived.has(key(c)))
      listed.push(
        `danh sách đề cử: có ${c.school} ở mục "${itemName(c.item, record.year)}", không theo bảng xếp hạng ` +
          `đã khóa và các thay đổi đã ghi.`,
      );
  out.push(...listed);
  if (listed.length) return out;
  const tally = recordTally(record);
  const refused = checkTally(def, applied, candidates, tally);
  for (const p of refused) out.push(`kết quả kiểm phiếu trong biên bản: ${p.message}`);
  if (refused.length) return out;
  const result = decideReview(def, ranking, applied, candidates, tally);
  differences("kết quả", record.result, JSON.parse(JSON.stringify(result)), out);
  return out;
}
