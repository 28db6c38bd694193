/**
 * In-memory SpreadsheetApp: spreadsheet, sheets, ranges, protections, data
 * validation and conditional-format builders, charts. Faithful to the
 * documented behaviour where the add-on relies on it: 1-based ranges, the
 * dimension errors of setValues, "" for empty cells, formulas for text that
 * starts with "=", strings parsed in the spreadsheet's locale unless the cell
 * is formatted "@", protections checked on every kind of write against the
 * effective user, the owner and the current user kept as protection editors.
 * Where Google does not document a behaviour the fake takes the strict side.
 */
import type { FakeEnv, FakeUi } from "./env";
import { parseAsTyped } from "./locale";

type S = typeof GoogleAppsScript.Spreadsheet;
type GRange = GoogleAppsScript.Spreadsheet.Range;
type GSheet = GoogleAppsScript.Spreadsheet.Sheet;
type GSpreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type DVBuilder = GoogleAppsScript.Spreadsheet.DataValidationBuilder;
type CFBuilder = GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder;

// The text of a refused write: https://developers.google.com/apps-script/reference/spreadsheet/protection (quoted by community code; the API returns the same in its 400).
export const PROTECTED_MESSAGE =
  "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.";
// getEditors()/canDomainEdit() throw for a user who may not edit the protection; the text is UNCONFIRMED: https://developers.google.com/apps-script/reference/spreadsheet/protection#geteditors
export const PROTECTION_DENIED_MESSAGE = "You do not have permission to access or modify this protected range.";

/** A method of an interface the fake implements but the product does not use: calling it is a test bug. */
export function notModeled(what: string): never {
  throw new Error(`The fake does not model ${what}.`);
}

export interface Cell {
  v: unknown;
  formula?: string;
  fmt?: string;
  note?: string;
  bg?: string;
  weight?: string;
  style?: string;
  size?: number;
  color?: string;
  family?: string;
  halign?: string;
  valign?: string;
  wrap?: boolean;
  dv?: FakeDataValidation | null;
  border?: boolean;
  link?: string | null;
}

function a1ToIndex(a1: string): { row: number; col: number; rows: number; cols: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)?(?::\$?([A-Z]+)\$?(\d+)?)?$/i.exec(a1.trim());
  if (!m) throw new Error(`Range not found`);
  const col = (s: string) =>
    s
      .toUpperCase()
      .split("")
      .reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const c1 = col(m[1]!);
  const r1 = m[2] ? Number(m[2]) : 1;
  const c2 = m[3] ? col(m[3]) : c1;
  const r2 = m[4] ? Number(m[4]) : m[3] ? Number.MAX_SAFE_INTEGER : r1;
  return { row: r1, col: c1, rows: r2 - r1 + 1, cols: c2 - c1 + 1 };
}

