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
import { documentRequests } from "../../src/gas/documents/docs-requests";
import { applyBatch } from "../fake-gas/docs-api";
import { FakeBody } from "../fake-gas/documents";
import { GOOD, headOf, newEnv, sample2023, setUp, typeFigures } from "./helpers";

const def = sample2023();

/** What the bundle reads from the sheets, computed here with core for the expected document. */
function summaryOf(env: FakeEnv) {
  const grids = new Map(
    def.schools.map((s) => [schoolSheetName(s), env.sheet(schoolSheetName(s)).getDataRangeRaw().getValues()]),
  );
  // The year has not been pledged in these tests: the registration stage, as the add-on reads it.
  return judge(def, readClusterSheets(def, grids, "registration")).summary;
}

/** Paragraph texts of a .docx in reading order, the rule paragraphs (bottom border, no text) left out. */
async function docxTexts(bytes: Uint8Array): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(bytes)).file("word/document.xml")!.async("string");
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p [^>]*>([\s\S]*?)<\/w:p>/g)]
    .map((m) => m[1] ?? m[2] ?? "")
    .filter((inner) => !inner.includes("<w:pBdr>"))
    .map((inner) =>
      [...inner.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)]
        .map((t) => t[1])
        .join("")
        .replace(/&amp;/g, "&")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"'),
    )
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
    for (const [i, t] of tables.entries())
      expect(t.preventOverflow).toEqual(t.rows.map(() => modelTables[i]!.cantSplit));
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
      docs.batchUpdate(
        {
          requests: [
            { pinTableHeaderRows: { tableStartLocation: at, pinnedHeaderRowsCount: 1 } },
            { pinTableHeaderRows: { tableStartLocation: { index: 1 }, pinnedHeaderRowsCount: 1 } },
          ],
        },
        d.getId(),
      ),
    ).toThrow(/requests\[1\]\.pinTableHeaderRows: The provided table start location is invalid/);
    const fake = () =>
      env.drive.documents.get(d.getId())!.body.children.find((c): c is FakeDocTable => c instanceof FakeDocTable)!;
    expect(fake().pinnedHeaderRows).toBe(0);
    expect(() =>
      docs.batchUpdate(
        { requests: [{ updateTableRowStyle: { tableStartLocation: at, tableRowStyle: { preventOverflow: true } } }] },
        d.getId(),
      ),
    ).toThrow(/fields/);
    expect(() => docs.batchUpdate({ requests: [] }, d.getId())).toThrow(/at least one request/);
    docs.batchUpdate(
      { requests: [{ pinTableHeaderRows: { tableStartLocation: at, pinnedHeaderRowsCount: 1 } }] },
      d.getId(),
    );
    expect(fake().pinnedHeaderRows).toBe(1);
  });
  it("the fake follows the API's indexes: a new body is one empty paragraph at 1, a table comes after a newline, cell content after the table, row and cell openings", () => {
    let body = new FakeBody();
    body = applyBatch(body, [{ insertText: { location: { index: 1 }, text: "ab" } }]);
    expect(body.texts()).toEqual(["ab"]);
    // At 3 (the paragraph's newline) the table splits it: "ab" keeps its newline, a new empty paragraph follows the table.
    body = applyBatch(body, [{ insertTable: { location: { index: 3 }, rows: 2, columns: 2 } }]);
    expect(body.children.map((c) => c.type)).toEqual(["PARAGRAPH", "TABLE", "PARAGRAPH"]);
    // Table at 4: row 5, cell 6, its content 7; the next cell opens at 8, content 9; row 2 opens at 10, its first cell at 11, content 12 — 14 once x and y are in.
    body = applyBatch(body, [
      { insertText: { location: { index: 9 }, text: "y" } },
      { insertText: { location: { index: 7 }, text: "x" } },
      { insertText: { location: { index: 14 }, text: "z" } },
    ]);
    expect(body.texts()).toEqual(["ab", "x", "y", "z", ""]);
    for (const bad of [4, 5, 6, 9, 12, 13, 16, 18, 99, 0])
      expect(() => applyBatch(body, [{ insertText: { location: { index: bad }, text: "!" } }]), String(bad)).toThrow(
        /Invalid requests\[0\]\.insertText/,
      );
    // All or nothing: a good request before a bad one changes nothing.
    expect(() =>
      applyBatch(body, [
        { insertText: { location: { index: 1 }, text: "ok" } },
        { updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: { bold: true } } },
      ]),
    ).toThrow(/fields/);
    expect(body.texts()[0]).toBe("ab");
    expect(() =>
      applyBatch(body, [{ pinTableHeaderRows: { tableStartLocation: { index: 3 }, pinnedHeaderRowsCount: 1 } }]),
    ).toThrow(/table start location/);
    expect(() => applyBatch(body, [{ someOtherRequest: {} }])).toThrow(/does not model/);
  });
  it("builds both documents with one request list, its text in the model's order, its styles on the model's runs", () => {
    const summary = summaryOf(env);
    const model = buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date() });
    const body = applyBatch(new FakeBody(), documentRequests(model));
    expect(body.texts()).toEqual(documentText(model));
    const title = body.children.find(
      (c): c is import("../fake-gas/documents").FakeDocParagraph =>
        c.type === "PARAGRAPH" && (c as { text: string }).text === "BÁO CÁO",
    )!;
    expect([
      title.align,
      title.textStyle.bold[0],
      title.textStyle.sizes[0],
      title.textStyle.fonts[0],
      title.before,
    ]).toEqual(["CENTER", true, 15, "Times New Roman", 18]);
    // The short rule under the subtitle: an empty paragraph with a bottom border, a third of the text width wide.
    const rule = body.children.find(
      (c): c is import("../fake-gas/documents").FakeDocParagraph =>
        c.type === "PARAGRAPH" && (c as { borderBottom: number }).borderBottom > 0,
    )!;
    expect(rule.text).toBe("");
    expect(rule.indentStart).toBeCloseTo(((210 - 30 - 15) * 72) / 25.4 / 3, 1);
    const table = body.children.filter((c): c is FakeDocTable => c instanceof FakeDocTable)[1]!;
    expect(table.rows[0]!.cells[0]!.background).toBe("#F2F2F2");
    expect(table.widths.reduce((a, b) => a + b, 0)).toBeCloseTo(((210 - 30 - 15) * 72) / 25.4, 0);
  });
  it("puts the Doc and its PDF in the head's documents folder, links them, logs them, and never overwrites", () => {
    env.run("menuReport", { as: headOf(def) });
    expect(env.drive.createdFolders.map((f) => [f.name, [...f.viewers!]])).toEqual([
      [`Văn bản thi đua – ${def.name}`, [headOf(def)]],
    ]);
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
    expect(rows[3]![3]).toMatch(/^https:\/\/docs\.google\.com\/document\/d\/[^/]+\/edit$/);
    expect(rows[3]![4]).toMatch(/^https:\/\/drive\.google\.com\/file\/d\/[^/]+\/view$/);
    const log = env
      .sheet("Nhật ký")
      .getDataRangeRaw()
      .getValues()
      .filter((r) => String(r[2]).startsWith("Tạo "));
    expect(log.map((r) => r[2])).toEqual(["Tạo báo cáo tổng kết", "Tạo bản giao ước", "Tạo báo cáo tổng kết"]);
    expect(log[2]![7]).toMatch(
      /Google Docs: https:\/\/docs\.google\.com.* ; PDF: https:\/\/drive\.google\.com.* ; Thư mục: https:\/\/drive\.google\.com\/drive\/folders\//,
    );
  });
  it("files nothing when the Docs API fails: no version spent, no empty document left, a Vietnamese message", () => {
    const before = env.drive.documents.size;
    const versions = env.properties.getProperty("so_ban_giao_uoc");
    const rows = env.sheet("Văn bản").getDataRangeRaw().getValues().length;
    env.drive.docsOutage = "The service is currently unavailable.";
    try {
      env.run("menuPledge", { as: headOf(def) });
    } finally {
      env.drive.docsOutage = undefined;
    }
    expect(env.drive.documents.size).toBe(before);
    expect(env.properties.getProperty("so_ban_giao_uoc")).toBe(versions);
    expect(env.sheet("Văn bản").getDataRangeRaw().getValues()).toHaveLength(rows);
    expect(env.drive.createdFolders[0]!.files.map((f) => f.name)).not.toContain("Giao ước thi đua năm 2023 (bản 2)");
    // A 503 is tried again (issue 20) before the run gives up and says so.
    expect(env.ui.alerts.at(-1)!.message).toMatch(
      /^Google chưa nhận Giao ước thi đua năm 2023 \(bản 2\): dịch vụ của Google tạm thời không phản hồi \(đã thử 7 lần\)\. .*viết dở đã được xóa; chưa có bản nào được lưu\. Hãy thử lại sau một phút\.$/,
    );
  });
  it("remembers the head's folder in the document properties, under the head's e-mail, and still finds one an earlier version kept in the head's own properties", () => {
    const head = headOf(def);
    const key = `thu_muc_van_ban_${head}`;
    const folder = env.drive.createdFolders[0]!;
    expect(env.properties.getProperty(key)).toBe(folder.id);
    // As an earlier version left it: the folder in the user's properties only.
    env.properties.deleteProperty(key);
    env.userProperties(head).setProperty("thu_muc_van_ban_fake-spreadsheet-id", folder.id);
    env.run("menuPledge", { as: head });
    expect(env.drive.createdFolders).toHaveLength(1);
    expect(folder.files.map((f) => f.name)).toContain("Giao ước thi đua năm 2023 (bản 2)");
    expect(env.properties.getProperty(key)).toBe(folder.id);
    // From then on the folder costs nothing: no read of the user's properties, no look in Drive (the Doc's create tells).
    env.log.reset();
    env.run("menuReport", { as: head });
    expect(env.log.count("PropertiesService.getUserProperties")).toBe(0);
    expect(env.log.count("Drive.Files.get")).toBe(0);
    expect(folder.files.map((f) => f.name)).toContain("Báo cáo tổng kết thi đua năm 2023 (bản 3)");
  });
});

