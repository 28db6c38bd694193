/**
 * The schema of a cluster definition, its types, and what each target means
 * once defaults are applied (constraints, aggregation, scoring). Checking a
 * definition is in checks.ts, its Vietnamese messages in messages.ts.
 */
import * as v from "valibot";
import { matchKey } from "../text/text";

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1));
const code = v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9_-]{1,20}$/));

export const TARGET_KINDS = ["count", "percent", "yesno", "level"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const AGGREGATIONS = ["sum", "mean", "countYes", "distribution"] as const;
export type AggregationMethod = (typeof AGGREGATIONS)[number];

const ScoringSchema = v.variant("method", [
  // A against the registered T, the cluster leader gets the maximum (docs/scoring.md).
  v.strictObject({ method: v.literal("quantitative"), maxScore: v.pipe(v.number(), v.minValue(0)) }),
  // Achieved (Đạt, or A ≥ T for numbers) earns the maximum, otherwise nothing.
  v.strictObject({ method: v.literal("qualitative"), maxScore: v.pipe(v.number(), v.minValue(0)) }),
  // Each unit achieved earns pointsEach, up to maxScore.
  v.strictObject({
    method: v.literal("perUnit"),
    pointsEach: v.pipe(v.number(), v.minValue(0)),
    maxScore: v.pipe(v.number(), v.minValue(0)),
  }),
  // Bonus (pointsEach > 0) or penalty (< 0) per unit, clamped to [min, max]; outside the maximum total.
  v.strictObject({ method: v.literal("bonusPenalty"), pointsEach: v.number(), min: v.number(), max: v.number() }),
  // A level target: points per level label.
  v.strictObject({ method: v.literal("levelPoints"), points: v.record(v.string(), v.pipe(v.number(), v.minValue(0))) }),
  v.strictObject({ method: v.literal("none") }),
]);
export type Scoring = v.InferOutput<typeof ScoringSchema>;

const ConstraintsSchema = v.strictObject({
  required: v.optional(v.boolean()),
  min: v.optional(v.number()),
  max: v.optional(v.number()),
  integer: v.optional(v.boolean()),
});

const TargetSchema = v.strictObject({
  code,
  group: v.optional(code),
  name: nonEmpty,
  unit: v.pipe(v.string(), v.trim()),
  kind: v.picklist(TARGET_KINDS),
  levels: v.optional(v.pipe(v.array(nonEmpty), v.minLength(2))),
  constraints: v.optional(ConstraintsSchema),
  aggregation: v.optional(v.picklist(AGGREGATIONS)),
  scoring: v.optional(ScoringSchema),
  /** How the year-end report sentence names the achieved total, e.g. "{} lớp". */
  reportPhrase: v.optional(nonEmpty),
  note: v.optional(v.string()),
});

const SchoolSchema = v.strictObject({
  code,
  name: nonEmpty,
  shortName: v.optional(nonEmpty),
  province: nonEmpty,
  role: v.picklist(["head", "deputy", "member"]),
  principal: v.strictObject({ name: v.pipe(v.string(), v.trim()), title: v.optional(nonEmpty) }),
  editors: v.array(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email())),
});

const GroupSchema = v.strictObject({ code, name: nonEmpty, parent: v.optional(code) });

const DocumentTextSchema = v.strictObject({
  purpose: v.optional(v.array(nonEmpty)),
  movements: v.optional(v.array(nonEmpty)),
  titles: v.optional(v.array(nonEmpty)),
  organisation: v.optional(v.array(nonEmpty)),
  /** The year-end summary sentence with {CODE} or {CODE+CODE} for achieved totals. */
  reportSummary: v.optional(nonEmpty),
});

