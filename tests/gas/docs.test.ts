import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { documentText } from "../../src/core/documents/doc-model";
import { buildPledge, buildYearReport } from "../../src/core/documents/documents";
import { schoolSheetName } from "../../src/core/sheets/school-layout";
import { judge, readClusterSheets } from "../../src/core/pipeline";
import { scoreCluster } from "../../src/core/figures/score";
import { docxBuffer } from "../../src/docx/render";
import { FakeDocTable } from "../fake-gas/documents";
import type { FakeEnv } from "../fake-gas/env";
import { tableRequests } from "../../src/gas/docs";
import { GOOD, headOf, newEnv, sample2023, setUp, typeFigures } from "./helpers";

const def = sample2023();

/** What the bundle reads from the sheets, computed here with core for the expected document. */
function summaryOf(env: FakeEnv) {
  const grids = new Map(def.schools.map((s) => [schoolSheetName(s), env.sheet(schoolSheetName(s)).getDataRangeRaw().getValues()]));
  // The year has not been pledged in these tests: the registration stage, as the add-on reads it.
  return judge(def, readClusterSheets(def, grids, "registration")).summary;
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
  it("repeats header rows on each page and keeps rows whole through the Docs API, before the PDF is made", () => {
    const doc = [...env.drive.documents.values()].find((d) => d.name.startsWith("Báo cáo"))!;
    const summary = summaryOf(env);
    const model = buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date() });
    const modelTables = model.blocks.filter((b) => b.kind === "table");
    const tables = doc.body.children.filter((c): c is FakeDocTable => c instanceof FakeDocTable);
    expect(tables.map((t) => t.pinnedHeaderRows)).toEqual(modelTables.map((t) => t.headerRows));
    expect(tables.map((t) => t.pinnedHeaderRows).filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    for (const [i, t] of tables.entries()) expect(t.preventOverflow).toEqual(t.rows.map(() => modelTables[i]!.cantSplit));
    // The PDF was exported once, from the document with its header rows already pinned.
    expect(doc.exports).toEqual([modelTables.map((t) => t.headerRows)]);
  });
  it("the fake Docs API sees only what was saved, and applies a batch all or nothing", () => {
    const docs = env.drive.docsService().Documents;
    const app = env.drive.documentApp();
    const d = app.create("thử");
    d.getBody().appendTable().appendTableRow().appendTableCell();
    expect(docs.get(d.getId()).body.content.filter((e) => e.table)).toEqual([]);
    d.saveAndClose();
    const [table] = docs.get(d.getId()).body.content.filter((e) => e.table);
    expect(table).toMatchObject({ startIndex: 2, table: { rows: 1, columns: 1 } });
    const at = { index: table!.startIndex! };
    expect(() =>
      docs.batchUpdate({ requests: [{ pinTableHeaderRows: { tableStartLocation: at, pinnedHeaderRowsCount: 1 } }, { pinTableHeaderRows: { tableStartLocation: { index: 1 }, pinnedHeaderRowsCount: 1 } }] }, d.getId()),
    ).toThrow(/requests\[1\]\.pinTableHeaderRows: The provided table start location is invalid/);
    const fake = env.drive.documents.get(d.getId())!.body.children.find((c): c is FakeDocTable => c instanceof FakeDocTable)!;
    expect(fake.pinnedHeaderRows).toBe(0);
    expect(() => docs.batchUpdate({ requests: [{ updateTableRowStyle: { tableStartLocation: at, tableRowStyle: { preventOverflow: true } } }] }, d.getId())).toThrow(/fields/);
    docs.batchUpdate({ requests: [{ pinTableHeaderRows: { tableStartLocation: at, pinnedHeaderRowsCount: 1 } }] }, d.getId());
    expect(fake.pinnedHeaderRows).toBe(1);
  });
  it("refuses to guess when the saved document and the model disagree on their tables", () => {
    const summary = summaryOf(env);
    const model = buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date() });
    expect(() => tableRequests(model, [2])).toThrow(/Văn bản có 1 bảng, mô hình có \d+/);
  });
  it("puts the Doc and its PDF in the head's documents folder, links them, logs them, and never overwrites", () => {
    env.run("menuReport", { as: headOf(def) });
    expect(env.drive.createdFolders.map((f) => [f.name, [...f.viewers!]])).toEqual([["Văn bản thi đua – Thi đua cụm", [headOf(def)]]]);
    const names = env.drive.createdFolders[0]!.files.map((f) => f.name);
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
    expect(log[2]![7]).toMatch(/Google Docs: https:\/\/docs\.google\.com.* ; PDF: https:\/\/drive\.google\.com.* ; Thư mục: https:\/\/drive\.google\.com\/drive\/folders\//);
  });
  it("still files a complete document when the Docs API fails, and says what is missing", () => {
    const before = env.drive.documents.size;
    env.drive.docsOutage = "The service is currently unavailable.";
    try {
      env.run("menuPledge", { as: headOf(def) });
    } finally {
      env.drive.docsOutage = undefined;
    }
    const doc = [...env.drive.documents.values()].at(-1)!;
    expect(env.drive.documents.size).toBe(before + 1);
    expect(doc.exports).toHaveLength(1);
    expect(env.drive.createdFolders[0]!.files.map((f) => f.name)).toContain(`${doc.name}.pdf`);
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Lưu ý: Chưa đặt được hàng tiêu đề lặp lại .*The service is currently unavailable.*Ghim hàng tiêu đề/);
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues().at(-1)!;
    expect([log[2], log[6]]).toEqual(["Tạo bản giao ước", doc.name]);
    expect(log[7]).toMatch(/Lưu ý: Chưa đặt được hàng tiêu đề/);
  });
});
