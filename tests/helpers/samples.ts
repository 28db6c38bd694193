import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadDefinition, type ClusterDefinition } from "../../src/core/definition/definition";
import { figuresFileProblems, submissionsFromFigures } from "../../src/core/figures/figures-file";
import type { Submission } from "../../src/core/figures/aggregate";

export const ROOT = join(import.meta.dirname, "..", "..");

export function rawDefinition(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, "sheets-templates", `${id}.json`), "utf8"));
}

export function sampleDefinition(id = "nam-trung-bo-tay-nguyen-2023"): ClusterDefinition {
  return loadDefinition(rawDefinition(id));
}

export function sampleSubmissions(def: ClusterDefinition): Submission[] {
  const raw = JSON.parse(readFileSync(join(ROOT, "sheets-templates", "figures", `${def.id}.json`), "utf8"));
  const { file, problems } = figuresFileProblems(def, raw);
  if (!file || problems.length) throw new Error(problems.join("\n"));
  return submissionsFromFigures(def, file, "mẫu");
}
