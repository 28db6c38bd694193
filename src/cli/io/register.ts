/** Finding and loading the cluster register on disk, and checking a yearly definition against it. */
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { ClusterDefinition } from "../../core/definition/definition";
import { definitionRegisterProblems } from "../../core/register/definition-check";
import { loadRegisterJson, RegisterError, type ClusterRegister } from "../../core/register/register";
import { UserError } from "../errors";
import { readInputFile, SMALL_JSON_BYTES } from "./disk";

export function loadRegisterFile(path: string): ClusterRegister {
  const full = resolve(path);
  if (!existsSync(full)) throw new UserError(`Không tìm thấy sổ đăng ký cụm "${path}".`);
  // Read as every input is (a folder, a FIFO or a huge file refused in Vietnamese, never a raw EISDIR).
  const text = new TextDecoder().decode(readInputFile(full, SMALL_JSON_BYTES, path));
  try {
    return loadRegisterJson(text);
  } catch (e) {
    if (e instanceof RegisterError) throw new UserError(`Tệp ${basename(path)}: ${e.message}`);
    throw e;
  }
}

/**
 * The register a definition names: `register/<mã cụm>.json` beside the
 * definition file, else the bundled one of that name; undefined when the
 * definition names none.
 */
export function registerPathFor(
  def: ClusterDefinition,
  definitionPath: string,
  bundledDir: string,
): string | undefined {
  if (!def.register) return undefined;
  for (const dir of [join(dirname(resolve(definitionPath)), "register"), bundledDir]) {
    const candidate = join(dir, `${def.register}.json`);
    if (existsSync(candidate)) return candidate;
  }
  throw new UserError(
    `Định nghĩa ${basename(definitionPath)} ghi mã cụm "${def.register}" nhưng không ` +
      `tìm thấy sổ đăng ký register/${def.register}.json cạnh tệp định nghĩa.`,
  );
}

/** Refuses a definition that names a school not a member that year (or leaves out one that is). */
export function checkAgainstRegister(def: ClusterDefinition, reg: ClusterRegister, definitionName: string): void {
  const problems = definitionRegisterProblems(def, reg);
  if (problems.length)
    throw new UserError(
      `Tệp ${definitionName}: định nghĩa không khớp sổ đăng ký cụm:\n${problems.map((p) => "  - " + p).join("\n")}`,
    );
}
