/** Bench helpers for the Academy's roll-up: the bundled 2026 clusters, in memory and as locked files. */
import { submissionsFromFigures } from "../src/core/figures/figures-file";
import { rollUp, type ClusterInput } from "../src/core/academy/rollup";
import { NATIONAL_2026, sampleReview } from "../src/cli/demo/demo-academy";
import { bundledDefinitionPath, loadDefinitionFile, loadSampleFigures } from "../src/cli/io/definitions";
import { freezeFigures } from "../src/cli/year/lock";

/** The core alone: the six clusters already verified, with their review records, rolled up. */
export function benchAcademyCore(): () => void {
  const inputs: ClusterInput[] = NATIONAL_2026.map((id, i) => {
    const def = loadDefinitionFile(bundledDefinitionPath(id));
    const frozen = freezeFigures(
      def,
      submissionsFromFigures(def, loadSampleFigures(def), id).map((s) => s.figures!),
    );
    return {
      year: {
        source: `${id}.xlsx`,
        definition: def,
        figures: frozen.figures,
        verdict: frozen.verdict,
        fingerprint: frozen.fingerprint,
        lockedAt: "",
      },
      review: sampleReview(def, frozen.verdict.ranking, frozen.fingerprint, `2026-11-${20 + i}`, i % 3),
    };
  });
  return () => {
    rollUp(inputs);
  };
}

/** The six clusters locked as `khoa` writes them, each review record beside its workbook. */
export { lockNational } from "../src/cli/demo/demo-academy";
