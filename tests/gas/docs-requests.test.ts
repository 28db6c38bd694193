import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { documentText, type DocumentModel, type Paragraph, type Table } from "../../src/core/documents/doc-model";
import {
  buildAchievementReport,
  buildAwardRequest,
  buildBallots,
  buildCountMinutes,
  buildMeetingMinutes,
  proposedSchools,
} from "../../src/core/documents/review-documents";
import { buildPledge, buildYearReport } from "../../src/core/documents/documents";
import { proposeCandidates, votedItems } from "../../src/core/review/candidates";
import { decideReview } from "../../src/core/review/decide";
import { parseIsoDate } from "../../src/core/text/format";
import { syntheticCluster } from "../../bench/core";
import { documentRequests } from "../../src/gas/documents/docs-requests";
import { applyBatch } from "../fake-gas/docs-api";
import { FakeBody, FakeDocTable } from "../fake-gas/documents";
import { meetingRules, sample2023, tally2023 } from "../helpers/review";
import { sampleSubmissions } from "../helpers/samples";

/** Every document the add-on writes into Google Docs, from the sample year and a large synthetic cluster. */
function models(): [string, DocumentModel][] {
  const { def, ranking } = sample2023();
  const rules = meetingRules();
  const candidates = proposeCandidates(def, ranking, rules);
  const result = decideReview(def, ranking, rules, candidates, tally2023());
  const summary = aggregateCluster(def, sampleSubmissions(def));
  const input = { def, summary, ranking, rules, result, lockPrint: "1c9981227164" };
  const date = parseIsoDate("2023-11-20")!;
  const open = structuredClone(rules);
  open.params.secretBallot.value = false;
  return [
    ["giao ước", buildPledge(def, { figures: summary.schools.filter((s) => s.figures).map((s) => s.figures!) })],
    ["báo cáo tổng kết", buildYearReport({ summary, ranking, date })],
    ["phiếu bầu kín", buildBallots(def, rules, candidates, votedItems(rules), date)],
    ["phiếu bầu ghi tên", buildBallots(def, open, candidates, votedItems(open), date)],
    ["biên bản họp", buildMeetingMinutes(input)],
    ["biên bản kiểm phiếu", buildCountMinutes(input)],
    ["tờ trình", buildAwardRequest(input)],
    ...proposedSchools(def, result).map((c): [string, DocumentModel] => [
      `báo cáo thành tích ${c}`,
      buildAchievementReport(input, c),
    ]),
    ["giao ước 60 trường × 30 chỉ tiêu", buildPledge(syntheticCluster(60, 30), { figures: [] })],
  ];
}

describe("the Docs API request that writes a document", () => {
  for (const [name, model] of models())
    it(`${name}: applied to a new document with the API's index rules, it holds the model's text, paragraph for paragraph`, () => {
      const body = applyBatch(new FakeBody(), documentRequests(model));
      expect(body.texts()).toEqual(documentText(model));
      expect(body.children.filter((c) => c.type === "PAGE_BREAK")).toHaveLength(
        model.blocks.filter((b) => b.kind === "pageBreak").length,
      );
      expect(body.children.filter((c) => c.type === "TABLE")).toHaveLength(
        model.blocks.filter((b) => b.kind === "table").length,
      );
    });
  for (const [name, model] of models())
    it(`${name}: every paragraph has the model's alignment and spacing, every character its run's look, every cell its shade and alignment`, () => {
      const body = applyBatch(new FakeBody(), documentRequests(model));
      const page = model.page;
      const ALIGN = { left: "START", center: "CENTER", right: "END", justify: "JUSTIFIED" };
      const paragraphs = model.blocks.flatMap<{ x: Paragraph; inCell: boolean }>((b) =>
        b.kind === "paragraph"
          ? [{ x: b, inCell: false }]
          : b.kind === "table"
            ? b.rows.flat().flatMap((c) => c.paragraphs.map((x) => ({ x, inCell: true })))
            : [],
      );
      // An empty cell shows no alignment: the renderer leaves it at the table's (docs-requests.ts).
      const blank = (x: Paragraph, inCell: boolean) => inCell && !x.runs.some((r) => r.text.length);
      const look = ({ x, inCell }: { x: Paragraph; inCell: boolean }) => ({
        align: blank(x, inCell) ? "(trống)" : ALIGN[x.align],
        before: x.spaceBeforePt ?? 0,
        after: x.ruleBelow ? 0 : (x.spaceAfterPt ?? 0),
        keepWithNext: !!x.keepWithNext || x.ruleBelow !== undefined,
        chars: x.runs.flatMap((r) =>
          Array.from(r.text, () => [!!r.bold, !!r.italic, !!r.underline, r.size ?? page.bodySizePt, page.font].join()),
        ),
      });
      const made = body.paragraphs().map((p, i) => ({
        align: blank(paragraphs[i]!.x, paragraphs[i]!.inCell) ? "(trống)" : p.align,
        before: p.before,
        after: p.after,
        keepWithNext: p.keepWithNext,
        chars: p.textStyle.all().map((c) => [!!c.bold, !!c.italic, !!c.underline, c.size, c.font].join()),
      }));
      expect(made).toEqual(paragraphs.map(look));
      const cells = (t: Table) => t.rows.flat().map((c) => [c.shade ?? "", c.valign === "center" ? "MIDDLE" : "TOP"]);
      expect(
        body.children
          .filter((c): c is FakeDocTable => c instanceof FakeDocTable)
          .map((t) => t.rows.flatMap((r) => r.cells).map((c) => [c.background, c.valign])),
      ).toEqual(model.blocks.filter((b): b is Table => b.kind === "table").map(cells));
    });
  it("a page break before a table takes the place of the paragraph the table needs, and never deletes the newline before a table", () => {
    const body = applyBatch(new FakeBody(), [
      { insertTable: { location: { index: 1 }, rows: 1, columns: 1 } },
      { insertPageBreak: { location: { index: 1 } } },
    ]);
    expect(body.children.map((c) => c.type)).toEqual(["PAGE_BREAK", "PARAGRAPH", "TABLE", "PARAGRAPH"]);
    expect(() => applyBatch(body, [{ deleteContentRange: { range: { startIndex: 3, endIndex: 4 } } }])).toThrow(
      /deleteContentRange/,
    );
    const merged = applyBatch(body, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } }]);
    expect(merged.children.map((c) => c.type)).toEqual(["PAGE_BREAK", "TABLE", "PARAGRAPH"]);
    expect(() => applyBatch(merged, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } }])).toThrow(
      /Cannot delete/,
    );
  });
});
