/**
 * Checked by npm run typecheck, not run: the dialogs call the server only
 * through ServerApi, so a misspelt function or a wrong argument is a compile
 * error. If either line below stopped being an error, @ts-expect-error would
 * fail the typecheck.
 */
import type { ServerApi } from "../../src/gas/dialogs/server-api";
import type { call } from "../../src/ui/gas-run";

export function contractChecks(
  run: typeof call,
  request: Parameters<ServerApi["applyImport"]>[0],
): Promise<ReturnType<ServerApi["applyImport"]>> {
  // @ts-expect-error a server function that does not exist
  void run("applyImprt", request);
  // @ts-expect-error a school code must be a string
  void run("getSchoolFigures", 42);
  return run("applyImport", request);
}
