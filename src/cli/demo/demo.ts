/**
 * `npm run demo`: the whole offline job on the bundled sample clusters —
 * templates for every school, filled with the sample figures (one school's
 * file deliberately wrong in the 2023 cluster), checked and aggregated.
 */
import ExcelJS from "exceljs";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { submissionsFromFigures } from "../../core/figures/figures-file";
import { COL } from "../../core/sheets/school-layout";
import { formatProblem } from "../../core/problem";
import { summaryToJson } from "../../core/figures/summary-json";
import { buildPledge, buildYearReport } from "../../core/documents/documents";
import { docxBytes } from "../io/docx";
import { buildSummaryWorkbook } from "../../excel/summary";
import { templateBuffer } from "../../excel/template";
import type { Io } from "../command";
import { bundledDefinitionPath, loadDefinitionFile, loadSampleFigures, SAMPLE_CLUSTERS } from "../io/definitions";
import { displayName, readAll, summariseReports } from "../io/files";
import { renderSummary } from "../year/print";
import { runHistoryDemo } from "./demo-history";
import { runAcademyDemo } from "./demo-academy";

/** The school whose file the demo breaks on purpose, and how: a word in a number cell, a percent above 100. */
const BROKEN = { cluster: "nam-trung-bo-tay-nguyen-2023", school: "QNG" };

async function breakFile(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  ws.eachRow((row) => {
    const code = row.getCell(COL.code + 1).value;
    if (code === "LOP") row.getCell(COL.achieved + 1).value = "ba mươi hai";
    if (code === "HTTNV") row.getCell(COL.achieved + 1).value = 1.25;
  });
  writeFileSync(path, new Uint8Array(await wb.xlsx.writeBuffer()));
}

export async function runDemo(outDir: string, io: Io): Promise<number> {
  for (const id of SAMPLE_CLUSTERS) {
    const def = loadDefinitionFile(bundledDefinitionPath(id));
    const dir = join(outDir, id);
    const blankDir = join(dir, "mau-trong");
    const filledDir = join(dir, "da-dien");
    mkdirSync(blankDir, { recursive: true });
    mkdirSync(filledDir, { recursive: true });

    const sample = loadSampleFigures(def);
    const figures = new Map(submissionsFromFigures(def, sample, `${id}.json`).map((s) => [s.school, s.figures]));
    for (const school of def.schools) {
      writeFileSync(join(blankDir, `mau-${def.year}-${school.code}.xlsx`), await templateBuffer(def, school));
      const filled = join(filledDir, `${def.year}-${school.code}.xlsx`);
      writeFileSync(filled, await templateBuffer(def, school, figures.get(school.code)));
      if (id === BROKEN.cluster && school.code === BROKEN.school) await breakFile(filled);
    }

    const files = def.schools.map((s) => join(filledDir, `${def.year}-${s.code}.xlsx`));
    const reports = await readAll(def, files);
    const { summary, ranking } = summariseReports(def, reports);
    const wb = await buildSummaryWorkbook(summary, ranking, { madeAt: new Date(), madeBy: "npm run demo" });
    const xlsx = join(dir, "tong-hop.xlsx");
    const json = join(dir, "tong-hop.json");
    writeFileSync(xlsx, new Uint8Array(await wb.xlsx.writeBuffer()));
    writeFileSync(json, JSON.stringify(summaryToJson(summary), null, 2) + "\n");
    const pledge = join(dir, "giao-uoc.docx");
    const report = join(dir, "bao-cao-tong-ket.docx");
    const registered = reports.filter((r) => r.figures).map((r) => r.figures!);
    writeFileSync(pledge, await docxBytes(buildPledge(def, { figures: registered })));
    writeFileSync(
      report,
      await docxBytes(buildYearReport({ summary, ranking, date: new Date(Date.UTC(def.year, 10, 20, 2)) })),
    );

    io.out(`═══ ${def.name} — năm ${def.year}`);
    io.out(`Mẫu trống: ${displayName(blankDir)}/ (${def.schools.length} tệp); tệp đã điền: ${displayName(filledDir)}/`);
    const problems = reports.flatMap((r) => r.problems);
    if (problems.length) {
      io.out("Kiểm tra (kiem-tra) phát hiện:");
      for (const p of problems) io.out("  " + formatProblem(p));
    } else io.out("Kiểm tra (kiem-tra): mọi tệp hợp lệ.");
    io.out("");
    io.out(renderSummary(summary, ranking));
    io.out(`\nĐã ghi: ${displayName(xlsx)}, ${displayName(json)}, ${displayName(pledge)}, ${displayName(report)}\n`);
  }
  await runHistoryDemo(outDir, io);
  await runAcademyDemo(outDir, io);
  return 0;
}
