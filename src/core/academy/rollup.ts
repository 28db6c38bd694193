/**
 * The Academy's roll-up (tổng hợp toàn Học viện): every cluster's locked year
 * side by side, and the country's totals. Counts are totalled over every
 * school each cluster counted, with the same aggregation as a cluster's Tổng
 * hợp (figures/aggregate.ts), so the national total is the sum of the
 * clusters' locked totals; percentages, yes/no and levels are listed cluster
 * by cluster and never added. A target some clusters lack is totalled over
 * those that have it, and says which.
 */
import { aggregate, completionRate, headline, type Aggregate } from "../figures/aggregate";
import type { FigureValue } from "../figures/parse";
import type { Target, TargetKind } from "../definition/definition";
import { fillFigures } from "../documents/report-text";
import type { LockedYear } from "../lock/locked-year";
import type { ReviewRecord } from "../review/record";
import { matchKey } from "../text/text";
import { AcademyError } from "./academy-error";
import { consolidateProposals, type AcademyReview } from "./proposals";
import type { RuleSet } from "../review/rules";

export interface SchoolRef {
  code: string;
  name: string;
}

/** One cluster's locked year, with the record of its review meeting when the Academy has one (already verified). */
export interface ClusterInput {
  year: LockedYear;
  review?: ReviewRecord;
}

export interface ClusterLine {
  id: string;
  name: string;
  /** The short name tables use: the cluster's region, "Khu vực Bắc Trung bộ". */
  label: string;
  source: string;
  fingerprint: string;
  lockedAt: string;
  head?: SchoolRef;
  deputies: SchoolRef[];
  /** The leading unit(s): elected at the review meeting, else the top of the locked ranking. */
  leaders: SchoolRef[];
  leadersFrom: "review" | "ranking";
  members: number;
  counted: SchoolRef[];
  /** Members the locked totals leave out, with why ("chưa nộp", "có lỗi"). */
  notCounted: (SchoolRef & { reason: string })[];
  /** Fingerprint of the review record, when one came with the cluster. */
  reviewFingerprint?: string;
}

export interface NationalTarget {
  code: string;
  name: string;
  unit: string;
  kind: TargetKind;
  /** Added up across clusters: every cluster that has it totals it by sum. */
  summed: boolean;
  /** Aligned with AcademyRollup.clusters; undefined where the cluster has no such target. */
  byCluster: ({ registered: Aggregate; achieved: Aggregate; completion: number | null } | undefined)[];
  /** Names of the clusters without this target (the total covers the others). */
  missingIn: string[];
  /** Present for summed targets. */
  total?: { registered: Aggregate; achieved: Aggregate; completion: number | null };
  /** Why a target is listed per cluster rather than totalled. */
  notSummedWhy?: string;
}

export interface AcademyRollup {
  year: number;
  clusters: ClusterLine[];
  targets: NationalTarget[];
  schools: { members: number; counted: number };
  /** "Năm 2026, các trường chính trị trong 6 Cụm thi đua đã …", when the clusters share a summary template. */
  sentence?: string;
  /** Present when review records were given. */
  review?: AcademyReview;
}

const ref = (s: { code: string; name: string }): SchoolRef => ({ code: s.code, name: s.name });

/** One cluster given twice, clusters of different years, a school claimed by two clusters: refused, naming them. */
export function checkClusters(years: readonly LockedYear[]): void {
  if (!years.length) throw new AcademyError("Chưa có bảng đã khóa nào của các Cụm.");
  // The same cluster's year, or the same lock under another name (a copied file): the first one read is named first.
  const seen = new Map<string, LockedYear>();
  for (const y of years) {
    const other = seen.get(`id:${y.definition.id}`) ?? seen.get(`print:${y.fingerprint}`);
    if (other)
      throw new AcademyError(
        `${y.definition.name} năm ${y.definition.year} được đưa vào hai lần: ${other.source} và ` +
          `${y.source}. Hãy giữ lại một bảng đã khóa cho mỗi Cụm.`,
      );
    seen.set(`id:${y.definition.id}`, y);
    seen.set(`print:${y.fingerprint}`, y);
  }
  const first = years[0]!;
  for (const y of years)
    if (y.definition.year !== first.definition.year)
      throw new AcademyError(
        `Các Cụm không cùng một năm: ${first.definition.name} (${first.source}) là năm ${first.definition.year}, ` +
          `${y.definition.name} (${y.source}) là năm ${y.definition.year}. Tổng hợp toàn Học viện chỉ gộp ` +
          `các Cụm của cùng một năm.`,
      );
  const claimed = new Map<string, { year: LockedYear; name: string }>();
  for (const y of years)
    for (const s of y.definition.schools)
      for (const key of [`code:${matchKey(s.code)}`, `name:${matchKey(s.name)}`]) {
        const other = claimed.get(key);
        if (other && other.year !== y)
          throw new AcademyError(
            `${s.name} (mã ${s.code}) có tên trong cả hai Cụm: ${other.year.definition.name} ` +
              `(${other.year.source}, ghi là ${other.name}) và ${y.definition.name} (${y.source}). ` +
              `Mỗi trường chỉ thuộc một Cụm trong năm; hãy kiểm tra lại thành phần hai Cụm này.`,
          );
        claimed.set(key, { year: y, name: s.name });
      }
}

