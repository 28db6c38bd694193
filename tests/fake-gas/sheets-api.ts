/**
 * The Sheets API's protected ranges (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/batchUpdate), over the same
 * FakeProtection objects SpreadsheetApp uses: spreadsheets.get lists them
 * (editors only to a user who may edit the range), spreadsheets.batchUpdate
 * adds, updates and deletes them. Every request is checked before any is
 * applied: one invalid request fails the whole call and changes nothing.
 */
import type { FakeEnv } from "./env";
import { FakeProtection, FakeRange, type FakeSheet } from "./spreadsheet";

interface GridRange {
  sheetId?: number;
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}
interface ProtectedRange {
  protectedRangeId?: number;
  range?: GridRange;
  description?: string;
  warningOnly?: boolean;
  editors?: { users?: string[]; domainUsersCanEdit?: boolean };
}
type Request = { addProtectedRange?: { protectedRange: ProtectedRange } } & {
  updateProtectedRange?: { protectedRange: ProtectedRange; fields?: string };
} & { deleteProtectedRange?: { protectedRangeId: number } };

const ids = new WeakMap<FakeProtection, number>();
let nextId = 1000;
function idOf(p: FakeProtection): number {
  let id = ids.get(p);
  if (id === undefined) ids.set(p, (id = nextId++));
  return id;
}

const failure = (why: string) =>
  new Error(`GoogleJsonResponseException: API call to sheets.spreadsheets.batchUpdate failed with error: ${why}`);

function gridOf(p: FakeProtection): GridRange {
  if (p.type === "SHEET") return { sheetId: p.sheet.id };
  const r = p.range!;
  return {
    sheetId: p.sheet.id,
    startRowIndex: r.row - 1,
    endRowIndex: r.row - 1 + r.rows,
    startColumnIndex: r.col - 1,
    endColumnIndex: r.col - 1 + r.cols,
  };
}

export function sheetsApi(env: FakeEnv) {
  const all = () => env.spreadsheet.sheets.flatMap((s) => s.protections);
  const find = (id: number) => all().find((p) => idOf(p) === id);
  const requireFile = (id: string) => {
    if (id !== env.spreadsheet.id) throw new Error("Requested entity was not found.");
    env.assertEditor();
  };
  return {
    get: (id: string, _opts?: { fields?: string }) => {
      requireFile(id);
      return {
        spreadsheetId: id,
        sheets: env.spreadsheet.sheets.map((s) => ({
          properties: { sheetId: s.id, title: s.name },
          protectedRanges: s.protections.map((p) => ({
            protectedRangeId: idOf(p),
            range: gridOf(p),
            description: p.description,
            warningOnly: p.warningOnly,
            requestingUserCanEdit: p.canEdit(),
            // Editors are returned only to a user who may edit the range.
            ...(p.canEdit() ? { editors: { users: [...p.editors], domainUsersCanEdit: p.domainEdit } } : {}),
          })),
        })),
      };
    },
    batchUpdate: (resource: { requests?: Request[] }, id: string) => {
      requireFile(id);
      const requests = resource.requests ?? [];
      if (!requests.length) throw failure("Must specify at least one request.");
      const apply = requests.map((req, i) => {
        const kinds = Object.keys(req);
        if (kinds.length !== 1) throw failure(`Invalid requests[${i}]: exactly one kind of request per entry.`);
        if (req.addProtectedRange) {
          const pr = req.addProtectedRange.protectedRange;
          const sheet = env.spreadsheet.sheets.find((s) => s.id === pr.range?.sheetId);
          if (!sheet) throw failure(`Invalid requests[${i}].addProtectedRange: No grid with id: ${pr.range?.sheetId}`);
          if (pr.warningOnly && pr.editors)
            throw failure(
              `Invalid requests[${i}].addProtectedRange: ProtectedRange is warningOnly. Editors cannot be set on it.`,
            );
          const g = pr.range!;
          const whole = g.startRowIndex === undefined && g.startColumnIndex === undefined;
          if (whole && sheet.protections.some((p) => p.type === "SHEET"))
            throw failure(`Invalid requests[${i}].addProtectedRange: The sheet is already protected.`);
          const range = whole ? null : rangeOf(sheet, g, i);
          return () => {
            const p = new FakeProtection(env, sheet, whole ? "SHEET" : "RANGE", range);
            p.description = pr.description ?? "";
            // The owner can always edit; the users listed are the editors (whether the caller is kept when left out: UNCONFIRMED, so not).
            p.editors = new Set([env.spreadsheet.owner, ...(pr.editors?.users ?? []).map((u) => u.toLowerCase())]);
            p.domainEdit = !!pr.editors?.domainUsersCanEdit;
            sheet.protections.push(p);
          };
        }
        if (req.updateProtectedRange) {
          const { protectedRange: pr, fields } = req.updateProtectedRange;
          const p = find(pr.protectedRangeId ?? -1);
          if (!p)
            throw failure(
              `Invalid requests[${i}].updateProtectedRange: No protected range with id: ${pr.protectedRangeId}`,
            );
          if (!fields)
            throw failure(
              `Invalid requests[${i}].updateProtectedRange: At least one field must be listed in 'fields'.`,
            );
          if (!p.canEdit()) throw failure("The caller does not have permission");
          const list = fields.split(",").map((f) => f.trim());
          return () => {
            if (list.includes("description")) p.description = pr.description ?? "";
            if (list.includes("editors")) {
              p.editors = new Set([env.spreadsheet.owner, ...(pr.editors?.users ?? []).map((u) => u.toLowerCase())]);
              p.domainEdit = !!pr.editors?.domainUsersCanEdit;
            }
          };
        }
        if (req.deleteProtectedRange) {
          const p = find(req.deleteProtectedRange.protectedRangeId);
          if (!p)
            throw failure(
              `Invalid requests[${i}].deleteProtectedRange: No protected range with id: ${req.deleteProtectedRange.protectedRangeId}`,
            );
          if (!p.canEdit()) throw failure("The caller does not have permission");
          return () => {
            p.removed = true;
            p.sheet.protections = p.sheet.protections.filter((x) => x !== p);
          };
        }
        throw failure(`Invalid requests[${i}]: this fake models only add, update and delete of protected ranges.`);
      });
      apply.forEach((f) => f());
      return { spreadsheetId: id, replies: requests.map(() => ({})) };
    },
  };
}

function rangeOf(sheet: FakeSheet, g: GridRange, i: number): FakeRange {
  const row = (g.startRowIndex ?? 0) + 1;
  const col = (g.startColumnIndex ?? 0) + 1;
  const rows = (g.endRowIndex ?? sheet.maxRows) - row + 1;
  const cols = (g.endColumnIndex ?? sheet.maxCols) - col + 1;
  try {
    return new FakeRange(sheet, row, col, rows, cols);
  } catch (e) {
    throw failure(`Invalid requests[${i}].addProtectedRange: ${(e as Error).message}`);
  }
}
