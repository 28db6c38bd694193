/**
 * Sentences written from cluster totals, in the style of the year-end
 * articles: "… 261 lớp với 19.082 học viên; … 13 đề tài khoa học …".
 * The wording lives in the cluster definition; here only the numbers go in.
 */
import type { ClusterSummary } from "../figures/aggregate";
import { headline } from "../figures/aggregate";
import { formatNumber } from "../text/format";
import { NO_TOTAL } from "../figures/total-text";
import { matchKey } from "../text/text";

/**
 * Fills {CODE} with the achieved cluster figure of that target and
 * {A+B} with the sum of several. An unknown code or a target without a
 * number is left visible as NO_TOTAL so the gap shows in the document.
 */
export function fillTotals(template: string, summary: ClusterSummary): string {
  const byCode = new Map(summary.targets.map((t) => [matchKey(t.target.code), t]));
  return fillFigures(template, (code) => {
    const ts = byCode.get(matchKey(code));
    return ts ? headline(ts.achieved) : null;
  });
}

/** The same filling from any source of figures by target code (the period review passes its period totals). */
export function fillFigures(template: string, valueOf: (code: string) => number | null): string {
  return template.replace(/\{([^{}]+)\}/g, (_m, expr: string) => {
    let total = 0;
    for (const part of expr.split("+")) {
      const value = valueOf(part.trim());
      if (value === null) return NO_TOTAL;
      total += value;
    }
    return formatNumber(total);
  });
}

/**
 * "Năm 2020, Cụm … đã hoàn thành …: quản lý, đào tạo, bồi dưỡng 261 lớp với 19.082 học
 * viên; …"
 */
export function yearSummarySentence(summary: ClusterSummary): string | undefined {
  const def = summary.definition;
  const template = def.documents?.reportSummary;
  if (!template) return undefined;
  return (
    `Năm ${def.year}, ${def.name} đã hoàn thành các nhiệm vụ chính trị được giao ` +
    `như: ${fillTotals(template, summary)}.`
  );
}
