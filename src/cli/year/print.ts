/** Plain-text rendering of a cluster summary for the terminal. */
import type { ClusterSummary } from "../../core/figures/aggregate";
import { formatRate, formatScore } from "../../core/text/format";
import { formatProblem } from "../../core/problem";
import { yearSummarySentence } from "../../core/documents/report-text";
import type { Ranking } from "../../core/figures/score";
import { STATUS_LABEL } from "../../core/sheets/summary-layout";
import { formatAggregate } from "../../core/figures/total-text";

function fit(s: string, width: number): string {
  const chars = Array.from(s.normalize("NFC"));
  if (chars.length > width - 1) return chars.slice(0, width - 2).join("") + "… ";
  return s.normalize("NFC") + " ".repeat(width - chars.length);
}
function right(s: string, width: number): string {
  const n = Array.from(s.normalize("NFC")).length;
  return n >= width ? s : " ".repeat(width - n) + s;
}

/**
 * The summary for the terminal. unread: per school code, files in the folder
 * that looked like its hand-in but could not be read, so "Chưa nộp" says so.
 */
export function renderSummary(
  summary: ClusterSummary,
  ranking: Ranking,
  unread: ReadonlyMap<string, string[]> = new Map(),
): string {
  const def = summary.definition;
  const out: string[] = [];
  const nameOf = new Map(def.schools.map((s) => [s.code, s.name]));
  out.push(`${def.name} — năm ${def.year}`);
  if (def.theme) out.push(`Chủ đề: “${def.theme}”`);
  out.push(`Số liệu tính trên ${summary.covered.length}/${summary.schools.length} trường hợp lệ.`);
  out.push("");
  out.push(
    `${fit("STT", 4)}${fit("Chỉ tiêu", 46)}${fit("Đơn vị tính", 15)}` +
      `${right("Đăng ký", 16)}${right("Thực hiện", 16)}${right("Tỷ lệ", 10)}`,
  );
  summary.targets.forEach((ts, i) => {
    const reg = formatAggregate(ts, ts.registered, false);
    const ach = formatAggregate(ts, ts.achieved, false);
    out.push(
      `${fit(String(i + 1), 4)}${fit(ts.target.name, 46)}` +
        `${fit(ts.target.kind === "percent" ? "% (trung bình)" : ts.target.unit || "—", 15)}` +
        `${right(reg, 16)}${right(ach, 16)}${right(formatRate(ts.completion), 10)}`,
    );
  });
  const sentence = yearSummarySentence(summary);
  if (sentence) out.push("", sentence);

  const notValid = summary.schools.filter((s) => s.status !== "valid");
  if (notValid.length || summary.stray.length) {
    out.push("", "Trường chưa được tính:");
    for (const s of notValid) {
      const files = s.status === "missing" ? unread.get(s.school.code) : undefined;
      out.push(
        `  - ${s.school.name}: ${STATUS_LABEL[s.status]}` +
          (files
            ? ` — trong thư mục có ${files.join(", ")} nhưng không đọc được ` +
              `(xem "Các mục trong thư mục không được đọc")`
            : ""),
      );
      for (const p of s.problems.filter((x) => x.severity === "error")) out.push(`      ${formatProblem(p)}`);
    }
    for (const p of summary.stray) out.push(`  - ${formatProblem(p)}`);
  }
  const warnings = summary.schools.flatMap((s) =>
    s.status === "valid" ? s.problems.filter((p) => p.severity === "warning").map((p) => ({ s, p })) : [],
  );
  if (warnings.length) {
    out.push("", "Cần xem lại (không ảnh hưởng tổng hợp):");
    for (const { s, p } of warnings) out.push(`  - ${s.school.name}: ${formatProblem(p)}`);
  }
  if (ranking.scored && ranking.ranked.length) {
    out.push("", "Xếp hạng thi đua:");
    for (const r of ranking.ranked)
      out.push(
        `  ${right(String(r.rank), 2)}. ${fit(nameOf.get(r.school) ?? r.school, 40)}` +
          `${right(formatScore(r.total), 7)} / ${formatScore(r.max)} điểm`,
      );
  }
  return out.join("\n");
}
