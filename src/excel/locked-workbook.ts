/**
 * The exceljs side of the one locked-year reader (src/core/lock/locked-year.ts): a locked workbook's bytes
 * turned into what the core checks (every sheet as a grid, which sheets are password-protected, when the file
 * says it was made). No checking here.
 */
import type { LockedWorkbook } from "../core/lock/locked-year";
import { formatProblem } from "../core/problem";
import { loadWorkbook, worksheetGrid } from "./reader";
import { passwordProtectedSheets } from "./sheet-protection";

/**
 * A locked summary has a column per school and a row per school and target: read whole (Excel's own limits), or an
 * untouched lock of a large cluster would differ from its rebuild. The file itself is bounded by the zip guard.
 */
const LOCKED_LIMITS = { rows: 1_048_576, cols: 16_384 };

export async function lockedWorkbookGrids(
  bytes: Uint8Array,
  source: string,
): Promise<{ ok: true; book: LockedWorkbook } | { ok: false; problem: string }> {
  const loaded = await loadWorkbook(bytes, source);
  if (!loaded.wb) return { ok: false, problem: loaded.problems.map((p) => formatProblem(p)).join("\n") };
  const wb = loaded.wb;
  return {
    ok: true,
    book: {
      source,
      sheets: new Map(wb.worksheets.map((ws) => [ws.name, worksheetGrid(ws, LOCKED_LIMITS).values])),
      protectedSheets: passwordProtectedSheets(bytes),
      ...(wb.created ? { created: wb.created } : {}),
    },
  };
}
