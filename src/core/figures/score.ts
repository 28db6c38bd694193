/**
 * Scoring and ranking (bình xét). Each target is scored by the method its
 * definition names, every score comes with the sentence that explains it,
 * and groups add up their children.
 */
import {
  effectiveScoring,
  maxScoreOf,
  type ClusterDefinition,
  type Scoring,
  type Target,
} from "../definition/definition";
import type { ClusterSummary } from "./aggregate";
import { formatNumber, formatPercent } from "../text/format";
import { formatFigure, type FigureValue } from "./parse";
import type { TargetFigures } from "./validate";

/** What a score was computed from, kept as data so the sentence is written only when shown. */
export type ScoreBasis =
  | { rule: "none" }
  | { rule: "qualitative"; met: boolean }
  | { rule: "perUnit"; units: number; pointsEach: number; cap: number }
  // floor/ceiling, not min/max: a line's own max is the target's share of the total, which a bonus or penalty never
  // adds to.
  | { rule: "bonusPenalty"; units: number; pointsEach: number; floor: number; ceiling: number }
  | { rule: "level"; level: string | null }
  | { rule: "missing" }
  | { rule: "below" | "met" | "lead" | "above"; ratio: number; lead: number | null };

/**
 * One school's score on one target, with what it was computed from (one object per line: there are schools × targets
 * of them).
 */
export type ScoreLine = ScoreBasis & {
  target: string;
  score: number;
  max: number;
};

export interface GroupScore {
  code: string;
  name: string;
  score: number;
  max: number;
}

export interface SchoolScore {
  school: string;
  lines: ScoreLine[];
  groups: GroupScore[];
  total: number;
  max: number;
  rank: number;
}

