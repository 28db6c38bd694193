/** Finding and loading cluster definitions and sample figures on disk. */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DefinitionError, loadDefinitionJson, type ClusterDefinition } from "../../core/definition/definition";
import { figuresFileProblems, type FiguresFile } from "../../core/figures/figures-file";
import { UserError } from "../errors";
import { readInputFile, SMALL_JSON_BYTES } from "./disk";
import { checkAgainstRegister, loadRegisterFile, registerPathFor } from "./register";

/** sheets-templates/ of this package, whether run from dist/ or from src/ under vitest. */
export function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "sheets-templates");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("sheets-templates/ not found next to the package");
}

export const DEFAULT_CLUSTER = "nam-trung-bo-tay-nguyen-2023";
export const SAMPLE_CLUSTERS = ["nam-trung-bo-tay-nguyen-2023", "cum-7-tay-nguyen-2020"];

export function bundledDefinitionPath(id: string): string {
  return join(templatesDir(), `${id}.json`);
}

export function registerDir(): string {
  return join(templatesDir(), "register");
}

/** The definition, checked alone and then against the cluster register it names. */
export function loadDefinitionFile(path: string): ClusterDefinition {
  const full = resolve(path);
  if (!existsSync(full)) throw new UserError(`Không tìm thấy tệp định nghĩa cụm "${path}".`);
  let def: ClusterDefinition;
  try {
    def = loadDefinitionJson(new TextDecoder().decode(readInputFile(full, SMALL_JSON_BYTES, path)));
  } catch (e) {
    if (e instanceof DefinitionError) throw new UserError(`Tệp ${basename(path)}: ${e.message}`);
    throw e;
  }
  const registerPath = registerPathFor(def, full, registerDir());
  if (registerPath) checkAgainstRegister(def, loadRegisterFile(registerPath), basename(path));
  return def;
}

/** --cum given: that file; otherwise the bundled 2023 sample cluster. */
export function definitionFromOption(option: string | undefined): ClusterDefinition {
  return loadDefinitionFile(option ?? bundledDefinitionPath(DEFAULT_CLUSTER));
}

export function loadSampleFigures(def: ClusterDefinition): FiguresFile {
  const path = join(templatesDir(), "figures", `${def.id}.json`);
  if (!existsSync(path)) throw new UserError(`Cụm "${def.id}" không có số liệu mẫu.`);
  const { file, problems } = figuresFileProblems(def, JSON.parse(readFileSync(path, "utf8")));
  if (!file || problems.length) throw new UserError(`Số liệu mẫu ${basename(path)}: ${problems.join(" ")}`);
  return file;
}
