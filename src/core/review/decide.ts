/**
 * From a checked tally to the meeting's result: who passes each item, who
 * is left out because they are not eligible, because the seats or the
 * share cap are used up, or because of a tie, each with the Vietnamese line
 * that explains it; then next year's head and deputies and the handover of
 * the rotating flag, which the opening of the next year reads.
 */
import type { ClusterDefinition } from "../definition/definition";
import type { Ranking } from "../figures/score";
import { formatNumber, formatPercent, formatScore } from "../text/format";
import { itemName, itemSeats, REVIEW_ITEMS, type AwardItem, type Candidate, type ReviewItem } from "./candidates";
import { paramLabel, type RuleParams, type RuleSet } from "./rules";
import { quorumNeeded, type Meeting, type Tally } from "./tally";

export type Outcome = "passed" | "failed" | "notEligible" | "overLimit" | "tieLost" | "tieUnresolved";

export interface CandidateResult {
  school: string;
  votes: number;
  /** votes / base, 0–1. */
  share: number;
  outcome: Outcome;
  line: string;
}

export interface ItemResult {
  item: ReviewItem;
  name: string;
  /** How many may pass; null: everyone who reaches the share. */
  seats: number | null;
  /** What the share is counted over (members present, or all members). */
  base: number;
  ballots: { issued: number; returned: number; valid: number; invalid: number };
  candidates: CandidateResult[];
  /** The rule lines that apply to the item as a whole (the share needed, the cap). */
  lines: string[];
}

export interface FlagHandover {
  from: string;
  to: string;
  /** ISO date: the meeting's. */
  date: string;
}

/** What the meeting decided: what the dossier proposes and what opens next year. */
export interface ReviewResult {
  cluster: string;
  year: number;
  meeting: Meeting;
  /** The rule set applied, and the labels of its parameters no source was seen for (editable defaults). */
  ruleSet: { id: string; name: string; unconfirmed: string[] };
  quorum: { members: number; present: number; needed: number };
  items: ItemResult[];
  /** The awards proposed, school codes per award, best voted first. */
  awards: Record<AwardItem, string[]>;
  leaders: string[];
  /** null when the vote is tied and the meeting must vote again. */
  nextHead: string | null;
  nextDeputies: string[];
  handover: FlagHandover | null;
  /** Items the meeting must vote on again (a tie the rule does not break). */
  revote: ReviewItem[];
}

const pct = (share: number) => formatPercent(share * 100);

