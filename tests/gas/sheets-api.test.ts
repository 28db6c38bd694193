/**
 * The fake's Sheets API batchUpdate, rule by rule: requests apply in order,
 * a failing one leaves nothing changed, protections refuse a request as a
 * whole for the effective user, strings stay text whatever the locale, and
 * get answers only the fields asked for. Then the add-on's own writes on it.
 */
import { describe, expect, it } from "vitest";
import {
  buildSchoolSheet,
  CHECKBOX_COL,
  CHECKBOX_ROW,
  COL,
  schoolSheetName,
  STATUS_FIRST_ROW,
  TEXT_COL,
} from "../../src/core/sheets/school-layout";
import { STATUS_LINES } from "../../src/core/sheets/status-block";
import type { FakeEnv } from "../fake-gas/env";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { editorOf, GOOD, headOf, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures } from "./helpers";

const def = sample2023();
type Request = GoogleAppsScript.Sheets.Schema.Request;

function api(env: FakeEnv) {
  return (env.globals() as { Sheets: typeof globalThis.Sheets }).Sheets!.Spreadsheets!;
}
const text = (s: string) => ({ userEnteredValue: { stringValue: s } });
const cells = (sheetId: number, rows: ReturnType<typeof text>[][], at = { row: 0, col: 0 }): Request => ({
  updateCells: {
    range: {
      sheetId,
      startRowIndex: at.row,
      endRowIndex: at.row + rows.length,
      startColumnIndex: at.col,
      endColumnIndex: at.col + rows[0]!.length,
    },
    rows: rows.map((values) => ({ values })),
    fields: "*",
  },
});

describe("batchUpdate on the fake", () => {
  it("keeps strings as text in a vi_VN sheet (stringValue is never parsed)", () => {
    const env = newEnv();
    env.spreadsheet.locale = "vi_VN";
    api(env).batchUpdate(
      { requests: [cells(0, [[text("05/06"), text("1.234"), text("007"), text("=1+1")]])] },
      env.spreadsheet.id,
    );
    expect(env.spreadsheet.sheets[0]!.getRange("A1:D1").getValues()).toEqual([["05/06", "1.234", "007", "=1+1"]]);
    expect(env.spreadsheet.sheets[0]!.getRange("D1").getFormulas()).toEqual([[""]]);
  });

  it("applies nothing when one request is invalid, even after valid ones", () => {
    const env = newEnv();
    const sheet = env.spreadsheet.sheets[0]!;
    sheet.getRange("A1").setValue("trước");
    const requests: Request[] = [
      cells(0, [[text("sau")]]),
      { addSheet: { properties: { sheetId: 7, title: "Mới" } } },
      { deleteEmbeddedObject: { objectId: 999 } },
    ];
    expect(() => api(env).batchUpdate({ requests }, env.spreadsheet.id)).toThrow(/No embedded object with id: 999/);
    expect(sheet.getRange("A1").getValue()).toBe("trước");
    expect(env.spreadsheet.sheets.map((s) => s.name)).toEqual(["Trang tính1"]);
  });

  it("takes a sheet id up to 2^31 − 1 and refuses one that is negative or past int32", () => {
    const env = newEnv();
    const add = (sheetId: number, title: string) =>
      api(env).batchUpdate({ requests: [{ addSheet: { properties: { sheetId, title } } }] }, env.spreadsheet.id);
    add(0x7fffffff, "Lớn nhất");
    expect(() => add(-1, "Âm")).toThrow(/Invalid sheetId: -1/);
    expect(() => add(0x80000000, "Quá lớn")).toThrow(/Invalid sheetId: 2147483648/);
    expect(env.spreadsheet.sheets.map((s) => s.name)).toEqual(["Trang tính1", "Lớn nhất"]);
  });

  it("lets a later request use a sheet an earlier one added, and refuses a range past the grid", () => {
    const env = newEnv();
    api(env).batchUpdate(
      {
        requests: [
          { addSheet: { properties: { sheetId: 7, title: "Mới", gridProperties: { rowCount: 2, columnCount: 2 } } } },
          cells(7, [[text("a"), text("b")]]),
        ],
      },
      env.spreadsheet.id,
    );
    expect(env.sheet("Mới").getRange("A1:B1").getValues()).toEqual([["a", "b"]]);
    expect(() =>
      api(env).batchUpdate({ requests: [cells(7, [[text("x")]], { row: 2, col: 0 })] }, env.spreadsheet.id),
    ).toThrow(/exceeds grid limits/);
  });

  it("clears what fields * leaves out, and gives back the formats it wrote", () => {
    const env = newEnv();
    const sheet = env.spreadsheet.sheets[0]!;
    sheet.getRange("A1:B1").setNotes([["ghi chú", "x"]]);
    api(env).batchUpdate(
      {
        requests: [
          {
            updateCells: {
              range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 2 },
              rows: [
                {
                  values: [
                    {
                      userEnteredValue: { numberValue: 0.5 },
                      userEnteredFormat: {
                        numberFormat: { type: "PERCENT", pattern: "0.0%" },
                        backgroundColorStyle: { rgbColor: { red: 1, green: 0.8, blue: 0.8 } },
                        textFormat: { bold: true },
                      },
                    },
                  ],
                },
              ],
              fields: "*",
            },
          },
        ],
      },
      env.spreadsheet.id,
    );
    const a1 = sheet.cell(1, 1);
    expect([a1.v, a1.fmt, a1.bg, a1.weight, a1.note]).toEqual([0.5, "0.0%", "#FFCCCC", "bold", undefined]);
    expect(sheet.cell(1, 2).note).toBeUndefined();
    expect(() =>
      api(env).batchUpdate(
        {
          requests: [
            {
              updateCells: {
                range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 1 },
                rows: [{ values: [{ userEnteredFormat: { numberFormat: { pattern: "0" } } }] }],
                fields: "*",
              },
            },
          ],
        },
        env.spreadsheet.id,
      ),
    ).toThrow(/type must be set/);
  });

  it("answers get with only the fields asked for", () => {
    const env = newEnv();
    const got = api(env).get(env.spreadsheet.id, { fields: "sheets(properties(sheetId,title),charts(chartId))" });
    expect(got).toEqual({ sheets: [{ properties: { sheetId: 0, title: "Trang tính1" }, charts: [] }] });
  });
});

