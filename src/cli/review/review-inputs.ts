/**
 * What the review reads besides the locked year, shared by binh-xet and xac-minh --binh-xet: the rules (the built-in
 * sets or the cluster's file) and the register the year's definition names.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import type { ClusterRegister } from "../../core/register/register";
import { DEFAULT_RULE_SETS, loadRuleSets, RuleSetError, type RuleSet } from "../../core/review/rules";
import { JsonTextError, parseJsonText } from "../../core/text/json-text";
import { UserError } from "../errors";
import { registerDir } from "../io/definitions";
import { readInputFile, SMALL_JSON_BYTES } from "../io/disk";
import { loadRegisterFile, registerPathFor } from "../io/register";

/** The rule sets: the built-in ones, or the cluster's file checked against the schema. */
export function ruleSets(file: string | undefined): RuleSet[] {
  if (!file) return DEFAULT_RULE_SETS;
  // Checked with stat before reading: a FIFO or a huge file is refused, never waited on.
  const text = new TextDecoder().decode(readInputFile(file, SMALL_JSON_BYTES));
  try {
    return loadRuleSets(parseJsonText(text, "tệp quy tắc"));
  } catch (e) {
    if (e instanceof RuleSetError || e instanceof JsonTextError) throw new UserError(`${file}: ${e.message}`);
    throw new UserError(
      `${file}: không đọc được tệp quy tắc (${(e as Error).message}). Tệp phải là JSON, một danh sách các bộ quy tắc.`,
    );
  }
}

/** The register the locked year's definition names: --so-dang-ky, else beside the definition or the locked year. */
export function registerFor(
  def: ClusterDefinition,
  anchors: string[],
  option: string | undefined,
): ClusterRegister | undefined {
  if (option) return loadRegisterFile(option);
  if (!def.register) return undefined;
  let lastError: unknown;
  for (const anchor of anchors)
    try {
      const path = registerPathFor(def, anchor, registerDir());
      if (path) return loadRegisterFile(path);
    } catch (e) {
      lastError = e;
    }
  throw lastError;
}
