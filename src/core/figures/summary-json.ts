/** The machine-readable summary written by `tong-hop --json`. */
import type { Aggregate, ClusterSummary } from "./aggregate";
import type { FigureValue } from "./parse";

export type JsonAggregate =
  | { sum: number }
  | { mean: number | null; min: number | null; max: number | null }
  | { yes: number; of: number }
  | { counts: Record<string, number>; of: number };

export interface SummaryJson {
  cluster: { id: string; name: string; year: number };
  covered: number;
  schools: {
    code: string;
    name: string;
    status: "valid" | "invalid" | "missing";
    source?: string;
    problems: { file?: string; sheet?: string; cell?: string; message: string; severity: string }[];
  }[];
  stray: { file?: string; school?: string; message: string }[];
  targets: {
    code: string;
    name: string;
    unit: string;
    kind: string;
    registered: JsonAggregate;
    achieved: JsonAggregate;
    completion: number | null;
    bySchool: Record<string, { registered: FigureValue | null; achieved: FigureValue | null }>;
  }[];
}

function agg(a: Aggregate): JsonAggregate {
  switch (a.method) {
    case "sum":
      return { sum: a.sum };
    case "mean":
      return { mean: a.mean === null ? null : Math.round(a.mean * 1e6) / 1e6, min: a.min, max: a.max };
    case "countYes":
      return { yes: a.yes, of: a.of };
    case "distribution":
      return { counts: a.counts, of: a.of };
  }
}

export function summaryToJson(summary: ClusterSummary): SummaryJson {
  const def = summary.definition;
  return {
    cluster: { id: def.id, name: def.name, year: def.year },
    covered: summary.covered.length,
    schools: summary.schools.map((s) => ({
      code: s.school.code,
      name: s.school.name,
      status: s.status,
      ...(s.source ? { source: s.source } : {}),
      problems: s.problems.map((p) => ({
        file: p.file,
        sheet: p.sheet,
        cell: p.cell,
        message: p.message,
        severity: p.severity,
      })),
    })),
    stray: summary.stray.map((p) => ({ file: p.file, school: p.school, message: p.message })),
    targets: summary.targets.map((t) => ({
      code: t.target.code,
      name: t.target.name,
      unit: t.target.unit,
      kind: t.kind,
      registered: agg(t.registered),
      achieved: agg(t.achieved),
      completion: t.completion === null ? null : Math.round(t.completion * 1e4) / 1e4,
      bySchool: Object.fromEntries(
        summary.schools.flatMap((s, k) =>
          t.perSchool[k]
            ? [[s.school.code, { registered: t.perSchool[k].registered, achieved: t.perSchool[k].achieved }]]
            : [],
        ),
      ),
    })),
  };
}