describe("values.batchUpdate on the fake", () => {
  const valuesApi = (env: FakeEnv) =>
    api(env).Values! as unknown as {
      batchUpdate(r: { valueInputOption: string; data: { range: string; values: unknown[][] }[] }, id: string): unknown;
    };

  it("stores RAW values as given: text never parsed, numbers as numbers, null skips a cell and an empty string empties it", () => {
    const env = newEnv();
    env.spreadsheet.locale = "vi_VN";
    const sheet = env.spreadsheet.sheets[0]!;
    sheet.getRange("A2:C2").setValues([["giữ", "xóa", "x"]]);
    valuesApi(env).batchUpdate(
      {
        valueInputOption: "RAW",
        data: [
          { range: "'Trang tính1'!A1:D1", values: [["05/06", "=1+1", 12.5, true]] },
          { range: "'Trang tính1'!A2:C2", values: [[null, ""]] },
        ],
      },
      env.spreadsheet.id,
    );
    expect(sheet.getRange("A1:D2").getValues()).toEqual([
      ["05/06", "=1+1", 12.5, true],
      ["giữ", "", "x", ""],
    ]);
    expect(sheet.getRange("B1").getFormulas()).toEqual([[""]]);
  });

  it("refuses other input options, a range past the grid, and values past their range", () => {
    const env = newEnv();
    const write = (valueInputOption: string, range: string, values: unknown[][]) => () =>
      valuesApi(env).batchUpdate({ valueInputOption, data: [{ range, values }] }, env.spreadsheet.id);
    expect(write("USER_ENTERED", "'Trang tính1'!A1:A1", [["1"]])).toThrow("RAW");
    expect(write("RAW", "'Trang tính1'!A1000:A1001", [["a"], ["b"]])).toThrow("exceeds grid limits");
    expect(write("RAW", "'Trang tính1'!A1:B1", [["a", "b", "c"]])).toThrow("tried writing beyond it");
    expect(write("RAW", "'Không có'!A1:A1", [["a"]])).toThrow("Unable to parse range");
    expect(env.spreadsheet.sheets[0]!.getRange("A1").getValue()).toBe("");
  });

  it("holds protections for the effective user", () => {
    const env = newEnv();
    setUp(env);
    env.activeUser = editorOf(def, "KTU");
    try {
      expect(() =>
        valuesApi(env).batchUpdate(
          { valueInputOption: "RAW", data: [{ range: "'Cấu hình'!A1:A1", values: [["đổi"]] }] },
          env.spreadsheet.id,
        ),
      ).toThrow(PROTECTED_MESSAGE);
    } finally {
      env.activeUser = OWNER;
    }
  });
});

