/**
 * Checking a definition: its schema, then what a schema cannot say (one head,
 * unique codes, groups without cycles, a scoring that fits its target's kind),
 * every problem in Vietnamese.
 */
import * as v from "valibot";
import { parseIsoDate } from "../text/format";
import { matchKey } from "../text/text";
import { issueMessage } from "./messages";
import { JsonTextError, parseJsonText } from "../text/json-text";
import {
  ClusterDefinitionSchema,
  effectiveAggregation,
  effectiveConstraints,
  effectiveScoring,
  type AggregationMethod,
  type ClusterDefinition,
  type Scoring,
  type TargetGroup,
  type TargetKind,
} from "./schema";

export class DefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super("Định nghĩa cụm thi đua không hợp lệ:\n" + problems.map((p) => "  - " + p).join("\n"));
    this.name = "DefinitionError";
  }
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
  let data: unknown;
  try {
    data = parseJsonText(text, "tệp định nghĩa");
  } catch (e) {
    if (e instanceof JsonTextError) throw new DefinitionError([e.message]);
    throw e;
  }
  return loadDefinition(data);
}
