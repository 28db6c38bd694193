/**
 * The cluster year on one day: which schools exist and are members then,
 * under which names and provinces, who is head and who are deputies, which
 * law is in force, and where documents are signed. Every command that dates
 * something (opening a year, the review meeting, its documents) takes these
 * from here, so a school merged away on 01/07/2025 is neither a voter nor a
 * signatory at a November meeting, and a 2024 pledge does not cite the 2003
 * law. `taken` says in Vietnamese what was taken and why, for the command to
 * print.
 *
 * A successor stands for its predecessors from the merge date: it holds the
 * post they held (the head's successor is head) and carries their figures.
 */
import type { ClusterDefinition, School, SchoolRole } from "../definition/definition";
import type { Ranking } from "../figures/score";
import { DEFAULT_RULE_SETS, ruleSetFor, type RuleSet } from "../review/rules";
import {
  dayBefore,
  findCluster,
  membershipEnd,
  membersInYear,
  mergeOf,
  nameOn,
  successorOn,
  vnDay,
  type ClusterRegister,
} from "./register";

export interface ContextSchool {
  code: string;
  name: string;
  province: string;
  role: SchoolRole;
  /** Schools of the year merged into this one by the context's day: it speaks and counts for them. */
  standsFor: string[];
}

/** A school of the year that no longer exists on the context's day. */
export interface GoneSchool {
  code: string;
  name: string;
  /** First day it no longer existed (the merge's date). */
  since: string;
  successor: string;
  successorName: string;
  /** Whether the successor is a member on the day (and so stands for it). */
  successorIsMember: boolean;
}

export interface YearContext {
  year: number;
  /** ISO day the context is taken on. */
  date: string;
  /** The cluster's name in the register, or the definition's when there is no register. */
  clusterName: string;
  members: ContextSchool[];
  gone: GoneSchool[];
  head: string | undefined;
  deputies: string[];
  rules: RuleSet;
  legalBases: string[];
  /** Place of signing: the head school's province on the day. */
  place: string;
  /** What was taken, one Vietnamese sentence each. */
  taken: string[];
}

export interface YearContextInput {
  /** The year's definition: its schools (principals, editors), roles and legal bases. */
  definition: ClusterDefinition;
  /** The register the definition names; without one, the definition's own members are taken as they are. */
  register?: ClusterRegister;
  /** ISO day. */
  date: string;
  ruleSets?: readonly RuleSet[];
}

export class YearContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "YearContextError";
  }
}

/** A basis citing a law, decree or circular: replaced by the rule set's own when it has them. */
const STATUTE = /^\s*Căn cứ\s+(Luật|Nghị định|Thông tư)\b/iu;

/** The legal bases in force on the day: the rule set's law and decree, then the definition's other bases. */
export function legalBasesFor(definitionBases: readonly string[], rules: RuleSet): string[] {
  if (!rules.legalBases) return [...definitionBases];
  const own = definitionBases.filter((b) => !STATUTE.test(b.normalize("NFC")));
  return [...rules.legalBases, ...own];
}

function ruleSetOn(date: string, sets: readonly RuleSet[]): RuleSet {
  try {
    return ruleSetFor(date, sets);
  } catch (e) {
    throw new YearContextError((e as Error).message);
  }
}

