import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { COL, SCHOOL_HEADER_ROW } from "../../src/core/sheets/school-layout";
import { readSchoolWorkbook } from "../../src/excel/reader";
import { sampleDefinition } from "../helpers/samples";
import { blankTemplate, figureCell, figureRow, fill, FULL_2023, rewritePart, saveWb } from "../helpers/workbooks";
import { byCode } from "../helpers/figures";

const def = sampleDefinition();
const read = (bytes: Uint8Array) => readSchoolWorkbook(def, bytes, "tep.xlsx");

describe("reading files from real office suites", () => {
  it("takes inline strings", async () => {
    const filled = await fill(await blankTemplate(def, "KTU"), FULL_2023);
    // Write LOP's achieved cell as an inline string, as some tools do.
    const cell = figureCell(def, "LOP", "achieved");
    const inline = await rewritePart(filled, "xl/worksheets/sheet1.xml", (xml) => {
      const out = xml.replace(
        new RegExp(`<c r="${cell}"([^>]*?)(?: t="[a-z]+")?><v>([^<]*)</v></c>`),
        `<c r="${cell}"$1 t="inlineStr"><is><t>42</t></is></c>`,
      );
      expect(out).not.toBe(xml);
      return out;
    });
    const r = await read(inline);
    expect(r.problems).toEqual([]);
    expect(byCode(r.figures).LOP!.achieved).toBe(42);
  });
  it("takes the cached result of a formula in a figure cell", async () => {
    const r = await read(
      await fill(await blankTemplate(def, "KTU"), {
        ...FULL_2023,
        LOP: { registered: { formula: "20+20", result: 40 }, achieved: 42 },
      }),
    );
    expect(r.problems).toEqual([]);
    expect(byCode(r.figures).LOP!.registered).toBe(40);
  });
  it("refuses a formula typed in a note", async () => {
    const r = await read(
      await fill(await blankTemplate(def, "KTU"), {
        ...FULL_2023,
        LOP: { ...FULL_2023.LOP, note: { formula: 'HYPERLINK("http://x","bấm")', result: "bấm" } },
      }),
    );
    expect(r.problems).toEqual([
      expect.objectContaining({
        cell: figureCell(def, "LOP", "note"),
        sheet: "Kon Tum",
        file: "tep.xlsx",
        school: "KTU",
        message: expect.stringMatching(/ô chứa công thức "HYPERLINK/),
      }),
    ]);
  });
  it("takes rich text, hyperlinks, NFD text and Vietnamese number text", async () => {
    const r = await read(
      await fill(await blankTemplate(def, "KTU"), {
        ...FULL_2023,
        HOCVIEN: {
          registered: { richText: [{ text: "2." }, { text: "800", font: { bold: true } }] },
          achieved: " 2.950 ",
        },
        CHUAN: { registered: "Đạt".normalize("NFD"), achieved: "KHÔNG ĐẠT".normalize("NFD") },
        HOITHAO: { registered: 4, achieved: 5, note: { text: "xem báo cáo", hyperlink: "http://vi-du.vn" } },
      }),
    );
    expect(r.problems).toEqual([]);
    expect(byCode(r.figures).HOCVIEN).toMatchObject({ registered: 2800, achieved: 2950 });
    expect(byCode(r.figures).CHUAN).toMatchObject({ registered: true, achieved: false });
    expect(byCode(r.figures).HOITHAO!.note).toBe("xem báo cáo");
  });
  it("tolerates merged cells, inserted blank rows and a renamed sheet", async () => {
    const bytes = await fill(await blankTemplate(def, "KTU"), FULL_2023, (ws) => {
      ws.name = "Số liệu Kon Tum";
      // LOP's note merged with the next line's (HOCVIEN), and two blank rows inserted below them.
      const lop = figureRow(def, "LOP");
      ws.getCell(lop, COL.note + 1).value = "gộp hai ô";
      ws.mergeCells(lop, COL.note + 1, lop + 1, COL.note + 1);
      ws.spliceRows(lop + 2, 0, [], []);
    });
    const r = await read(bytes);
    expect(r.problems).toEqual([]);
    expect(r.sheet).toBe("Số liệu Kon Tum");
    expect(byCode(r.figures).LOP!.note).toBe("gộp hai ô");
    expect(byCode(r.figures).HOCVIEN!.note).toBe("");
  });
  it("finds columns that were moved", async () => {
    const bytes = await fill(await blankTemplate(def, "KTU"), FULL_2023, (ws) => {
      ws.unprotect();
      // Move "Ghi chú" in front of "Đăng ký" and add an empty column at the left.
      const notes = ws.getColumn(COL.note + 1).values.slice(1);
      ws.spliceColumns(COL.note + 1, 1);
      ws.spliceColumns(COL.registered + 1, 0, notes as ExcelJS.CellValue[]);
      ws.spliceColumns(1, 0, []);
    });
    const r = await read(bytes);
    expect(r.problems).toEqual([]);
    expect(byCode(r.figures).LOP).toEqual({ registered: 40, achieved: 42, note: "" });
  });
  it("names a deleted column", async () => {
    const bytes = await fill(await blankTemplate(def, "KTU"), FULL_2023, (ws) => {
      ws.unprotect();
      ws.spliceColumns(COL.achieved + 1, 1);
    });
    const r = await read(bytes);
    const header = SCHOOL_HEADER_ROW + 1;
    const missingColumnHead = `Hàng tiêu đề \\(hàng ${header}\\) `;
    const missingColumnTail = /thiếu cột "Thực hiện"; có thể cột đã bị xóa/.source;
    const missingColumn = new RegExp(missingColumnHead + missingColumnTail);
    expect(r.problems).toEqual([
      expect.objectContaining({
        sheet: "Kon Tum",
        cell: `${header}:${header}`,
        message: expect.stringMatching(missingColumn),
      }),
    ]);
  });
  it("reads a percent typed as text in a plain cell", async () => {
    const r = await read(
      await fill(await blankTemplate(def, "KTU"), { ...FULL_2023, HTTNV: { registered: "90%", achieved: "95,5 %" } }),
    );
    expect(r.problems).toEqual([]);
    expect(byCode(r.figures).HTTNV).toMatchObject({ registered: 90, achieved: 95.5 });
  });
  it("says a workbook that is not a template is not one", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Trang1").addRow(["STT", "Mã", "Chỉ tiêu", "Đăng ký", "Thực hiện"]);
    const r = await read(await saveWb(wb));
    expect(r.problems[0]!.message).toMatch(/không phải là mẫu do cum-thi-dua tạo/);
  });
});