export function decideReview(
  def: ClusterDefinition,
  ranking: Ranking,
  rules: RuleSet,
  candidates: readonly Candidate[],
  tally: Tally,
): ReviewResult {
  const p = rules.params;
  const name = (code: string) => def.schools.find((s) => s.code === code)?.name ?? code;
  const score = (code: string) => ranking.ranked.find((r) => r.school === code)?.total ?? 0;
  const present = tally.meeting.present.length;
  const base = p.voteBase.value === "present" ? present : def.schools.length;
  const baseWords = p.voteBase.value === "present" ? "số trường có mặt" : "tổng số trường thành viên";
  const need = `${p.passStrict.value ? "trên" : "từ"} ${pct(p.passShare.value)}`;
  const passes = (share: number) =>
    p.passStrict.value ? share > p.passShare.value + 1e-12 : share >= p.passShare.value - 1e-12;

  const leaders: string[] = [];
  let nextHead: string | null = null;
  const items: ItemResult[] = [];
  const revote: ReviewItem[] = [];
  const currentHead = def.schools.find((s) => s.role === "head")!.code;

  for (const item of REVIEW_ITEMS) {
    const standing = candidates.filter((c) => c.item === item);
    if (!standing.length) continue;
    const b = tally.ballots.find((x) => x.item === item)!;
    const ballots = {
      issued: b.issued.value!,
      returned: b.returned.value!,
      valid: b.valid.value!,
      invalid: b.invalid.value!,
    };
    const lines = [`Tỷ lệ cần đạt: ${need} ${baseWords} (${formatNumber(base)} trường); ${p.passShare.source}.`];
    const eligible = (school: string): string | null => {
      if ((item === "academyFlag" || item === "govFlag") && !leaders.includes(school))
        return "không được bầu là đơn vị dẫn đầu Cụm nên không thuộc diện đề nghị Cờ thi đua";
      if (item === "academyMerit" && leaders.includes(school)) return "đã là đơn vị dẫn đầu Cụm, được xét Cờ thi đua";
      if (item === "deputy" && school === nextHead) return "đã được bầu Cụm trưởng";
      return null;
    };
    const seats = itemSeats(item, rules);
    if (item === "govFlag" && p.govFlagLeaderBase.value !== null) {
      const pool = p.govFlagLeaderBase.value;
      lines.push(
        `Số đơn vị được đề nghị: tối đa ${pct(p.govFlagMaxShare.value)} ` +
          `của ${formatNumber(pool)} đơn vị dẫn đầu các Cụm ` +
          `= ${formatNumber(p.govFlagMaxShare.value * pool)}, làm tròn xuống ${seats} đơn ` +
          `vị; ${p.govFlagMaxShare.source}.`,
      );
    } else if (item === "govFlag")
      lines.push(
        `Cụm ghi nhận các đơn vị dẫn đầu được đề nghị; giới hạn ${pct(p.govFlagMaxShare.value)} tính trên toàn bộ ` +
          `đơn vị dẫn đầu các Cụm mà Học viện xét cùng đợt, nên Học viện áp dụng khi tổng hợp ` +
          `(${p.govFlagMaxShare.source}).`,
      );
    else if (seats !== null) lines.push(`Số lượng: ${seats} đơn vị.`);

    const results: CandidateResult[] = standing.map((c) => {
      const votes = tally.votes.find((v) => v.item === item && v.school === c.school)?.votes.value ?? 0;
      const share = base ? votes / base : 0;
      const counted = `${name(c.school)}: ${votes}/${base} phiếu = ${pct(share)}`;
      const why = eligible(c.school);
      if (why)
        return { school: c.school, votes, share, outcome: "notEligible", line: `${counted}; ${why} → không xét.` };
      if (!passes(share))
        return { school: c.school, votes, share, outcome: "failed", line: `${counted}, chưa ${need} → không đạt.` };
      return { school: c.school, votes, share, outcome: "passed", line: `${counted}, ${need} → đạt.` };
    });
    const passing = results
      .filter((r) => r.outcome === "passed")
      .sort((a, b) => b.votes - a.votes || score(b.school) - score(a.school));
    if (seats !== null && passing.length > seats) limitSeats(passing, seats, item);
    results.sort((a, b) => rankOf(a) - rankOf(b) || b.votes - a.votes);
    items.push({ item, name: itemName(item, def.year), seats, base, ballots, candidates: results, lines });
    if (results.some((r) => r.outcome === "tieUnresolved")) revote.push(item);
    const won = results.filter((r) => r.outcome === "passed").map((r) => r.school);
    if (item === "leader") leaders.push(...won);
    if (item === "head") nextHead = won[0] ?? null;
  }

  function limitSeats(passing: CandidateResult[], seats: number, item: ReviewItem): void {
    const last = passing[seats - 1];
    const first = passing[seats];
    const limitWords = item === "govFlag" ? "vượt tỷ lệ được đề nghị" : `hết số lượng (${seats} đơn vị)`;
    for (const r of passing.slice(seats))
      if (!last || r.votes < last.votes) {
        r.outcome = "overLimit";
        r.line = r.line.replace(
          / → đạt\.$/,
          `, nhưng ${limitWords}, xếp sau các đơn vị nhiều phiếu hơn → ` +
            `không ${item === "govFlag" ? "đề nghị" : "đạt"}.`,
        );
      }
    if (!last || !first || first.votes !== last.votes) return;
    // A tie across the last seat: the rule decides among those with exactly that many votes.
    const tied = passing.filter((r) => r.votes === last.votes);
    const open = seats - passing.filter((r) => r.votes > last.votes).length;
    const byScore = [...tied].sort((a, b) => score(b.school) - score(a.school));
    // With the score rule a strictly higher locked total takes a seat; only totals equal to the one at the last
    // open seat go back to the meeting, and only when they are more than the seats left to them.
    const edge = score(byScore[open - 1]!.school);
    const above = byScore.filter((r) => score(r.school) > edge + 1e-9);
    const level = byScore.filter((r) => Math.abs(score(r.school) - edge) <= 1e-9);
    const levelSeats = open - above.length;
    const levelTie = p.tieBreak.value === "revote" || level.length > levelSeats;
    const points = (r: CandidateResult) => `${formatScore(score(r.school))} điểm`;
    const list = (xs: CandidateResult[]) => xs.map((x) => `${name(x.school)} (${points(x)})`).join(", ");
    for (const r of byScore) {
      const head =
        `${name(r.school)}: ${r.votes}/${base} phiếu = ${pct(r.share)}, bằng phiếu với ` +
        `${list(tied.filter((x) => x !== r))} ở vị trí cuối cùng (còn ${open} chỗ)`;
      if (p.tieBreak.value === "revote") {
        r.outcome = "tieUnresolved";
        r.line = `${head}; theo quy tắc, Hội nghị bỏ phiếu lại giữa các đơn vị này (${p.tieBreak.source}).`;
      } else if (above.includes(r)) {
        r.outcome = "passed";
        r.line =
          `${head}; theo quy tắc, đơn vị có tổng điểm xếp hạng cao hơn được chọn: ${points(r)}, cao hơn ` +
          `${list(tied.filter((x) => score(x.school) < score(r.school) - 1e-9))} → đạt (${p.tieBreak.source}).`;
      } else if (level.includes(r) && levelTie) {
        r.outcome = "tieUnresolved";
        r.line =
          `${head}; theo quy tắc, đơn vị có tổng điểm xếp hạng cao hơn được chọn, nhưng ${points(r)} bằng tổng ` +
          `điểm của ${list(level.filter((x) => x !== r))}: Hội nghị bỏ phiếu lại giữa các đơn vị này cho ` +
          `${levelSeats} chỗ còn lại (${p.tieBreak.source}).`;
      } else {
        const won = level.includes(r);
        r.outcome = won ? "passed" : "tieLost";
        r.line =
          `${head}; theo quy tắc, đơn vị có tổng điểm xếp hạng cao hơn được chọn: ${points(r)} → ` +
          `${won ? "đạt" : "không đạt"} (${p.tieBreak.source}).`;
      }
    }
  }

  let nextDeputies =
    items
      .find((i) => i.item === "deputy")
      ?.candidates.filter((r) => r.outcome === "passed")
      .map((r) => r.school) ?? [];
  if (p.headChoice.value === "rotation") {
    // Rotation: the first deputy takes over, the next schools in the definition's order become deputies.
    const order = def.schools.map((s) => s.code);
    nextHead = def.schools.find((s) => s.role === "deputy")?.code ?? null;
    const from = nextHead ? order.indexOf(nextHead) : 0;
    nextDeputies = [...order.slice(from + 1), ...order.slice(0, from)]
      .filter((c) => c !== currentHead)
      .slice(0, p.deputiesPerCluster.value);
  }
  const awards = {} as Record<AwardItem, string[]>;
  for (const item of ["leader", "academyFlag", "govFlag", "academyMerit"] as const)
    awards[item] =
      items
        .find((i) => i.item === item)
        ?.candidates.filter((r) => r.outcome === "passed")
        .map((r) => r.school) ?? [];
  return {
    cluster: def.id,
    year: def.year,
    meeting: tally.meeting,
    ruleSet: {
      id: rules.id,
      name: rules.name,
      unconfirmed: (Object.keys(rules.params) as (keyof RuleParams)[])
        .filter((k) => rules.params[k].unconfirmed)
        .map(paramLabel),
    },
    quorum: { members: def.schools.length, present, needed: quorumNeeded(def, rules) },
    items,
    awards,
    leaders,
    nextHead,
    nextDeputies,
    handover: nextHead ? { from: currentHead, to: nextHead, date: tally.meeting.date } : null,
    revote,
  };
}

