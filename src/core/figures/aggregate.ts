/**
 * Tổng hợp: the cluster totals per target over the schools whose figures are
 * valid. A school with errors is left out of every total and listed with its
 * problems; the summary says how many schools the totals cover.
 */
import {
  effectiveAggregation,
  levelsOf,
  type AggregationMethod,
  type ClusterDefinition,
  type School,
  type Target,
  type TargetKind,
} from "../definition/definition";
import type { FigureValue } from "./parse";
import { hasErrors, type Problem } from "../problem";
import { figuresOf, type SchoolFigures, type TargetFigures } from "./validate";

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
  /**
   * Each school's own figures for this target (shared with its SchoolFigures,
   * not copied), in the order of ClusterSummary.schools; undefined for a school
   * not covered.
   */
  perSchool: (TargetFigures | undefined)[];
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

/**
 * One pass over the values, no intermediate arrays: Tổng hợp runs it twice per target, and the Academy's
 * roll-up (src/core/academy/) runs it over every cluster's counted schools.
 */
export function aggregate(
  method: AggregationMethod,
  target: Target,
  values: readonly (FigureValue | null)[],
): Aggregate {
  switch (method) {
    case "sum":
    case "mean": {
      let sum = 0;
      let of = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const x of values)
        if (typeof x === "number") {
          sum += x;
          of++;
          if (x < min) min = x;
          if (x > max) max = x;
        }
      if (method === "sum") return { method, sum: roundSum(sum), of };
      if (of === 0) return { method, mean: null, min: null, max: null, of: 0 };
      return { method, mean: roundSum(sum) / of, min, max, of };
    }
    case "countYes": {
      let yes = 0;
      let of = 0;
      for (const x of values)
        if (typeof x === "boolean") {
          of++;
          if (x) yes++;
        }
      return { method, yes, of };
    }
    case "distribution": {
      // No prototype: a level may be named "__proto__" or "constructor" like any other.
      const counts: Record<string, number> = Object.create(null) as Record<string, number>;
      for (const l of levelsOf(target)) counts[l] = 0;
      let of = 0;
      for (const x of values)
        if (typeof x === "string") {
          counts[x] = (counts[x] ?? 0) + 1;
          of++;
        }
      return { method, counts, of };
    }
  }
}

/** A sum that does not depend on the order of the terms for the decimals people type (2 places). */
function roundSum(sum: number): number {
  return Math.round(sum * 1e6) / 1e6;
}

/** The value a completion rate compares: total, mean or count of "Đạt"; null when no school was counted. */
export function headline(a: Aggregate): number | null {
  switch (a.method) {
    case "sum":
      return a.of ? a.sum : null;
    case "mean":
      return a.mean;
    case "countYes":
      return a.of ? a.yes : null;
    default:
      return null;
  }
}

export function completionRate(
  registered: FigureValue | number | null,
  achieved: FigureValue | number | null,
): number | null {
  if (typeof registered === "boolean" && typeof achieved === "boolean") return registered ? (achieved ? 100 : 0) : null;
  if (typeof registered !== "number" || typeof achieved !== "number" || registered <= 0) return null;
  return (achieved / registered) * 100;
}

const schoolPositions = new WeakMap<ClusterSummary, Map<string, number>>();
/** A school's figures for one target of a summary, by school code. */
export function schoolFigure(
  summary: ClusterSummary,
  ts: TargetSummary,
  schoolCode: string,
): TargetFigures | undefined {
  let index = schoolPositions.get(summary);
  if (!index) {
    index = new Map(summary.schools.map((s, i) => [s.school.code, i]));
    schoolPositions.set(summary, index);
  }
  const k = index.get(schoolCode);
  return k === undefined ? undefined : ts.perSchool[k];
}

export function aggregateCluster(
  def: ClusterDefinition,
  submissions: readonly Submission[],
  stray: Problem[] = [],
): ClusterSummary {
  const bySchool = new Map<string, Submission>();
  const strayProblems = [...stray];
  for (const s of submissions) {
    if (!def.schools.some((m) => m.code === s.school)) {
      strayProblems.push({
        severity: "error",
        school: s.school,
        file: s.source,
        message: `Mã trường "${s.school}" không thuộc cụm; số liệu này không được tính.`,
      });
      continue;
    }
    if (bySchool.has(s.school)) {
      const first = bySchool.get(s.school)!;
      const message =
        `Có hai bản số liệu cho cùng một trường (${first.source ?? "?"} và ${s.source ?? "?"}); ` +
        `hãy giữ lại một bản rồi tổng hợp lại.`;
      bySchool.set(s.school, {
        ...first,
        figures: undefined,
        problems: [...first.problems, { severity: "error", school: s.school, message }],
      });
      continue;
    }
    bySchool.set(s.school, s);
  }

  const schools: SchoolStatus[] = def.schools.map((school) => {
    const sub = bySchool.get(school.code);
    if (!sub) return { school, status: "missing", problems: [] };
    const valid = sub.figures !== undefined && !hasErrors(sub.problems);
    return {
      school,
      status: valid ? "valid" : "invalid",
      problems: sub.problems,
      source: sub.source,
      figures: valid ? sub.figures : undefined,
    };
  });
  const valid = schools.filter((s) => s.status === "valid");

  // Schools × targets, read by position: a valid report has every target, in definition order.
  const n = schools.length;
  const reg = new Array<FigureValue | null>(n);
  const ach = new Array<FigureValue | null>(n);
  const targets = def.targets.map((target, i): TargetSummary => {
    const method = effectiveAggregation(target);
    const perSchool = new Array<TargetFigures | undefined>(n);
    for (let k = 0; k < n; k++) {
      const s = schools[k]!;
      const f = s.status === "valid" ? figuresOf(def, s.figures, target.code, i) : undefined;
      perSchool[k] = f;
      reg[k] = f ? f.registered : null;
      ach[k] = f ? f.achieved : null;
    }
    const registered = aggregate(method, target, reg);
    const achieved = aggregate(method, target, ach);
    return {
      target,
      kind: target.kind,
      method,
      registered,
      achieved,
      completion: completionRate(headline(registered), headline(achieved)),
      perSchool,
    };
  });

  return { definition: def, schools, covered: valid.map((s) => s.school.code), targets, stray: strayProblems };
}