describe("protections hold for the Sheets API as for SpreadsheetApp", () => {
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "KTU", GOOD);
  const kontum = env.sheet("Kon Tum");
  const row = rowOfCode(env, "Kon Tum", "LOP");
  const figure = cells(kontum.id, [[text("99")]], { row: row - 1, col: COL.achieved });
  const label = cells(kontum.id, [[text("nhãn khác")]], { row: row - 1, col: COL.name });
  const frozenRows = buildSchoolSheet(
    def,
    def.schools.find((s) => s.code === "KTU")!,
  ).spec.frozenRows;

  it("a school's editor writes its own figure, but a request that also touches a label fails whole", () => {
    env.activeUser = editorOf(def, "KTU");
    try {
      api(env).batchUpdate({ requests: [figure] }, env.spreadsheet.id);
      expect(kontum.cell(row, COL.achieved + 1).v).toBe("99");
      kontum.getRange(row, COL.achieved + 1).setValue(42);
      expect(() =>
        api(env).batchUpdate(
          { requests: [cells(kontum.id, [[text("98")]], { row: row - 1, col: COL.achieved }), label] },
          env.spreadsheet.id,
        ),
      ).toThrow(PROTECTED_MESSAGE);
      expect(kontum.cell(row, COL.achieved + 1).v).toBe(42);
      // Sheet-wide changes (widths, frozen rows) are refused to whoever cannot edit every cell.
      expect(() =>
        api(env).batchUpdate(
          {
            requests: [
              {
                updateSheetProperties: {
                  properties: { sheetId: kontum.id, gridProperties: { frozenRowCount: frozenRows + 1 } },
                  fields: "gridProperties.frozenRowCount",
                },
              },
            ],
          },
          env.spreadsheet.id,
        ),
      ).toThrow(PROTECTED_MESSAGE);
      expect(kontum.frozenRows).toBe(frozenRows);
    } finally {
      env.activeUser = OWNER;
    }
  });

  it("the head writes labels", () => {
    env.activeUser = headOf(def);
    try {
      api(env).batchUpdate({ requests: [label] }, env.spreadsheet.id);
      expect(kontum.cell(row, COL.name + 1).v).toBe("nhãn khác");
    } finally {
      env.activeUser = OWNER;
    }
  });
});

describe("the add-on's writes through the Sheets API", () => {
  it("Tổng hợp writes its sheets, chart and Nhật ký row in one request, or nothing when Nhật ký is gone", () => {
    const env = newEnv();
    setUp(env);
    typeFigures(env, def, "KTU", GOOD);
    env.log.reset();
    env.run("menuTongHop", { as: headOf(def) });
    expect(env.log.count("Sheets.Spreadsheets.batchUpdate")).toBe(1);
    expect(env.log.count("Range.")).toBe(0);
    const before = env.sheet("Tổng hợp").getDataRangeRaw().getValues();
    env.spreadsheet.sheets = env.spreadsheet.sheets.filter((s) => s.name !== "Nhật ký");
    env.run("menuTongHop", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Không tìm thấy trang "Nhật ký"/);
    expect(env.sheet("Tổng hợp").getDataRangeRaw().getValues()).toEqual(before);
  });

  it("set-up gives every cell of a school's sheet the format its styles give it, the later style winning", () => {
    const env = newEnv();
    setUp(env);
    const school = def.schools[1]!;
    const sheet = env.sheet(schoolSheetName(school));
    // Set-up writes the live status block (its words depend on the year's state and the time): the spec is built
    // with the block the sheet holds, so that which of its cells hold text is what set-up wrote.
    const lines = Array.from({ length: STATUS_LINES }, (_, i) =>
      String(sheet.cell(STATUS_FIRST_ROW + i + 1, TEXT_COL + 1).v ?? ""),
    );
    expect(lines[0]).toMatch(/^TÌNH TRẠNG SỐ LIỆU/);
    const checked = sheet.cell(CHECKBOX_ROW + 1, CHECKBOX_COL + 1).v;
    expect(typeof checked).toBe("boolean");
    const block = {
      lines,
      checkboxText: String(sheet.cell(CHECKBOX_ROW + 1, TEXT_COL + 1).v),
      checked: checked as boolean,
    };
    const { spec } = buildSchoolSheet(def, school, undefined, schoolSheetName(school), block);
    const want = spec.grid.map((r) =>
      r.map((v) => ({
        bg: undefined as string | undefined,
        weight: undefined as string | undefined,
        fmt: typeof v === "string" ? "@" : (undefined as string | undefined),
        wrap: undefined as boolean | undefined,
      })),
    );
    for (const st of spec.styles)
      for (let i = st.range.row; i < st.range.row + st.range.rows; i++)
        for (let j = st.range.col; j < st.range.col + st.range.cols; j++) {
          const w = want[i]?.[j];
          if (!w) continue;
          if (st.fill !== undefined) w.bg = st.fill;
          if (st.bold !== undefined) w.weight = st.bold ? "bold" : "normal";
          if (st.numberFormat !== undefined) w.fmt = st.numberFormat;
          if (st.wrap !== undefined) w.wrap = st.wrap;
        }
    const got = want.map((r, i) =>
      r.map((_, j) => {
        const c = sheet.cell(i + 1, j + 1);
        return { bg: c.bg, weight: c.weight, fmt: c.fmt, wrap: c.wrap };
      }),
    );
    expect(got).toEqual(want);
    expect(sheet.cell(1, 1).family).toBe("Times New Roman");
  });

  it("set-up keeps a code like 05/06 as text in a vi_VN sheet", () => {
    const env = newEnv();
    setUp(env);
    expect(env.spreadsheet.locale).toBe("vi_VN");
    const kontum = env.sheet("Kon Tum");
    const row = rowOfCode(env, "Kon Tum", "LOP");
    kontum
      .getRange(row, COL.note + 1)
      .setNumberFormat("@")
      .setValue("05/06");
    setUp(env);
    expect(kontum.cell(row, COL.note + 1).v).toBe("05/06");
  });
});
