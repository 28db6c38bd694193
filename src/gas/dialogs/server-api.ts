/**
 * The contract between the Excel dialogs and the server: what each
 * google.script.run call takes and returns. The server's functions are
 * checked against it (src/gas/main.ts) and the dialogs call through it
 * (src/ui/gas-run.ts), so a renamed function or a changed argument fails to
 * compile on both sides instead of at run time.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import type { SchoolFigures } from "../../core/figures/validate";

export interface DialogContext {
  definition: ClusterDefinition;
  email: string;
  /** Schools this user may download or import for: all for the head, their own for a school's editor. */
  schools: string[];
  message?: string;
}

export interface SchoolSheetFigures {
  school: string;
  /** Parsed figures (invalid cells left out), for pre-filling a template. */
  figures: SchoolFigures;
  /** What each figure cell shows now, as text, for the preview. */
  current: Record<string, { registered: string; achieved: string; note: string }>;
  /** Fingerprint of the figure cells as they are, to detect a change between preview and import. */
  version: string;
}

export interface ImportRequest {
  cluster: string;
  year: number;
  school: string;
  file: string;
  figures: SchoolFigures;
  /** The version of the sheet the preview was made against. */
  version: string;
}

export interface ImportResult {
  changed: number;
  message: string;
}

export interface ServerApi {
  getDialogContext(): DialogContext;
  getSchoolFigures(code: string): SchoolSheetFigures;
  applyImport(request: ImportRequest): ImportResult;
}
