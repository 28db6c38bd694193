/**
 * The cluster definition: the one declarative description of a cluster year
 * (members, roles, targets with their constraints, aggregation and scoring)
 * that drives the Google Sheet, the Excel template, validation, Tổng hợp and
 * the documents. Shipped as JSON under sheets-templates/, checked here.
 */
import * as v from "valibot";
import { parseIsoDate } from "../text/format";
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
export function issuerLines(def: ClusterDefinition): string[] {
  if (def.issuer && def.issuer.length) return def.issuer;
  return ["CỤM THI ĐUA CÁC TRƯỜNG CHÍNH TRỊ", def.region.toLocaleUpperCase("vi")];
}

// ---------------------------------------------------------------------------
// Checking a definition, with messages in Vietnamese that name the field.

export class DefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super("Định nghĩa cụm thi đua không hợp lệ:\n" + problems.map((p) => "  - " + p).join("\n"));
    this.name = "DefinitionError";
  }
}

const FIELD_LABELS: Record<string, string> = {
  schemaVersion: "phiên bản lược đồ",
  id: "mã định danh cụm",
  name: "tên",
  number: "số hiệu cụm",
  region: "khu vực",
  issuer: "tên cơ quan ban hành",
  year: "năm",
  theme: "chủ đề",
  signing: "nơi và ngày ký",
  place: "địa danh",
  date: "ngày",
  headingStyle: "kiểu quốc hiệu (party/state)",
  legalBases: "căn cứ pháp lý",
  groups: "nhóm chỉ tiêu",
  schools: "trường thành viên",
  targets: "chỉ tiêu",
  code: "mã",
  group: "nhóm",
  unit: "đơn vị tính",
  kind: "loại chỉ tiêu",
  levels: "các mức",
  constraints: "ràng buộc",
  aggregation: "cách tổng hợp",
  scoring: "cách chấm điểm",
  method: "phương pháp chấm",
  maxScore: "điểm tối đa",
  pointsEach: "điểm mỗi đơn vị",
  province: "tỉnh",
  role: "vai trò (head/deputy/member)",
  principal: "hiệu trưởng",
  title: "chức danh",
  editors: "e-mail người nhập liệu",
  min: "giá trị nhỏ nhất",
  max: "giá trị lớn nhất",
  integer: "số nguyên",
  required: "bắt buộc",
  register: "mã cụm trong sổ đăng ký",
};

type PathItem = { key?: unknown };

function describePath(path: readonly PathItem[] | undefined): string {
  if (!path || path.length === 0) return "toàn bộ định nghĩa";
  let text = "";
  let label = "";
  for (const item of path) {
    const key = item.key;
    if (typeof key === "number") {
      text += `[${key}]`;
      label += ` thứ ${key + 1}`;
    } else {
      text += (text ? "." : "") + String(key);
      label += (label ? ", " : "") + (FIELD_LABELS[String(key)] ?? String(key));
    }
  }
  return `mục "${text}" (${label.trim()})`;
}

