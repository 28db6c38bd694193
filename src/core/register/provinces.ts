/**
 * The 2025 provincial mapping (63 → 34) as data; the register checks its
 * school merges against it (a political school follows its province).
 */
import * as v from "valibot";
import bundled from "../../../sheets-templates/register/sap-nhap-tinh-2025.json";
import { matchKey } from "../text/text";

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1));

export const ProvinceMappingSchema = v.strictObject({
  schemaVersion: v.literal(1),
  description: v.optional(v.string()),
  basis: nonEmpty,
  effective: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)),
  unchanged: v.array(nonEmpty),
  merged: v.array(v.strictObject({ province: nonEmpty, from: v.pipe(v.array(nonEmpty), v.minLength(2)) })),
});
export type ProvinceMapping = v.InferOutput<typeof ProvinceMappingSchema>;

/** The file the bundled mapping comes from, named in messages so the clerk can read it. */
export const BUNDLED_MAPPING_FILE = "sheets-templates/register/sap-nhap-tinh-2025.json";
let bundledMapping: ProvinceMapping | undefined;
/** The bundled 63 → 34 mapping, checked against its schema the first time it is asked for. */
export function bundledProvinceMapping(): ProvinceMapping {
  bundledMapping ??= v.parse(ProvinceMappingSchema, bundled);
  return bundledMapping;
}

/** Old province → the province it belongs to after the mapping. */
export function provinceSuccessors(mapping: ProvinceMapping): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of mapping.unchanged) out.set(matchKey(p), p);
  for (const m of mapping.merged) for (const old of m.from) out.set(matchKey(old), m.province);
  return out;
}