export const ClusterDefinitionSchema = v.strictObject({
  schemaVersion: v.literal(1),
  id: v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9-]{3,60}$/)),
  name: nonEmpty,
  number: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1)))),
  region: nonEmpty,
  issuer: v.optional(v.array(nonEmpty)),
  year: v.pipe(v.number(), v.integer(), v.minValue(2000), v.maxValue(2100)),
  theme: v.pipe(v.string(), v.trim()),
  signing: v.strictObject({ place: nonEmpty, date: v.pipe(v.string(), v.trim()) }),
  headingStyle: v.picklist(["party", "state"]),
  legalBases: v.array(nonEmpty),
  groups: v.optional(v.array(GroupSchema)),
  schools: v.pipe(v.array(SchoolSchema), v.minLength(1)),
  targets: v.pipe(v.array(TargetSchema), v.minLength(1)),
  documents: v.optional(DocumentTextSchema),
  /** The cluster's id in the cluster register (src/core/register/), which says who is a member in which year. */
  register: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9-]{3,60}$/))),
});

export type ClusterDefinition = v.InferOutput<typeof ClusterDefinitionSchema>;
export type Target = ClusterDefinition["targets"][number];
export type School = ClusterDefinition["schools"][number];
export type TargetGroup = NonNullable<ClusterDefinition["groups"]>[number];
export type SchoolRole = School["role"];

export const YES_LABEL = "Đạt";
export const NO_LABEL = "Không đạt";

/** The constraints a target actually enforces, after kind defaults. */
/**
 * Largest count accepted when the definition sets no max: far above any
 * school's figure, and small enough that a cluster's total stays exact
 * (1e308 in two schools would otherwise add up to Infinity).
 */
export const DEFAULT_COUNT_MAX = 1_000_000_000;

export interface EffectiveConstraints {
  required: boolean;
  min?: number;
  max?: number;
  integer: boolean;
}

const constraintCache = new WeakMap<Target, EffectiveConstraints>();

/** Memoised: validation asks for every cell of every school. */
export function effectiveConstraints(t: Target): EffectiveConstraints {
  let c = constraintCache.get(t);
  if (!c) {
    c = computeConstraints(t);
    constraintCache.set(t, c);
  }
  return c;
}

function computeConstraints(t: Target): EffectiveConstraints {
  const c = t.constraints ?? {};
  switch (t.kind) {
    case "count":
      return { required: c.required ?? true, min: c.min ?? 0, max: c.max, integer: c.integer ?? true };
    case "percent":
      return { required: c.required ?? true, min: c.min ?? 0, max: c.max ?? 100, integer: c.integer ?? false };
    default:
      return { required: c.required ?? true, integer: false };
  }
}

export function effectiveAggregation(t: Target): AggregationMethod {
  if (t.aggregation) return t.aggregation;
  switch (t.kind) {
    case "count":
      return "sum";
    case "percent":
      return "mean";
    case "yesno":
      return "countYes";
    case "level":
      return "distribution";
  }
}

export function effectiveScoring(t: Target): Scoring {
  return t.scoring ?? { method: "none" };
}

/** Largest score a target can add to the total (bonus/penalty sits outside it). */
export function maxScoreOf(s: Scoring): number {
  switch (s.method) {
    case "quantitative":
    case "qualitative":
    case "perUnit":
      return s.maxScore;
    case "levelPoints":
      return Math.max(0, ...Object.values(s.points));
    default:
      return 0;
  }
}

export function levelsOf(t: Target): string[] {
  if (t.kind === "yesno") return [YES_LABEL, NO_LABEL];
  return t.levels ?? [];
}

export function schoolByCode(def: ClusterDefinition, schoolCode: string): School | undefined {
  const key = matchKey(schoolCode);
  return def.schools.find((s) => matchKey(s.code) === key);
}

export function headSchool(def: ClusterDefinition): School {
  const head = def.schools.find((s) => s.role === "head");
  if (!head) throw new Error("definition without head school passed validation");
  return head;
}

/** The issuer lines of the document header, e.g. "CỤM THI ĐUA CÁC TRƯỜNG CHÍNH TRỊ" / "KHU VỰC …". */
export function issuerLines(def: Pick<ClusterDefinition, "issuer" | "region">): string[] {
  if (def.issuer && def.issuer.length) return def.issuer;
  return ["CỤM THI ĐUA CÁC TRƯỜNG CHÍNH TRỊ", def.region.toLocaleUpperCase("vi")];
}