export function columnName(c: number): string {
  let s = "";
  for (let n = c; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export class FakeUser implements GoogleAppsScript.Base.User {
  constructor(private readonly email: string) {}
  getEmail(): string {
    return this.email;
  }
  getUserLoginId(): string {
    return notModeled("User.getUserLoginId (deprecated)");
  }
}

/** The value of the cell a custom formula refers to as INDIRECT("RC",FALSE): the cell being validated. */
const SELF = 'INDIRECT("RC",FALSE)';

/**
 * A custom validation formula evaluated on one value. The fake knows only the
 * functions the product writes (AND, ISNUMBER, MOD and comparisons on the
 * cell itself); any other formula is a test bug, not a pass.
 */
function evaluateFormula(formula: string, value: unknown): boolean {
  const body = formula.replace(/^=/, "").split(SELF).join("v");
  if (!/^(?:AND|ISNUMBER|MOD|v|[\d.]+|[(),<>=\s-])+$/.test(body)) notModeled(`the validation formula ${formula}`);
  const js = body.replace(/(?<![<>])=/g, "===").replace(/<>/g, "!==");
  const fn = new Function("v", "AND", "ISNUMBER", "MOD", `return (${js});`) as (...a: unknown[]) => boolean;
  return !!fn(
    value,
    (...xs: boolean[]) => xs.every(Boolean),
    (x: unknown) => typeof x === "number",
    (a: number, b: number) => a - b * Math.floor(a / b),
  );
}

export class FakeDataValidation implements GoogleAppsScript.Spreadsheet.DataValidation {
  constructor(
    readonly criteria: string,
    readonly args: unknown[],
    readonly helpText: string,
    readonly allowInvalid: boolean,
  ) {}
  getCriteriaType() {
    return this.criteria as unknown as GoogleAppsScript.Spreadsheet.DataValidationCriteria;
  }
  getCriteriaValues() {
    return this.args;
  }
  getHelpText() {
    return this.helpText;
  }
  getAllowInvalid() {
    return this.allowInvalid;
  }
  copy(): GoogleAppsScript.Spreadsheet.DataValidationBuilder {
    return notModeled("DataValidation.copy");
  }
  /** Would Sheets accept this value typed into the cell? Scripts' writes are not validated; people's are. */
  accepts(v: unknown): boolean {
    if (v === "" || v === null || v === undefined) return true;
    const [a, b] = this.args as [number, number];
    switch (this.criteria) {
      case "NUMBER_BETWEEN":
        return typeof v === "number" && v >= a && v <= b;
      case "NUMBER_GREATER_THAN_OR_EQUAL_TO":
        return typeof v === "number" && v >= a;
      case "NUMBER_LESS_THAN_OR_EQUAL_TO":
        return typeof v === "number" && v <= a;
      case "VALUE_IN_LIST":
        return (this.args[0] as unknown[]).includes(v);
      case "CUSTOM_FORMULA":
        return evaluateFormula(String(this.args[0]), v);
      // A checkbox holds TRUE or FALSE:
      // https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/other#conditiontype
      case "CHECKBOX":
        return typeof v === "boolean";
      default:
        return notModeled(`validation criteria ${this.criteria}`);
    }
  }
}

export class FakeDataValidationBuilder implements Partial<GoogleAppsScript.Spreadsheet.DataValidationBuilder> {
  private criteria = "";
  private args: unknown[] = [];
  private help = "";
  private allowInvalid = true;
  requireNumberBetween(a: number, b: number) {
    this.criteria = "NUMBER_BETWEEN";
    this.args = [a, b];
    return this as unknown as DVBuilder;
  }
  requireNumberGreaterThanOrEqualTo(a: number) {
    this.criteria = "NUMBER_GREATER_THAN_OR_EQUAL_TO";
    this.args = [a];
    return this as unknown as DVBuilder;
  }
  requireNumberLessThanOrEqualTo(a: number) {
    this.criteria = "NUMBER_LESS_THAN_OR_EQUAL_TO";
    this.args = [a];
    return this as unknown as DVBuilder;
  }
  requireFormulaSatisfied(formula: string) {
    // Custom formulas start with "=": https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder#requireformulasatisfiedformula
    if (!formula.startsWith("=")) throw new Error("Invalid formula: a custom formula must start with =.");
    this.criteria = "CUSTOM_FORMULA";
    this.args = [formula];
    return this as unknown as DVBuilder;
  }
  requireValueInList(values: string[], showDropdown = true) {
    this.criteria = "VALUE_IN_LIST";
    this.args = [values, showDropdown];
    return this as unknown as DVBuilder;
  }
  setHelpText(text: string) {
    this.help = text;
    return this as unknown as DVBuilder;
  }
  setAllowInvalid(allow: boolean) {
    this.allowInvalid = allow;
    return this as unknown as DVBuilder;
  }
  build() {
    if (!this.criteria) throw new Error("You must set a criteria before building a data validation rule.");
    return new FakeDataValidation(this.criteria, this.args, this.help, this.allowInvalid);
  }
}

export class FakeConditionalFormatRule {
  constructor(
    readonly gradient: {
      min?: [string, string, string];
      mid?: [string, string, string];
      max?: [string, string, string];
    },
    readonly ranges: FakeRange[],
  ) {}
  getRanges() {
    return this.ranges;
  }
}

export class FakeConditionalFormatRuleBuilder implements Partial<GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder> {
  private gradient: FakeConditionalFormatRule["gradient"] = {};
  private ranges: FakeRange[] = [];
  setGradientMinpointWithValue(color: string, type: GoogleAppsScript.Spreadsheet.InterpolationType, value: string) {
    this.gradient.min = [color, String(type), value];
    return this as unknown as CFBuilder;
  }
  setGradientMidpointWithValue(color: string, type: GoogleAppsScript.Spreadsheet.InterpolationType, value: string) {
    this.gradient.mid = [color, String(type), value];
    return this as unknown as CFBuilder;
  }
  setGradientMaxpointWithValue(color: string, type: GoogleAppsScript.Spreadsheet.InterpolationType, value: string) {
    this.gradient.max = [color, String(type), value];
    return this as unknown as CFBuilder;
  }
  setRanges(ranges: GRange[]) {
    this.ranges = ranges as unknown as FakeRange[];
    return this as unknown as CFBuilder;
  }
  build() {
    if (!this.ranges.length) throw new Error("Conditional format rule must have at least one range.");
    return new FakeConditionalFormatRule(
      this.gradient,
      this.ranges,
    ) as unknown as GoogleAppsScript.Spreadsheet.ConditionalFormatRule;
  }
}

let chartIds = 1;
export class FakeChart {
  constructor(
    readonly type: string,
    readonly ranges: FakeRange[],
    readonly options: Record<string, unknown>,
    readonly position: number[],
    /** The chart's id in the Sheets API (EmbeddedChart.chartId). */
    readonly id = chartIds++,
  ) {}
  getRanges() {
    return this.ranges;
  }
  getOptions() {
    return { get: (k: string) => this.options[k] };
  }
}

export class FakeChartBuilder {
  private type = "";
  private ranges: FakeRange[] = [];
  private options: Record<string, unknown> = {};
  private position: number[] = [];
  asColumnChart() {
    this.type = "COLUMN";
    return this;
  }
  asBarChart() {
    this.type = "BAR";
    return this;
  }
  addRange(r: FakeRange) {
    this.ranges.push(r);
    return this;
  }
  setOption(k: string, v: unknown) {
    this.options[k] = v;
    return this;
  }
  setPosition(row: number, col: number, ox: number, oy: number) {
    this.position = [row, col, ox, oy];
    return this;
  }
  setNumHeaders(n: number) {
    this.options.numHeaders = n;
    return this;
  }
  build() {
    if (!this.type || !this.ranges.length) throw new Error("Chart type and data range are required.");
    return new FakeChart(this.type, this.ranges, this.options, this.position);
  }
}

type Protection = GoogleAppsScript.Spreadsheet.Protection;
type UserOrEmail = string | GoogleAppsScript.Base.User;
const emailOf = (e: UserOrEmail) => (typeof e === "string" ? e : e.getEmail()).toLowerCase();

export class FakeProtection implements Protection {
  editors: Set<string>;
  domainEdit: boolean;
  description = "";
  warningOnly = false;
  unprotected: FakeRange[] = [];
  removed = false;
  constructor(
    readonly env: FakeEnv,
    readonly sheet: FakeSheet,
    readonly type: "RANGE" | "SHEET",
    readonly range: FakeRange | null,
  ) {
    // Until its editors are changed a new protection mirrors the spreadsheet's own permissions: https://developers.google.com/apps-script/reference/spreadsheet/sheet#protect()
    this.editors = new Set([...env.spreadsheet.editors, env.spreadsheet.owner]);
    // Domain editing exists only for files of a Workspace domain: https://developers.google.com/apps-script/reference/spreadsheet/protection#setdomaineditediting
    this.domainEdit = !env.consumerAccount(env.spreadsheet.owner);
  }
  /** Changing a protection needs the right to edit it; for addEditor/remove Google does not say, so the fake is strict (UNCONFIRMED). */
  private requireEditor(message = PROTECTED_MESSAGE) {
    if (!this.canEdit()) throw new Error(message);
  }
  addEditor(e: UserOrEmail): Protection {
    // addEditor grants the protected range only, not the spreadsheet: https://developers.google.com/apps-script/reference/spreadsheet/protection#addeditoremailaddress
    return this.addEditors([emailOf(e)]);
  }
  addEditors(emails: string[]): Protection {
    this.requireEditor();
    for (const e of emails) this.editors.add(e.toLowerCase());
    return this;
  }
  removeEditor(e: UserOrEmail): Protection {
    return this.removeEditors([emailOf(e)]);
  }
  removeEditors(list: UserOrEmail[]): Protection {
    this.requireEditor();
    for (const e of list) {
      const email = emailOf(e);
      // Neither the owner nor the current user can be removed: https://developers.google.com/apps-script/reference/spreadsheet/protection#removeeditorsemailaddresses
      if (email === this.env.spreadsheet.owner || email === this.env.actingUser()) continue;
      this.editors.delete(email);
    }
    return this;
  }
  getEditors(): GoogleAppsScript.Base.User[] {
    // Throws for a user who may not edit the protection: https://developers.google.com/apps-script/reference/spreadsheet/protection#geteditors
    this.requireEditor(PROTECTION_DENIED_MESSAGE);
    return [...this.editors].map((e) => new FakeUser(e));
  }
  canEdit(): boolean {
    const u = this.env.actingUser();
    // The owner can always edit; domain users can when domain editing is on: https://developers.google.com/apps-script/reference/spreadsheet/protection#canedit
    return (
      u === this.env.spreadsheet.owner ||
      this.editors.has(u) ||
      (this.domainEdit && this.env.sameDomain(u) && this.env.spreadsheet.editors.has(u))
    );
  }
  canDomainEdit(): boolean {
    // Throws like getEditors for a user who may not edit the protection: https://developers.google.com/apps-script/reference/spreadsheet/protection#candomainedit
    this.requireEditor(PROTECTION_DENIED_MESSAGE);
    return this.domainEdit;
  }
  setDomainEdit(b: boolean): Protection {
    this.requireEditor();
    // Throws for a spreadsheet outside a Workspace domain: https://developers.google.com/apps-script/reference/spreadsheet/protection#setdomaineditediting
    if (this.env.consumerAccount(this.env.spreadsheet.owner))
      throw new Error("Domain editing is not available for this spreadsheet.");
    this.domainEdit = b;
    return this;
  }
  setDescription(d: string): Protection {
    this.requireEditor();
    this.description = d;
    return this;
  }
  getDescription(): string {
    return this.description;
  }
  setWarningOnly(b: boolean): Protection {
    this.requireEditor();
    this.warningOnly = b;
    return this;
  }
  isWarningOnly(): boolean {
    return this.warningOnly;
  }
  setUnprotectedRanges(ranges: GRange[]): Protection {
    this.requireEditor();
    // Only a sheet protection has unprotected ranges: https://developers.google.com/apps-script/reference/spreadsheet/protection#setunprotectedrangesranges
    if (this.type !== "SHEET") throw new Error("Unprotected ranges can only be set on a sheet protection.");
    this.unprotected = ranges as unknown as FakeRange[];
    return this;
  }
  getUnprotectedRanges(): GRange[] {
    return this.unprotected as unknown as GRange[];
  }
  getProtectionType(): GoogleAppsScript.Spreadsheet.ProtectionType {
    return this.type as unknown as GoogleAppsScript.Spreadsheet.ProtectionType;
  }
  getRange(): GRange {
    return (this.range ?? this.sheet.getDataRangeRaw()) as unknown as GRange;
  }
  getRangeName(): string | null {
    return null;
  }
  setNamedRange(): Protection {
    return notModeled("Protection.setNamedRange");
  }
  setRange(): Protection {
    return notModeled("Protection.setRange");
  }
  setRangeName(): Protection {
    return notModeled("Protection.setRangeName");
  }
  remove(): void {
    this.requireEditor();
    this.removed = true;
    this.sheet.protections = this.sheet.protections.filter((p) => p !== this);
  }
  /** Does this protection stop the acting user writing to the given cells? */
  blocks(row: number, col: number, rows: number, cols: number): boolean {
    if (this.warningOnly || this.canEdit()) return false;
    const hits = (r: FakeRange) =>
      !(row + rows - 1 < r.row || r.row + r.rows - 1 < row || col + cols - 1 < r.col || r.col + r.cols - 1 < col);
    if (this.type === "RANGE") return hits(this.range!);
    // Sheet protection: blocked unless every touched cell lies in an unprotected range.
    for (let i = row; i < row + rows; i++)
      for (let j = col; j < col + cols; j++)
        if (!this.unprotected.some((u) => i >= u.row && i < u.row + u.rows && j >= u.col && j < u.col + u.cols))
          return true;
    return false;
  }
}

export class FakeRange implements Partial<GRange> {
  constructor(
    readonly sheet: FakeSheet,
    readonly row: number,
    readonly col: number,
    readonly rows: number,
    readonly cols: number,
  ) {
    if (row < 1 || col < 1) throw new Error(`The starting ${row < 1 ? "row" : "column"} of the range is too small.`);
    if (rows < 1) throw new Error("The number of rows in the range must be at least 1.");
    if (cols < 1) throw new Error("The number of columns in the range must be at least 1.");
    if (row + rows - 1 > sheet.maxRows || col + cols - 1 > sheet.maxCols)
      throw new Error("The coordinates of the range are outside the dimensions of the sheet.");
  }
  private each<T>(fn: (c: Cell, i: number, j: number) => T): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < this.rows; i++) {
      const r: T[] = [];
      for (let j = 0; j < this.cols; j++) r.push(fn(this.sheet.cell(this.row + i, this.col + j), i, j));
      out.push(r);
    }
    return out;
  }
  private write<T>(data: T[][], fn: (c: Cell, v: T) => void) {
    this.sheet.assertCanEdit(this.row, this.col, this.rows, this.cols);
    if (!Array.isArray(data) || data.length !== this.rows)
      throw new Error(
        `The number of rows in the data does not match the number of rows in the range. The data has ${Array.isArray(data) ? data.length : 0} but the range has ${this.rows}.`,
      );
    for (const r of data)
      if (!Array.isArray(r) || r.length !== this.cols)
        throw new Error(
          `The number of columns in the data does not match the number of columns in the range. The data has ${Array.isArray(r) ? r.length : 0} but the range has ${this.cols}.`,
        );
    data.forEach((r, i) => r.forEach((v, j) => fn(this.sheet.cell(this.row + i, this.col + j, true), v)));
    return this as unknown as GRange;
  }
  private all<T>(v: T): T[][] {
    return Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => v));
  }
  getRow() {
    return this.row;
  }
  getColumn() {
    return this.col;
  }
  getNumRows() {
    return this.rows;
  }
  getNumColumns() {
    return this.cols;
  }
  getLastRow() {
    return this.row + this.rows - 1;
  }
  getLastColumn() {
    return this.col + this.cols - 1;
  }
  getSheet() {
    return this.sheet as unknown as GSheet;
  }
  getA1Notation() {
    const start = columnName(this.col) + this.row;
    return this.rows === 1 && this.cols === 1
      ? start
      : `${start}:${columnName(this.col + this.cols - 1)}${this.row + this.rows - 1}`;
  }
  getValues() {
    return this.each((c) =>
      c.v === undefined || c.v === null ? "" : c.v instanceof Date ? new Date(c.v.getTime()) : c.v,
    );
  }
  getValue() {
    return this.getValues()[0]![0];
  }
  getDisplayValues() {
    return this.each((c) => (c.v === undefined || c.v === null ? "" : String(c.v)));
  }
  getFormulas() {
    return this.each((c) => (c.formula ? "=" + c.formula : ""));
  }
  getNumberFormats() {
    return this.each((c) => c.fmt ?? "General");
  }
  getNotes() {
    return this.each((c) => c.note ?? "");
  }
  getNote() {
    return this.getNotes()[0]![0]!;
  }
  getBackgrounds() {
    return this.each((c) => c.bg ?? "#ffffff");
  }
  getBackground() {
    return this.getBackgrounds()[0]![0]!;
  }
  getFontWeights() {
    return this.each((c) => (c.weight ?? "normal") as GoogleAppsScript.Spreadsheet.FontWeight);
  }
  getDataValidations() {
    return this.each((c) => c.dv ?? null);
  }
  getDataValidation() {
    return this.getDataValidations()[0]![0] ?? null;
  }
  setValues(values: unknown[][]) {
    return this.write(values, (c, v) => {
      if (typeof v === "string" && v.startsWith("=")) {
        c.formula = v.slice(1);
        c.v = "";
      } else if (typeof v === "string" && v.startsWith("'")) {
        c.formula = undefined;
        c.v = v.slice(1);
      } else if (typeof v === "string" && c.fmt !== "@") {
        // A string is read as if typed, in the spreadsheet's locale; "@" keeps it as text (see locale.ts for the sources).
        c.formula = undefined;
        c.v = parseAsTyped(v, this.sheet.env.spreadsheet.locale, this.sheet.env.now());
      } else {
        c.formula = undefined;
        c.v = v === undefined ? "" : v;
      }
    });
  }
  setValue(value: unknown) {
    return this.setValues(this.all(value));
  }
  clearContent() {
    this.sheet.assertCanEdit(this.row, this.col, this.rows, this.cols);
    this.each((c) => ((c.v = ""), (c.formula = undefined)));
    return this as unknown as GRange;
  }
  clearDataValidations() {
    this.sheet.assertCanEdit(this.row, this.col, this.rows, this.cols);
    this.each((c) => (c.dv = null));
    return this as unknown as GRange;
  }
  setNotes(notes: (string | null)[][]) {
    return this.write(notes, (c, v) => (c.note = v ? String(v) : undefined));
  }
  setNote(note: string | null) {
    return this.setNotes(this.all(note));
  }
  setBackgrounds(v: string[][]) {
    return this.write(v, (c, x) => (c.bg = x ?? undefined));
  }
  setBackground(v: string | null) {
    return this.setBackgrounds(this.all(v as string));
  }
  setNumberFormats(v: string[][]) {
    return this.write(v, (c, x) => (c.fmt = x));
  }
  setNumberFormat(v: string) {
    return this.setNumberFormats(this.all(v));
  }
  setFontWeights(v: (string | null)[][]) {
    return this.write(v, (c, x) => (c.weight = x ?? undefined));
  }
  setFontWeight(v: string | null) {
    return this.setFontWeights(this.all(v));
  }
  setFontStyles(v: (string | null)[][]) {
    return this.write(v, (c, x) => (c.style = x ?? undefined));
  }
  setFontSizes(v: number[][]) {
    return this.write(v, (c, x) => (c.size = x));
  }
  setFontColors(v: (string | null)[][]) {
    return this.write(v, (c, x) => (c.color = x ?? undefined));
  }
  setFontFamily(v: string | null) {
    return this.write(this.all(v), (c, x) => (c.family = x ?? undefined));
  }
  setHorizontalAlignments(v: (string | null)[][]) {
    return this.write(v, (c, x) => (c.halign = x ?? undefined));
  }
  setVerticalAlignments(v: (string | null)[][]) {
    return this.write(v, (c, x) => (c.valign = x ?? undefined));
  }
  setWraps(v: boolean[][]) {
    return this.write(v, (c, x) => (c.wrap = x));
  }
  setBorder(top: boolean | null) {
    return this.write(this.all(top), (c, x) => (c.border = !!x));
  }
  setRichTextValues(values: GoogleAppsScript.Spreadsheet.RichTextValue[][]) {
    return this.write(values, (c, x) => {
      c.v = x.getText();
      c.link = x.getLinkUrl();
    });
  }
  setDataValidations(rules: (GoogleAppsScript.Spreadsheet.DataValidation | null)[][]) {
    return this.write(rules, (c, x) => (c.dv = x as FakeDataValidation | null));
  }
  setDataValidation(rule: GoogleAppsScript.Spreadsheet.DataValidation | null) {
    return this.setDataValidations(this.all(rule));
  }
  merge() {
    this.sheet.assertCanEdit(this.row, this.col, this.rows, this.cols);
    if (this.sheet.merges.some((m) => overlaps(m, this)))
      throw new Error("You must select all cells in a merged range to merge or unmerge them.");
    this.sheet.merges.push(this);
    return this as unknown as GRange;
  }
  breakApart() {
    this.sheet.assertCanEdit(this.row, this.col, this.rows, this.cols);
    this.sheet.merges = this.sheet.merges.filter((m) => !overlaps(m, this));
    return this as unknown as GRange;
  }
  protect() {
    const p = new FakeProtection(this.sheet.env, this.sheet, "RANGE", this);
    this.sheet.protections.push(p);
    return p;
  }
  activate() {
    this.sheet.env.spreadsheet.activeRange = this;
    return this as unknown as GRange;
  }
}

