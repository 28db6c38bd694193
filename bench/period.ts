/** Bench helpers for the period review: locked years of a synthetic cluster, in memory and as files. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterDefinition } from "../src/core/definition/definition";
import { validateSchoolRows, type SchoolFigures } from "../src/core/figures/validate";
import type { LockedYear } from "../src/core/lock/locked-year";
import { reviewPeriod } from "../src/core/period/period";
import { syntheticCluster, syntheticRows } from "./core";
import { freezeFigures, lockedWorkbook } from "../src/cli/year/lock";

const FIRST_YEAR = 2020;

function syntheticYears(
  years: number,
  schools: number,
  targets: number,
): { def: ClusterDefinition; figures: SchoolFigures[] }[] {
  const base = syntheticCluster(schools, targets);
  return Array.from({ length: years }, (_, k) => {
    const def: ClusterDefinition = { ...base, id: `${base.id}-${FIRST_YEAR + k}`, year: FIRST_YEAR + k };
    const figures = def.schools.map((s, i) => validateSchoolRows(def, s.code, syntheticRows(def, i + k)).figures!);
    return { def, figures };
  });
}

/** The core of the review alone: already verified years in, the review out. */
export function benchPeriodCore(years: number, schools: number, targets: number): () => void {
  const locked: LockedYear[] = syntheticYears(years, schools, targets).map(({ def, figures }) => ({
    source: `${def.year}.xlsx`,
    definition: def,
    figures,
    verdict: freezeFigures(def, figures).verdict,
    fingerprint: "0".repeat(64),
    lockedAt: "",
  }));
  return () => {
    reviewPeriod(locked, FIRST_YEAR, FIRST_YEAR + years - 1);
  };
}

/** Locked year workbooks as `khoa` writes them, one folder per year; returns the period bounds. */
export async function writeLockedYears(
  dir: string,
  years: number,
  schools: number,
  targets: number,
): Promise<{ from: number; to: number }> {
  for (const { def, figures } of syntheticYears(years, schools, targets)) {
    const bytes = await lockedWorkbook(def, freezeFigures(def, figures), [], "thu-tai", new Date());
    mkdirSync(join(dir, String(def.year)), { recursive: true });
    writeFileSync(join(dir, String(def.year), "tong-hop-da-khoa.xlsx"), bytes);
  }
  return { from: FIRST_YEAR, to: FIRST_YEAR + years - 1 };
}
