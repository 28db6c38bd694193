/**
 * The period review (tổng kết giai đoạn): several locked years of one cluster
 * side by side. Counts are summed over the years; percentages, yes/no and
 * levels are listed year by year and never summed. Schools are shown as they
 * reported (under the names valid then) and regrouped under the school that
 * carries them today, so a school that merged is counted once.
 */
import { yearSpan } from "../text/format";
import type { Aggregate } from "../figures/aggregate";
import type { FigureValue } from "../figures/parse";
import { figuresOf } from "../figures/validate";
import type { TargetKind } from "../definition/definition";
import { fillFigures } from "../documents/report-text";
import { matchKey } from "../text/text";
import { dayBefore, mergeOf, nameOn, successorOn, vnDay, yearEnd, type ClusterRegister } from "../register/register";
import type { LockedYear } from "../lock/locked-year";

export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PeriodError";
  }
}

export interface PeriodTargetYear {
  registered: Aggregate;
  achieved: Aggregate;
  completion: number | null;
}

export interface PeriodTarget {
  code: string;
  name: string;
  unit: string;
  kind: TargetKind;
  /** Whether the years add up: a count target totalled by sum. */
  summed: boolean;
  /** Aligned with PeriodReview.years; undefined in a year without this target. */
  byYear: (PeriodTargetYear | undefined)[];
  /** Sums over the years, for summed targets only. */
  periodRegistered: number | null;
  periodAchieved: number | null;
}

export interface SchoolRef {
  code: string;
  name: string;
}

export interface YearRecord {
  year: number;
  clusterName: string;
  source: string;
  fingerprint: string;
  lockedAt: string;
  members: number;
  head?: SchoolRef;
  deputies: SchoolRef[];
  /** Merges that took effect within this year (a split year): who reported before, who after. */
  merges: { predecessor: SchoolRef; successor: SchoolRef; date: string; successorInCluster: boolean }[];
  ranked: (SchoolRef & { rank: number; total: number; max: number })[];
  /** The awards the review meeting proposed; undefined when no review record came with the year. */
  awards?: { name: string; schools: SchoolRef[] }[];
}

export interface ReportedSchool {
  code: string;
  /** The name in each year's definition; undefined when not a member that year. */
  nameByYear: (string | undefined)[];
  /** Last day under its own id when it merged away. */
  lastDay?: string;
  /** The school that carries its figures today, when another one. */
  successor?: SchoolRef;
  /** Achieved value per target code, per year. */
  achieved: (Record<string, FigureValue | null> | undefined)[];
}

export interface RegroupedSchool extends SchoolRef {
  /** Predecessors whose figures are added in, with the names they reported under. */
  includes: (SchoolRef & { lastDay?: string })[];
  /** Per summed target: the yearly sums of the school and its predecessors, and the period total. */
  counts: Record<string, { byYear: (number | null)[]; total: number }>;
}

export interface PeriodReview {
  clusterName: string;
  from: number;
  to: number;
  years: number[];
  /** The day "today's successor" is taken on: the last day of the period. */
  asOf: string;
  records: YearRecord[];
  targets: PeriodTarget[];
  reported: ReportedSchool[];
  regrouped: RegroupedSchool[];
  /**
   * "Trong 5 năm (2021–2025), các trường trong Cụm … đã …", when the definition has a summary template.
   */
  sentence?: string;
  /** Who signs for the cluster: the last year's head, or the school that carries it today. */
  signer: SchoolRef & { province: string };
}

/** The cluster of a year: its register id, else its id without the year. */
export function lineageOf(y: LockedYear): string {
  return y.definition.register ?? y.definition.id.replace(/-\d{4}$/, "");
}

/** Orders the years, refuses a gap, a duplicate or another cluster; years outside [from, to] are left out. */
export function selectYears(locked: LockedYear[], from: number, to: number): LockedYear[] {
  if (from > to) throw new PeriodError(`Năm bắt đầu (${from}) sau năm kết thúc (${to}).`);
  const inRange = locked.filter((y) => y.definition.year >= from && y.definition.year <= to);
  const seen = new Map<number, string>();
  for (const y of inRange) {
    const other = seen.get(y.definition.year);
    if (other)
      throw new PeriodError(
        `Có hai bảng đã khóa cho năm ${y.definition.year}: ${other} và ${y.source}. Hãy giữ lại một.`,
      );
    seen.set(y.definition.year, y.source);
  }
  const missing: number[] = [];
  for (let year = from; year <= to; year++) if (!seen.has(year)) missing.push(year);
  if (missing.length)
    throw new PeriodError(`Thiếu bảng đã khóa của năm ${missing.join(", ")} trong giai đoạn ${yearSpan(from, to)}.`);
  const sorted = inRange.sort((a, b) => a.definition.year - b.definition.year);
  const lineage = lineageOf(sorted[0]!);
  for (const y of sorted)
    if (lineageOf(y) !== lineage)
      throw new PeriodError(
        `${y.source} là của cụm "${lineageOf(y)}", không phải "${lineage}" như ` +
          `năm ${sorted[0]!.definition.year}; không gộp các cụm khác nhau.`,
      );
  return sorted;
}

