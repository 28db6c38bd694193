import { loadDefinition, type ClusterDefinition } from "../../src/core/definition/definition";
import {
  CHECKBOX_COL,
  CHECKBOX_ROW,
  COL,
  schoolSheetName,
  STATUS_FIRST_ROW,
  TEXT_COL,
} from "../../src/core/sheets/school-layout";
import { STATUS_LINES } from "../../src/core/sheets/status-block";
import { a1 } from "../../src/core/problem";
import { buildConfigSheet } from "../../src/core/sheets/config-layout";
import { rectangular } from "../../src/core/sheets/sheet-spec";
import { FakeEnv } from "../fake-gas/env";
import { rawDefinition } from "../helpers/samples";

export const OWNER = "chu.so@truongchinhtri.example";

export function sample2023(): ClusterDefinition {
  return loadDefinition(rawDefinition("nam-trung-bo-tay-nguyen-2023"));
}

export const editorOf = (def: ClusterDefinition, code: string) => def.schools.find((s) => s.code === code)!.editors[0]!;
export const headOf = (def: ClusterDefinition) => def.schools.find((s) => s.role === "head")!.editors[0]!;

/** A spreadsheet shared with every editor of the cluster, owned by someone else, as a blank new file. */
export function newEnv(def: ClusterDefinition = sample2023()): FakeEnv {
  return new FakeEnv({ owner: OWNER, editors: def.schools.flatMap((s) => s.editors), activeUser: OWNER });
}

/** Set-up run by the owner on a blank spreadsheet, accepting the bundled sample. */
export function setUp(env: FakeEnv): void {
  env.ui.answers.push("YES");
  env.run("menuSetup");
}

export function rowOfCode(env: FakeEnv, sheet: string, code: string): number {
  const values = env.sheet(sheet).getDataRangeRaw().getValues();
  const i = values.findIndex((r) => r[COL.code] === code);
  if (i < 0) throw new Error(`no row for ${code} in ${sheet}`);
  return i + 1;
}

/**
 * A school's editor types figures in its sheet, as Sheets would store them
 * (percent cells hold fractions), then Sheets fires the simple onEdit.
 */
export function typeFigures(
  env: FakeEnv,
  def: ClusterDefinition,
  school: string,
  figures: Record<string, [unknown, unknown]>,
  as = editorOf(def, school),
): void {
  const sheet = schoolSheetName(def.schools.find((s) => s.code === school)!);
  for (const [code, [reg, ach]] of Object.entries(figures)) {
    const row = rowOfCode(env, sheet, code);
    env.activeUser = as;
    env
      .sheet(sheet)
      .getRange(row, COL.registered + 1, 1, 2)
      .setValues([[reg, ach]]);
    env.activeUser = OWNER;
    env.run("onEdit", { as, auth: "LIMITED", event: env.editEvent(sheet, `E${row}:F${row}`, undefined, as) });
  }
}

export const GOOD: Record<string, [unknown, unknown]> = {
  LOP: [40, 42],
  HOCVIEN: [2800, 2950],
  DETAI_TINH: [1, 1],
  DETAI_TRUONG: [2, 3],
  HOITHAO: [4, 5],
  HTTNV: [0.9, 0.955],
  CHUAN: ["Đạt", "Đạt"],
};

/** A user writes one cell directly, as typing would; protections decide. */
export function writeAs(env: FakeEnv, as: string, sheet: string, a1: string, v: unknown): void {
  env.activeUser = as;
  try {
    env.sheet(sheet).getRange(a1).setValue(v);
  } finally {
    env.activeUser = OWNER;
  }
}

/** A person types (or pastes) into cells: the write is checked as theirs, then Sheets fires the simple onEdit. */
export function typeCell(env: FakeEnv, as: string, sheet: string, a1: string, v: unknown): void {
  const range = env.sheet(sheet).getRange(a1);
  const old = range.getValue();
  writeAs(env, as, sheet, a1, v);
  env.run("onEdit", { as, auth: "LIMITED", event: env.editEvent(sheet, a1, old, as) });
}

export type FigureChanges = Record<string, Partial<Record<"registered" | "achieved" | "note", unknown>>>;

/**
 * Nhập từ Excel as the dialog does it, server side: the school's current
 * figures and version, the file's figures (the current ones with changes),
 * then applyImport, each a google.script.run call by the same user.
 */