/** A schema issue in Vietnamese; other schemas (the review rules) pass their own description of where it is. */
export function issueMessage(
  issue: v.BaseIssue<unknown>,
  where = describePath(issue.path as PathItem[] | undefined),
): string {
  const received = issue.received;
  switch (issue.type) {
    case "strict_object":
      if (issue.input === undefined && issue.expected === "never")
        return `${where}: khóa không được phép — có thể gõ sai tên khóa.`;
      if (issue.input === undefined) return `${where}: thiếu giá trị bắt buộc.`;
      if (issue.expected === "never") return `${where}: khóa không được phép — có thể gõ sai tên khóa.`;
      return `${where}: phải là một đối tượng, nhận được ${received}.`;
    case "string":
    case "number":
    case "boolean":
    case "array":
    case "object":
    case "record":
      if (issue.input === undefined) return `${where}: thiếu giá trị bắt buộc.`;
      return `${where}: cần kiểu ${typeName(issue.type)}, nhận được ${received}.`;
    case "picklist":
    case "literal":
    case "variant":
      if (issue.input === undefined) return `${where}: thiếu giá trị bắt buộc.`;
      return `${where}: giá trị ${received} không hợp lệ; cần một trong: ${issue.expected}.`;
    case "min_length":
      return `${where}: không được để trống.`;
    case "regex":
      return `${where}: ${received} không đúng dạng (chỉ dùng chữ không dấu, số, "-" hoặc "_").`;
    case "email":
      return `${where}: ${received} không phải địa chỉ e-mail hợp lệ.`;
    case "min_value":
      return `${where}: phải lớn hơn hoặc bằng ${issue.requirement as number}, nhận được ${received}.`;
    case "max_value":
      return `${where}: phải nhỏ hơn hoặc bằng ${issue.requirement as number}, nhận được ${received}.`;
    case "integer":
      return `${where}: phải là số nguyên, nhận được ${received}.`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function typeName(t: string): string {
  return (
    {
      string: "chuỗi văn bản",
      number: "số",
      boolean: "true/false",
      array: "danh sách",
      object: "đối tượng",
      record: "bảng khóa–giá trị",
    }[t] ?? t
  );
}

function crossCheck(def: ClusterDefinition): string[] {
  const problems: string[] = [];
  const dup = (items: { code: string }[], label: string, field: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = matchKey(item.code);
      const first = seen.get(key);
      if (first !== undefined)
        problems.push(`mục "${field}[${i}].code": mã ${label} "${item.code}" trùng với ${field}[${first}].`);
      else seen.set(key, i);
    });
  };
  dup(def.schools, "trường", "schools");
  dup(def.targets, "chỉ tiêu", "targets");
  dup(def.groups ?? [], "nhóm", "groups");

  const heads = def.schools.filter((s) => s.role === "head");
  if (heads.length !== 1)
    problems.push(
      `mục "schools" (vai trò): cụm phải có đúng một trường cụm trưởng (role "head"), hiện có ${heads.length}.`,
    );

  const editorOwner = new Map<string, string>();
  def.schools.forEach((s, i) =>
    s.editors.forEach((e, j) => {
      const other = editorOwner.get(e);
      if (other && other !== s.code)
        problems.push(
          `mục "schools[${i}].editors[${j}]" (e-mail người nhập liệu): ${e} được khai cho cả ` +
            `trường ${other} và ${s.code}; mỗi e-mail chỉ thuộc một trường.`,
        );
      editorOwner.set(e, s.code);
    }),
  );

  if (!parseIsoDate(def.signing.date))
    problems.push(`mục "signing.date" (ngày ký): "${def.signing.date}" phải có dạng năm-tháng-ngày, ví dụ 2023-03-10.`);

  const groupCodes = new Set((def.groups ?? []).map((g) => g.code));
  (def.groups ?? []).forEach((g, i) => {
    if (g.parent && !groupCodes.has(g.parent))
      problems.push(`mục "groups[${i}].parent": nhóm cha "${g.parent}" không có trong danh sách nhóm.`);
  });
  for (const cyc of groupCycles(def.groups ?? []))
    problems.push(`mục "groups": nhóm "${cyc}" là cha của chính nó (vòng lặp).`);

  def.targets.forEach((t, i) => {
    const at = `mục "targets[${i}]" (chỉ tiêu ${t.code})`;
    if (t.group && !groupCodes.has(t.group))
      problems.push(`${at}: nhóm "${t.group}" không có trong danh sách nhóm (groups).`);
    if (t.kind === "level" && !t.levels) problems.push(`${at}: chỉ tiêu loại "level" cần danh sách các mức (levels).`);
    if (t.kind !== "level" && t.levels) problems.push(`${at}: chỉ loại "level" mới có danh sách mức (levels).`);
    if ((t.kind === "count" || t.kind === "percent") && !t.unit) problems.push(`${at}: thiếu đơn vị tính (unit).`);
    const c = effectiveConstraints(t);
    if (c.min !== undefined && c.max !== undefined && c.min > c.max)
      problems.push(`${at}: giá trị nhỏ nhất (${c.min}) lớn hơn giá trị lớn nhất (${c.max}).`);
    if (
      t.constraints &&
      (t.kind === "yesno" || t.kind === "level") &&
      (t.constraints.min !== undefined || t.constraints.max !== undefined || t.constraints.integer !== undefined)
    )
      problems.push(`${at}: min, max, integer chỉ dùng cho chỉ tiêu số (count, percent).`);
    const agg = effectiveAggregation(t);
    const aggOk: Record<TargetKind, AggregationMethod[]> = {
      count: ["sum", "mean"],
      percent: ["mean"],
      yesno: ["countYes"],
      level: ["distribution"],
    };
    if (!aggOk[t.kind].includes(agg))
      problems.push(
        `${at}: cách tổng hợp "${agg}" không dùng được cho loại "${t.kind}"; dùng: ${aggOk[t.kind].join(", ")}.`,
      );
    const s = effectiveScoring(t);
    const scoreOk: Record<TargetKind, Scoring["method"][]> = {
      count: ["quantitative", "qualitative", "perUnit", "bonusPenalty", "none"],
      percent: ["quantitative", "qualitative", "none"],
      yesno: ["qualitative", "none"],
      level: ["levelPoints", "none"],
    };
    if (!scoreOk[t.kind].includes(s.method))
      problems.push(
        `${at}: cách chấm "${s.method}" không dùng được cho loại "${t.kind}"; dùng: ${scoreOk[t.kind].join(", ")}.`,
      );
    if (s.method === "bonusPenalty" && s.min > s.max)
      problems.push(`${at}: điểm cộng/trừ có min (${s.min}) lớn hơn max (${s.max}).`);
    if (s.method === "levelPoints") {
      const levels = new Set((t.levels ?? []).map(matchKey));
      for (const label of Object.keys(s.points))
        if (!levels.has(matchKey(label)))
          problems.push(`${at}: mức "${label}" trong bảng điểm không có trong danh sách mức.`);
    }
  });
  return problems;
}

