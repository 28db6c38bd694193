import type { SchoolFigures, TargetFigures } from "../../src/core/figures/validate";

/** A school's figures keyed by target code, without the code in each entry: what tests compare against. */
export function byCode(figures: SchoolFigures | undefined): Record<string, Omit<TargetFigures, "code">> {
  if (!figures) throw new Error("no figures");
  return Object.fromEntries(figures.rows.map(({ code, ...f }) => [code, f]));
}