function overlaps(a: FakeRange, b: FakeRange): boolean {
  return !(
    a.row + a.rows - 1 < b.row ||
    b.row + b.rows - 1 < a.row ||
    a.col + a.cols - 1 < b.col ||
    b.col + b.cols - 1 < a.col
  );
}

export class FakeSheet implements Partial<GoogleAppsScript.Spreadsheet.Sheet> {
  cells: Cell[][] = [];
  merges: FakeRange[] = [];
  protections: FakeProtection[] = [];
  rules: FakeConditionalFormatRule[] = [];
  charts: FakeChart[] = [];
  frozenRows = 0;
  frozenColumns = 0;
  hidden = false;
  widths = new Map<number, number>();
  maxRows = 1000;
  maxCols = 26;
  constructor(
    readonly env: FakeEnv,
    public name: string,
    readonly id: number,
  ) {}
  cell(r: number, c: number, create = false): Cell {
    const row = this.cells[r - 1] ?? (create ? (this.cells[r - 1] = []) : undefined);
    if (!row) return { v: "" };
    return row[c - 1] ?? (create ? (row[c - 1] = { v: "" }) : { v: "" });
  }
  assertCanEdit(row: number, col: number, rows: number, cols: number) {
    this.env.assertEditor();
    // Any protected cell in the target refuses the whole write, for the effective user: https://developers.google.com/apps-script/reference/spreadsheet/protection
    if (this.protections.some((p) => p.blocks(row, col, rows, cols))) throw new Error(PROTECTED_MESSAGE);
  }
  /** Formats of the whole sheet (widths, frozen rows, rules, charts, visibility) are changes to every cell: strict where Google is silent. */
  assertCanEditSheet() {
    this.assertCanEdit(1, 1, this.maxRows, this.maxCols);
  }
  getName() {
    return this.name;
  }
  getSheetId() {
    return this.id;
  }
  setName(name: string) {
    this.assertCanEdit(1, 1, this.maxRows, this.maxCols);
    if (this.env.spreadsheet.sheets.some((s) => s !== this && s.name.toLowerCase() === name.toLowerCase()))
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    this.name = name;
    return this as unknown as GSheet;
  }
  getRange(a: number | string, b?: number, c?: number, d?: number) {
    if (typeof a === "string") {
      const r = a1ToIndex(a);
      return new FakeRange(
        this,
        r.row,
        r.col,
        r.rows === Number.MAX_SAFE_INTEGER ? this.maxRows - r.row + 1 : Math.min(r.rows, this.maxRows - r.row + 1),
        r.cols,
      ) as unknown as GRange;
    }
    return new FakeRange(this, a, b!, c ?? 1, d ?? 1) as unknown as GRange;
  }
  lastRowRaw(): number {
    for (let r = this.cells.length; r >= 1; r--)
      if ((this.cells[r - 1] ?? []).some((c) => c && c.v !== "" && c.v !== null && c.v !== undefined)) return r;
    return 0;
  }
  lastColRaw(): number {
    let max = 0;
    for (const row of this.cells)
      if (row)
        for (let c = row.length; c > max; c--)
          if (row[c - 1] && row[c - 1]!.v !== "" && row[c - 1]!.v !== undefined) max = c;
    return max;
  }
  getLastRow() {
    return this.lastRowRaw();
  }
  getLastColumn() {
    return this.lastColRaw();
  }
  getMaxRows() {
    return this.maxRows;
  }
  getMaxColumns() {
    return this.maxCols;
  }
  getDataRangeRaw(): FakeRange {
    return new FakeRange(this, 1, 1, Math.max(1, this.lastRowRaw()), Math.max(1, this.lastColRaw()));
  }
  getDataRange() {
    return this.getDataRangeRaw() as unknown as GRange;
  }
  insertRowsAfter(after: number, n: number) {
    this.assertCanEdit(1, 1, this.maxRows, this.maxCols);
    this.cells.splice(after, 0, ...Array.from({ length: n }, () => []));
    this.maxRows += n;
    return this as unknown as GSheet;
  }
  insertColumnsAfter(after: number, n: number) {
    this.assertCanEdit(1, 1, this.maxRows, this.maxCols);
    for (const row of this.cells) if (row) row.splice(after, 0, ...Array.from({ length: n }, () => ({ v: "" })));
    this.maxCols += n;
    return this as unknown as GSheet;
  }
  clear() {
    this.assertCanEdit(1, 1, this.maxRows, this.maxCols);
    this.cells = [];
    return this as unknown as GSheet;
  }
  clearConditionalFormatRules() {
    this.assertCanEditSheet();
    this.rules = [];
  }
  setConditionalFormatRules(rules: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[]) {
    this.assertCanEditSheet();
    this.rules = rules as unknown as FakeConditionalFormatRule[];
  }
  getConditionalFormatRules() {
    return this.rules as unknown as GoogleAppsScript.Spreadsheet.ConditionalFormatRule[];
  }
  setFrozenRows(n: number) {
    this.assertCanEditSheet();
    this.frozenRows = n;
  }
  getFrozenRows() {
    return this.frozenRows;
  }
  getFrozenColumns() {
    return this.frozenColumns;
  }
  setColumnWidth(c: number, w: number) {
    this.assertCanEditSheet();
    this.widths.set(c, w);
    return this as unknown as GSheet;
  }
  setColumnWidths(start: number, n: number, w: number) {
    this.assertCanEditSheet();
    for (let c = start; c < start + n; c++) this.widths.set(c, w);
    return this as unknown as GSheet;
  }
  hideSheet() {
    this.assertCanEditSheet();
    this.hidden = true;
    return this as unknown as GSheet;
  }
  showSheet() {
    this.assertCanEditSheet();
    this.hidden = false;
    return this as unknown as GSheet;
  }
  isSheetHidden() {
    return this.hidden;
  }
  protect() {
    const existing = this.protections.find((p) => p.type === "SHEET");
    if (existing) return existing;
    const p = new FakeProtection(this.env, this, "SHEET", null);
    this.protections.push(p);
    return p;
  }
  getProtections(type: GoogleAppsScript.Spreadsheet.ProtectionType) {
    return this.protections.filter((p) => p.type === String(type));
  }
  newChart() {
    return new FakeChartBuilder() as unknown as GoogleAppsScript.Spreadsheet.EmbeddedChartBuilder;
  }
  insertChart(chart: GoogleAppsScript.Spreadsheet.EmbeddedChart) {
    this.assertCanEditSheet();
    this.charts.push(chart as unknown as FakeChart);
  }
  removeChart(chart: GoogleAppsScript.Spreadsheet.EmbeddedChart) {
    this.assertCanEditSheet();
    this.charts = this.charts.filter((c) => c !== (chart as unknown as FakeChart));
  }
  getCharts() {
    return [...this.charts] as unknown as GoogleAppsScript.Spreadsheet.EmbeddedChart[];
  }
  activate() {
    this.env.spreadsheet.activeSheet = this;
    return this as unknown as GSheet;
  }
  setTabColor(_c: string | null) {
    return this as unknown as GSheet;
  }
  getParent() {
    return this.env.spreadsheet as unknown as GSpreadsheet;
  }
}

