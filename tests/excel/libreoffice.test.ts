import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { a1 } from "../../src/core/problem";
import { COL, SCHOOL_HEADER_ROW, TEXT_COL } from "../../src/core/sheets/school-layout";
import { scoreCluster } from "../../src/core/figures/score";
import { META_SHEET } from "../../src/core/sheets/template-meta";
import { readSchoolWorkbook } from "../../src/excel/reader";
import { buildSummaryWorkbook } from "../../src/excel/summary";
import { convert, libreOfficeOrSkip } from "../helpers/libreoffice";
import { ROOT, sampleDefinition, sampleSubmissions } from "../helpers/samples";
import { blankTemplate, figureCell, figureRow, fill, FULL_2023, loadWb, saveWb } from "../helpers/workbooks";
import { byCode } from "../helpers/figures";

const hasLo = libreOfficeOrSkip();

/** Whether a cell is locked, read from the XML: exceljs reads only 0/1 where LibreOffice writes true/false. */
function lockedInXml(sheetXml: string, stylesXml: string, ref: string): boolean {
  const style = Number(new RegExp(`<c r="${ref}"[^>]*? s="(\\d+)"`).exec(sheetXml)?.[1] ?? 0);
  const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)![1]!.split(/<xf /).slice(1);
  const locked = /<protection[^>]*locked="(true|false|1|0)"/.exec(xfs[style]!)?.[1];
  return locked === undefined || locked === "true" || locked === "1";
}
const def = sampleDefinition();
/** A PDF's text with every run of white space as one space. */
const pdfWords = (pdf: string) => execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
const work = () => mkdtempSync(join(tmpdir(), "lo-test-"));
const ARTIFACTS = join(ROOT, "test-artifacts");

