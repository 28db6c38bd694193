/**
 * The cluster register (sổ đăng ký cụm): what stays true across years.
 * Schools keep one id for life and carry dated names; membership rows say
 * which school belonged to which cluster from when to when, with its role in
 * each year; merges say which schools ended in which successor and when.
 * Renames, joins and leaves are read off the dated names and membership rows
 * (see registerEvents), so nothing is written twice. docs/so-dang-ky.md
 * explains the format.
 */
import { JsonTextError, parseJsonText } from "../text/json-text";
import * as v from "valibot";
import { parseIsoDate } from "../text/format";
import { matchKey } from "../text/text";
import { bundledProvinceMapping, provinceSuccessors, type ProvinceMapping } from "./provinces";

/** The day the 2025 provincial mergers took effect (new provincial governments from 01/7/2025). */
export const MERGER_2025 = "2025-07-01";

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1));
const schoolId = v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9_-]{1,20}$/));
const clusterId = v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9-]{3,60}$/));
/** ISO calendar day, "2025-07-01"; compared as text, which orders days correctly. */
const isoDay = v.pipe(
  v.string(),
  v.trim(),
  v.check((s) => parseIsoDate(s) !== undefined, "ngày phải có dạng năm-tháng-ngày, ví dụ 2025-07-01"),
);
const role = v.picklist(["head", "deputy", "member"]);

const DatedNameSchema = v.strictObject({
  name: nonEmpty,
  province: nonEmpty,
  /** First day of this name; the first name of a school may leave it out ("since always"). */
  from: v.optional(isoDay),
});

const RegisteredSchoolSchema = v.strictObject({
  id: schoolId,
  names: v.pipe(v.array(DatedNameSchema), v.minLength(1)),
  note: v.optional(v.string()),
});

const MergeSchema = v.strictObject({
  predecessors: v.pipe(v.array(schoolId), v.minLength(1)),
  successor: schoolId,
  date: v.optional(isoDay, MERGER_2025),
  basis: v.optional(nonEmpty),
});

const RotationSchema = v.strictObject({
  /** The order in which the head's flag passes; schools not listed follow in register order. */
  order: v.array(schoolId),
  deputies: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(5)),
  note: v.optional(v.string()),
});

const RegisteredClusterSchema = v.strictObject({
  id: clusterId,
  name: nonEmpty,
  rotation: RotationSchema,
});

const MembershipSchema = v.strictObject({
  cluster: clusterId,
  school: schoolId,
  from: isoDay,
  /** Last day of membership; a school that merges away ends the day before its merge without saying so. */
  to: v.optional(isoDay),
  /** Roles by year ("2023": "head"); years not listed are "member". */
  roles: v.optional(v.record(v.pipe(v.string(), v.regex(/^\d{4}$/)), role)),
  note: v.optional(v.string()),
});

export const RegisterSchema = v.strictObject({
  schemaVersion: v.literal(1),
  description: v.optional(v.string()),
  schools: v.pipe(v.array(RegisteredSchoolSchema), v.minLength(1)),
  merges: v.array(MergeSchema),
  clusters: v.pipe(v.array(RegisteredClusterSchema), v.minLength(1)),
  memberships: v.array(MembershipSchema),
});

export type ClusterRegister = v.InferOutput<typeof RegisterSchema>;
export type RegisteredSchool = ClusterRegister["schools"][number];
export type SchoolMerge = ClusterRegister["merges"][number];
export type Membership = ClusterRegister["memberships"][number];
export type RegisteredCluster = ClusterRegister["clusters"][number];
export type YearRole = "head" | "deputy" | "member";

export class RegisterError extends Error {
  constructor(readonly problems: string[]) {
    super("Sổ đăng ký cụm không hợp lệ:\n" + problems.map((p) => "  - " + p).join("\n"));
    this.name = "RegisterError";
  }
}

// ---------------------------------------------------------------------------
// Days

