/**
 * The cluster's past as a school that joins sees it: each locked year's
 * results, head and deputies and leaders under the names valid then, with the
 * school that carries each name today; and its own predecessors' years in
 * this cluster, if any.
 */
import type { ClusterRegister } from "../register/register";
import { membersInYear, nameOn, successorOn, vnDay } from "../register/register";
import { formatNumber, yearSpan } from "../text/format";
import { periodFigureText } from "../sheets/period-layout";
import { NO_TOTAL } from "../figures/total-text";
import { reportedLabel, type PeriodReview, type ReportedSchool, type SchoolRef } from "./period";

export interface SchoolHistory {
  school: SchoolRef;
  /** First day of membership in the cluster, when the register records it. */
  joined?: string;
  /** This school's own rows and its predecessors' in the cluster's past years. */
  ownPast: ReportedSchool[];
  lines: string[];
}

/** "Trường Chính trị tỉnh Kon Tum (nay thuộc Trường Chính trị tỉnh Quảng Ngãi)". */
function withSuccessor(ref: SchoolRef, reg: ClusterRegister | undefined, asOf: string): string {
  if (!reg) return ref.name;
  const now = successorOn(reg, ref.code, asOf);
  return now === ref.code ? ref.name : `${ref.name} (nay thuộc ${nameOn(reg, now, asOf).name})`;
}

export function schoolHistory(
  review: PeriodReview,
  code: string,
  clusterId: string | undefined,
  reg?: ClusterRegister,
): SchoolHistory {
  const asOf = review.asOf;
  const name = reg
    ? nameOn(reg, code, asOf).name
    : (review.reported
        .find((r) => r.code === code)
        ?.nameByYear.filter(Boolean)
        .pop() ?? code);
  const joined =
    reg && clusterId
      ? reg.memberships
          .filter((m) => m.cluster === clusterId && m.school === code)
          .map((m) => m.from)
          .sort()[0]
      : undefined;
  const ownPast = review.reported.filter((r) => r.code === code || r.successor?.code === code);
  const lines: string[] = [];
  lines.push(`${name} — lịch sử ${review.clusterName}, ${yearSpan(review.from, review.to)}`);
  if (joined) lines.push(`Vào cụm từ ${vnDay(joined)}.`);
  if (ownPast.length) lines.push(`Đã tham gia cụm trong các năm này: ${ownPast.map(reportedLabel).join("; ")}.`);
  else lines.push("Trường và các trường nay thuộc trường chưa tham gia cụm trong các năm này.");
  lines.push("");
  for (const rec of review.records) {
    const i = review.years.indexOf(rec.year);
    lines.push(`Năm ${rec.year} (${rec.members} trường):`);
    lines.push(`  Cụm trưởng: ${rec.head ? withSuccessor(rec.head, reg, asOf) : "—"}`);
    if (rec.deputies.length)
      lines.push(`  Cụm phó: ${rec.deputies.map((d) => withSuccessor(d, reg, asOf)).join("; ")}`);
    const leaders = rec.ranked.filter((r) => r.rank === 1);
    if (leaders.length) lines.push(`  Dẫn đầu xếp hạng: ${leaders.map((l) => withSuccessor(l, reg, asOf)).join("; ")}`);
    for (const a of rec.awards ?? [])
      lines.push(`  ${a.name} (đề nghị): ${a.schools.map((x) => withSuccessor(x, reg, asOf)).join("; ")}`);
    const totals = review.targets
      .filter((t) => t.byYear[i])
      .map((t) => {
        const text = periodFigureText(t.kind, t.byYear[i]!.achieved);
        return `${t.name}: ${t.kind === "count" && text !== NO_TOTAL ? `${text} ${t.unit}` : text}`;
      });
    lines.push(`  Kết quả toàn cụm: ${totals.join("; ")}`);
    for (const own of ownPast) {
      const a = own.achieved[i];
      if (!a) continue;
      const shown = review.targets
        .filter((t) => t.summed && typeof a[t.code] === "number")
        .map((t) => `${t.name}: ${formatNumber(a[t.code] as number)}`)
        .join(", ");
      lines.push(`  ${own.nameByYear[i]}: ${shown || "không có số đếm"}`);
    }
    if (rec.merges.length) {
      const merges = rec.merges.map((m) => `${m.predecessor.name} vào ${m.successor.name} từ ${vnDay(m.date)}`);
      lines.push(`  Sáp nhập trong năm: ${merges.join("; ")}`);
    }
  }
  if (reg && clusterId) {
    const nextYear = review.to + 1;
    const next = membersInYear(reg, clusterId, nextYear);
    if (next.length)
      lines.push(
        "",
        `Thành viên năm ${nextYear} theo sổ đăng ` +
          `ký: ${next.map((m) => nameOn(reg, m.school, `${nextYear}-01-01`).name).join("; ")}.`,
      );
  }
  const without = review.records.filter((r) => !r.awards).map((r) => r.year);
  if (without.length)
    lines.push(
      "",
      `Năm ${without.join(", ")} không có biên bản bình xét cạnh bảng đã khóa nên chưa liệt kê được danh hiệu đề nghị.`,
    );
  return { school: { code, name }, joined, ownPast, lines };
}
