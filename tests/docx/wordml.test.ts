import { readFileSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { documentText, type DocumentModel, type Table } from "../../src/core/documents/doc-model";
import { buildPledge, buildYearReport } from "../../src/core/documents/documents";
import { scoreCluster } from "../../src/core/figures/score";
import { validateSchoolRows } from "../../src/core/figures/validate";
import { docxBuffer } from "../../src/docx/render";
import { escapeXml, TABLE_SEPARATOR } from "../../src/docx/wordml";
import { syntheticCluster, syntheticRows } from "../../bench/core";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";
import { FEATURE_MODEL } from "./feature-model";
import { buildAchievementReport, proposedSchools } from "../../src/core/documents/review-documents";
import { proposeCandidates } from "../../src/core/review/candidates";
import { decideReview } from "../../src/core/review/decide";
import { meetingRules, sample2023, tally2023 } from "../helpers/review";

const FIXTURES = join(import.meta.dirname, "fixtures");

async function parts(bytes: Uint8Array): Promise<Record<string, string>> {
  // checkCRC32: a part whose bytes do not match its recorded checksum is refused, as Word refuses it.
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) out[name] = await zip.file(name)!.async("string");
  return out;
}

/** The body and section without the root element's namespace list and with relationship ids blanked. */
const bodyOf = (xml: string) => /<w:body>.*<\/w:body>/s.exec(xml)![0].replace(/r:id="[^"]*"/g, 'r:id=""');

