/** Bench helper: build the pledge and the year-end report (.docx) for a synthetic cluster. */
import { aggregateCluster } from "../src/core/figures/aggregate";
import { buildPledge, buildYearReport } from "../src/core/documents/documents";
import { scoreCluster } from "../src/core/figures/score";
import { validateSchoolRows } from "../src/core/figures/validate";
import { docxBuffer } from "../src/docx/render";
import { syntheticCluster, syntheticRows } from "./core";

export function benchDocuments(schools: number, targets: number): () => Promise<number> {
  const def = syntheticCluster(schools, targets);
  const subs = def.schools.map((s, i) => {
    const { figures, problems } = validateSchoolRows(def, s.code, syntheticRows(def, i));
    return { school: s.code, figures, problems };
  });
  return async () => {
    const summary = aggregateCluster(def, subs);
    const pledge = await docxBuffer(buildPledge(def, { figures: subs.map((s) => s.figures) }));
    const report = await docxBuffer(buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date() }));
    return pledge.length + report.length;
  };
}