export function yearContext(input: YearContextInput): YearContext {
  const { definition: def, register: reg, date } = input;
  const rules = ruleSetOn(date, input.ruleSets ?? DEFAULT_RULE_SETS);
  const legalBases = legalBasesFor(def.legalBases, rules);
  const taken: string[] = [];
  const cluster = reg && def.register ? findCluster(reg, def.register) : undefined;
  if (reg && def.register && !cluster) throw new YearContextError(`Cụm "${def.register}" không có trong sổ đăng ký.`);

  let members: ContextSchool[];
  const gone: GoneSchool[] = [];
  if (!reg || !cluster) {
    members = def.schools.map((s) => ({
      code: s.code,
      name: s.name,
      province: s.province,
      role: s.role,
      standsFor: [],
    }));
    taken.push(
      `Chưa có sổ đăng ký cụm: thành viên, tên và vai trò lấy theo định nghĩa năm ${def.year} ` +
        `(${members.length} trường), không xét sáp nhập.`,
    );
  } else {
    const ofYear = membersInYear(reg, cluster.id, def.year);
    const recordedRole = new Map(ofYear.map((m) => [m.school, m.role]));
    // The register's roles for the year win; the definition's fill in where the register records none.
    const roleInYear = (code: string): SchoolRole => {
      const r = recordedRole.get(code);
      if (r && r !== "member") return r;
      return def.schools.find((s) => s.code === code)?.role ?? "member";
    };
    const onDay = reg.memberships.filter((row) => {
      if (row.cluster !== cluster.id || row.from > date) return false;
      const end = membershipEnd(reg, row);
      return end === undefined || end >= date;
    });
    const codes = [...new Set(onDay.map((r) => r.school))];
    const heldBy = new Map<string, SchoolRole>();
    for (const m of ofYear) {
      const role = roleInYear(m.school);
      if (role === "member") continue;
      const holder = successorOn(reg, m.school, date);
      if (!codes.includes(holder)) continue;
      // A head's successor is head, even when it was a deputy itself.
      if (role === "head" || !heldBy.has(holder)) heldBy.set(holder, role);
    }
    members = codes.map((code) => {
      const { name, province } = nameOn(reg, code, date);
      return {
        code,
        name,
        province,
        role: heldBy.get(code) ?? "member",
        standsFor: ofYear.map((m) => m.school).filter((p) => p !== code && successorOn(reg, p, date) === code),
      };
    });
    for (const m of ofYear) {
      if (codes.includes(m.school)) continue;
      const merge = mergeOf(reg, m.school);
      if (!merge || merge.date > date) continue;
      const successor = successorOn(reg, m.school, date);
      gone.push({
        code: m.school,
        name: nameOn(reg, m.school, dayBefore(merge.date)).name,
        since: merge.date,
        successor,
        successorName: nameOn(reg, successor, date).name,
        successorIsMember: codes.includes(successor),
      });
    }
    taken.push(
      `Ngày ${vnDay(date)}, ${cluster.name} có ${members.length} trường thành viên theo sổ đăng ký: ` +
        `${members.map((m) => m.name).join("; ")}.`,
    );
    for (const g of gone)
      taken.push(
        `${g.name} (${g.code}) hoạt động đến hết ${vnDay(dayBefore(g.since))}, sáp nhập vào ${g.successorName} ` +
          `từ ${vnDay(g.since)}` +
          (g.successorIsMember
            ? `; ${g.successorName} thay mặt và mang số liệu của trường.`
            : `; ${g.successorName} không thuộc Cụm nên trường không còn dự họp, không ký văn bản.`),
      );
  }
  const head = members.find((m) => m.role === "head")?.code;
  const deputies = members.filter((m) => m.role === "deputy").map((m) => m.code);
  const name = (code: string) => members.find((m) => m.code === code)?.name ?? code;
  const yearHead = def.schools.find((s) => s.role === "head");
  if (head) {
    const via = yearHead && yearHead.code !== head ? ` (thay ${yearHead.name}, Cụm trưởng năm ${def.year})` : "";
    taken.push(`Cụm trưởng: ${name(head)}${via}.`);
  } else
    taken.push(
      `Ngày ${vnDay(date)} không trường thành viên nào giữ vai trò Cụm trưởng năm ${def.year}` +
        `${yearHead ? ` (${yearHead.name})` : ""}.`,
    );
  if (deputies.length) taken.push(`Cụm phó: ${deputies.map(name).join(", ")}.`);
  const place = head ? members.find((m) => m.code === head)!.province : def.signing.place;
  taken.push(
    head
      ? `Nơi ký văn bản: ${place} (tỉnh của trường Cụm trưởng ngày ${vnDay(date)}).`
      : `Nơi ký văn bản: ${place} (theo định nghĩa năm ${def.year}, vì chưa có Cụm trưởng).`,
  );
  taken.push(
    `Văn bản áp dụng: ${rules.name} (áp dụng từ ${vnDay(rules.from)}` +
      `${rules.to ? ` đến hết ${vnDay(rules.to)}` : ""})` +
      (rules.legalBases ? "; căn cứ pháp lý theo văn bản này." : "; căn cứ pháp lý giữ theo định nghĩa năm."),
  );
  return {
    year: def.year,
    date,
    clusterName: cluster?.name ?? def.name,
    members,
    gone,
    head,
    deputies,
    rules,
    legalBases,
    place,
    taken,
  };
}

