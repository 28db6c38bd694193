/**
 * writeSheetRows + xlsxBytes (the locked year's writer) against writeSheet + exceljs's writeBuffer: the same
 * workbook, part for part, so the faster writer changes nothing a reader of the file can see.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { freezeFigures } from "../../src/cli/year/lock";
import { lockSheets } from "../../src/core/lock/locked-year";
import { range, type SheetSpec } from "../../src/core/sheets/sheet-spec";
import { buildSummarySheets } from "../../src/core/sheets/summary-layout";
import { sheetPassword, type SheetPassword } from "../../src/excel/sheet-password";
import { writeSheet, writeSheetRows, type SheetRows } from "../../src/excel/sheet-writer";
import { xlsxBytes } from "../../src/excel/xlsx-bytes";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";

const MADE = new Date(Date.UTC(2023, 10, 20, 2, 30));

function workbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.created = MADE;
  // exceljs stamps the save time when none is set; both writers get the same one.
  wb.modified = MADE;
  return wb;
}

/** Every file part by name, as text; JSZip's folder entries (exceljs's writer adds them) are no part. */
async function parts(bytes: Uint8Array | ArrayBuffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const [name, file] of Object.entries(zip.files)) if (!file.dir) out.set(name, await file.async("string"));
  return out;
}

async function bothWays(specs: SheetSpec[], password?: SheetPassword) {
  const options = password ? { password } : {};
  const reference = workbook();
  for (const spec of specs) await writeSheet(reference, spec, options);
  const expected = await parts(await reference.xlsx.writeBuffer());
  const fast = workbook();
  const sheets: SheetRows[] = [];
  for (const spec of specs) sheets.push(await writeSheetRows(fast, spec, options));
  const actual = await parts(await xlsxBytes(fast, MADE, sheets));
  return { expected, actual };
}

describe("the locked year's sheet writer", () => {
  it("writes the locked workbook exactly as exceljs writes it from its cells", async () => {
    const def = sampleDefinition();
    const year = freezeFigures(
      def,
      sampleSubmissions(def).map((s) => s.figures!),
    );
    const specs = [
      ...buildSummarySheets(year.verdict.summary, year.verdict.ranking, { madeAt: MADE, madeBy: "thử" }),
      ...lockSheets(
        def,
        {
          at: "20/11/2023 09:30",
          by: "thử",
          fingerprint: year.fingerprint,
          schoolPrints: year.schoolPrints,
          unconfirmed: [],
          definitionPrint: "0".repeat(64),
        },
        year.snapshot,
        JSON.stringify(def),
      ),
    ];
    const { expected, actual } = await bothWays(specs, sheetPassword("mat-khau", new Uint8Array(16).fill(7)));
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [name, xml] of expected) expect(actual.get(name), name).toBe(xml);
    // Not trivially equal: the sheets hold the figures, their styles, merges, heights and the password.
    const ranking = actual.get("xl/worksheets/sheet3.xml")!;
    expect(ranking).toMatch(/<row r="2" ht="\d+" customHeight="1"/);
    expect(actual.get("xl/worksheets/sheet1.xml")).toMatch(/<mergeCell ref="A1:[A-Z]+1"\/>/);
    expect(ranking).toContain('hashValue="');
  });

  it("and for every kind of cell, merge, look and row a sheet can hold", async () => {
    const spec: SheetSpec = {
      name: "Đủ loại",
      grid: [
        ["Tiêu đề dài sẽ được gộp qua ba cột", "bị gộp nên mất", null, "x"],
        [1, 2.5, -3e-7, 1e21],
        [true, false, new Date(Date.UTC(2024, 0, 31, 12)), "=SUM(A1)"],
        ["Một dòng chữ rất dài cần xuống dòng nhiều lần trong một ô hẹp ĐỂ ĐO CHIỀU CAO", null, null, null],
        [null, null, null, null],
        ["a\nb\nc", "<&\"'>", " khoảng trắng ", ""],
      ],
      merges: [range(0, 0, 1, 3), range(3, 1, 2, 2), range(4, 3)],
      styles: [
        { range: range(0, 0, 1, 4), bold: true, fontSize: 14, align: "center" },
        { range: range(1, 0, 2, 4), border: true, numberFormat: "0.00" },
        { range: range(1, 1, 1, 2), fill: "#DCE6F1", color: "#555555", italic: true, valign: "middle" },
        { range: range(3, 0, 3, 1), wrap: true },
        // On a merge's first cell only: the merged cells take it from there.
        { range: range(3, 1), fill: "#FFEEDD", bold: true },
        { range: range(5, 0, 1, 4), wrap: true, valign: "top" },
        // Past the grid: cells that exist only for their look.
        { range: range(7, 5, 1, 2), bold: true },
      ],
      widths: [10, 12],
      frozenRows: 1,
      frozenColumns: 1,
      printTitleColumns: 1,
      inputs: [],
      // A colour scale reaching past the grid names cells that hold nothing.
      colourScales: [{ range: range(1, 0, 9, 2), min: 0, mid: 1, max: 2 }],
      editable: [range(1, 0, 2, 2)],
      landscape: true,
    };
    const hidden: SheetSpec = { ...spec, name: "Ẩn", editable: undefined, hidden: true, frozenColumns: undefined };
    for (const password of [undefined, sheetPassword("x", new Uint8Array(16))]) {
      const { expected, actual } = await bothWays([spec, hidden], password);
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [name, xml] of expected) expect(actual.get(name), name).toBe(xml);
      expect(actual.get("xl/worksheets/sheet1.xml")).toMatch(/<row r="4" ht="\d+" customHeight="1"/);
    }
  });

  it("refuses a sheet with input rules, which only writeSheet writes", async () => {
    const spec: SheetSpec = {
      name: "Nhập",
      grid: [[null]],
      merges: [],
      styles: [],
      widths: [10],
      frozenRows: 0,
      inputs: [{ range: range(0, 0), rule: { type: "whole", min: 0 }, prompt: "Số", error: "Sai" }],
      colourScales: [],
    };
    await expect(writeSheetRows(workbook(), spec)).rejects.toThrow(/input rules/);
  });
});
