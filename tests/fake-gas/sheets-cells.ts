/**
 * The content requests of the Sheets API's spreadsheets.batchUpdate that the
 * add-on sends, applied to the same fake sheets SpreadsheetApp uses. Each
 * request checks its own shape and the protections of what it touches,
 * against the effective user, exactly as the SpreadsheetApp writes do; the
 * caller (sheets-api.ts) rolls the whole batch back when one fails.
 * Reference: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request
 */
import type { FakeEnv } from "./env";
import {
  FakeChart,
  FakeConditionalFormatRule,
  FakeDataValidation,
  FakeRange,
  FakeSheet,
  type Cell,
} from "./spreadsheet";

import S = GoogleAppsScript.Sheets.Schema;
type GridRange = S.GridRange;

export const apiFailure = (why: string) =>
  new Error(`GoogleJsonResponseException: API call to sheets.spreadsheets.batchUpdate failed with error: ${why}`);

/** "#RRGGBB" from the API's colour; a missing component is 0 (https://developers.google.com/workspace/sheets/api/reference/rest/v4/other#color). */
function hex(style: S.ColorStyle | undefined, where: string): string | undefined {
  if (!style) return undefined;
  if (!style.rgbColor) throw apiFailure(`Invalid ${where}: only rgbColor is modelled.`);
  const c = style.rgbColor;
  const h = (x: number | undefined) =>
    Math.round((x ?? 0) * 255)
      .toString(16)
      .padStart(2, "0")
      .toUpperCase();
  return `#${h(c.red)}${h(c.green)}${h(c.blue)}`;
}

/** A GridRange as 1-based fake coordinates; missing ends are the sheet's edges (https://developers.google.com/workspace/sheets/api/reference/rest/v4/other#gridrange). */
export function bounds(
  sheet: FakeSheet,
  g: GridRange,
  where: string,
): { row: number; col: number; rows: number; cols: number } {
  const r0 = g.startRowIndex ?? 0;
  const c0 = g.startColumnIndex ?? 0;
  const r1 = g.endRowIndex ?? sheet.maxRows;
  const c1 = g.endColumnIndex ?? sheet.maxCols;
  // A range past the grid is refused: https://developers.google.com/workspace/sheets/api/reference/rest/v4/other#gridrange
  if (r0 < 0 || c0 < 0 || r1 > sheet.maxRows || c1 > sheet.maxCols || r1 <= r0 || c1 <= c0)
    throw apiFailure(
      `Invalid ${where}: Range (${sheet.name}!R${r0 + 1}C${c0 + 1}:R${r1}C${c1}) exceeds grid limits. Max rows: ${sheet.maxRows}, max columns: ${sheet.maxCols}`,
    );
  return { row: r0 + 1, col: c0 + 1, rows: r1 - r0, cols: c1 - c0 };
}

const CRITERIA: Record<string, string> = {
  ONE_OF_LIST: "VALUE_IN_LIST",
  CUSTOM_FORMULA: "CUSTOM_FORMULA",
  NUMBER_BETWEEN: "NUMBER_BETWEEN",
  NUMBER_GREATER_THAN_EQ: "NUMBER_GREATER_THAN_OR_EQUAL_TO",
  NUMBER_LESS_THAN_EQ: "NUMBER_LESS_THAN_OR_EQUAL_TO",
  BOOLEAN: "CHECKBOX",
};

/** A DataValidationRule as the fake's rule object (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/other#booleancondition). */
function rule(dv: S.DataValidationRule, where: string): FakeDataValidation {
  const type = dv.condition?.type ?? "";
  const criteria = CRITERIA[type];
  if (!criteria) throw apiFailure(`Invalid ${where}: condition type ${type || "(none)"} is not modelled.`);
  const values = (dv.condition?.values ?? []).map((v) => v.userEnteredValue ?? "");
  // A custom formula must start with "=" (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/other#conditiontype).
  if (type === "CUSTOM_FORMULA" && (values.length !== 1 || !values[0]!.startsWith("=")))
    throw apiFailure(`Invalid ${where}: CUSTOM_FORMULA takes one formula starting with =.`);
  // A checkbox without values is TRUE/FALSE; custom values are not modelled:
  // https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/other#conditiontype
  if (type === "BOOLEAN" && values.length) throw apiFailure(`Invalid ${where}: the fake models plain checkboxes only.`);
  const numbers = values.map(Number);
  if (
    type.startsWith("NUMBER") &&
    (numbers.some(Number.isNaN) || numbers.length !== (type === "NUMBER_BETWEEN" ? 2 : 1))
  )
    throw apiFailure(`Invalid ${where}: ${type} takes ${type === "NUMBER_BETWEEN" ? "two numbers" : "one number"}.`);
  const args =
    type === "ONE_OF_LIST"
      ? [values, dv.showCustomUi ?? false]
      : type === "CUSTOM_FORMULA" || type === "BOOLEAN"
        ? values
        : numbers;
  return new FakeDataValidation(criteria, args, dv.inputMessage ?? "", !dv.strict);
}

