import { describe, expect, it } from "vitest";
import { COL, SCHOOL_HEADER_ROW, SCHOOL_HEADERS, VN_INTEGER_FORMAT } from "../../src/core/sheets/school-layout";
import { META_SHEET } from "../../src/core/sheets/template-meta";
import { readSchoolWorkbook } from "../../src/excel/reader";
import { templateBuffer } from "../../src/excel/template";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";
import { blankTemplate, fill, FULL_2023, loadWb } from "../helpers/workbooks";
import { byCode } from "../helpers/figures";

const def = sampleDefinition();

describe("school template", async () => {
  const wb = await loadWb(await blankTemplate(def, "DLK"));
  const ws = wb.worksheets[0]!;
  const rowOf = (code: string) => {
    let found = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(COL.code + 1).value === code) found = n;
    });
    return found;
  };

  it("has the data sheet, the instructions and the hidden identity sheet", () => {
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ["Đắk Lắk", "visible"],
      ["Hướng dẫn", "visible"],
      [META_SHEET, "veryHidden"],
    ]);
    expect(ws.getRow(SCHOOL_HEADER_ROW + 1).values).toEqual([undefined, ...SCHOOL_HEADERS]);
    expect(wb.getWorksheet(META_SHEET)!.getCell("B5").value).toBe("DLK");
    expect(wb.getWorksheet("Hướng dẫn")!.getCell("A3").value).toMatch(
      /Mẫu dành riêng cho: Trường Chính trị tỉnh Đắk Lắk/,
    );
  });
  it("puts Vietnamese input rules on the figure cells", () => {
    const lop = ws.getCell(rowOf("LOP"), COL.achieved + 1).dataValidation;
    expect(lop).toMatchObject({ type: "whole", operator: "greaterThanOrEqual", formulae: [0], showErrorMessage: true });
    expect(lop.prompt).toMatch(/Nhập số lớp/);
    const pct = ws.getCell(rowOf("HTTNV"), COL.registered + 1);
    expect(pct.dataValidation).toMatchObject({ type: "decimal", operator: "between", formulae: [0, 1] });
    expect(pct.numFmt).toBe("0.0%");
    expect(ws.getCell(rowOf("CHUAN"), COL.achieved + 1).dataValidation).toMatchObject({
      type: "list",
      formulae: ['"Đạt,Không đạt"'],
    });
    expect(ws.getCell(rowOf("HOCVIEN"), COL.achieved + 1).numFmt).toBe(VN_INTEGER_FORMAT);
  });
  it("protects the sheet without a password and unlocks only the input cells", () => {
    // exceljs keeps what it read in sheetProtection, which its typings leave out.
    const protection = (ws as unknown as { sheetProtection: { sheet?: boolean; algorithmName?: string } })
      .sheetProtection;
    expect(protection).toMatchObject({ sheet: true });
    expect(protection.algorithmName).toBeUndefined();
    const r = rowOf("LOP");
    expect(ws.getCell(r, COL.registered + 1).protection?.locked).toBe(false);
    expect(ws.getCell(r, COL.note + 1).protection?.locked).toBe(false);
    expect(ws.getCell(r, COL.name + 1).protection?.locked).not.toBe(false);
    expect(ws.getCell(SCHOOL_HEADER_ROW + 1, COL.registered + 1).protection?.locked).not.toBe(false);
  });
  it("prints on A4, header repeated", () => {
    const header = `${SCHOOL_HEADER_ROW + 1}:${SCHOOL_HEADER_ROW + 1}`;
    expect(ws.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: "portrait",
      fitToWidth: 1,
      printTitlesRow: header,
    });
  });
  it("reads back what a school typed", async () => {
    const filled = await fill(await blankTemplate(def, "DLK"), FULL_2023);
    const report = await readSchoolWorkbook(def, filled, "dlk.xlsx");
    expect(report.problems).toEqual([]);
    expect(report.school!.code).toBe("DLK");
    expect(byCode(report.figures)).toMatchObject({
      HOCVIEN: { registered: 2800, achieved: 2950 },
      HTTNV: { registered: 90, achieved: 95.5 },
      CHUAN: { registered: true, achieved: true },
    });
  });
  it("is pre-filled with existing figures, which read back unchanged", async () => {
    const d2020 = sampleDefinition("cum-7-tay-nguyen-2020");
    const figures = sampleSubmissions(d2020).find((s) => s.school === "LDO")!.figures!;
    const bytes = await templateBuffer(
      d2020,
      d2020.schools.find((s) => s.code === "LDO")!,
      figures,
    );
    const report = await readSchoolWorkbook(d2020, bytes, "ldo.xlsx");
    expect(report.problems).toEqual([]);
    expect(report.figures).toEqual(figures);
  });
});