export function reviewPeriod(locked: LockedYear[], from: number, to: number, reg?: ClusterRegister): PeriodReview {
  const years = selectYears(locked, from, to);
  const yearList = years.map((y) => y.definition.year);
  const asOf = yearEnd(to);
  const last = years[years.length - 1]!.definition;

  const summaries = years.map((y) => y.verdict.summary);

  // Targets: the last year's order first, older targets after.
  const targets: PeriodTarget[] = [];
  const byCode = new Map<string, PeriodTarget>();
  for (let i = years.length - 1; i >= 0; i--)
    for (const t of years[i]!.definition.targets) {
      const known = byCode.get(t.code);
      if (known && known.kind !== t.kind) {
        const knownYear = yearList.find((_, k) =>
          years[k]!.definition.targets.some((x) => x.code === t.code && x.kind === known.kind),
        );
        throw new PeriodError(
          `Chỉ tiêu ${t.code} năm ${yearList[i]} là loại "${t.kind}", ` +
            `năm ${knownYear} ` +
            `là loại "${known.kind}"; không gộp được qua các năm. Hãy đặt mã khác cho chỉ ` +
            `tiêu đã đổi loại.`,
        );
      }
      if (!known) {
        const entry: PeriodTarget = {
          code: t.code,
          name: t.name,
          unit: t.unit,
          kind: t.kind,
          summed: true,
          byYear: yearList.map(() => undefined),
          periodRegistered: null,
          periodAchieved: null,
        };
        byCode.set(t.code, entry);
        targets.push(entry);
      }
    }
  summaries.forEach((summary, i) =>
    summary.targets.forEach((ts) => {
      const entry = byCode.get(ts.target.code)!;
      entry.byYear[i] = { registered: ts.registered, achieved: ts.achieved, completion: ts.completion };
      if (ts.achieved.method !== "sum") entry.summed = false;
    }),
  );
  for (const t of targets) {
    if (!t.summed) continue;
    let reg = 0;
    let ach = 0;
    for (const y of t.byYear) {
      if (y?.registered.method === "sum") reg += y.registered.sum;
      if (y?.achieved.method === "sum") ach += y.achieved.sum;
    }
    t.periodRegistered = round(reg);
    t.periodAchieved = round(ach);
  }

  // Schools as reported, under each year's names.
  const codes: string[] = [];
  for (const y of years) for (const s of y.definition.schools) if (!codes.includes(s.code)) codes.push(s.code);
  const successorOf = (code: string) => (reg ? successorOn(reg, code, asOf) : code);
  const todayName = (code: string) => {
    if (reg) return nameOn(reg, code, asOf).name;
    for (let i = years.length - 1; i >= 0; i--) {
      const s = years[i]!.definition.schools.find((x) => x.code === code);
      if (s) return s.name;
    }
    return code;
  };
  const lastDayOf = (code: string) => {
    const m = reg ? mergeOf(reg, code) : undefined;
    return m && m.date <= asOf ? dayBefore(m.date) : undefined;
  };
  const reported: ReportedSchool[] = codes.map((code) => {
    const succ = successorOf(code);
    return {
      code,
      nameByYear: years.map((y) => y.definition.schools.find((s) => s.code === code)?.name),
      lastDay: lastDayOf(code),
      successor: succ !== code ? { code: succ, name: todayName(succ) } : undefined,
      achieved: years.map((y) => {
        if (!y.definition.schools.some((s) => s.code === code)) return undefined;
        const figures = y.figures.find((f) => f.school === code);
        if (!figures) return undefined;
        return Object.fromEntries(
          y.definition.targets.map((t) => [t.code, figuresOf(y.definition, figures, t.code)?.achieved ?? null]),
        );
      }),
    };
  });

  // Regrouped under today's successors: each school's figures go to exactly one successor.
  const summedCodes = targets.filter((t) => t.summed).map((t) => t.code);
  const groups = new Map<string, RegroupedSchool>();
  for (const r of reported) {
    const succ = successorOf(r.code);
    let g = groups.get(succ);
    if (!g) {
      g = {
        code: succ,
        name: todayName(succ),
        includes: [],
        counts: Object.fromEntries(summedCodes.map((c) => [c, { byYear: yearList.map(() => null), total: 0 }])),
      };
      groups.set(succ, g);
    }
    if (r.code !== succ)
      g.includes.push({ code: r.code, name: r.nameByYear.filter(Boolean).pop() ?? r.code, lastDay: r.lastDay });
    for (const c of summedCodes) {
      const line = g.counts[c]!;
      r.achieved.forEach((a, i) => {
        const v = a?.[c];
        if (typeof v === "number") {
          line.byYear[i] = round((line.byYear[i] ?? 0) + v);
          line.total = round(line.total + v);
        }
      });
    }
  }
  const regrouped = [...groups.values()];

  const ref = (i: number, code: string): SchoolRef => ({
    code,
    name:
      years[i]!.definition.schools.find((s) => s.code === code)?.name ??
      (reg ? nameOn(reg, code, `${yearList[i]}-01-01`).name : code),
  });
  const records: YearRecord[] = years.map((y, i) => {
    const def = y.definition;
    const head = def.schools.find((s) => s.role === "head");
    const ranking = y.verdict.ranking;
    const merges = reg
      ? reg.merges.flatMap((m) =>
          m.date.startsWith(String(def.year))
            ? m.predecessors
                .filter((p) => def.schools.some((s) => s.code === p))
                .map((p) => ({
                  predecessor: ref(i, p),
                  successor: ref(i, m.successor),
                  date: m.date,
                  successorInCluster: def.schools.some((s) => s.code === m.successor),
                }))
            : [],
        )
      : [];
    return {
      year: def.year,
      clusterName: def.name,
      source: y.source,
      fingerprint: y.fingerprint,
      lockedAt: y.lockedAt,
      members: def.schools.length,
      head: head ? { code: head.code, name: head.name } : undefined,
      deputies: def.schools.filter((s) => s.role === "deputy").map((s) => ({ code: s.code, name: s.name })),
      merges,
      ranked: ranking.ranked.map((r) => ({ ...ref(i, r.school), rank: r.rank, total: r.total, max: r.max })),
      awards: y.awards?.map((a) => ({ name: a.name, schools: a.schools.map((c) => ref(i, c)) })),
    };
  });

  const template = last.documents?.reportSummary;
  const totals = new Map(targets.map((t) => [matchKey(t.code), t.periodAchieved]));
  const n = yearList.length;
  const sentence = template
    ? `${n === 1 ? `Năm ${from}` : `Trong ${n} năm (${yearSpan(from, to)})`}, các trường trong ${last.name} ` +
      `đã ${fillFigures(template, (code) => totals.get(matchKey(code)) ?? null)}.`
    : undefined;

  const lastHead = last.schools.find((s) => s.role === "head")!;
  const signerCode = successorOf(lastHead.code);
  const signer =
    signerCode === lastHead.code
      ? { code: lastHead.code, name: lastHead.name, province: lastHead.province }
      : {
          code: signerCode,
          ...(reg ? nameOn(reg, signerCode, asOf) : { name: signerCode, province: lastHead.province }),
        };

  return {
    clusterName: last.name,
    from,
    to,
    years: yearList,
    asOf,
    records,
    targets,
    reported,
    regrouped,
    sentence,
    signer,
  };
}

function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/**
 * "Trường Chính trị tỉnh Kon Tum (đến 30/06/2025, nay thuộc Trường Chính trị tỉnh Quảng Ngãi)".
 */
export function reportedLabel(r: ReportedSchool): string {
  const names = [...new Set(r.nameByYear.filter((x): x is string => Boolean(x)))];
  const notes = [r.lastDay ? `đến ${vnDay(r.lastDay)}` : "", r.successor ? `nay thuộc ${r.successor.name}` : ""].filter(
    Boolean,
  );
  return `${names.join(" / ")}${notes.length ? ` (${notes.join(", ")})` : ""}`;
}

/**
 * "Trường Chính trị tỉnh Quảng Ngãi (gồm cả Trường Chính trị tỉnh Kon Tum đến 30/06/2025)".
 */
export function regroupedLabel(g: RegroupedSchool): string {
  if (!g.includes.length) return g.name;
  return (
    `${g.name} (gồm ` +
    `cả ${g.includes.map((x) => `${x.name}${x.lastDay ? ` đến ${vnDay(x.lastDay)}` : ""}`).join(", ")})`
  );
}
