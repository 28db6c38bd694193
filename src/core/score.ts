/**
 * Scoring and ranking (bình xét). Each target is scored by the method its
 * definition names, every score comes with the sentence that explains it,
 * and groups add up their children.
 */
import { effectiveScoring, maxScoreOf, type ClusterDefinition, type Target } from "./definition";
import type { ClusterSummary } from "./aggregate";
import { formatNumber, formatPercent } from "./format";
import { formatFigure, type FigureValue } from "./parse";

export interface ScoreLine {
  target: string;
  score: number;
  max: number;
  explanation: string;
}

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
  const line = (score: number, explanation: string): ScoreLine => ({ target: target.code, score: round2(score), max, explanation });
  const shown = `đăng ký ${formatFigure(target, registered) || "(trống)"}, thực hiện ${formatFigure(target, achieved) || "(trống)"}`;

  switch (scoring.method) {
    case "none":
      return line(0, "Không chấm điểm.");
    case "qualitative": {
      const met = typeof achieved === "boolean" ? achieved : typeof achieved === "number" && typeof registered === "number" ? achieved >= registered : false;
      return line(met ? max : 0, met ? `Đạt (${shown}) → ${pts(max)}.` : `Không đạt (${shown}) → 0 điểm.`);
    }
    case "perUnit": {
      const n = typeof achieved === "number" ? achieved : 0;
      const raw = n * scoring.pointsEach;
      const score = Math.min(raw, scoring.maxScore);
      const capped = raw > scoring.maxScore ? `, tối đa ${pts(scoring.maxScore)}` : "";
      return line(score, `${formatNumber(n)} × ${formatNumber(scoring.pointsEach)} điểm${capped} → ${pts(score)}.`);
    }
    case "bonusPenalty": {
      const n = typeof achieved === "number" ? achieved : 0;
      const raw = n * scoring.pointsEach;
      const score = Math.max(scoring.min, Math.min(scoring.max, raw));
      const clamped = score !== raw ? ` (giới hạn từ ${formatNumber(scoring.min)} đến ${formatNumber(scoring.max)})` : "";
      return line(score, `${scoring.pointsEach >= 0 ? "Điểm cộng" : "Điểm trừ"}: ${formatNumber(n)} × ${formatNumber(scoring.pointsEach)}${clamped} → ${pts(score)}.`);
    }
    case "levelPoints": {
      const label = typeof achieved === "string" ? achieved : undefined;
      const key = label ? Object.keys(scoring.points).find((k) => k.normalize("NFC") === label.normalize("NFC")) : undefined;
      const score = key ? scoring.points[key]! : 0;
      return line(score, label ? `Mức "${label}" → ${pts(score)}.` : "Chưa có mức → 0 điểm.");
    }
    case "quantitative": {
      if (typeof registered !== "number" || typeof achieved !== "number") return line(0, `Thiếu số liệu (${shown}) → 0 điểm.`);
      const r = ratio(registered, achieved);
      const pct = Number.isFinite(r) ? ` = ${formatPercent(r * 100)}` : "";
      if (r < 1) return line(0.5 * max * r, `Chưa đạt chỉ tiêu (${shown}${pct}): ½ × ${formatNumber(max)} × ${formatPercent(r * 100)} → ${pts(0.5 * max * r)}.`);
      if (r === 1) return line(0.5 * max, `Đạt đúng chỉ tiêu (${shown}) → ½ × ${formatNumber(max)} = ${pts(0.5 * max)}.`);
      if (leadRatio !== null && r >= leadRatio) return line(max, `Vượt chỉ tiêu cao nhất cụm (${shown}${pct}) → ${pts(max)}.`);
      const lead = leadRatio ?? r;
      const part = Number.isFinite(lead) ? (r - 1) / (lead - 1) : 0;
      const score = 0.5 * max + 0.5 * max * part;
      const leadText = Number.isFinite(lead) ? formatPercent(lead * 100) : "trường đăng ký 0 mà có thực hiện";
      return line(score, `Vượt chỉ tiêu (${shown}${pct}), trường dẫn đầu ${leadText}: ½ × ${formatNumber(max)} + ½ × ${formatNumber(max)} × ${formatNumber(part, 3)} → ${pts(score)}.`);
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