/**
 * The definition as the context sees it on its day: the members then (names, provinces, posts), their principals
 * and editors kept from the year's definition, the legal bases and place of signing in force. The review meeting's
 * documents, candidates and vote checks read this, so nobody who no longer exists is named.
 */
export function definitionOnDay(def: ClusterDefinition, ctx: YearContext): ClusterDefinition {
  const schools: School[] = ctx.members.map((m) => {
    const own = def.schools.find((s) => s.code === m.code);
    return {
      ...(own ?? { code: m.code, principal: { name: "", title: "Hiệu trưởng" }, editors: [] }),
      name: m.name,
      province: m.province,
      role: m.role,
    };
  });
  return { ...def, schools, legalBases: ctx.legalBases, signing: { ...def.signing, place: ctx.place } };
}

/**
 * The locked ranking as the meeting on the context's day reads it: only schools that exist and are members then,
 * ranked among themselves by the locked totals (equal totals share a rank). A predecessor's row stays in the locked
 * year under its old name; its successor stands for it with the successor's own locked total.
 */
export function rankingOnDay(ranking: Ranking, ctx: YearContext): Ranking {
  const codes = new Set(ctx.members.map((m) => m.code));
  const kept = ranking.ranked.filter((r) => codes.has(r.school));
  return {
    ...ranking,
    ranked: kept.map((r) => ({ ...r, rank: 1 + kept.filter((x) => x.total > r.total + 1e-9).length })),
    unranked: ranking.unranked.filter((u) => codes.has(u.school)),
  };
}

/** What a review meeting reads: the locked year's definition and ranking as they stand on the meeting's day. */
export interface MeetingYear {
  ctx: YearContext;
  def: ClusterDefinition;
  ranking: Ranking;
}

/**
 * The locked year seen from its review meeting's day, for the command line and the Sheet alike: members after any
 * merge, the successor standing for its predecessors in the ranking, the law in force; refused when no school holds
 * the head's post that day.
 */
export function meetingYear(input: YearContextInput & { ranking: Ranking }): MeetingYear {
  const ctx = yearContext(input);
  const def = input.definition;
  if (!ctx.head)
    throw new YearContextError(
      `Ngày ${vnDay(ctx.date)} không còn trường nào giữ vai trò Cụm trưởng năm ${def.year} trong Cụm; ` +
        `hãy ghi vai trò (roles) trong sổ đăng ký.`,
    );
  return { ctx, def: definitionOnDay(def, ctx), ranking: rankingOnDay(input.ranking, ctx) };
}

/** Sentences for the minutes about schools of the locked year that no longer exist on the meeting's day. */
export function goneLines(ctx: YearContext): string[] {
  return ctx.gone.map(
    (g) =>
      `${g.name} (bảng xếp hạng đã khóa) sáp nhập vào ${g.successorName} từ ${vnDay(g.since)}` +
      (g.successorIsMember ? `; ${g.successorName} thay mặt trường tại Hội nghị.` : `, không còn thuộc Cụm.`),
  );
}
