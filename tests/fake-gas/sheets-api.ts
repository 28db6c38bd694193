/**
 * The Sheets API's spreadsheets.get and spreadsheets.batchUpdate
 * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/batchUpdate), over the same
 * fake sheets and FakeProtection objects SpreadsheetApp uses. get answers
 * only the fields asked for; batchUpdate applies protected ranges here and
 * the content requests of sheets-cells.ts, in order, and when one request
 * fails the whole call fails and nothing is left changed.
 */
import type { FakeEnv } from "./env";
import { applyContentRequest, snapshot } from "./sheets-cells";
import { FakeProtection, FakeRange, type FakeSheet } from "./spreadsheet";

interface GridRange {
  sheetId?: number;
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}
type Request = GoogleAppsScript.Sheets.Schema.Request;

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
    get: (id: string, opts?: { fields?: string }) => {
      if (id !== env.spreadsheet.id) throw new Error("Requested entity was not found.");
      // Reading needs only view access: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/get
      env.assertReader();
      const full = {
        spreadsheetId: id,
        properties: { locale: env.spreadsheet.locale, timeZone: env.spreadsheet.timeZone },
        sheets: env.spreadsheet.sheets.map((s) => ({
          properties: {
            sheetId: s.id,
            title: s.name,
            index: env.spreadsheet.sheets.indexOf(s),
            hidden: s.hidden,
            gridProperties: {
              rowCount: s.maxRows,
              columnCount: s.maxCols,
              frozenRowCount: s.frozenRows,
              frozenColumnCount: s.frozenColumns,
            },
          },
          merges: s.merges.map((m) => ({
            sheetId: s.id,
            startRowIndex: m.row - 1,
            endRowIndex: m.row - 1 + m.rows,
            startColumnIndex: m.col - 1,
            endColumnIndex: m.col - 1 + m.cols,
          })),
          conditionalFormats: s.rules.map((r) => ({
            ranges: r.ranges.map((g) => ({
              sheetId: s.id,
              startRowIndex: g.row - 1,
              endRowIndex: g.row - 1 + g.rows,
              startColumnIndex: g.col - 1,
              endColumnIndex: g.col - 1 + g.cols,
            })),
          })),
          charts: s.charts.map((c) => ({ chartId: c.id })),
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
      // Only the fields asked for come back: https://developers.google.com/workspace/sheets/api/guides/field-masks
      return opts?.fields ? (project(full, parseMask(opts.fields)) as typeof full) : full;
    },
    batchUpdate: (resource: { requests?: Request[] }, id: string) => {
      requireFile(id);
      const requests = resource.requests ?? [];
      if (!requests.length) throw failure("Must specify at least one request.");
      const one = (req: Request, i: number): (() => void) => {
        const kinds = Object.keys(req);
        if (kinds.length !== 1) throw failure(`Invalid requests[${i}]: exactly one kind of request per entry.`);
        if (req.addProtectedRange) {
          const pr = req.addProtectedRange.protectedRange ?? {};
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
          const { protectedRange: pr = {}, fields } = req.updateProtectedRange;
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
          const p = find(req.deleteProtectedRange.protectedRangeId ?? -1);
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
        if (applyContentRequest(env, req, `requests[${i}]`)) return () => undefined;
        throw failure(`Invalid requests[${i}]: this fake does not model ${kinds[0]}.`);
      };
      const restore = snapshot(env);
      try {
        requests.forEach((req, i) => one(req, i)());
      } catch (e) {
        restore();
        const message = (e as Error).message;
        // A refused write reaches the script as the API's error: https://developers.google.com/apps-script/guides/services/advanced#how_method_signatures_are_determined
        throw message.startsWith("GoogleJsonResponseException") ? e : failure(message);
      }
      return { spreadsheetId: id, replies: requests.map(() => ({})) };
    },
  };
}

type Mask = Map<string, Mask | null>;

/** A field mask such as "sheets(properties(sheetId,title),charts)" as a tree. */
function parseMask(text: string): Mask {
  let i = 0;
  const level = (): Mask => {
    const out: Mask = new Map();
    while (i < text.length && text[i] !== ")") {
      let name = "";
      while (i < text.length && !",()".includes(text[i]!)) name += text[i++];
      let sub: Mask | null = null;
      if (text[i] === "(") {
        i++;
        sub = level();
        i++;
      }
      // "a.b" is "a(b)".
      const parts = name.trim().split(".");
      let node: Mask | null = sub;
      for (const part of parts.slice(1).reverse()) node = new Map([[part, node]]);
      out.set(parts[0]!, node);
      if (text[i] === ",") i++;
    }
    return out;
  };
  return level();
}

function project(value: unknown, mask: Mask | null): unknown {
  if (mask === null || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => project(v, mask));
  const out: Record<string, unknown> = {};
  for (const [k, sub] of mask)
    if ((value as Record<string, unknown>)[k] !== undefined)
      out[k] = project((value as Record<string, unknown>)[k], sub);
  return out;
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
