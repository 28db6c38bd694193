/**
 * Figures kept as data (the bundled samples, or figures exported as JSON):
 * per school and target the raw registered / achieved / note values, which
 * go through the same parser and validator as cells read from a sheet.
 */
import * as v from "valibot";
import type { ClusterDefinition } from "../definition/definition";
import type { Problem } from "../problem";
import type { Submission } from "./aggregate";
import { validateSchoolRows, type RawRow, type Stage } from "./validate";

const Raw = v.optional(v.union([v.string(), v.number(), v.boolean(), v.null()]));

export const FiguresFileSchema = v.strictObject({
  cluster: v.string(),
  year: v.number(),
  description: v.optional(v.string()),
  schools: v.record(
    v.string(),
    v.record(v.string(), v.strictObject({ registered: Raw, achieved: Raw, note: v.optional(v.string()) })),
  ),
});
export type FiguresFile = v.InferOutput<typeof FiguresFileSchema>;

export function figuresFileProblems(
  def: ClusterDefinition,
  input: unknown,
): { file?: FiguresFile; problems: string[] } {
  const parsed = v.safeParse(FiguresFileSchema, input);
  if (!parsed.success)
    return {
      problems: parsed.issues.map(
        (i) => `tệp số liệu không đúng dạng ở "${(i.path ?? []).map((p) => String(p.key)).join(".")}": ${i.message}`,
      ),
    };
  const problems: string[] = [];
  if (parsed.output.cluster !== def.id)
    problems.push(`tệp số liệu dành cho cụm "${parsed.output.cluster}", không phải "${def.id}".`);
  if (parsed.output.year !== def.year)
    problems.push(`tệp số liệu là của năm ${parsed.output.year}, định nghĩa cụm là năm ${def.year}.`);
  return { file: parsed.output, problems };
}

/** One submission per school in the file, validated against the definition. */
export function submissionsFromFigures(
  def: ClusterDefinition,
  file: FiguresFile,
  source: string,
  stage: Stage = "report",
): Submission[] {
  return Object.entries(file.schools).map(([school, targets]) => {
    const rows: RawRow[] = Object.entries(targets).map(([code, f]) => ({
      code,
      registered: { value: f.registered ?? null },
      achieved: { value: f.achieved ?? null },
      note: { value: f.note ?? null },
    }));
    const { figures, problems } = validateSchoolRows(def, school, rows, stage);
    const placed: Problem[] = problems.map((p) => ({ ...p, file: source }));
    return { school, figures, problems: placed, source };
  });
}
