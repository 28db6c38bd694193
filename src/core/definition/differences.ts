/**
 * How one definition differs from another, named the way the head school would say it: a school added,
 * left out, renamed or given another role; a target added, left out or changed; the cluster's own fields.
 * Text is compared in NFC with invisible characters removed, so the same name typed on another keyboard
 * (decomposed diacritics) is the same name.
 */
import { cleanText } from "../text/text";
import type { ClusterDefinition, School, Target } from "./schema";

/** Canonical text of any JSON value: keys sorted, strings cleaned. */
function canonical(x: unknown): string {
  const norm = (y: unknown): unknown => {
    if (typeof y === "string") return cleanText(y);
    if (Array.isArray(y)) return y.map(norm);
    if (y && typeof y === "object")
      return Object.fromEntries(
        Object.keys(y)
          .sort()
          .map((k) => [k, norm((y as Record<string, unknown>)[k])]),
      );
    return y;
  };
  return JSON.stringify(norm(x) ?? null);
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

const ROLE: Record<School["role"], string> = { head: "Cụm trưởng", deputy: "Cụm phó", member: "thành viên" };

const CLUSTER_FIELDS: [keyof ClusterDefinition, string][] = [
  ["id", "mã cụm"],
  ["year", "năm"],
  ["name", "tên cụm"],
  ["number", "số hiệu cụm"],
  ["region", "khu vực"],
  ["issuer", "cơ quan ban hành"],
  ["theme", "chủ đề năm"],
  ["signing", "nơi và ngày ký giao ước"],
  ["headingStyle", "kiểu tiêu đề văn bản"],
  ["legalBases", "căn cứ pháp lý"],
  ["groups", "nhóm chỉ tiêu"],
  ["documents", "lời văn của văn bản"],
  ["register", "mã cụm trong sổ đăng ký"],
];

const TARGET_FIELDS: [keyof Target, string][] = [
  ["name", "tên"],
  ["group", "nhóm"],
  ["unit", "đơn vị tính"],
  ["kind", "loại"],
  ["levels", "các mức"],
  ["constraints", "ràng buộc"],
  ["aggregation", "cách tổng hợp"],
  ["scoring", "cách chấm điểm"],
  ["reportPhrase", "lời trong báo cáo"],
  ["note", "ghi chú"],
];

const short = (x: unknown) => {
  if (typeof x === "number") return String(x);
  const t = typeof x === "string" ? cleanText(x) : JSON.stringify(x ?? null);
  return t.length > 60 ? `"${t.slice(0, 57)}…"` : `"${t}"`;
};

/** Every difference of `given` from `kept`, one sentence each; empty when they describe the same year. */
export function definitionDifferences(kept: ClusterDefinition, given: ClusterDefinition): string[] {
  const out: string[] = [];
  for (const [field, label] of CLUSTER_FIELDS)
    if (!same(kept[field], given[field]))
      out.push(
        typeof kept[field] === "string" || typeof kept[field] === "number"
          ? `${label}: lúc khóa là ${short(kept[field])}, tệp đưa vào là ${short(given[field])}`
          : `${label} đã khác`,
      );
  const keptSchools = new Map(kept.schools.map((s) => [s.code, s]));
  const givenSchools = new Map(given.schools.map((s) => [s.code, s]));
  for (const s of kept.schools) {
    const g = givenSchools.get(s.code);
    if (!g) {
      out.push(`trường ${s.code} (${cleanText(s.name)}) có lúc khóa nhưng không có trong tệp đưa vào`);
      continue;
    }
    if (!same(s.name, g.name))
      out.push(`trường ${s.code}: tên lúc khóa ${short(s.name)}, tệp đưa vào ${short(g.name)}`);
    if (!same(s.province, g.province))
      out.push(`trường ${s.code}: tỉnh lúc khóa ${short(s.province)}, tệp đưa vào ${short(g.province)}`);
    if (s.role !== g.role) out.push(`trường ${s.code}: lúc khóa là ${ROLE[s.role]}, tệp đưa vào là ${ROLE[g.role]}`);
    if (!same(s.principal, g.principal) || !same(s.editors, g.editors) || !same(s.shortName, g.shortName))
      out.push(`trường ${s.code}: người ký, người nhập hoặc tên gọn đã khác`);
  }
  for (const g of given.schools)
    if (!keptSchools.has(g.code))
      out.push(`trường ${g.code} (${cleanText(g.name)}) có trong tệp đưa vào, lúc khóa không có`);
  const keptTargets = new Map(kept.targets.map((t) => [t.code, t]));
  const givenTargets = new Map(given.targets.map((t) => [t.code, t]));
  for (const t of kept.targets) {
    const g = givenTargets.get(t.code);
    if (!g) {
      out.push(`chỉ tiêu ${t.code} (${cleanText(t.name)}) có lúc khóa nhưng không có trong tệp đưa vào`);
      continue;
    }
    const changed = TARGET_FIELDS.filter(([f]) => !same(t[f], g[f])).map(([, label]) => label);
    if (changed.length) out.push(`chỉ tiêu ${t.code}: đã đổi ${changed.join(", ")}`);
  }
  for (const g of given.targets)
    if (!keptTargets.has(g.code))
      out.push(`chỉ tiêu ${g.code} (${cleanText(g.name)}) có trong tệp đưa vào, lúc khóa không có`);
  if (!out.length && !same(kept, given))
    out.push(
      same(
        kept.schools.map((s) => s.code),
        given.schools.map((s) => s.code),
      )
        ? "thứ tự các chỉ tiêu đã khác"
        : "thứ tự các trường đã khác",
    );
  return out;
}