function clusterLine(input: ClusterInput): ClusterLine {
  const { year, review } = input;
  const def = year.definition;
  const name = (code: string) => def.schools.find((s) => s.code === code)?.name ?? code;
  const summary = year.verdict.summary;
  const leaders = review
    ? review.result.leaders.map((code) => ({ code, name: name(code) }))
    : year.verdict.ranking.ranked.filter((r) => r.rank === 1).map((r) => ({ code: r.school, name: name(r.school) }));
  return {
    id: def.id,
    name: def.name,
    label: def.region.charAt(0).toLocaleUpperCase("vi") + def.region.slice(1),
    source: year.source,
    fingerprint: year.fingerprint,
    lockedAt: year.lockedAt,
    head: def.schools.filter((s) => s.role === "head").map(ref)[0],
    deputies: def.schools.filter((s) => s.role === "deputy").map(ref),
    leaders,
    leadersFrom: review ? "review" : "ranking",
    members: def.schools.length,
    counted: summary.schools.filter((s) => s.status === "valid").map((s) => ref(s.school)),
    notCounted: summary.schools
      .filter((s) => s.status !== "valid")
      .map((s) => ({ ...ref(s.school), reason: s.status === "missing" ? "chưa nộp" : "có lỗi" })),
    reviewFingerprint: undefined,
  };
}

const targetKey = (code: string, unit: string) => `${matchKey(code)}\u0000${matchKey(unit)}`;

export function rollUp(
  inputs: readonly ClusterInput[],
  opts: { date?: string; ruleSets?: readonly RuleSet[]; reviewPrints?: Record<string, string> } = {},
): AcademyRollup {
  checkClusters(inputs.map((i) => i.year));
  const clusters = inputs.map(clusterLine);
  clusters.forEach((c) => (c.reviewFingerprint = opts.reviewPrints?.[c.id]));

  // Targets matched by code and unit, in the order the clusters list them.
  const targets: NationalTarget[] = [];
  const byKey = new Map<string, NationalTarget>();
  const values = new Map<
    NationalTarget,
    { target: Target; reg: (FigureValue | null)[]; ach: (FigureValue | null)[] }
  >();
  inputs.forEach(({ year }, i) => {
    for (const ts of year.verdict.summary.targets) {
      const t = ts.target;
      const key = targetKey(t.code, t.unit);
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          code: t.code,
          name: t.name,
          unit: t.unit,
          kind: t.kind,
          summed: true,
          byCluster: inputs.map(() => undefined),
          missingIn: [],
        };
        byKey.set(key, entry);
        targets.push(entry);
        values.set(entry, { target: t, reg: [], ach: [] });
      }
      entry.byCluster[i] = { registered: ts.registered, achieved: ts.achieved, completion: ts.completion };
      if (ts.method !== "sum") {
        entry.summed = false;
        entry.notSummedWhy ??=
          t.kind === "percent"
            ? "tỷ lệ: liệt kê theo từng Cụm, không cộng"
            : t.kind === "yesno"
              ? "Đạt/Không đạt: liệt kê theo từng Cụm, không cộng"
              : "không tính tổng theo cách cộng: liệt kê theo từng Cụm";
      }
      const v = values.get(entry)!;
      for (const f of ts.perSchool) {
        if (!f) continue;
        v.reg.push(f.registered);
        v.ach.push(f.achieved);
      }
    }
  });
  for (const t of targets) {
    t.missingIn = clusters.filter((_, i) => !t.byCluster[i]).map((c) => c.name);
    if (!t.summed) continue;
    // The cluster totals' own rule, over every school a cluster counted: the sum of the clusters' locked totals.
    const v = values.get(t)!;
    const registered = aggregate("sum", v.target, v.reg);
    const achieved = aggregate("sum", v.target, v.ach);
    t.total = { registered, achieved, completion: completionRate(headline(registered), headline(achieved)) };
  }

  const year = inputs[0]!.year.definition.year;
  const counted = clusters.reduce((n, c) => n + c.counted.length, 0);
  const members = clusters.reduce((n, c) => n + c.members, 0);
  const rollup: AcademyRollup = {
    year,
    clusters,
    targets,
    schools: { members, counted },
    sentence: nationalSentence(inputs, targets, year, clusters.length, counted),
  };
  if (inputs.some((i) => i.review)) rollup.review = consolidateProposals(inputs, clusters, opts);
  return rollup;
}

/**
 * The seeds' sentence over the whole country, from the summary template most clusters share; a figure of a
 * target some clusters lack says over how many clusters it runs.
 */
function nationalSentence(
  inputs: readonly ClusterInput[],
  targets: readonly NationalTarget[],
  year: number,
  clusterCount: number,
  counted: number,
): string | undefined {
  const templates = new Map<string, number>();
  for (const { year: y } of inputs) {
    const t = y.definition.documents?.reportSummary;
    if (t) templates.set(t, (templates.get(t) ?? 0) + 1);
  }
  const template = [...templates.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!template) return undefined;
  const byCode = new Map<string, NationalTarget>();
  for (const t of targets) if (t.summed && !byCode.has(matchKey(t.code))) byCode.set(matchKey(t.code), t);
  const partial = new Set<NationalTarget>();
  const text = fillFigures(template, (code) => {
    const t = byCode.get(matchKey(code));
    if (!t?.total) return null;
    if (t.missingIn.length) partial.add(t);
    return headline(t.total.achieved);
  });
  const notes = [...partial].map(
    (t) =>
      `${t.name} tính trên ${clusterCount - t.missingIn.length}/${clusterCount} Cụm ` +
      `(không có ở ${t.missingIn.join(", ")})`,
  );
  return (
    `Năm ${year}, ${counted} trường chính trị trong ${clusterCount} Cụm thi đua đã ${text}` +
    (notes.length ? ` (${notes.join("; ")})` : "") +
    "."
  );
}