export function importAs(env: FakeEnv, as: string, school: string, changes: FigureChanges): unknown {
  const current = env.run("getSchoolFigures", { as, args: [school] }) as {
    figures: { school: string; rows: Record<string, unknown>[] };
    version: string;
  };
  const figures = structuredClone(current.figures);
  for (const row of figures.rows) Object.assign(row, changes[row.code as string] ?? {});
  const parts = Number(env.properties.getProperty("cau_hinh_so_phan"));
  const def = JSON.parse(
    Array.from({ length: parts }, (_, i) => env.properties.getProperty(`cau_hinh_${i}`)).join(""),
  ) as ClusterDefinition;
  return env.run("applyImport", {
    as,
    args: [
      {
        cluster: def.id,
        year: def.year,
        school,
        file: `${school.toLowerCase()}.xlsx`,
        figures,
        version: current.version,
      },
    ],
  });
}

/** The checkbox of a school's status block, as A1. */
export const CHECKBOX_A1 = a1(CHECKBOX_ROW, CHECKBOX_COL);

/**
 * A person edits a cell as on a phone: the write is checked as theirs, then
 * Sheets fires the simple onEdit as them and the head's installable
 * onEditLog as its creator. Google's refusal (a protected cell) is thrown.
 */
export function phoneEdit(env: FakeEnv, as: string, sheet: string, cell: string, v: unknown): void {
  const old = env.sheet(sheet).getRange(cell).getValue();
  writeAs(env, as, sheet, cell, v);
  env.run("onEdit", { as, auth: "LIMITED", event: env.editEvent(sheet, cell, old, as) });
  env.fireTriggers("onEditLog", env.editEvent(sheet, cell, old, as), as);
}

/** What a school's status block says: its lines (blank ones kept), the text by the box, the box itself. */
export function statusOf(env: FakeEnv, sheet: string): { lines: string[]; checkboxText: string; checked: unknown } {
  const values = env.sheet(sheet).getDataRangeRaw().getValues();
  const text = (r: number) => String(values[r]?.[TEXT_COL] ?? "");
  return {
    lines: Array.from({ length: STATUS_LINES }, (_, i) => text(STATUS_FIRST_ROW + i)),
    checkboxText: text(CHECKBOX_ROW),
    checked: values[CHECKBOX_ROW]?.[CHECKBOX_COL],
  };
}

/** A Sheet whose Cấu hình holds the year's definition, set up by the head school. */
export function sheetFor(def: ClusterDefinition, extraEditors: string[] = []): FakeEnv {
  const env = new FakeEnv({
    owner: OWNER,
    editors: [...def.schools.flatMap((s) => s.editors), ...extraEditors],
    activeUser: OWNER,
  });
  const config = env.spreadsheet.insertSheetRaw("Cấu hình");
  const grid = rectangular(buildConfigSheet(def).grid).map((r) => r.map((v) => (v === null ? "" : v)));
  config.maxCols = Math.max(config.maxCols, grid[0]!.length);
  config.getRange(1, 1, grid.length, grid[0]!.length).setNumberFormat("@").setValues(grid);
  // The head school's staff set the Sheet up: the triggers are theirs.
  env.run("menuSetup", { as: def.schools.find((s) => s.role === "head")!.editors[0]! });
  return env;
}

/**
 * What a person sees in the live Sheet and the archives, without the moments, links and row identities that
 * differ from run to run: a run stopped and run again must end where an undisturbed run ends.
 */
export function seenAcrossYears(env: FakeEnv): unknown {
  const grids = (ss: { sheets: { name: string; getDataRangeRaw(): { getValues(): unknown[][] } }[] }) =>
    ss.sheets.map((s) => ({
      name: s.name,
      values: s
        .getDataRangeRaw()
        .getValues()
        .map((r) =>
          r.map((v) =>
            // Moments, links, and the identity each Nhật ký row carries (so a retried append is not doubled).
            typeof v === "string" &&
            (/\d\d\/\d\d\/\d{4} \d\d:\d\d|docs\.google\.com|drive\.google\.com/.test(v) ||
              /^[a-z0-9]{6,}-[a-z0-9]{4,}$/.test(v))
              ? "(thay đổi theo lần chạy)"
              : v,
          ),
        ),
    }));
  return { live: grids(env.spreadsheet), archives: env.otherSpreadsheets.map(grids) };
}

/** The run dies (as at the 6-minute limit) at the n-th call named label, counted from now. */
export function dieAt(env: FakeEnv, label: string, n: number): void {
  if (n <= 1)
    env.interleave(label, () => {
      throw new Error("Exceeded maximum execution time");
    });
  else env.interleave(label, () => dieAt(env, label, n - 1));
}