function groupCycles(groups: TargetGroup[]): string[] {
  const parent = new Map(groups.map((g) => [g.code, g.parent]));
  const bad: string[] = [];
  for (const g of groups) {
    const seen = new Set<string>();
    let cur: string | undefined = g.code;
    while (cur) {
      if (seen.has(cur)) {
        bad.push(g.code);
        break;
      }
      seen.add(cur);
      cur = parent.get(cur);
    }
  }
  return bad;
}

export type DefinitionResult = { ok: true; definition: ClusterDefinition } | { ok: false; problems: string[] };

export function checkDefinition(input: unknown): DefinitionResult {
  const parsed = v.safeParse(ClusterDefinitionSchema, input);
  if (!parsed.success) {
    const seen = new Set<string>();
    const problems = parsed.issues
      .map((issue) => issueMessage(issue))
      .filter((m) => (seen.has(m) ? false : (seen.add(m), true)));
    return { ok: false, problems };
  }
  const problems = crossCheck(parsed.output);
  return problems.length ? { ok: false, problems } : { ok: true, definition: parsed.output };
}

/** checkDefinition, throwing a DefinitionError with every problem. */
export function loadDefinition(input: unknown): ClusterDefinition {
  const r = checkDefinition(input);
  if (!r.ok) throw new DefinitionError(r.problems);
  return r.definition;
}

/** Parses JSON text first, so a syntax error is reported in Vietnamese too. */
export function loadDefinitionJson(text: string): ClusterDefinition {
  // Notepad saves UTF-8 with a byte-order mark, which JSON.parse refuses.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    throw new DefinitionError([jsonSyntaxMessage(body, (e as Error).message)]);
  }
  return loadDefinition(data);
}

/** Where JSON.parse stopped, as line and column, with the usual causes, in Vietnamese. */
function jsonSyntaxMessage(text: string, engineMessage: string): string {
  const lc = /line (\d+) column (\d+)/.exec(engineMessage);
  const pos = /position (\d+)/.exec(engineMessage);
  let line: number | undefined;
  let column: number | undefined;
  if (lc) {
    line = Number(lc[1]);
    column = Number(lc[2]);
  } else if (pos) {
    const before = text.slice(0, Number(pos[1]));
    line = before.split("\n").length;
    column = before.length - before.lastIndexOf("\n");
  }
  const hint =
    "Hay gặp: thiếu dấu phẩy giữa hai mục, dấu phẩy thừa trước } hoặc ], chữ thiếu " +
    "dấu ngoặc kép, hoặc thiếu dấu đóng ngoặc.";
  if (line === undefined) {
    const what = /end of JSON|Unexpected end/i.test(engineMessage)
      ? "tệp kết thúc khi còn ngoặc chưa đóng"
      : "lỗi cú pháp";
    return `tệp định nghĩa không phải JSON hợp lệ: ${what}. ${hint}`;
  }
  const shown = (text.split("\n")[line - 1] ?? "").trim();
  const near = shown.length > 60 ? shown.slice(0, 57) + "…" : shown;
  return (
    `tệp định nghĩa không phải JSON hợp lệ: lỗi cú pháp ở dòng ${line}, ` +
    `cột ${column}${near ? ` (dòng đó: ${near})` : ""}. ${hint}`
  );
}