describe("the documents folder of a first document that fails", () => {
  it("is remembered all the same: the next document goes into it, and no second folder is made", () => {
    const env = newEnv();
    setUp(env);
    env.drive.docsOutage = "The service is currently unavailable.";
    try {
      env.run("menuPledge", { as: headOf(def) });
    } finally {
      env.drive.docsOutage = undefined;
    }
    expect(env.ui.alerts.at(-1)!.message).toMatch(/viết dở đã được xóa/);
    expect(env.drive.createdFolders).toHaveLength(1);
    env.run("menuPledge", { as: headOf(def) });
    expect(env.drive.createdFolders).toHaveLength(1);
    expect(env.drive.createdFolders[0]!.files.map((f) => f.name)).toContain("Giao ước thi đua năm 2023 (bản 1)");
  });
});

describe("the first document of a spreadsheet, made by a head", () => {
  it("asks nobody's address or own properties, and remembers the new folder with the version in one write", () => {
    const env = newEnv();
    setUp(env);
    env.log.reset();
    env.run("menuPledge", { as: headOf(def) });
    expect(env.drive.createdFolders).toHaveLength(1);
    expect(env.drive.createdFolders[0]!.files.map((f) => f.name)).toContain("Giao ước thi đua năm 2023 (bản 1)");
    // A head editor is known from the definition; only someone else is compared with the owner's address.
    expect(env.log.count("Spreadsheet.getOwner")).toBe(0);
    // No document was ever made here, so no earlier version can have kept a folder in the head's properties.
    expect(env.log.count("PropertiesService.getUserProperties")).toBe(0);
    expect(env.log.count("Properties.setProperties")).toBe(1);
    expect(env.properties.getProperty(`thu_muc_van_ban_${headOf(def)}`)).toBe(env.drive.createdFolders[0]!.id);
    expect(env.properties.getProperty("so_ban_giao_uoc")).toBe("1");
  });
});