/** The Cell a CellData writes when fields is "*": everything it leaves out is cleared (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#updatecellsrequest). */
function cellOf(d: S.CellData, where: string): Cell {
  const c: Cell = { v: "" };
  const u = d.userEnteredValue;
  if (u) {
    const kinds = Object.keys(u);
    if (kinds.length !== 1) throw apiFailure(`Invalid ${where}.userEnteredValue: exactly one kind of value.`);
    // stringValue is stored as it is: never a formula, a number or a date (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/other#extendedvalue).
    if (u.stringValue !== undefined) c.v = u.stringValue;
    else if (u.numberValue !== undefined) c.v = u.numberValue;
    else if (u.boolValue !== undefined) c.v = u.boolValue;
    else if (u.formulaValue !== undefined) c.formula = u.formulaValue.replace(/^=/, "");
    else throw apiFailure(`Invalid ${where}.userEnteredValue: ${kinds[0]} is not modelled.`);
  }
  const f = d.userEnteredFormat;
  if (f) {
    if (f.numberFormat) {
      // The type is required when writing: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/cells#numberformat
      if (!f.numberFormat.type) throw apiFailure(`Invalid ${where}.userEnteredFormat.numberFormat: type must be set.`);
      c.fmt = f.numberFormat.pattern ?? "General";
    }
    const t = f.textFormat;
    if (t) {
      if (t.bold !== undefined) c.weight = t.bold ? "bold" : "normal";
      if (t.italic !== undefined) c.style = t.italic ? "italic" : "normal";
      if (t.fontSize !== undefined) c.size = t.fontSize;
      if (t.fontFamily !== undefined) c.family = t.fontFamily;
      c.color = hex(t.foregroundColorStyle, `${where}.textFormat.foregroundColorStyle`);
    }
    c.bg = hex(f.backgroundColorStyle, `${where}.backgroundColorStyle`);
    if (f.horizontalAlignment) c.halign = f.horizontalAlignment.toLowerCase();
    if (f.verticalAlignment) c.valign = f.verticalAlignment.toLowerCase();
    if (f.wrapStrategy) c.wrap = f.wrapStrategy === "WRAP";
  }
  if (d.dataValidation) c.dv = rule(d.dataValidation, `${where}.dataValidation`);
  if (d.note) c.note = d.note;
  return c;
}

function overlaps(
  a: { row: number; col: number; rows: number; cols: number },
  b: { row: number; col: number; rows: number; cols: number },
): boolean {
  return !(
    a.row + a.rows - 1 < b.row ||
    b.row + b.rows - 1 < a.row ||
    a.col + a.cols - 1 < b.col ||
    b.col + b.cols - 1 < a.col
  );
}

/** The format fields repeatCell may set, and the fake cell's property each one is. */
const REPEAT_FIELDS: Record<string, keyof Cell> = {
  "userEnteredFormat.textFormat.bold": "weight",
  "userEnteredFormat.textFormat.italic": "style",
  "userEnteredFormat.textFormat.fontSize": "size",
  "userEnteredFormat.textFormat.fontFamily": "family",
  "userEnteredFormat.textFormat.foregroundColorStyle": "color",
  "userEnteredFormat.backgroundColorStyle": "bg",
  "userEnteredFormat.horizontalAlignment": "halign",
  "userEnteredFormat.verticalAlignment": "valign",
  "userEnteredFormat.wrapStrategy": "wrap",
  "userEnteredFormat.numberFormat": "fmt",
};

let nextChartId = 5000;

/**
 * Applies one content request, or throws with Google's message. Returns
 * false for a kind this file does not model (sheets-api.ts handles
 * protections and refuses the rest).
 */
