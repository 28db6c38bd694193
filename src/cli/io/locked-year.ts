/**
 * The one locked-year reader on the command line: the file read safely, turned into grids
 * (src/excel/locked-workbook.ts) and checked as a whole by core (src/core/lock/locked-year.ts). Every command
 * that reads a locked year uses it; none reads tong-hop-da-khoa.xlsx another way.
 *
 * API:
 * - `checkLockedFile(path, given?)`: the year and every finding, for xac-minh, which reports findings rather
 *   than refusing; throws a UserError only when nothing can be read back.
 * - `readLockedYear(path, { given, io })`: the year, only when it is exactly as locked; otherwise a UserError
 *   naming the file and what differs. A `given` definition (--cum) that differs from the kept one is printed
 *   through `io`, never refused.
 * - `definitionNoteLines(source, notes)`: those differences as lines to print.
 */
import {
  checkLockedWorkbook,
  lockedYearRefusal,
  type LockedYear,
  type LockedYearCheck,
} from "../../core/lock/locked-year";
import type { ClusterDefinition } from "../../core/definition/definition";
import { lockedWorkbookGrids } from "../../excel/locked-workbook";
import { MAX_FILE_BYTES } from "../../excel/zip-guard";
import type { Io } from "../command";
import { UserError } from "../errors";
import { readInputFile } from "./disk";
import { displayName } from "./files";
import { sha256 } from "./hash";

export type LockedFileCheck = Extract<LockedYearCheck, { ok: true }>;

export async function checkLockedFile(path: string, given?: ClusterDefinition): Promise<LockedFileCheck> {
  const shown = displayName(path);
  const grids = await lockedWorkbookGrids(readInputFile(path, MAX_FILE_BYTES, shown), shown);
  if (!grids.ok) throw new UserError(grids.problem);
  const check = checkLockedWorkbook(grids.book, sha256, given);
  if (!check.ok) throw new UserError(check.problem);
  return check;
}

/** How the definition given with --cum differs from the one kept at the lock, as lines to print. */
export function definitionNoteLines(source: string, notes: readonly string[]): string[] {
  if (!notes.length) return [];
  return [
    `${source}: định nghĩa cụm đưa vào (--cum) khác định nghĩa lưu lúc khóa; mọi đối chiếu theo định nghĩa ` +
      `lúc khóa. Các điểm khác:`,
    ...notes.map((n) => `  - ${n}`),
  ];
}

export async function readLockedYear(
  path: string,
  options: { given?: ClusterDefinition; io?: Io } = {},
): Promise<LockedYear> {
  const check = await checkLockedFile(path, options.given);
  const refusal = lockedYearRefusal(check);
  if (refusal) throw new UserError(refusal);
  for (const line of definitionNoteLines(check.year.source, check.definitionNotes)) options.io?.err(line);
  return check.year;
}