describe("a remembered documents folder that is no longer usable", () => {
  const made = (env: FakeEnv) => env.drive.createdFolders.map((f) => f.files.map((x) => x.name));
  for (const [how, spoil] of [
    ["put in the trash", (env: FakeEnv) => (env.drive.createdFolders[0]!.trashed = true)],
    ["deleted for good", (env: FakeEnv) => env.drive.appFiles.delete(env.drive.createdFolders[0]!.id)],
    [
      "put in the trash, Drive refusing a create there",
      (env: FakeEnv) => {
        env.drive.createdFolders[0]!.trashed = true;
        env.drive.refuseInTrashedFolder = true;
      },
    ],
  ] as const)
    it(`${how}: the next document goes into a new folder, which is remembered, and nothing is left in the old one`, () => {
      const env = newEnv();
      setUp(env);
      env.run("menuPledge", { as: headOf(def) });
      spoil(env);
      env.run("menuReport", { as: headOf(def) });
      expect(made(env)).toEqual([
        ["Giao ước thi đua năm 2023 (bản 1)", "Giao ước thi đua năm 2023 (bản 1).pdf"],
        ["Báo cáo tổng kết thi đua năm 2023 (bản 1)", "Báo cáo tổng kết thi đua năm 2023 (bản 1).pdf"],
      ]);
      const second = env.drive.createdFolders[1]!;
      expect(env.ui.alerts.at(-1)!.message).toContain(second.getUrl());
      expect(env.properties.getProperty(`thu_muc_van_ban_${headOf(def)}`)).toBe(second.id);
      expect(env.sheet("Văn bản").getDataRangeRaw().getValues().at(-1)![3]).toMatch(/^https:\/\/docs\.google\.com/);
    });
});