export class FakeSpreadsheet implements Partial<GoogleAppsScript.Spreadsheet.Spreadsheet> {
  sheets: FakeSheet[] = [];
  editors: Set<string>;
  /** Users the file is shared with to view only (Drive permissions, role reader): they may read it, not write it. */
  readers = new Set<string>();
  activeSheet: FakeSheet;
  activeRange: FakeRange | null = null;
  locale = "en_US";
  /** A new spreadsheet takes its creator's time zone; the fake's creator is in California. */
  timeZone = "America/Los_Angeles";
  toasts: string[] = [];
  private nextId = 1;
  constructor(
    readonly env: FakeEnv,
    readonly owner: string,
    editors: string[],
    readonly id = "fake-spreadsheet-id",
  ) {
    this.editors = new Set(editors.map((e) => e.toLowerCase()));
    this.activeSheet = new FakeSheet(env, "Trang tính1", 0);
    this.sheets.push(this.activeSheet);
  }
  getId() {
    return this.id;
  }
  name = "Thi đua cụm";
  getName() {
    return this.name;
  }
  getUrl() {
    return `https://docs.google.com/spreadsheets/d/${this.id}/edit`;
  }
  getSheets() {
    return [...this.sheets] as unknown as GSheet[];
  }
  getSheetByName(name: string) {
    return (this.sheets.find((s) => s.name === name) ?? null) as unknown as GSheet | null;
  }
  insertSheet(name?: string | number | object, index?: number | object) {
    if (typeof name === "object" || typeof index === "object") notModeled("insertSheet with a template");
    return this.insertSheetRaw(
      typeof name === "string" ? name : undefined,
      typeof name === "number" ? name : index,
    ) as unknown as GSheet;
  }
  /** A sheet the Sheets API adds, with the id the request chose (or the next free one). */
  addSheetWithId(name: string, id?: number): FakeSheet {
    const sheet = new FakeSheet(this.env, name, id ?? this.nextId);
    this.nextId = Math.max(this.nextId, sheet.id) + 1;
    this.sheets.push(sheet);
    return sheet;
  }
  /** insertSheet with the fake's own type, for tests that prepare a spreadsheet. */
  insertSheetRaw(name?: string, index?: number): FakeSheet {
    this.env.assertEditor();
    const n = typeof name === "string" ? name : `Trang tính${this.sheets.length + 1}`;
    if (this.sheets.some((s) => s.name.toLowerCase() === n.toLowerCase()))
      throw new Error(`A sheet with the name "${n}" already exists. Please enter another name.`);
    const sheet = new FakeSheet(this.env, n, this.nextId++);
    if (typeof index === "number") this.sheets.splice(index, 0, sheet);
    else this.sheets.push(sheet);
    this.activeSheet = sheet;
    return sheet;
  }
  deleteSheet(sheet: GSheet) {
    const s = sheet as unknown as FakeSheet;
    s.assertCanEdit(1, 1, s.maxRows, s.maxCols);
    if (this.sheets.length === 1) throw new Error("You can't remove all the sheets in a document.");
    this.sheets = this.sheets.filter((x) => x !== s);
  }
  getActiveSheet() {
    return this.activeSheet as unknown as GSheet;
  }
  getActiveRange() {
    return this.activeRange as unknown as GRange | null;
  }
  getOwner() {
    return new FakeUser(this.owner);
  }
  getEditors() {
    return [...this.editors].map((e) => new FakeUser(e));
  }
  addEditor(e: string | GoogleAppsScript.Base.User) {
    this.editors.add((typeof e === "string" ? e : e.getEmail()).toLowerCase());
    return this as unknown as GSpreadsheet;
  }
  setSpreadsheetLocale(l: string) {
    this.locale = l;
  }
  getSpreadsheetLocale() {
    return this.locale;
  }
  setSpreadsheetTimeZone(tz: string) {
    this.timeZone = tz;
  }
  getSpreadsheetTimeZone() {
    return this.timeZone;
  }
  toast(msg: string) {
    this.toasts.push(msg);
  }
  getRange(a1: string) {
    const m = /^'?(.+?)'?!(.+)$/.exec(a1);
    const sheet = m ? this.sheets.find((s) => s.name === m[1]) : this.activeSheet;
    if (!sheet) throw new Error("Range not found");
    return sheet.getRange(m ? m[2]! : a1);
  }
}

