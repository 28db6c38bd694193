/**
 * A yearly definition checked against the register: every school it names
 * must belong to the cluster in that year, every member of that year must be
 * in it, and roles the register records must agree.
 */
import type { ClusterDefinition } from "../definition/definition";
import { findCluster, membersInYear, nameOn, vnDay, yearStart, type ClusterRegister } from "./register";

const ROLE_LABEL = { head: "Cụm trưởng", deputy: "Cụm phó", member: "thành viên" } as const;

export function definitionRegisterProblems(def: ClusterDefinition, reg: ClusterRegister): string[] {
  if (!def.register) return [];
  const cluster = findCluster(reg, def.register);
  if (!cluster)
    return [
      `mục "register": cụm "${def.register}" không có trong sổ đăng ký; các cụm ` +
        `có: ${reg.clusters.map((c) => c.id).join(", ")}.`,
    ];
  const members = membersInYear(reg, cluster.id, def.year);
  const byId = new Map(members.map((m) => [m.school, m]));
  const problems: string[] = [];
  def.schools.forEach((s, i) => {
    const m = byId.get(s.code);
    if (!m) {
      problems.push(
        `mục "schools[${i}]" (${s.name}, mã ${s.code}): trường không là thành viên ${cluster.name} ` +
          `năm ${def.year} theo sổ đăng ký. Hãy bỏ trường khỏi định nghĩa, hoặc ghi thêm ` +
          `dòng thành viên (memberships) vào sổ đăng ký.`,
      );
      return;
    }
    const recorded = m.role;
    if (recorded !== "member" && recorded !== s.role)
      problems.push(
        `mục "schools[${i}].role" (${s.name}): sổ đăng ký ghi năm ${def.year} trường ` +
          `là ${ROLE_LABEL[recorded]}, định nghĩa ghi ${ROLE_LABEL[s.role]}. Hãy sửa cho khớp.`,
      );
  });
  const named = new Set(def.schools.map((s) => s.code));
  for (const m of members)
    if (!named.has(m.school)) {
      const when =
        m.to && m.to < `${def.year}-12-31`
          ? ` (đến hết ${vnDay(m.to)})`
          : m.from > yearStart(def.year)
            ? ` (từ ${vnDay(m.from)})`
            : "";
      problems.push(
        `mục "schools": ` +
          `thiếu ${nameOn(reg, m.school, m.from > yearStart(def.year) ? m.from : yearStart(def.year)).name} ` +
          `(mã ${m.school}), thành viên của cụm năm ${def.year}${when} theo sổ đăng ký.`,
      );
    }
  return problems;
}
