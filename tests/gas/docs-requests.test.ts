import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { documentText, type DocumentModel } from "../../src/core/documents/doc-model";
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
import { FakeBody } from "../fake-gas/documents";
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
