import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { buildPledge, buildYearReport } from "../../src/core/documents/documents";
import { scoreCluster } from "../../src/core/figures/score";
import { docxBuffer } from "../../src/docx/render";
import { cli } from "../helpers/cli";
import { convert, libreOfficeOrSkip } from "../helpers/libreoffice";
import { ROOT, sampleDefinition, sampleSubmissions } from "../helpers/samples";
import { byCode } from "../helpers/figures";

const d2023 = sampleDefinition();
const d2020 = sampleDefinition("cum-7-tay-nguyen-2020");
const ARTIFACTS = join(ROOT, "test-artifacts");
const hasLo = libreOfficeOrSkip();

async function documentXml(bytes: Uint8Array): Promise<string> {
  return (await JSZip.loadAsync(bytes)).file("word/document.xml")!.async("string");
}

describe("the .docx file", () => {
  it("is A4 portrait with the Decree 30 margins, Times New Roman, page numbers from page 2", async () => {
    const bytes = await docxBuffer(buildPledge(d2023));
    const xml = await documentXml(bytes);
    const attrs = (tag: string) =>
      Object.fromEntries(
        [...(new RegExp(`<w:${tag} ([^>]*)/>`).exec(xml)?.[1] ?? "").matchAll(/w:(\w+)="([^"]*)"/g)].map((m) => [
          m[1],
          m[2],
        ]),
      );
    // Twentieths of a point; the docx package rounds millimetres down by at most one.
    const near = (got: string | undefined, mm: number) =>
      expect(Math.abs(Number(got) - (mm * 1440) / 25.4)).toBeLessThanOrEqual(1);
    const size = attrs("pgSz");
    near(size.w, 210);
    near(size.h, 297);
    expect(size.orient).toBe("portrait");
    const margin = attrs("pgMar");
    near(margin.top, 20);
    near(margin.bottom, 20);
    near(margin.left, 30);
    near(margin.right, 15);
    expect(xml).toContain("<w:titlePg/>");
    expect(xml).toMatch(/w:ascii="Times New Roman"/);
    const zip = await JSZip.loadAsync(bytes);
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /word\/header\d+\.xml/.test(f))
        .map((f) => zip.file(f)!.async("string")),
    );
    expect(headers.some((h) => /PAGE/.test(h) && /w:jc w:val="center"/.test(h))).toBe(true);
  });
  it("repeats table header rows and never splits a row across pages", async () => {
    const xml = await documentXml(await docxBuffer(buildPledge(d2023)));
    expect((xml.match(/<w:tblHeader\/>/g) ?? []).length).toBe(d2023.schools.length);
    expect(xml).toContain("<w:cantSplit/>");
  });
});

describe.runIf(hasLo)("rendered by LibreOffice", () => {
  const dir = mkdtempSync(join(tmpdir(), "docx-"));
  const pdfText = (pdf: string) =>
    execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).normalize("NFC");
  /** Reading order with every run of white space folded: wrapped table cells read as one phrase. */
  const readingText = (pdf: string) =>
    execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).normalize("NFC").replace(/\s+/g, " ");
  const has = (text: string, phrase: string) => expect(text.includes(phrase), `missing: ${phrase}`).toBe(true);

  it("the pledge shows every school, target and name with its diacritics, on A4 with a 30 mm left margin", async () => {
    const file = join(dir, "giao-uoc.docx");
    writeFileSync(
      file,
      await docxBuffer(buildPledge(d2023, { figures: sampleSubmissions(d2023).map((s) => s.figures!) })),
    );
    const pdf = convert(file, "pdf", dir);
    const text = readingText(pdf);
    for (const s of d2023.schools) {
      has(text, s.name);
      has(text, `TỈNH ${s.province.toLocaleUpperCase("vi")}`);
    }
    for (const t of d2023.targets) has(text, t.name);
    for (const n of [
      "Nguyễn Thành Dũng",
      "Đặng Luận",
      "Phan Văn Huệ",
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "GIAO ƯỚC THI ĐUA NĂM 2023",
      "ĐẠI DIỆN CÁC TRƯỜNG KÝ GIAO ƯỚC",
      "Đắk Lắk, ngày 10 tháng 3 năm 2023",
    ])
      has(text, n);
    const hv = byCode(sampleSubmissions(d2023).find((s) => s.school === "DLK")!.figures).HOCVIEN!.registered as number;
    has(text, new Intl.NumberFormat("de-DE").format(hv));
    const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    // The leftmost body text starts at the 30 mm margin (85 pt), give or take the table cell padding.
    const bbox = execFileSync("pdftotext", ["-bbox", "-f", "1", "-l", "1", pdf, "-"], { encoding: "utf8" });
    const xs = [...bbox.matchAll(/<word xMin="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBeGreaterThan(80);
    expect(Math.min(...xs)).toBeLessThan(92);
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", pdf, join(ARTIFACTS, "giao-uoc-trang-1")]);
  });

  const reportTitle =
    "the year-end report carries the 2020 totals in Vietnamese number format and numbers its " + "pages from 2";
  it(reportTitle, async () => {
    const summary = aggregateCluster(d2020, sampleSubmissions(d2020));
    const file = join(dir, "bao-cao.docx");
    writeFileSync(
      file,
      await docxBuffer(
        buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date(Date.UTC(2020, 10, 23, 2)) }),
      ),
    );
    const pdf = convert(file, "pdf", dir);
    const text = pdfText(pdf);
    const flat = readingText(pdf);
    has(flat, "261 lớp với 19.082 học viên");
    has(flat, "13 đề tài khoa học với 2 đề tài cấp tỉnh, 11 đề tài cấp trường");
    has(flat, "23 hội thảo khoa học, tọa đàm");
    has(flat, "104,4 %");
    for (const s of d2020.schools) has(flat, s.name);
    const pages = text.split("\f").filter((x) => x.trim());
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.trimStart().startsWith("1")).toBe(false);
    expect(pages[1]!.trim().split("\n")[0]!.trim()).toBe("2");
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", pdf, join(ARTIFACTS, "bao-cao-trang-1")]);
  });
});

describe("giao-uoc and bao-cao commands", () => {
  it("write both documents from filled files", () => {
    const dir = mkdtempSync(join(tmpdir(), "docs-cli-"));
    const demo = cli(["chay-thu", "--thu-muc", dir]);
    expect(demo.code).toBe(0);
    const filled = join(dir, "cum-7-tay-nguyen-2020", "da-dien");
    const def = join(ROOT, "sheets-templates", "cum-7-tay-nguyen-2020.json");
    const a = cli(["giao-uoc", "--ra", join(dir, "gu.docx"), "--cum", def, filled]);
    expect(a.code, a.stderr).toBe(0);
    const pledgeWrittenHead = /Đã ghi Bản giao ước thi đua năm 2020: /.source;
    const pledgeWritten = new RegExp(pledgeWrittenHead + /.*gu\.docx \(chỉ tiêu của 5\/5 trường\)/.source);
    expect(a.stdout).toMatch(pledgeWritten);
    const b = cli(["bao-cao", "--ra", join(dir, "bc.docx"), "--cum", def, "--ngay", "23/11/2020", filled]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/Đã ghi Báo cáo tổng kết năm 2020/);
    expect(cli(["bao-cao", "--ra", join(dir, "x.docx"), "--ngay", "31/02/2020", filled]).stderr).toMatch(
      /Ngày "31\/02\/2020" không hợp lệ/,
    );
  });
});