export function applyContentRequest(env: FakeEnv, req: S.Request, where: string): boolean {
  const ss = env.spreadsheet;
  const sheetOf = (id: number | undefined) => {
    const s = ss.sheets.find((x) => x.id === (id ?? 0));
    if (!s) throw apiFailure(`Invalid ${where}: No grid with id: ${id ?? 0}`);
    return s;
  };
  if (req.updateSpreadsheetProperties) {
    // Locale and time zone only; any editor may change them (who may: UNCONFIRMED, the file's editors here):
    // https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#updatespreadsheetpropertiesrequest
    const { properties = {}, fields = "" } = req.updateSpreadsheetProperties;
    env.assertEditor();
    for (const f of fields.split(",").map((x) => x.trim())) {
      if (f === "locale") ss.locale = properties.locale ?? ss.locale;
      else if (f === "timeZone") ss.timeZone = properties.timeZone ?? ss.timeZone;
      else throw apiFailure(`Invalid ${where}: this fake does not model updateSpreadsheetProperties of ${f}.`);
    }
    return true;
  }
  if (req.addSheet) {
    const p = req.addSheet.properties ?? {};
    const title = p.title ?? `Trang tính${ss.sheets.length + 1}`;
    env.assertEditor();
    // Titles and ids must be new: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#addsheetrequest
    if (ss.sheets.some((s) => s.name.toLowerCase() === title.toLowerCase()))
      throw apiFailure(`Invalid ${where}: A sheet with the name "${title}" already exists. Please enter another name.`);
    // A sheet id is a non-negative int32 (SheetProperties.sheetId: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#SheetProperties).
    if (p.sheetId !== undefined && !(Number.isInteger(p.sheetId) && p.sheetId >= 0 && p.sheetId <= 0x7fffffff))
      throw apiFailure(`Invalid ${where}: Invalid sheetId: ${p.sheetId}`);
    if (p.sheetId !== undefined && ss.sheets.some((s) => s.id === p.sheetId))
      throw apiFailure(`Invalid ${where}: Sheet with id ${p.sheetId} already exists.`);
    const sheet = ss.addSheetWithId(title, p.sheetId);
    sheet.maxRows = p.gridProperties?.rowCount ?? 1000;
    sheet.maxCols = p.gridProperties?.columnCount ?? 26;
    return true;
  }
  if (req.deleteSheet) {
    const sheet = sheetOf(req.deleteSheet.sheetId);
    sheet.assertCanEditSheet();
    if (ss.sheets.length === 1) throw apiFailure(`Invalid ${where}: You can't remove all the sheets in a document.`);
    ss.sheets = ss.sheets.filter((s) => s !== sheet);
    return true;
  }
  if (req.appendDimension) {
    const { sheetId, dimension, length } = req.appendDimension;
    const sheet = sheetOf(sheetId);
    if (!length || length < 1 || (dimension !== "ROWS" && dimension !== "COLUMNS"))
      throw apiFailure(`Invalid ${where}: dimension and a positive length are required.`);
    // Like insertRowsAfter: a change to the whole sheet (strict where Google is silent).
    sheet.assertCanEditSheet();
    if (dimension === "ROWS") sheet.maxRows += length;
    else sheet.maxCols += length;
    return true;
  }
  if (req.updateCells) {
    const { range, rows, fields, start } = req.updateCells;
    if (!fields) throw apiFailure(`Invalid ${where}: At least one field must be specified in 'fields'.`);
    if (fields !== "*" && fields !== "userEnteredValue")
      throw apiFailure(`Invalid ${where}: the fake models fields "*" and "userEnteredValue" only.`);
    if (start || !range) throw apiFailure(`Invalid ${where}: the fake models updateCells over a range only.`);
    const sheet = sheetOf(range.sheetId);
    const b = bounds(sheet, range, where);
    const data = rows ?? [];
    if (data.length > b.rows || data.some((r) => (r.values ?? []).length > b.cols))
      throw apiFailure(`Invalid ${where}: the rows do not fit in the range.`);
    sheet.assertCanEdit(b.row, b.col, b.rows, b.cols);
    for (let i = 0; i < b.rows; i++)
      for (let j = 0; j < b.cols; j++) {
        const d = data[i]?.values?.[j] ?? {};
        const next = cellOf(d, `${where}.rows[${i}].values[${j}]`);
        const cell = sheet.cell(b.row + i, b.col + j, true);
        if (fields === "*") {
          for (const k of Object.keys(cell) as (keyof Cell)[]) delete cell[k];
          Object.assign(cell, next);
        } else Object.assign(cell, { v: next.v, formula: next.formula });
      }
    return true;
  }
  if (req.repeatCell) {
    const { range, cell, fields } = req.repeatCell;
    const sheet = sheetOf(range?.sheetId);
    const b = bounds(sheet, range ?? {}, where);
    if (!fields) throw apiFailure(`Invalid ${where}: At least one field must be specified in 'fields'.`);
    const keys = fields.split(",").map((f) => {
      const key = REPEAT_FIELDS[f.trim()];
      if (!key) throw apiFailure(`Invalid ${where}: the fake does not model the field ${f}.`);
      return key;
    });
    const next = cellOf(cell ?? {}, `${where}.cell`);
    sheet.assertCanEdit(b.row, b.col, b.rows, b.cols);
    // Only the fields listed change; one listed but absent from the cell is cleared (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#repeatcellrequest).
    for (let i = 0; i < b.rows; i++)
      for (let j = 0; j < b.cols; j++) {
        const c = sheet.cell(b.row + i, b.col + j, true);
        for (const k of keys) c[k] = next[k] as never;
      }
    return true;
  }
  if (req.setDataValidation) {
    const { range, rule: dv } = req.setDataValidation;
    const sheet = sheetOf(range?.sheetId);
    const b = bounds(sheet, range ?? {}, where);
    const made = dv ? rule(dv, `${where}.rule`) : null;
    sheet.assertCanEdit(b.row, b.col, b.rows, b.cols);
    // No rule clears the range's validation: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#setdatavalidationrequest
    for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) sheet.cell(b.row + i, b.col + j, true).dv = made;
    return true;
  }
  if (req.appendCells) {
    const { sheetId, rows, fields } = req.appendCells;
    const sheet = sheetOf(sheetId);
    if (fields !== "userEnteredValue")
      throw apiFailure(`Invalid ${where}: the fake models appendCells of userEnteredValue only.`);
    const data = rows ?? [];
    // After the last row with data, rows inserted as needed: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#appendcellsrequest
    const start = sheet.lastRowRaw() + 1;
    const width = Math.max(1, ...data.map((r) => (r.values ?? []).length));
    if (start + data.length - 1 > sheet.maxRows) {
      sheet.assertCanEditSheet();
      sheet.maxRows = start + data.length - 1;
    }
    if (width > sheet.maxCols)
      throw apiFailure(`Invalid ${where}: Range exceeds grid limits. Max columns: ${sheet.maxCols}`);
    sheet.assertCanEdit(start, 1, data.length, width);
    data.forEach((r, i) =>
      (r.values ?? []).forEach((d, j) => {
        const next = cellOf(d, `${where}.rows[${i}].values[${j}]`);
        Object.assign(sheet.cell(start + i, j + 1, true), { v: next.v, formula: next.formula });
      }),
    );
    return true;
  }
  if (req.updateBorders) {
    const u = req.updateBorders;
    const sheet = sheetOf(u.range?.sheetId);
    const b = bounds(sheet, u.range ?? {}, where);
    sheet.assertCanEdit(b.row, b.col, b.rows, b.cols);
    const all = [u.top, u.bottom, u.left, u.right, u.innerHorizontal, u.innerVertical];
    if (all.some((x) => !x || x.style !== "SOLID"))
      throw apiFailure(`Invalid ${where}: the fake models solid borders on every side only.`);
    for (let i = 0; i < b.rows; i++)
      for (let j = 0; j < b.cols; j++) sheet.cell(b.row + i, b.col + j, true).border = true;
    return true;
  }
  if (req.mergeCells || req.unmergeCells) {
    const g = (req.mergeCells ?? req.unmergeCells)!.range ?? {};
    const sheet = sheetOf(g.sheetId);
    const b = bounds(sheet, g, where);
    sheet.assertCanEdit(b.row, b.col, b.rows, b.cols);
    const partial = sheet.merges.some(
      (m) =>
        overlaps(m, b) &&
        !(m.row >= b.row && m.col >= b.col && m.row + m.rows <= b.row + b.rows && m.col + m.cols <= b.col + b.cols),
    );
    if (req.unmergeCells) {
      // The range must not partly span a merge: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#unmergecellsrequest
      if (partial)
        throw apiFailure(`Invalid ${where}: You must select all cells in a merged range to merge or unmerge them.`);
      sheet.merges = sheet.merges.filter((m) => !overlaps(m, b));
      return true;
    }
    if (req.mergeCells!.mergeType !== "MERGE_ALL")
      throw apiFailure(`Invalid ${where}: the fake models MERGE_ALL only.`);
    if (sheet.merges.some((m) => overlaps(m, b)))
      throw apiFailure(`Invalid ${where}: You must select all cells in a merged range to merge or unmerge them.`);
    sheet.merges.push(new FakeRange(sheet, b.row, b.col, b.rows, b.cols));
    return true;
  }
  if (req.copyPaste) {
    // https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#copypasterequest
    const { source, destination, pasteType = "PASTE_NORMAL", pasteOrientation = "NORMAL" } = req.copyPaste;
    const from = sheetOf(source?.sheetId);
    const to = sheetOf(destination?.sheetId);
    const a = bounds(from, source ?? {}, `${where}.source`);
    const b = bounds(to, destination ?? {}, `${where}.destination`);
    // Only same-size pastes are modelled (Google repeats a smaller source over a larger destination).
    if (pasteOrientation !== "NORMAL" || a.rows !== b.rows || a.cols !== b.cols)
      throw apiFailure(`Invalid ${where}: the fake models an unrotated paste of the source's size only.`);
    // PASTE_NORMAL: "values, formulas, formats, and merges"; PASTE_DATA_VALIDATION: "the data validation only"
    // (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#pastetype).
    // Whether PASTE_NORMAL also brings validation is UNCONFIRMED: strict, it does not here.
    if (pasteType !== "PASTE_NORMAL" && pasteType !== "PASTE_DATA_VALIDATION")
      throw apiFailure(`Invalid ${where}: the fake models PASTE_NORMAL and PASTE_DATA_VALIDATION only.`);
    to.assertCanEdit(b.row, b.col, b.rows, b.cols);
    const copied = Array.from({ length: a.rows }, (_, i) =>
      Array.from({ length: a.cols }, (_, j) => ({ ...from.cell(a.row + i, a.col + j) })),
    );
    for (let i = 0; i < b.rows; i++)
      for (let j = 0; j < b.cols; j++) {
        const cell = to.cell(b.row + i, b.col + j, true);
        const { dv, ...rest } = copied[i]![j]!;
        if (pasteType === "PASTE_DATA_VALIDATION") {
          if (dv) cell.dv = dv;
          else delete cell.dv;
        } else {
          const keep = cell.dv;
          for (const k of Object.keys(cell) as (keyof Cell)[]) if (k !== "dv") delete cell[k];
          Object.assign(cell, rest);
          if (keep === undefined) delete cell.dv;
        }
      }
    if (pasteType === "PASTE_NORMAL") {
      if (to.merges.some((m) => overlaps(m, b)))
        throw apiFailure(`Invalid ${where}: You must select all cells in a merged range to merge or unmerge them.`);
      for (const m of from.merges)
        if (m.row >= a.row && m.col >= a.col && m.row + m.rows <= a.row + a.rows && m.col + m.cols <= a.col + a.cols)
          to.merges.push(new FakeRange(to, m.row - a.row + b.row, m.col - a.col + b.col, m.rows, m.cols));
    }
    return true;
  }
  if (req.updateDimensionProperties) {
    const { range, properties, fields } = req.updateDimensionProperties;
    const sheet = sheetOf(range?.sheetId);
    if (range?.dimension !== "COLUMNS" || fields !== "pixelSize" || properties?.pixelSize === undefined)
      throw apiFailure(`Invalid ${where}: the fake models column widths only.`);
    const start = range.startIndex ?? 0;
    const end = range.endIndex ?? sheet.maxCols;
    if (end > sheet.maxCols || end <= start)
      throw apiFailure(`Invalid ${where}: Range exceeds grid limits. Max columns: ${sheet.maxCols}`);
    sheet.assertCanEditSheet();
    for (let c = start + 1; c <= end; c++) sheet.widths.set(c, properties.pixelSize);
    return true;
  }
  if (req.updateSheetProperties) {
    const { properties, fields } = req.updateSheetProperties;
    const sheet = sheetOf(properties?.sheetId);
    if (!fields) throw apiFailure(`Invalid ${where}: At least one field must be specified in 'fields'.`);
    const list = fields.split(",").map((f) => f.trim());
    const modelled = ["gridProperties.frozenRowCount", "gridProperties.frozenColumnCount", "hidden", "index", "title"];
    if (list.some((f) => !modelled.includes(f)))
      throw apiFailure(`Invalid ${where}: the fake models frozen rows and columns, hidden, index and title only.`);
    sheet.assertCanEditSheet();
    if (list.includes("title")) {
      // Sheet names are unique in a spreadsheet, as for addSheet: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#sheetproperties
      const title = properties!.title ?? "";
      if (!title || ss.sheets.some((s) => s !== sheet && s.name.toLowerCase() === title.toLowerCase()))
        throw apiFailure(
          `Invalid ${where}: A sheet with the name "${title}" already exists. Please enter another name.`,
        );
      sheet.name = title;
    }
    if (list.includes("index")) {
      // The sheet moves to that position among the sheets: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#sheetproperties
      const index = properties!.index ?? 0;
      if (index < 0 || index >= ss.sheets.length) throw apiFailure(`Invalid ${where}: index ${index} is out of range.`);
      ss.sheets = ss.sheets.filter((s) => s !== sheet);
      ss.sheets.splice(index, 0, sheet);
    }
    if (list.includes("hidden")) {
      // The last visible sheet cannot be hidden: https://support.google.com/docs/answer/1218656
      if (properties!.hidden && ss.sheets.filter((s) => s !== sheet && !s.hidden).length === 0)
        throw apiFailure(`Invalid ${where}: You can't hide all the sheets in a document.`);
      sheet.hidden = !!properties!.hidden;
    }
    if (list.includes("gridProperties.frozenRowCount")) {
      const n = properties!.gridProperties?.frozenRowCount ?? 0;
      if (n >= sheet.maxRows) throw apiFailure(`Invalid ${where}: You can't freeze all visible rows on the sheet.`);
      sheet.frozenRows = n;
    }
    if (list.includes("gridProperties.frozenColumnCount")) {
      const n = properties!.gridProperties?.frozenColumnCount ?? 0;
      if (n >= sheet.maxCols) throw apiFailure(`Invalid ${where}: You can't freeze all visible columns on the sheet.`);
      sheet.frozenColumns = n;
    }
    // Sheets refuses a freeze line through a merged cell, in its menu ("only part of a merged cell"); the API doing
    // the same is UNCONFIRMED, so the fake refuses it (strict).
    const cut = sheet.merges.find(
      (m) =>
        (m.col - 1 < sheet.frozenColumns && m.col - 1 + m.cols > sheet.frozenColumns && sheet.frozenColumns > 0) ||
        (m.row - 1 < sheet.frozenRows && m.row - 1 + m.rows > sheet.frozenRows && sheet.frozenRows > 0),
    );
    if (cut)
      throw apiFailure(`Invalid ${where}: You can't freeze rows or columns which contain only part of a merged cell.`);
    return true;
  }
  if (req.deleteConditionalFormatRule) {
    const { sheetId, index } = req.deleteConditionalFormatRule;
    const sheet = sheetOf(sheetId);
    sheet.assertCanEditSheet();
    if (index === undefined || index < 0 || index >= sheet.rules.length)
      throw apiFailure(`Invalid ${where}: No conditional format on sheet ${sheetId ?? 0} at index ${index}`);
    sheet.rules.splice(index, 1);
    return true;
  }
  if (req.addConditionalFormatRule) {
    const { rule: r, index } = req.addConditionalFormatRule;
    const g = r?.gradientRule;
    if (!r?.ranges?.length || !g?.minpoint || !g.maxpoint)
      throw apiFailure(`Invalid ${where}: the fake models gradient rules with ranges only.`);
    const sheet = sheetOf(r.ranges[0]!.sheetId);
    if (r.ranges.some((x) => (x.sheetId ?? 0) !== sheet.id))
      throw apiFailure(`Invalid ${where}: All ranges must be on the same sheet.`);
    sheet.assertCanEditSheet();
    const ranges = r.ranges.map((x) => {
      const b = bounds(sheet, x, where);
      return new FakeRange(sheet, b.row, b.col, b.rows, b.cols);
    });
    const point = (p: S.InterpolationPoint | undefined, name: string): [string, string, string] | undefined =>
      p ? [hex(p.colorStyle, `${where}.${name}`) ?? "", p.type ?? "", p.value ?? ""] : undefined;
    const at = index ?? 0;
    if (at > sheet.rules.length) throw apiFailure(`Invalid ${where}: index ${at} is past the sheet's rules.`);
    sheet.rules.splice(
      at,
      0,
      new FakeConditionalFormatRule(
        { min: point(g.minpoint, "minpoint"), mid: point(g.midpoint, "midpoint"), max: point(g.maxpoint, "maxpoint") },
        ranges,
      ),
    );
    return true;
  }
  if (req.addChart) {
    const chart = req.addChart.chart ?? {};
    const basic = chart.spec?.basicChart;
    const anchor = chart.position?.overlayPosition?.anchorCell;
    if (!basic?.chartType || !anchor)
      throw apiFailure(`Invalid ${where}: the fake models basic charts over one sheet only.`);
    const sheet = sheetOf(anchor.sheetId);
    sheet.assertCanEditSheet();
    const sources = [
      ...(basic.domains ?? []).map((d) => d.domain?.sourceRange),
      ...(basic.series ?? []).map((s) => s.series?.sourceRange),
    ].flatMap((s) => s?.sources ?? []);
    if (!sources.length) throw apiFailure(`Invalid ${where}: a chart needs data.`);
    const ranges = sources.map((g) => {
      const src = sheetOf(g.sheetId);
      const b = bounds(src, g, where);
      return new FakeRange(src, b.row, b.col, b.rows, b.cols);
    });
    const id = chart.chartId ?? nextChartId++;
    if (ss.sheets.some((s) => s.charts.some((c) => c.id === id)))
      throw apiFailure(`Invalid ${where}: chart id ${id} is in use.`);
    sheet.charts.push(
      new FakeChart(
        basic.chartType,
        ranges,
        { title: chart.spec?.title, legend: basic.legendPosition },
        [(anchor.rowIndex ?? 0) + 1, (anchor.columnIndex ?? 0) + 1, 0, 0],
        id,
      ),
    );
    return true;
  }
  if (req.deleteEmbeddedObject) {
    const id = req.deleteEmbeddedObject.objectId;
    const sheet = ss.sheets.find((s) => s.charts.some((c) => c.id === id));
    if (!sheet) throw apiFailure(`Invalid ${where}: No embedded object with id: ${id}`);
    sheet.assertCanEditSheet();
    sheet.charts = sheet.charts.filter((c) => c.id !== id);
    return true;
  }
  return false;
}

