/**
 * The cap on the Government's emulation flag (Cờ thi đua của Chính phủ) over
 * the Academy's whole pool: no single cluster holds it, so each cluster only
 * records who reached the vote, and the cap is applied here, where every
 * cluster's proposals meet. The share comes from the rule set in force on the
 * Academy's date (src/core/review/rules.ts, sources in docs/binh-xet-quy-tac.md);
 * proposals are ranked by their vote share at the cluster's meeting, then, as
 * the rules name (`tieBreak`), by the locked score as a share of its maximum
 * (clusters score out of different maxima); what is still equal at the last
 * seat goes back to the Academy's council.
 */
import { formatNumber, formatPercent, formatScore } from "../text/format";
import type { RuleSet } from "../review/rules";

/** A school a cluster's meeting proposed for an award, with the votes it had. */
export interface ProposedSchool {
  cluster: string;
  clusterName: string;
  school: string;
  schoolName: string;
  votes: number;
  /** What the cluster's share is counted over (its members, or those present). */
  base: number;
  /** votes / base, 0–1. */
  share: number;
}

export interface FlagProposal extends ProposedSchool {
  /** The school's locked total and the maximum of its cluster's scoring. */
  score: number;
  maxScore: number;
}

export type FlagOutcomeKind = "proposed" | "overCap" | "tieUnresolved";

export interface FlagOutcome extends FlagProposal {
  outcome: FlagOutcomeKind;
  /** 1-based place in the ranking; equal proposals share a place. */
  place: number;
  line: string;
}

export interface FlagCap {
  /** How many leading units the share is taken of. */
  pool: number;
  maxShare: number;
  seats: number;
  unconfirmed: boolean;
  /** The rule as a whole: the share, the pool, the seats, the order. */
  lines: string[];
  outcomes: FlagOutcome[];
}

const EPS = 1e-9;
const pct = (share: number) => formatPercent(share * 100);
const ratioOf = (p: FlagProposal) => (p.maxScore > 0 ? p.score / p.maxScore : 0);

export function capGovFlag(proposals: readonly FlagProposal[], pool: number, rules: RuleSet): FlagCap {
  const param = rules.params.govFlagMaxShare;
  const byScore = rules.params.tieBreak.value === "score";
  const seats = Math.floor(param.value * pool + EPS);
  const lines = [
    `Số đơn vị được đề nghị: tối đa ${pct(param.value)} của ${formatNumber(pool)} đơn vị dẫn đầu các Cụm ` +
      `= ${formatNumber(param.value * pool)}, làm tròn xuống ${formatNumber(seats)} đơn vị; ${param.source}` +
      `${param.unconfirmed ? " (tỷ lệ chưa kiểm chứng được trong văn bản gốc)" : ""}.`,
    byScore
      ? "Thứ tự xét: tỷ lệ phiếu tại Hội nghị bình xét của Cụm, rồi điểm đã khóa so với điểm tối đa của Cụm; " +
        "còn bằng nhau ở chỗ cuối cùng thì Hội đồng Thi đua - Khen thưởng Học viện bỏ phiếu lại " +
        `(${rules.params.tieBreak.source}).`
      : "Thứ tự xét: tỷ lệ phiếu tại Hội nghị bình xét của Cụm; bằng phiếu ở chỗ cuối cùng thì Hội đồng Thi đua - " +
        `Khen thưởng Học viện bỏ phiếu lại (${rules.params.tieBreak.source}).`,
  ];
  if (!proposals.length) lines.push("Không Cụm nào đề nghị Cờ thi đua của Chính phủ.");

  const compare = (a: FlagProposal, b: FlagProposal) => {
    if (Math.abs(a.share - b.share) > EPS) return b.share - a.share;
    if (byScore && Math.abs(ratioOf(a) - ratioOf(b)) > EPS) return ratioOf(b) - ratioOf(a);
    return 0;
  };
  const sorted = [...proposals].sort(
    (a, b) => compare(a, b) || a.clusterName.localeCompare(b.clusterName, "vi") || a.school.localeCompare(b.school),
  );
  const places: number[] = [];
  sorted.forEach((p, i) => places.push(i > 0 && compare(sorted[i - 1]!, p) === 0 ? places[i - 1]! : i + 1));

  // The group equal to the last seat's proposal: above it everyone is in, below it everyone is out.
  const lastIn = seats > 0 ? sorted[seats - 1] : undefined;
  const firstOut = sorted[seats];
  const tieAtCap = lastIn !== undefined && firstOut !== undefined && compare(lastIn, firstOut) === 0;
  const tied = tieAtCap ? sorted.filter((p) => compare(p, lastIn) === 0) : [];
  const open = seats - sorted.filter((p) => lastIn && compare(p, lastIn) < 0).length;

  const outcomes = sorted.map((p, i): FlagOutcome => {
    const basis =
      `${p.schoolName} (${p.clusterName}): ${formatNumber(p.votes)}/${formatNumber(p.base)} phiếu = ` +
      `${pct(p.share)}, ${formatScore(p.score)}/${formatScore(p.maxScore)} điểm đã khóa`;
    const place = `xếp thứ ${places[i]}/${sorted.length}`;
    if (tied.includes(p)) {
      const others = tied
        .filter((x) => x !== p)
        .map((x) => x.schoolName)
        .join(", ");
      return {
        ...p,
        outcome: "tieUnresolved",
        place: places[i]!,
        line:
          `${basis}; ${place}, bằng ${others} ở chỗ cuối cùng (còn ${open} chỗ) → Hội đồng Thi đua - ` +
          `Khen thưởng Học viện bỏ phiếu lại giữa các đơn vị này.`,
      };
    }
    if (i < seats)
      return {
        ...p,
        outcome: "proposed",
        place: places[i]!,
        line: `${basis}; ${place}, trong số ${seats} chỗ → đề nghị.`,
      };
    const why =
      seats === 0
        ? `tỷ lệ ${pct(param.value)} của ${formatNumber(pool)} đơn vị dẫn đầu chưa đủ một đơn vị`
        : `vượt tỷ lệ được đề nghị (${formatNumber(seats)} đơn vị), xếp sau các đơn vị trên`;
    return { ...p, outcome: "overCap", place: places[i]!, line: `${basis}; ${place}, ${why} → không đề nghị.` };
  });
  return { pool, maxShare: param.value, seats, unconfirmed: param.unconfirmed, lines, outcomes };
}