const ORDER: Record<Outcome, number> = {
  passed: 0,
  tieUnresolved: 1,
  tieLost: 2,
  overLimit: 3,
  failed: 4,
  notEligible: 5,
};
const rankOf = (r: CandidateResult) => ORDER[r.outcome];

/** The result in words, item by item: what the minutes and the screen show. */
export function explainReview(def: ClusterDefinition, result: ReviewResult): string[] {
  const name = (code: string) => def.schools.find((s) => s.code === code)?.name ?? code;
  const out = [
    `Áp dụng: ${result.ruleSet.name}.`,
    ...(result.ruleSet.unconfirmed.length
      ? [
          `Quy tắc mặc định, chưa đối chiếu được văn bản gốc (Cụm hãy kiểm tra theo ` +
            `Quy chế của mình): ${result.ruleSet.unconfirmed.join("; ")}.`,
        ]
      : []),
    `Có mặt ${result.quorum.present}/${result.quorum.members} trường (cần ít nhất ${result.quorum.needed}).`,
  ];
  for (const item of result.items) {
    out.push(`${item.name}:`);
    for (const l of item.lines) out.push(`  ${l}`);
    for (const c of item.candidates) out.push(`  - ${c.line}`);
  }
  if (result.nextHead) out.push(`Cụm trưởng năm ${result.year + 1}: ${name(result.nextHead)}.`);
  if (result.nextDeputies.length)
    out.push(`Cụm phó năm ${result.year + 1}: ${result.nextDeputies.map(name).join(", ")}.`);
  if (result.handover) out.push(handoverText(def, result.handover) + ".");
  for (const item of result.revote) out.push(`Cần bỏ phiếu lại: ${itemName(item, result.year)}.`);
  return out;
}

/** "Trường A trao Cờ luân lưu của Cụm cho Trường B", or that the head keeps it when re-elected. */
export function handoverText(def: ClusterDefinition, h: FlagHandover): string {
  const name = (code: string) => def.schools.find((s) => s.code === code)?.name ?? code;
  return h.from === h.to
    ? `${name(h.from)} tiếp tục giữ Cờ luân lưu của Cụm`
    : `${name(h.from)} trao Cờ luân lưu của Cụm cho ${name(h.to)}`;
}