/** Every element in document order with its attributes sorted: what a reader of the markup sees. */
function elements(xml: string): string[] {
  return [...xml.matchAll(/<(\/?)(w:\w+)([^>]*?)(\/?)>|([^<]+)/g)].map(([, close, tag, attrs, self, text]) => {
    if (text !== undefined) return `text ${text}`;
    const sorted = [...(attrs ?? "").matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    return `${close}${tag} ${sorted.join(" ")}${self}`;
  });
}

describe("the .docx writer against the docx package it replaced", () => {
  it("writes the body of a document using every option exactly as the package did", async () => {
    const before = readFileSync(join(FIXTURES, "feature-model.document.xml"), "utf8");
    const after = (await parts(await docxBuffer(FEATURE_MODEL)))["word/document.xml"]!;
    // The one addition: the package wrote two tables side by side, which Word and LibreOffice join into one.
    expect(bodyOf(after)).toContain(`</w:tbl>${TABLE_SEPARATOR}<w:tbl>`);
    expect(elements(bodyOf(after).replace(TABLE_SEPARATOR, ""))).toEqual(elements(bodyOf(before)));
  });
  it("writes the page-number header as the package did", async () => {
    const paragraph = (xml: string) => /<w:p>.*<\/w:p>/s.exec(xml)?.[0];
    const before = readFileSync(join(FIXTURES, "feature-model.header1.xml"), "utf8");
    const headers = Object.entries(await parts(await docxBuffer(FEATURE_MODEL))).filter(([n]) =>
      /^word\/header\d\.xml$/.test(n),
    );
    expect(headers.map(([, xml]) => paragraph(xml))).toContain(paragraph(before));
    // The first page's header is empty: numbers start on page 2.
    expect(headers.map(([, xml]) => paragraph(xml))).toContain(undefined);
  });
  it("gives a cell after a spanning cell its own column's width (the package gave it the next one's)", async () => {
    const model: DocumentModel = {
      ...FEATURE_MODEL,
      blocks: [
        {
          kind: "table",
          widths: [10, 30, 60],
          headerRows: 0,
          borders: true,
          cantSplit: true,
          rows: [[{ paragraphs: [], colSpan: 2 }, { paragraphs: [] }]],
        },
      ],
    };
    const xml = (await parts(await docxBuffer(model)))["word/document.xml"]!;
    const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    const cells = [...xml.matchAll(/<w:tcW w:type="dxa" w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(cells).toEqual([grid[0]! + grid[1]!, grid[2]!]);
  });
});

describe("the package around the body", () => {
  it("is a zip Word opens: content types for every part, checksums right, the title escaped", async () => {
    const p = await parts(await docxBuffer(FEATURE_MODEL, new Date(Date.UTC(2024, 2, 1, 3))));
    const types = p["[Content_Types].xml"]!;
    for (const name of Object.keys(p).filter((n) => n.startsWith("word/") && !n.includes("_rels")))
      expect(types, name).toContain(`PartName="/${name}"`);
    expect(p["docProps/core.xml"]).toContain(
      "<dc:title>Thử &lt;mọi&gt; &amp; &quot;tính năng&quot; &apos;x&apos;</dc:title>",
    );
    expect(p["docProps/core.xml"]).toContain("2024-03-01T03:00:00.000Z");
    const rels = p["word/_rels/document.xml.rels"]!;
    for (const id of p["word/document.xml"]!.matchAll(/r:id="([^"]+)"/g)) expect(rels).toContain(`Id="${id[1]}"`);
    // The body's font and size for text that sets none.
    expect(p["word/styles.xml"]).toMatch(
      /<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman"[^>]*\/><w:sz w:val="26"\/>/,
    );
  });
  it("drops characters XML cannot carry, so one pasted control character cannot make the file unreadable", () => {
    expect(escapeXml("a\u0001b\u000Bc\tnd\n & <x> \"q\" 'a' \uD800z 😀\uFFFF")).toBe(
      "abc\tnd\n &amp; &lt;x&gt; &quot;q&quot; &apos;a&apos; \uFFFDz 😀",
    );
  });
});

/** Paragraph texts, tables, header rows and columns of the written body, read back from its markup. */
function readBack(xml: string): { texts: string[]; tables: { columns: number; headerRows: number; rows: number }[] } {
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&");
  // A paragraph with a rule under it is followed by the rule's empty paragraph, which carries a border.
  const texts = [...xml.matchAll(/<w:p>(?:(?!<\/w:p>).)*<\/w:p>|<w:p\/>/gs)]
    .filter((m) => !m[0].includes("<w:pBdr>") && !m[0].includes("<w:pageBreakBefore/>") && m[0] !== TABLE_SEPARATOR)
    .map((m) => unescape([...m[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("")));
  const tables = [...xml.matchAll(/<w:tbl>.*?<\/w:tbl>/gs)].map((m) => ({
    columns: (m[0].match(/<w:gridCol /g) ?? []).length,
    headerRows: (m[0].match(/<w:tblHeader\/>/g) ?? []).length,
    rows: (m[0].match(/<w:tr>/g) ?? []).length,
  }));
  return { texts, tables };
}

function expectCarries(model: DocumentModel, xml: string): void {
  const back = readBack(xml);
  // Two tables side by side would be read as one, the second taking the first's header rows.
  expect(xml).not.toContain("</w:tbl><w:tbl>");
  // An empty cell is written as one empty paragraph, which the model's text list does not have.
  const emptyCells = model.blocks
    .filter((b): b is Table => b.kind === "table")
    .flatMap((t) => t.rows.flat())
    .filter((c) => !c.paragraphs.length).length;
  expect(back.texts.filter((t) => t !== "")).toEqual(documentText(model).filter((t) => t !== ""));
  expect(back.texts.length).toBe(documentText(model).length + emptyCells);
  expect(back.tables).toEqual(
    model.blocks
      .filter((b): b is Table => b.kind === "table")
      .map((t) => ({ columns: t.widths.length, headerRows: t.headerRows, rows: t.rows.length })),
  );
}

describe("the documents read back from the .docx", () => {
  it("the pledge and the year-end report of every bundled sample carry every text, table and header row", async () => {
    for (const id of ["nam-trung-bo-tay-nguyen-2023", "cum-7-tay-nguyen-2020"]) {
      const def = sampleDefinition(id);
      const subs = sampleSubmissions(def);
      const summary = aggregateCluster(def, subs);
      for (const model of [
        buildPledge(def, { figures: subs.map((s) => s.figures!) }),
        buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date(Date.UTC(2023, 10, 20)) }),
      ])
        expectCarries(model, (await parts(await docxBuffer(model)))["word/document.xml"]!);
    }
  });
  it("the achievement report's signatures stay a table of their own, not rows under the awards table's header", async () => {
    const { def, ranking } = sample2023();
    const rules = meetingRules();
    const result = decideReview(def, ranking, rules, proposeCandidates(def, ranking, rules), tally2023());
    const input = {
      def,
      summary: aggregateCluster(def, sampleSubmissions(def)),
      ranking,
      rules,
      result,
      lockPrint: "x",
    };
    const model = buildAchievementReport(input, proposedSchools(def, result)[0]!);
    const last = model.blocks.slice(-2).map((b) => b.kind);
    expect(last).toEqual(["table", "table"]);
    expectCarries(model, (await parts(await docxBuffer(model)))["word/document.xml"]!);
  });
  it("a report of 60 schools × 80 targets (29.000 cells) comes out whole", async () => {
    const def = syntheticCluster(60, 80);
    const subs = def.schools.map((s, i) => ({
      school: s.code,
      ...validateSchoolRows(def, s.code, syntheticRows(def, i)),
    }));
    const summary = aggregateCluster(def, subs);
    const model = buildYearReport({ summary, ranking: scoreCluster(summary), date: new Date(Date.UTC(2024, 10, 20)) });
    const bytes = await docxBuffer(model);
    // Deflated as it is written: the 17 MB of markup come out as well under a megabyte.
    expect(bytes.length).toBeLessThan(1024 * 1024);
    expectCarries(model, (await parts(bytes))["word/document.xml"]!);
  });
});
