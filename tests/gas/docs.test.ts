import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/aggregate";
import { documentText } from "../../src/core/doc-model";
import { buildPledge, buildYearReport } from "../../src/core/documents";
import { readSchoolGrid, schoolSheetName } from "../../src/core/layout";
import { scoreCluster } from "../../src/core/score";
import { inferStage, validateSchoolRows } from "../../src/core/validate";
import { docxBuffer } from "../../src/docx/render";
import type { FakeEnv } from "../fake-gas/env";
import { GOOD, headOf, newEnv, sample2023, setUp, typeFigures } from "./helpers";

const def = sample2023();

/** What the bundle reads from the sheets, computed here with core for the expected document. */
function summaryOf(env: FakeEnv) {
  const subs = def.schools.flatMap((s) => {
    const grid = env.sheet(schoolSheetName(s)).getDataRangeRaw().getValues();
    const rows = readSchoolGrid(grid).rows;
    if (rows.every((r) => r.registered.value === "" && r.achieved.value === "")) return [];
    const { figures, problems } = validateSchoolRows(def, s.code, rows, inferStage(rows));
    return [{ school: s.code, figures, problems }];
  });
  return aggregateCluster(def, subs);
}

/** Paragraph texts of a .docx in reading order, the rule paragraphs (bottom border, no text) left out. */
async function docxTexts(bytes: Uint8Array): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(bytes)).file("word/document.xml")!.async("string");
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p [^>]*>([\s\S]*?)<\/w:p>/g)]
    .map((m) => m[1] ?? m[2] ?? "")
    .filter((inner) => !inner.includes("<w:pBdr>"))
    .map((inner) => [...inner.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"'))
    .filter((_, i, all) => i < all.length - 1 || all[i] !== "");
}

describe("documents in Google Docs", () => {
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "DLK", GOOD);
  typeFigures(env, def, "KTU", { ...GOOD, LOP: [30, 33] });

  it("the year-end report: same paragraphs and cells as the model and the .docx, A4 and margins", async () => {
    env.run("menuReport", { as: headOf(def) });
    const doc = [...env.drive.documents.values()].at(-1)!;
    expect(doc.name).toBe("Báo cáo tổng kết thi đua năm 2023 (bản 1)");
    expect(doc.saved).toBe(true);
    const summary = summaryOf(env);
    const model = buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date() });
    const expected = documentText(model);
    expect(doc.body.texts()).toEqual(expected);
    const docx = await docxTexts(await docxBuffer(model));
    expect(docx).toEqual(expected);
    expect(doc.body.page.width).toBeCloseTo(595.28, 1);
    expect(doc.body.page.left).toBeCloseTo(85.04, 1);
    expect(doc.body.page.right).toBeCloseTo(42.52, 1);
  });
  it("the pledge too, with the registered figures and the signature grid", async () => {
    env.run("menuPledge", { as: headOf(def) });
    const doc = [...env.drive.documents.values()].at(-1)!;
    const summary = summaryOf(env);
    const figures = summary.schools.filter((s) => s.figures).map((s) => s.figures!);
    const model = buildPledge(def, { figures });
    expect(doc.body.texts()).toEqual(documentText(model));
    expect(await docxTexts(await docxBuffer(model))).toEqual(documentText(model));
    const tables = doc.body.children.filter((c) => c.type === "TABLE") as { borderWidth: number; rows: unknown[] }[];
    expect(tables.at(-1)!.borderWidth).toBe(0);
    expect(tables.at(-1)!.rows).toHaveLength(5);
  });
  it("puts the Doc and its PDF next to the spreadsheet, links them, logs them, and never overwrites", () => {
    env.run("menuReport", { as: headOf(def) });
    const names = env.drive.folder.files.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Báo cáo tổng kết thi đua năm 2023 (bản 1)",
        "Báo cáo tổng kết thi đua năm 2023 (bản 1).pdf",
        "Giao ước thi đua năm 2023 (bản 1)",
        "Giao ước thi đua năm 2023 (bản 1).pdf",
        "Báo cáo tổng kết thi đua năm 2023 (bản 2)",
        "Báo cáo tổng kết thi đua năm 2023 (bản 2).pdf",
      ]),
    );
    const rows = env.sheet("Văn bản").getDataRangeRaw().getValues();
    expect(rows.map((r) => r.slice(1, 3))).toEqual([
      ["Văn bản", "Bản"],
      ["Báo cáo tổng kết thi đua năm 2023", 1],
      ["Giao ước thi đua năm 2023", 1],
      ["Báo cáo tổng kết thi đua năm 2023", 2],
    ]);
    expect(env.sheet("Văn bản").cell(4, 4).link).toMatch(/^https:\/\/docs\.google\.com\/document\/d\//);
    expect(env.sheet("Văn bản").cell(4, 5).link).toMatch(/^https:\/\/drive\.google\.com\/file\/d\//);
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues().filter((r) => String(r[2]).startsWith("Tạo "));
    expect(log.map((r) => r[2])).toEqual(["Tạo báo cáo tổng kết", "Tạo bản giao ước", "Tạo báo cáo tổng kết"]);
    expect(log[2]![7]).toMatch(/Google Docs: https:\/\/docs\.google\.com.* ; PDF: https:\/\/drive\.google\.com/);
  });
});
