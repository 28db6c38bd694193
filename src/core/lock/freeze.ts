/**
 * The lock freezes one verdict: the figures read once, their fingerprints and
 * the summary and ranking computed from exactly those figures. The report,
 * the lock sheet and the integrity check all print from a FrozenYear, so no
 * code is ever shown beside figures that were not hashed. Hashing is the
 * adapters' (Utilities.computeDigest online, node:crypto offline).
 */
import type { ClusterDefinition } from "../definition/definition";
import type { SchoolFigures } from "../figures/validate";
import { judge, reportsFromFigures, type SchoolReport, type Verdict } from "../pipeline";
import { canonicalCluster, canonicalSchool, packSnapshot, unpackSnapshot } from "./fingerprint";

export type Hasher = (text: string) => string;

export interface FrozenYear {
  /** The figures hashed, one entry per school that handed any in. */
  figures: SchoolFigures[];
  /** Full hex fingerprint per school code. */
  schoolPrints: Record<string, string>;
  fingerprint: string;
  /** The compact text kept beside the lock (document properties, hidden sheet). */
  snapshot: string;
  verdict: Verdict;
}

function frozen(def: ClusterDefinition, reports: readonly SchoolReport[], hash: Hasher): FrozenYear {
  const figures = reports.filter((r) => r.figures && !r.blank).map((r) => r.figures!);
  const schoolPrints: Record<string, string> = {};
  for (const f of figures) schoolPrints[f.school] = hash(canonicalSchool(def, f));
  return { figures, schoolPrints, fingerprint: hash(canonicalCluster(def, schoolPrints)), snapshot: packSnapshot(def, figures), verdict: judge(def, reports) };
}

/** At the lock: the year's reports, read once under the year-end stage. */
export function freezeYear(def: ClusterDefinition, reports: readonly SchoolReport[], hash: Hasher): FrozenYear {
  return frozen(def, reports, hash);
}

/**
 * Later: the year back from its kept snapshot. The caller compares the
 * recomputed fingerprint with the one recorded at the lock; a difference
 * means the snapshot itself was edited.
 */
export function thawYear(def: ClusterDefinition, snapshot: string, hash: Hasher): FrozenYear {
  return frozen(def, reportsFromFigures(def, unpackSnapshot(def, snapshot)), hash);
}