describe("a new documents folder whose first file Google keeps refusing", () => {
  it("is remembered all the same, so the next run makes no third folder", () => {
    const env = newEnv();
    setUp(env);
    env.run("menuPledge", { as: headOf(def) });
    env.drive.createdFolders[0]!.trashed = true;
    // The create in the trashed folder, the new folder's, then the document's in it, refused every time.
    env.fail("Drive.Files.create", null, null, ...Array.from({ length: 20 }, () => ({ status: 503 as const })));
    env.run("menuReport", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/^Google chưa nhận/);
    expect(env.drive.createdFolders).toHaveLength(2);
    const second = env.drive.createdFolders[1]!;
    expect(env.properties.getProperty(`thu_muc_van_ban_${headOf(def)}`)).toBe(second.id);
    env.failures.clear();
    env.run("menuReport", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.title).toMatch(/^Đã tạo Báo cáo/);
    expect(env.drive.createdFolders).toHaveLength(2);
    expect(second.files.map((f) => f.name)).toContain("Báo cáo tổng kết thi đua năm 2023 (bản 1)");
  });
});

describe("a document's two rows, Văn bản and Nhật ký", () => {
  const rows = (env: FakeEnv) => ({
    docs: env
      .sheet("Văn bản")
      .getDataRangeRaw()
      .getValues()
      .slice(1)
      .map((r) => [r[1], r[2], r[5]]),
    audit: env
      .sheet("Nhật ký")
      .getDataRangeRaw()
      .getValues()
      .filter((r) => r[2] === "Tạo bản giao ước")
      .map((r) => r[6]),
  });
  const expected = {
    docs: [["Giao ước thi đua năm 2023", 1, headOf(def)]],
    audit: ["Giao ước thi đua năm 2023 (bản 1)"],
  };
  it("go out in one call on the sheet ids set-up kept", () => {
    const env = newEnv();
    setUp(env);
    env.log.reset();
    env.run("menuPledge", { as: headOf(def) });
    expect(env.log.count("Sheets.Spreadsheets.batchUpdate")).toBe(1);
    expect(env.log.count("Sheets.Spreadsheets.Values.append")).toBe(0);
    expect(rows(env)).toEqual(expected);
  });
  it("answered with an error after they landed (a gateway's 504): not written again, the user told to look", () => {
    const env = newEnv();
    setUp(env);
    env.fail("Sheets.Spreadsheets.batchUpdate", { status: 504, landed: true });
    env.run("menuPledge", { as: headOf(def) });
    expect(rows(env)).toEqual(expected);
    expect(env.ui.alerts.at(-1)!.message).toMatch(
      /^Giao ước thi đua năm 2023 \(bản 1\) đã được tạo .*Google báo lỗi khi ghi dòng của nó .*Deadline expired.*dòng có thể đã ghi hoặc chưa\. Hãy xem trang "Văn bản"/,
    );
  });

  it("Văn bản deleted, then a sheet added by the lock: the rows never go into that sheet", () => {
    const env = newEnv();
    setUp(env);
    for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
    env.spreadsheet.deleteSheet(env.sheet("Văn bản") as unknown as GoogleAppsScript.Spreadsheet.Sheet);
    env.run("menuSignPledge", { as: headOf(def) });
    env.ui.answers.push("YES");
    env.run("menuLockYear", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/^Đã khóa số liệu năm 2023/);
    const hidden = ["Bản khóa"];
    expect(hidden.length).toBeGreaterThan(0);
    const before = hidden.map((n) => env.sheet(n).getDataRangeRaw().getValues());
    env.run("menuReport", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.title).toMatch(/^Đã tạo Báo cáo/);
    expect(hidden.map((n) => env.sheet(n).getDataRangeRaw().getValues())).toEqual(before);
    const docs = env.sheet("Văn bản").getDataRangeRaw().getValues();
    expect(docs.slice(1).map((r) => r[1])).toEqual([expect.stringMatching(/^Báo cáo tổng kết/)]);
    env.run("menuIntegrity", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.message + (env.ui.dialogs.at(-1)?.html ?? "")).not.toMatch(/bị sửa/);
  });

  for (const [how, spoil] of [
    [
      "kept by no set-up (an older version's)",
      (env: FakeEnv) => env.properties.deleteProperty("ma_trang_nhat_ky_van_ban"),
    ],
    [
      "kept ids that name no sheet now",
      (env: FakeEnv) =>
        env.properties.setProperty("ma_trang_nhat_ky_van_ban", JSON.stringify({ audit: 987, docs: 986 })),
    ],
    ["a kept value that is not ids", (env: FakeEnv) => env.properties.setProperty("ma_trang_nhat_ky_van_ban", "{")],
  ] as const)
    it(`${how}: go out by the sheets' names, each once`, () => {
      const env = newEnv();
      setUp(env);
      spoil(env);
      env.run("menuPledge", { as: headOf(def) });
      expect(rows(env)).toEqual(expected);
    });
});