/**
 * Everything a batch can change, kept so a failed batch leaves the
 * spreadsheet exactly as it was: "If any request is not valid then the
 * entire request will fail and nothing will be applied"
 * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/batchUpdate).
 */
export function snapshot(env: FakeEnv): () => void {
  const ss = env.spreadsheet;
  const sheets = [...ss.sheets];
  const { locale, timeZone } = ss;
  const state = sheets.map((s) => ({
    sheet: s,
    cells: s.cells.map((r) => (r ? r.map((c) => (c ? { ...c } : c)) : r)),
    merges: [...s.merges],
    protections: s.protections.map((p) => ({
      p,
      editors: new Set(p.editors),
      domainEdit: p.domainEdit,
      description: p.description,
      warningOnly: p.warningOnly,
      unprotected: [...p.unprotected],
      removed: p.removed,
    })),
    rules: [...s.rules],
    charts: [...s.charts],
    frozenRows: s.frozenRows,
    frozenColumns: s.frozenColumns,
    hidden: s.hidden,
    widths: new Map(s.widths),
    maxRows: s.maxRows,
    maxCols: s.maxCols,
  }));
  return () => {
    ss.sheets = sheets;
    Object.assign(ss, { locale, timeZone });
    for (const st of state) {
      const s = st.sheet;
      Object.assign(s, {
        cells: st.cells,
        merges: st.merges,
        rules: st.rules,
        charts: st.charts,
        frozenRows: st.frozenRows,
        frozenColumns: st.frozenColumns,
        hidden: st.hidden,
        widths: st.widths,
        maxRows: st.maxRows,
        maxCols: st.maxCols,
      });
      s.protections = st.protections.map((x) =>
        Object.assign(x.p, {
          editors: x.editors,
          domainEdit: x.domainEdit,
          description: x.description,
          warningOnly: x.warningOnly,
          unprotected: x.unprotected,
          removed: x.removed,
        }),
      );
    }
  };
}