describe.runIf(hasLo)("LibreOffice, a real office suite", () => {
  it("opens the template with values, Vietnamese text, validation and protection intact after a re-save", async () => {
    const dir = work();
    const src = join(dir, "mau-DLK.xlsx");
    writeFileSync(src, await blankTemplate(def, "DLK"));
    const resaved = convert(src, "xlsx:Calc MS Excel 2007 XML", join(dir, "lo"));
    const wb = await loadWb(new Uint8Array(readFileSync(resaved)));
    const ws = wb.getWorksheet("Đắk Lắk")!;
    const heading = "CỤM THI ĐUA CÁC TRƯỜNG CHÍNH TRỊ KHU VỰC NAM TRUNG BỘ VÀ TÂY NGUYÊN";
    expect(ws.getCell(a1(0, TEXT_COL)).value).toBe(heading);
    const lopNameHead = "Số lớp đào tạo, bồi dưỡng (trung cấp LLCT-HC, ";
    const lopName = lopNameHead + "bồi dưỡng, liên kết cao cấp)";
    expect(ws.getCell(figureCell(def, "LOP", "name")).value).toBe(lopName);
    expect(ws.getCell(figureRow(def, "LOP"), COL.achieved + 1).dataValidation).toMatchObject({
      type: "whole",
      operator: "greaterThanOrEqual",
    });
    expect(ws.getCell(figureRow(def, "LOP"), COL.achieved + 1).dataValidation.prompt).toMatch(/Nhập số lớp/);
    expect(ws.getCell(figureRow(def, "CHUAN"), COL.achieved + 1).dataValidation).toMatchObject({ type: "list" });
    expect(ws.getCell(figureRow(def, "CHUAN"), COL.achieved + 1).dataValidation.formulae![0]).toBe('"Đạt,Không đạt"');
    expect(ws.getCell(figureRow(def, "HTTNV"), COL.achieved + 1).numFmt).toMatch(/%/);
    // exceljs reads only sheet="1"; LibreOffice writes the equally valid sheet="true".
    const zip = await JSZip.loadAsync(readFileSync(resaved));
    const sheetXml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    expect(sheetXml).toMatch(/<sheetProtection[^>]*sheet="(true|1)"/);
    const styles = await zip.file("xl/styles.xml")!.async("string");
    expect(lockedInXml(sheetXml, styles, figureCell(def, "LOP", "registered"))).toBe(false);
    expect(lockedInXml(sheetXml, styles, figureCell(def, "CHUAN", "achieved"))).toBe(false);
    expect(lockedInXml(sheetXml, styles, figureCell(def, "LOP", "name"))).toBe(true);
    expect(lockedInXml(sheetXml, styles, a1(SCHOOL_HEADER_ROW, COL.registered))).toBe(true);
    expect(wb.getWorksheet(META_SHEET)!.state).not.toBe("visible");
  });

  it("renders the template and the summary to PDF with the Vietnamese text and figures", async () => {
    const dir = work();
    const src = join(dir, "mau.xlsx");
    writeFileSync(src, await fill(await blankTemplate(def, "DLK"), FULL_2023));
    const pdf = convert(src, "pdf", dir);
    // The words as the PDF holds them, in reading order: where a renderer wraps a line depends on its fonts.
    const text = pdfWords(pdf);
    expect(text).toContain("BẢNG ĐĂNG KÝ VÀ KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA NĂM 2023");
    expect(text).toContain("Trường Chính trị tỉnh Đắk Lắk (mã trường: DLK)");
    // A table cell's wrapped lines come out between its neighbours' words: the figures are checked as words.
    for (const figure of ["2.800", "2.950", "90.0%", "95.5%"]) expect(text).toContain(` ${figure} `);
    expect(text).toContain("Đạt chuẩn trường chính trị theo Quy định 11-");

    const d2020 = sampleDefinition("cum-7-tay-nguyen-2020");
    const summary = aggregateCluster(d2020, sampleSubmissions(d2020));
    const wb = await buildSummaryWorkbook(summary, scoreCluster(summary), {
      madeAt: new Date(Date.UTC(2020, 10, 23, 2)),
    });
    const summaryFile = join(dir, "tong-hop.xlsx");
    writeFileSync(summaryFile, await saveWb(wb));
    const summaryText = pdfWords(convert(summaryFile, "pdf", dir));
    expect(summaryText).toContain("TỔNG HỢP KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA NĂM 2020");
    expect(summaryText).toMatch(/19\.082/);
    expect(summaryText).toMatch(/261/);
    expect(summaryText).toContain("Lập lúc 23/11/2020 09:00");
    expect(summaryText).toContain("TÌNH TRẠNG NỘP SỐ LIỆU NĂM 2020");
    expect(summaryText).toContain("KẾT QUẢ CHẤM ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM 2020");
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", pdf, join(ARTIFACTS, "mau-excel-trang-1")]);
  });

  it("reads back a template filled and re-saved through LibreOffice", async () => {
    const dir = work();
    const src = join(dir, "da-dien.xlsx");
    writeFileSync(
      src,
      await fill(await blankTemplate(def, "GLA"), {
        ...FULL_2023,
        HOCVIEN: { registered: "2.800", achieved: "19.082" },
        LOP: { registered: 40, achieved: 42, note: "Có 3 lớp liên kết" },
      }),
    );
    const resaved = convert(src, "xlsx:Calc MS Excel 2007 XML", join(dir, "lo"));
    const report = await readSchoolWorkbook(def, new Uint8Array(readFileSync(resaved)), "da-dien.xlsx");
    expect(report.problems).toEqual([]);
    expect(report.school!.code).toBe("GLA");
    expect(byCode(report.figures)).toMatchObject({
      LOP: { registered: 40, achieved: 42, note: "Có 3 lớp liên kết" },
      HOCVIEN: { registered: 2800, achieved: 19082 },
      HTTNV: { registered: 90, achieved: 95.5 },
      CHUAN: { registered: true, achieved: true },
    });
  });
});