export interface Ranking {
  /** Ranked schools, best first; equal totals share a rank (1, 1, 3). */
  ranked: SchoolScore[];
  /** Schools left out of the ranking, with the reason. */
  unranked: { school: string; reason: string }[];
  /** Whether any target is scored at all. */
  scored: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
// In a sentence a score reads as people say it ("2 điểm"); tables use formatScore so their columns line up.
const pts = (n: number) => `${formatNumber(round2(n))} điểm`;

/** A / T, with T = 0 read as "any achievement beats a zero target". */
function ratio(registered: number, achieved: number): number {
  if (registered > 0) return achieved / registered;
  return achieved > 0 ? Infinity : 1;
}

/** What scoring one target needs, worked out once per target rather than once per school. */
interface TargetRule {
  target: Target;
  scoring: Scoring;
  max: number;
  lead: number | null;
}

/**
 * One literal per rule, written out whole: there are schools × targets of
 * these, and objects that get their fields in one go keep one shape per rule
 * instead of growing through hidden-class transitions.
 */
function scoreTarget(rule: TargetRule, registered: FigureValue | null, achieved: FigureValue | null): ScoreLine {
  const { scoring, max } = rule;
  const target = rule.target.code;
  switch (scoring.method) {
    case "none":
      return { rule: "none", target, score: 0, max };
    case "qualitative": {
      const met =
        typeof achieved === "boolean"
          ? achieved
          : typeof achieved === "number" && typeof registered === "number"
            ? achieved >= registered
            : false;
      return { rule: "qualitative", met, target, score: met ? max : 0, max };
    }
    case "perUnit": {
      const units = typeof achieved === "number" ? achieved : 0;
      const score = round2(Math.min(units * scoring.pointsEach, scoring.maxScore));
      return { rule: "perUnit", units, pointsEach: scoring.pointsEach, cap: scoring.maxScore, target, score, max };
    }
    case "bonusPenalty": {
      const units = typeof achieved === "number" ? achieved : 0;
      const score = round2(Math.max(scoring.min, Math.min(scoring.max, units * scoring.pointsEach)));
      return {
        rule: "bonusPenalty",
        units,
        pointsEach: scoring.pointsEach,
        floor: scoring.min,
        ceiling: scoring.max,
        target,
        score,
        max,
      };
    }
    case "levelPoints": {
      const level = typeof achieved === "string" ? achieved : null;
      const key = level
        ? Object.keys(scoring.points).find((k) => k.normalize("NFC") === level.normalize("NFC"))
        : undefined;
      return { rule: "level", level, target, score: round2(key ? scoring.points[key]! : 0), max };
    }
    case "quantitative": {
      if (typeof registered !== "number" || typeof achieved !== "number")
        return { rule: "missing", target, score: 0, max };
      const lead = rule.lead;
      const r = ratio(registered, achieved);
      if (r < 1) return { rule: "below", ratio: r, lead, target, score: round2(0.5 * max * r), max };
      if (r === 1) return { rule: "met", ratio: r, lead, target, score: round2(0.5 * max), max };
      if (lead !== null && r >= lead) return { rule: "lead", ratio: r, lead, target, score: round2(max), max };
      const top = lead ?? r;
      const part = Number.isFinite(top) ? (r - 1) / (top - 1) : 0;
      return { rule: "above", ratio: r, lead, target, score: round2(0.5 * max + 0.5 * max * part), max };
    }
  }
}

/** The sentence that explains a school's score line, for the ranking sheet and documents. */
export function explainScore(target: Target, l: ScoreLine, figures: TargetFigures | undefined): string {
  const shown =
    `đăng ký ${formatFigure(target, figures?.registered) || "(trống)"}, thực ` +
    `hiện ${formatFigure(target, figures?.achieved) || "(trống)"}`;
  const b = l;
  const max = formatNumber(l.max);
  const pct = (r: number) => (Number.isFinite(r) ? ` = ${formatPercent(r * 100)}` : "");
  switch (b.rule) {
    case "none":
      return "Không chấm điểm.";
    case "qualitative":
      return b.met ? `Đạt (${shown}) → ${pts(l.score)}.` : `Không đạt (${shown}) → 0 điểm.`;
    case "perUnit": {
      const capped = b.units * b.pointsEach > b.cap ? `, tối đa ${pts(b.cap)}` : "";
      return `${formatNumber(b.units)} × ${formatNumber(b.pointsEach)} điểm${capped} → ${pts(l.score)}.`;
    }
    case "bonusPenalty": {
      const clamped =
        l.score !== round2(b.units * b.pointsEach)
          ? ` (giới hạn từ ${formatNumber(b.floor)} đến ${formatNumber(b.ceiling)})`
          : "";
      return (
        `${b.pointsEach >= 0 ? "Điểm cộng" : "Điểm trừ"}: ${formatNumber(b.units)} ` +
        `× ${formatNumber(b.pointsEach)}${clamped} → ${pts(l.score)}.`
      );
    }
    case "level":
      return b.level ? `Mức "${b.level}" → ${pts(l.score)}.` : "Chưa có mức → 0 điểm.";
    case "missing":
      return `Thiếu số liệu (${shown}) → 0 điểm.`;
    case "below":
      return `Chưa đạt chỉ tiêu (${shown}${pct(b.ratio)}): ½ × ${max} × ${formatNumber(b.ratio, 3)} → ${pts(l.score)}.`;
    case "met":
      return `Đạt đúng chỉ tiêu (${shown}) → ½ × ${max} = ${pts(l.score)}.`;
    case "lead":
      return `Vượt chỉ tiêu cao nhất cụm (${shown}${pct(b.ratio)}) → ${pts(l.score)}.`;
    case "above": {
      const lead = b.lead ?? b.ratio;
      const part = Number.isFinite(lead) ? (b.ratio - 1) / (lead - 1) : 0;
      const leadText = Number.isFinite(lead) ? formatPercent(lead * 100) : "trường đăng ký 0 mà có thực hiện";
      return (
        `Vượt chỉ tiêu (${shown}${pct(b.ratio)}), trường dẫn đầu ${leadText}: ½ × ${max} + ½ ` +
        `× ${max} × ${formatNumber(part, 3)} → ${pts(l.score)}.`
      );
    }
  }
}

export function scoreCluster(summary: ClusterSummary): Ranking {
  const def: ClusterDefinition = summary.definition;
  const scored = def.targets.some((t) => effectiveScoring(t).method !== "none");

  // The best achieved/registered ratio per target: quantitative scores are relative to the cluster's leader.
  const validAt: number[] = [];
  summary.schools.forEach((s, k) => {
    if (s.status === "valid") validAt.push(k);
  });
  const rules: TargetRule[] = summary.targets.map((ts) => {
    let lead: number | null = null;
    for (const k of validAt) {
      const f = ts.perSchool[k];
      if (!f || typeof f.registered !== "number" || typeof f.achieved !== "number") continue;
      const r = ratio(f.registered, f.achieved);
      if (r > 1 && (lead === null || r > lead)) lead = r;
    }
    const scoring = effectiveScoring(ts.target);
    return { target: ts.target, scoring, max: maxScoreOf(scoring), lead };
  });
  const grouping = groupingOf(def);

  const scores: SchoolScore[] = validAt.map((k) => {
    const lines: ScoreLine[] = new Array<ScoreLine>(rules.length);
    let total = 0;
    let max = 0;
    for (let i = 0; i < rules.length; i++) {
      const f = summary.targets[i]!.perSchool[k];
      const line = scoreTarget(rules[i]!, f ? f.registered : null, f ? f.achieved : null);
      lines[i] = line;
      total += line.score;
      max += line.max;
    }
    return {
      school: summary.schools[k]!.school.code,
      lines,
      groups: groupScores(grouping, lines),
      total: round2(total),
      max: round2(max),
      rank: 0,
    };
  });

  const order = def.schools.map((s) => s.code);
  scores.sort((a, b) => b.total - a.total || order.indexOf(a.school) - order.indexOf(b.school));
  scores.forEach((s, i) => {
    s.rank = i > 0 && scores[i - 1]!.total === s.total ? scores[i - 1]!.rank : i + 1;
  });

  const unranked = summary.schools
    .filter((s) => s.status !== "valid")
    .map((s) => ({
      school: s.school.code,
      reason:
        s.status === "missing"
          ? "chưa nộp số liệu"
          : `số liệu còn ${s.problems.filter((p) => p.severity === "error").length} lỗi`,
    }));
  return { ranked: scores, unranked, scored };
}

interface Grouping {
  groups: NonNullable<ClusterDefinition["groups"]>;
  /** Group code of each target, in definition order (the order of a school's lines). */
  groupOfLine: (string | undefined)[];
}

function groupingOf(def: ClusterDefinition): Grouping {
  return { groups: def.groups ?? [], groupOfLine: def.targets.map((t) => t.group) };
}

/** Group totals: a group is the sum of its targets and its child groups. */
function groupScores({ groups, groupOfLine }: Grouping, lines: ScoreLine[]): GroupScore[] {
  if (groups.length === 0) return [];
  const own = new Map<string, { score: number; max: number }>();
  lines.forEach((l, i) => {
    const code = groupOfLine[i];
    if (code === undefined) return;
    const g = own.get(code) ?? { score: 0, max: 0 };
    g.score += l.score;
    g.max += l.max;
    own.set(code, g);
  });
  const memo = new Map<string, { score: number; max: number }>();
  const sum = (code: string): { score: number; max: number } => {
    const cached = memo.get(code);
    if (cached) return cached;
    let score = own.get(code)?.score ?? 0;
    let max = own.get(code)?.max ?? 0;
    for (const g of groups)
      if (g.parent === code) {
        const child = sum(g.code);
        score += child.score;
        max += child.max;
      }
    const result = { score: round2(score), max: round2(max) };
    memo.set(code, result);
    return result;
  };
  return groups.map((g) => ({ code: g.code, name: g.name, ...sum(g.code) }));
}
