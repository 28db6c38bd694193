/**
 * Scoring and ranking (bình xét). Each target is scored by the method its
 * definition names, every score comes with the sentence that explains it,
 * and groups add up their children.
 */
import { effectiveScoring, maxScoreOf, type ClusterDefinition, type Target } from "./definition";
import type { ClusterSummary } from "./aggregate";
import { formatNumber, formatPercent } from "./format";
import { formatFigure, type FigureValue } from "./parse";
import type { TargetFigures } from "./validate";

/** What a score was computed from, kept as data so the sentence is written only when shown. */
export type ScoreBasis =
  | { rule: "none" }
  | { rule: "qualitative"; met: boolean }
  | { rule: "perUnit"; units: number; pointsEach: number; cap: number }
  | { rule: "bonusPenalty"; units: number; pointsEach: number; min: number; max: number }
  | { rule: "level"; level: string | null }
  | { rule: "missing" }
  | { rule: "below" | "met" | "lead" | "above"; ratio: number; lead: number | null };

/** One school's score on one target, with what it was computed from (one object per line: there are schools × targets of them). */
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
const pts = (n: number) => `${formatNumber(round2(n))} điểm`;

/** A / T, with T = 0 read as "any achievement beats a zero target". */
function ratio(registered: number, achieved: number): number {
  if (registered > 0) return achieved / registered;
  return achieved > 0 ? Infinity : 1;
}

function scoreTarget(target: Target, registered: FigureValue | null, achieved: FigureValue | null, leadRatio: number | null): ScoreLine {
  const scoring = effectiveScoring(target);
  const max = maxScoreOf(scoring);
  const code = target.code;
  // The basis literal becomes the line: one object per school and target, no copy.
  const line = (score: number, basis: ScoreBasis): ScoreLine => {
    const l = basis as ScoreLine;
    l.target = code;
    l.score = round2(score);
    l.max = max;
    return l;
  };

  switch (scoring.method) {
    case "none":
      return line(0, { rule: "none" });
    case "qualitative": {
      const met = typeof achieved === "boolean" ? achieved : typeof achieved === "number" && typeof registered === "number" ? achieved >= registered : false;
      return line(met ? max : 0, { rule: "qualitative", met });
    }
    case "perUnit": {
      const units = typeof achieved === "number" ? achieved : 0;
      return line(Math.min(units * scoring.pointsEach, scoring.maxScore), { rule: "perUnit", units, pointsEach: scoring.pointsEach, cap: scoring.maxScore });
    }
    case "bonusPenalty": {
      const units = typeof achieved === "number" ? achieved : 0;
      const score = Math.max(scoring.min, Math.min(scoring.max, units * scoring.pointsEach));
      return line(score, { rule: "bonusPenalty", units, pointsEach: scoring.pointsEach, min: scoring.min, max: scoring.max });
    }
    case "levelPoints": {
      const label = typeof achieved === "string" ? achieved : null;
      const key = label ? Object.keys(scoring.points).find((k) => k.normalize("NFC") === label.normalize("NFC")) : undefined;
      return line(key ? scoring.points[key]! : 0, { rule: "level", level: label });
    }
    case "quantitative": {
      if (typeof registered !== "number" || typeof achieved !== "number") return line(0, { rule: "missing" });
      const r = ratio(registered, achieved);
      if (r < 1) return line(0.5 * max * r, { rule: "below", ratio: r, lead: leadRatio });
      if (r === 1) return line(0.5 * max, { rule: "met", ratio: r, lead: leadRatio });
      if (leadRatio !== null && r >= leadRatio) return line(max, { rule: "lead", ratio: r, lead: leadRatio });
      const lead = leadRatio ?? r;
      const part = Number.isFinite(lead) ? (r - 1) / (lead - 1) : 0;
      return line(0.5 * max + 0.5 * max * part, { rule: "above", ratio: r, lead: leadRatio });
    }
  }
}

/** The sentence that explains a school's score line, for the ranking sheet and documents. */
export function explainScore(target: Target, l: ScoreLine, figures: TargetFigures | undefined): string {
  const shown = `đăng ký ${formatFigure(target, figures?.registered) || "(trống)"}, thực hiện ${formatFigure(target, figures?.achieved) || "(trống)"}`;
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
      const clamped = l.score !== round2(b.units * b.pointsEach) ? ` (giới hạn từ ${formatNumber(b.min)} đến ${formatNumber(b.max)})` : "";
      return `${b.pointsEach >= 0 ? "Điểm cộng" : "Điểm trừ"}: ${formatNumber(b.units)} × ${formatNumber(b.pointsEach)}${clamped} → ${pts(l.score)}.`;
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
      return `Vượt chỉ tiêu (${shown}${pct(b.ratio)}), trường dẫn đầu ${leadText}: ½ × ${max} + ½ × ${max} × ${formatNumber(part, 3)} → ${pts(l.score)}.`;
    }
  }
}

export function scoreCluster(summary: ClusterSummary): Ranking {
  const def: ClusterDefinition = summary.definition;
  const scored = def.targets.some((t) => effectiveScoring(t).method !== "none");
  const validCodes = summary.covered;

  const leads = new Map<string, number | null>();
  for (const ts of summary.targets) {
    let lead: number | null = null;
    for (const code of validCodes) {
      const f = ts.bySchool[code];
      if (!f || typeof f.registered !== "number" || typeof f.achieved !== "number") continue;
      const r = ratio(f.registered, f.achieved);
      if (r > 1 && (lead === null || r > lead)) lead = r;
    }
    leads.set(ts.target.code, lead);
  }

  const scores: SchoolScore[] = validCodes.map((code) => {
    const lines = summary.targets.map((ts) => {
      const f = ts.bySchool[code];
      return scoreTarget(ts.target, f?.registered ?? null, f?.achieved ?? null, leads.get(ts.target.code) ?? null);
    });
    const groups = groupScores(def, lines);
    const total = round2(lines.reduce((a, l) => a + l.score, 0));
    const max = round2(lines.reduce((a, l) => a + l.max, 0));
    return { school: code, lines, groups, total, max, rank: 0 };
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
      reason: s.status === "missing" ? "chưa nộp số liệu" : `số liệu còn ${s.problems.filter((p) => p.severity === "error").length} lỗi`,
    }));
  return { ranked: scores, unranked, scored };
}

/** Group totals: a group is the sum of its targets and its child groups. */
function groupScores(def: ClusterDefinition, lines: ScoreLine[]): GroupScore[] {
  const groups = def.groups ?? [];
  const byTarget = new Map(def.targets.map((t) => [t.code, t.group]));
  const memo = new Map<string, { score: number; max: number }>();
  const sum = (code: string): { score: number; max: number } => {
    const cached = memo.get(code);
    if (cached) return cached;
    let score = 0;
    let max = 0;
    for (const l of lines)
      if (byTarget.get(l.target) === code) {
        score += l.score;
        max += l.max;
      }
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