interface RichTextBuilder {
  setText(t: string): RichTextBuilder;
  setLinkUrl(u: string): RichTextBuilder;
  build(): { getText(): string; getLinkUrl(): string | null };
}

export interface SpreadsheetAppGlobal {
  getActiveSpreadsheet(): FakeSpreadsheet;
  getActive(): FakeSpreadsheet;
  getUi(): FakeUi;
  newDataValidation(): FakeDataValidationBuilder;
  newConditionalFormatRule(): FakeConditionalFormatRuleBuilder;
  newRichTextValue(): RichTextBuilder;
  flush(): void;
  ProtectionType: Record<string, string>;
  InterpolationType: Record<string, string>;
  BorderStyle: Record<string, string>;
  DataValidationCriteria: Record<string, string>;
}

export function spreadsheetApp(env: FakeEnv): SpreadsheetAppGlobal {
  const app: SpreadsheetAppGlobal & Partial<Omit<S, keyof SpreadsheetAppGlobal>> = {
    getActiveSpreadsheet: () => env.spreadsheet,
    getActive: () => env.spreadsheet,
    getUi: () => env.ui,
    newDataValidation: () => new FakeDataValidationBuilder(),
    newConditionalFormatRule: () => new FakeConditionalFormatRuleBuilder(),
    newRichTextValue: () => {
      let text = "";
      let url: string | null = null;
      const b: RichTextBuilder = {
        setText: (t: string) => ((text = t), b),
        setLinkUrl: (u: string) => ((url = u), b),
        build: () => ({ getText: () => text, getLinkUrl: () => url }),
      };
      return b;
    },
    flush: () => undefined,
    ProtectionType: { RANGE: "RANGE", SHEET: "SHEET" },
    InterpolationType: { NUMBER: "NUMBER", PERCENT: "PERCENT", MIN: "MIN", MAX: "MAX", PERCENTILE: "PERCENTILE" },
    BorderStyle: { SOLID: "SOLID" },
    DataValidationCriteria: { VALUE_IN_LIST: "VALUE_IN_LIST", NUMBER_BETWEEN: "NUMBER_BETWEEN" },
  };
  return app;
}
