/**
 * Tổng hợp: the cluster totals per target over the schools whose figures are
 * valid. A school with errors is left out of every total and listed with its
 * problems; the summary says how many schools the totals cover.
 */
import { effectiveAggregation, levelsOf, type AggregationMethod, type ClusterDefinition, type School, type Target, type TargetKind } from "./definition";
import type { FigureValue } from "./parse";
import { hasErrors, type Problem } from "./problem";
import type { SchoolFigures, TargetFigures } from "./validate";

export type SubmissionStatus = "valid" | "invalid" | "missing";

/** What one school handed in (a sheet or a file), already validated. */
export interface Submission {
  school: string;
  figures?: SchoolFigures;
  problems: Problem[];
  /** File name or sheet name, for messages. */
  source?: string;
}

export interface SchoolStatus {
  school: School;
  status: SubmissionStatus;
  problems: Problem[];
  source?: string;
  figures?: SchoolFigures;
}

export type Aggregate =
  | { method: "sum"; sum: number; of: number }
  | { method: "mean"; mean: number | null; min: number | null; max: number | null; of: number }
  | { method: "countYes"; yes: number; of: number }
  | { method: "distribution"; counts: Record<string, number>; of: number };


export interface TargetSummary {
  target: Target;
  kind: TargetKind;
  method: AggregationMethod;
  registered: Aggregate;
  achieved: Aggregate;
  completion: number | null;
  /** The valid schools' own figures (shared with their SchoolFigures, not copied). */
  bySchool: Record<string, TargetFigures>;
}

export interface ClusterSummary {
  definition: ClusterDefinition;
  /** Every member school in definition order, with its status. */
  schools: SchoolStatus[];
  /** Codes of the schools the totals cover. */
  covered: string[];
  targets: TargetSummary[];
  /** Problems that belong to no member school (a file for a school outside the cluster, duplicates, …). */
  stray: Problem[];
}

function aggregate(method: AggregationMethod, target: Target, values: FigureValue[]): Aggregate {
  switch (method) {
    case "sum": {
      const nums = values.filter((x): x is number => typeof x === "number");
      return { method, sum: roundSum(nums), of: nums.length };
    }
    case "mean": {
      const nums = values.filter((x): x is number => typeof x === "number");
      if (nums.length === 0) return { method, mean: null, min: null, max: null, of: 0 };
      return { method, mean: roundSum(nums) / nums.length, min: Math.min(...nums), max: Math.max(...nums), of: nums.length };
    }
    case "countYes": {
      const bools = values.filter((x): x is boolean => typeof x === "boolean");
      return { method, yes: bools.filter(Boolean).length, of: bools.length };
    }
    case "distribution": {
      const counts: Record<string, number> = {};
      for (const l of levelsOf(target)) counts[l] = 0;
      const labels = values.filter((x): x is string => typeof x === "string");
      for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
      return { method, counts, of: labels.length };
    }
  }
}

/** Sum that does not depend on the order of the terms for the decimals people type (2 places). */
function roundSum(nums: number[]): number {
  const s = nums.reduce((a, b) => a + b, 0);
  return Math.round(s * 1e6) / 1e6;
}

/** The value a completion rate compares: total, mean or count of "Đạt". */
export function headline(a: Aggregate): number | null {
  switch (a.method) {
    case "sum":
      return a.sum;
    case "mean":
      return a.mean;
    case "countYes":
      return a.yes;
    default:
      return null;
  }
}

export function completionRate(registered: FigureValue | number | null, achieved: FigureValue | number | null): number | null {
  if (typeof registered === "boolean" && typeof achieved === "boolean") return registered ? (achieved ? 100 : 0) : null;
  if (typeof registered !== "number" || typeof achieved !== "number" || registered <= 0) return null;
  return (achieved / registered) * 100;
}

export function aggregateCluster(def: ClusterDefinition, submissions: readonly Submission[], stray: Problem[] = []): ClusterSummary {
  const bySchool = new Map<string, Submission>();
  const strayProblems = [...stray];
  for (const s of submissions) {
    if (!def.schools.some((m) => m.code === s.school)) {
      strayProblems.push({ severity: "error", school: s.school, file: s.source, message: `Mã trường "${s.school}" không thuộc cụm; số liệu này không được tính.` });
      continue;
    }
    if (bySchool.has(s.school)) {
      const first = bySchool.get(s.school)!;
      const message = `Có hai bản số liệu cho cùng một trường (${first.source ?? "?"} và ${s.source ?? "?"}); hãy giữ lại một bản rồi tổng hợp lại.`;
      bySchool.set(s.school, { ...first, figures: undefined, problems: [...first.problems, { severity: "error", school: s.school, message }] });
      continue;
    }
    bySchool.set(s.school, s);
  }

  const schools: SchoolStatus[] = def.schools.map((school) => {
    const sub = bySchool.get(school.code);
    if (!sub) return { school, status: "missing", problems: [] };
    const valid = sub.figures !== undefined && !hasErrors(sub.problems);
    return { school, status: valid ? "valid" : "invalid", problems: sub.problems, source: sub.source, figures: valid ? sub.figures : undefined };
  });
  const valid = schools.filter((s) => s.status === "valid");

  const targets = def.targets.map((target): TargetSummary => {
    const method = effectiveAggregation(target);
    const per: Record<string, TargetFigures> = {};
    const reg: FigureValue[] = [];
    const ach: FigureValue[] = [];
    for (const s of valid) {
      const f = s.figures!.values[target.code];
      if (!f) continue;
      per[s.school.code] = f;
      if (f.registered !== null) reg.push(f.registered);
      if (f.achieved !== null) ach.push(f.achieved);
    }
    const registered = aggregate(method, target, reg);
    const achieved = aggregate(method, target, ach);
    return { target, kind: target.kind, method, registered, achieved, completion: completionRate(headline(registered), headline(achieved)), bySchool: per };
  });

  return { definition: def, schools, covered: valid.map((s) => s.school.code), targets, stray: strayProblems };
}