/** "2025-07-01" → "2025-06-30". */
export function dayBefore(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

export const yearStart = (year: number) => `${year}-01-01`;
export const yearEnd = (year: number) => `${year}-12-31`;

/** "2025-07-01" → "01/07/2025". */
export function vnDay(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

// ---------------------------------------------------------------------------
// Questions the rest of the product asks

export function findSchool(reg: ClusterRegister, id: string): RegisteredSchool | undefined {
  const key = matchKey(id);
  return reg.schools.find((s) => matchKey(s.id) === key);
}

export function findCluster(reg: ClusterRegister, id: string): RegisteredCluster | undefined {
  return reg.clusters.find((c) => c.id === id);
}

/** The merge that ended this school, if any. */
export function mergeOf(reg: ClusterRegister, id: string): SchoolMerge | undefined {
  return reg.merges.find((m) => m.predecessors.includes(id));
}

/** The last day a school existed under its own id, or undefined while it still does. */
export function lastDay(reg: ClusterRegister, id: string): string | undefined {
  const m = mergeOf(reg, id);
  return m ? dayBefore(m.date) : undefined;
}

/** The name (and province) valid on a day; after a merge the last name it had. */
export function nameOn(reg: ClusterRegister, id: string, day: string): { name: string; province: string } {
  const school = findSchool(reg, id);
  if (!school) return { name: id, province: "" };
  let current = school.names[0]!;
  for (const n of school.names) if (!n.from || n.from <= day) current = n;
  return { name: current.name, province: current.province };
}

/** Where a school's figures belong on a day: itself, or the school it merged into (followed through chains). */
export function successorOn(reg: ClusterRegister, id: string, day: string): string {
  let cur = id;
  for (let guard = 0; guard < reg.merges.length + 1; guard++) {
    const m = mergeOf(reg, cur);
    if (!m || m.date > day) return cur;
    cur = m.successor;
  }
  return cur;
}

/** The membership row's real last day: its "to", or the day before the school merged away. */
export function membershipEnd(reg: ClusterRegister, row: Membership): string | undefined {
  const end = lastDay(reg, row.school);
  if (row.to && end) return row.to < end ? row.to : end;
  return row.to ?? end;
}

export interface YearMember {
  school: string;
  from: string;
  to?: string;
  role: YearRole;
}

/**
 * Schools that belonged to the cluster on any day of the year (a school that merged mid-year still counts for that
 * year).
 */
export function membersInYear(reg: ClusterRegister, cluster: string, year: number): YearMember[] {
  const out: YearMember[] = [];
  for (const row of reg.memberships) {
    if (row.cluster !== cluster) continue;
    const to = membershipEnd(reg, row);
    if (row.from > yearEnd(year) || (to !== undefined && to < yearStart(year))) continue;
    out.push({ school: row.school, from: row.from, to, role: row.roles?.[String(year)] ?? "member" });
  }
  return out;
}

export interface RegisterEvent {
  kind: "merge" | "rename" | "join" | "leave";
  date: string;
  school: string;
  cluster?: string;
  /** For a merge: the successor; for a rename: the new name. */
  detail: string;
}

/** Every change in date order: merges as written, renames from dated names, joins and leaves from membership rows. */
export function registerEvents(reg: ClusterRegister): RegisterEvent[] {
  const out: RegisterEvent[] = [];
  for (const m of reg.merges)
    for (const p of m.predecessors) out.push({ kind: "merge", date: m.date, school: p, detail: m.successor });
  for (const s of reg.schools)
    for (const n of s.names.slice(1))
      if (n.from) out.push({ kind: "rename", date: n.from, school: s.id, detail: n.name });
  for (const row of reg.memberships) {
    out.push({ kind: "join", date: row.from, school: row.school, cluster: row.cluster, detail: "" });
    const end = membershipEnd(reg, row);
    if (end) out.push({ kind: "leave", date: end, school: row.school, cluster: row.cluster, detail: "" });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.school.localeCompare(b.school));
}

// ---------------------------------------------------------------------------
// Checking

function path(items: readonly { key?: unknown }[] | undefined): string {
  if (!items?.length) return "toàn bộ sổ đăng ký";
  return `mục "${items
    .map((i) => (typeof i.key === "number" ? `[${i.key}]` : `.${String(i.key)}`))
    .join("")
    .replace(/^\./, "")}"`;
}

function issueText(issue: v.BaseIssue<unknown>): string {
  const where = path(issue.path as { key?: unknown }[] | undefined);
  if (issue.input === undefined && issue.type !== "check") return `${where}: thiếu giá trị bắt buộc.`;
  switch (issue.type) {
    case "strict_object":
      return issue.expected === "never"
        ? `${where}: khóa không được phép — có thể gõ sai tên khóa.`
        : `${where}: phải là một đối tượng.`;
    case "check":
      return `${where}: ${issue.received} — ${issue.message}.`;
    case "regex":
      return `${where}: ${issue.received} không đúng dạng mã (chữ không dấu, số, "-" hoặc "_").`;
    case "picklist":
    case "literal":
      return `${where}: giá trị ${issue.received} không hợp lệ; cần một trong: ${issue.expected}.`;
    case "min_length":
      return `${where}: không được để trống.`;
    default:
      return `${where}: cần ${issue.expected ?? "giá trị khác"}, nhận được ${issue.received}.`;
  }
}

function crossCheck(reg: ClusterRegister): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  reg.schools.forEach((s, i) => {
    if (ids.has(s.id)) problems.push(`mục "schools[${i}].id": mã trường "${s.id}" trùng.`);
    ids.add(s.id);
    s.names.forEach((n, j) => {
      if (j > 0 && !n.from)
        problems.push(`mục "schools[${i}].names[${j}].from": tên thứ ${j + 1} của ${s.id} cần ngày bắt đầu dùng.`);
      const prev = s.names[j - 1];
      if (j > 0 && n.from && prev?.from && n.from <= prev.from)
        problems.push(`mục "schools[${i}].names[${j}].from": các tên của ${s.id} phải theo thứ tự thời gian.`);
    });
  });
  const clusters = new Set(reg.clusters.map((c) => c.id));
  const known = (id: string, at: string) => {
    if (!ids.has(id)) problems.push(`${at}: trường "${id}" không có trong danh sách trường (schools).`);
  };
  const ended = new Map<string, number>();
  reg.merges.forEach((m, i) => {
    const at = `mục "merges[${i}]"`;
    known(m.successor, `${at}.successor`);
    for (const p of m.predecessors) {
      known(p, `${at}.predecessors`);
      if (p === m.successor) problems.push(`${at}: trường "${p}" không thể sáp nhập vào chính nó.`);
      const first = ended.get(p);
      if (first !== undefined)
        problems.push(`${at}: trường "${p}" đã sáp nhập ở merges[${first}]; một trường chỉ sáp nhập một lần.`);
      else ended.set(p, i);
    }
    const successorEnd = lastDay(reg, m.successor);
    if (successorEnd && successorEnd < m.date)
      problems.push(`${at}: trường nhận sáp nhập "${m.successor}" chỉ hoạt động đến hết ${vnDay(successorEnd)}.`);
  });
  reg.schools.forEach((s, i) => {
    const end = lastDay(reg, s.id);
    s.names.forEach((n, j) => {
      if (end && n.from && n.from > end)
        problems.push(
          `mục "schools[${i}].names[${j}]": tên "${n.name}" bắt đầu sau khi ${s.id} đã sáp nhập (trường hoạt động đến hết ${vnDay(end)}).`,
        );
    });
  });
  reg.clusters.forEach((c, i) => c.rotation.order.forEach((id) => known(id, `mục "clusters[${i}].rotation.order"`)));
  reg.memberships.forEach((row, i) => {
    const at = `mục "memberships[${i}]" (${row.school} trong cụm ${row.cluster})`;
    if (!clusters.has(row.cluster))
      problems.push(`${at}: cụm "${row.cluster}" không có trong danh sách cụm (clusters).`);
    known(row.school, at);
    if (row.to && row.to < row.from)
      problems.push(`${at}: ngày kết thúc ${vnDay(row.to)} trước ngày bắt đầu ${vnDay(row.from)}.`);
    const end = lastDay(reg, row.school);
    if (end && row.to && row.to > end)
      problems.push(
        `${at}: còn là thành viên đến ${vnDay(row.to)} nhưng trường đã sáp nhập ` +
          `từ ${vnDay(nextDay(end))}; ngày kết thúc (to) không được sau ${vnDay(end)}.`,
      );
    if (end && row.from > end) problems.push(`${at}: bắt đầu ${vnDay(row.from)}, sau khi trường đã sáp nhập.`);
    const last = membershipEnd(reg, row);
    for (const [year, r] of Object.entries(row.roles ?? {})) {
      const y = Number(year);
      if (row.from > yearEnd(y) || (last !== undefined && last < yearStart(y)))
        problems.push(`${at}: có vai trò "${r}" năm ${year} nhưng năm đó không là thành viên.`);
    }
  });
  // One head per cluster and year.
  const heads = new Map<string, string[]>();
  for (const row of reg.memberships)
    for (const [year, r] of Object.entries(row.roles ?? {}))
      if (r === "head")
        heads.set(`${row.cluster} ${year}`, [...(heads.get(`${row.cluster} ${year}`) ?? []), row.school]);
  for (const [key, list] of heads)
    if (list.length > 1)
      problems.push(
        `cụm ${key.replace(" ", " năm ")} có ${list.length} trường cụm trưởng (${list.join(", ")}); chỉ được một.`,
      );
  return problems;
}

function nextDay(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export type RegisterResult = { ok: true; register: ClusterRegister } | { ok: false; problems: string[] };

/** Every text NFC: names typed on another keyboard arrive decomposed (NFD) and must still match. */
function composed(x: unknown): unknown {
  if (typeof x === "string") return x.normalize("NFC");
  if (Array.isArray(x)) return x.map(composed);
  if (x && typeof x === "object")
    return Object.fromEntries(Object.entries(x).map(([k, val]) => [k.normalize("NFC"), composed(val)]));
  return x;
}

/** Merges on the mapping's date whose successor school is not in the province its predecessors went to. */
export function mergesAgainstProvinces(reg: ClusterRegister, mapping: ProvinceMapping): string[] {
  const next = provinceSuccessors(mapping);
  const problems: string[] = [];
  for (const m of reg.merges) {
    if (m.date !== mapping.effective) continue;
    const before = dayBefore(m.date);
    const successor = nameOn(reg, m.successor, m.date);
    for (const p of m.predecessors) {
      const old = nameOn(reg, p, before);
      const target = next.get(matchKey(old.province));
      if (!target)
        problems.push(
          `${old.name} (${p}): tỉnh "${old.province}" không có trong danh sách 63 tỉnh, thành phố trước sắp xếp.`,
        );
      else if (matchKey(target) !== matchKey(successor.province))
        problems.push(
          `${old.name} (${p}) sáp nhập vào ${successor.name}, nhưng tỉnh ${old.province} hợp ` +
            `vào ${target}, không phải ${successor.province} (${mapping.basis}). Hãy sửa "successor" ` +
            `thành trường của tỉnh ${target}.`,
        );
    }
  }
  return problems;
}

/**
 * The register checked: its shape, its cross-references, and its merges on the 2025 mapping's date against the
 * bundled 63 → 34 province table (a school follows its province).
 */
export function checkRegister(input: unknown): RegisterResult {
  const parsed = v.safeParse(RegisterSchema, composed(input));
  if (!parsed.success) return { ok: false, problems: [...new Set(parsed.issues.map(issueText))] };
  const problems = crossCheck(parsed.output);
  if (!problems.length) problems.push(...mergesAgainstProvinces(parsed.output, bundledProvinceMapping()));
  return problems.length ? { ok: false, problems } : { ok: true, register: parsed.output };
}

export function loadRegisterJson(text: string): ClusterRegister {
  let data: unknown;
  try {
    data = parseJsonText(text, "tệp sổ đăng ký");
  } catch (e) {
    if (e instanceof JsonTextError) throw new RegisterError([e.message]);
    throw e;
  }
  const r = checkRegister(data);
  if (!r.ok) throw new RegisterError(r.problems);
  return r.register;
}
