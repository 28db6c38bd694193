/**
 * The summary workbook printed at 60 schools: A4 landscape, title rows and
 * target names on every page, columns running over pages at a readable
 * scale rather than shrunk onto one page.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { loadDefinition } from "../../src/core/definition/definition";
import { scoreCluster } from "../../src/core/figures/score";
import { SUMMARY_SHEET } from "../../src/core/sheets/summary-layout";
import { buildSummaryWorkbook } from "../../src/excel/summary";
import { convert, libreOfficeOrSkip } from "../helpers/libreoffice";
import { rawDefinition } from "../helpers/samples";

const hasLo = libreOfficeOrSkip();

/** The 2023 sample with 60 schools, for the widest summary a cluster has. */
function sixtySchools() {
  const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: Record<string, unknown>[] };
  const base = raw.schools[0]!;
  const schools = Array.from({ length: 60 }, (_, i) => ({
    ...base,
    code: `T${String(i + 1).padStart(2, "0")}`,
    name: `Trường Chính trị tỉnh Thử ${i + 1}`,
    province: `Thử ${i + 1}`,
    role: i === 0 ? "head" : "member",
    editors: [`t${i + 1}@truongchinhtri.example`],
  }));
  return loadDefinition({ ...raw, schools });
}

describe("printing the summary at 60 schools", () => {
  const def = sixtySchools();
  const summary = aggregateCluster(def, []);
  it("sets A4 landscape, repeats the title rows and the target columns, and keeps a readable scale", async () => {
    const wb = await buildSummaryWorkbook(summary, scoreCluster(summary), { madeAt: new Date(Date.UTC(2023, 10, 20)) });
    const setup = wb.getWorksheet(SUMMARY_SHEET)!.pageSetup;
    expect(setup).toMatchObject({
      paperSize: 9,
      orientation: "landscape",
      fitToPage: false,
      printTitlesRow: "1:5",
      printTitlesColumn: "A:C",
    });
    expect(setup.scale).toBeGreaterThanOrEqual(70);
  });
  it.runIf(hasLo)(
    "prints as several pages, each with the title and the target names",
    async () => {
      const wb = await buildSummaryWorkbook(summary, scoreCluster(summary), {
        madeAt: new Date(Date.UTC(2023, 10, 20)),
      });
      const dir = mkdtempSync(join(tmpdir(), "in-"));
      const file = join(dir, "tong-hop.xlsx");
      writeFileSync(file, new Uint8Array(await wb.xlsx.writeBuffer()));
      const pdf = convert(file, "pdf", dir);
      const pages = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" })
        .split("\f")
        .filter((p) => p.trim());
      const totalsPages = pages.filter((p) => p.includes("TỔNG HỢP KẾT QUẢ"));
      expect(totalsPages.length).toBeGreaterThan(5);
      for (const p of totalsPages) expect(p).toMatch(/Chỉ tiêu/);
      expect(pages.some((p) => p.includes("Thử 60"))).toBe(true);
    },
    180_000,
  );
});
