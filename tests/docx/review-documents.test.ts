import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { documentText } from "../../src/core/documents/doc-model";
import {
  buildAchievementReport,
  buildAwardRequest,
  buildBallots,
  buildCountMinutes,
  buildMeetingMinutes,
  proposedSchools,
} from "../../src/core/documents/review-documents";
import { proposeCandidates, votedItems } from "../../src/core/review/candidates";
import { decideReview } from "../../src/core/review/decide";
import { parseIsoDate } from "../../src/core/text/format";
import { docxBuffer } from "../../src/docx/render";
import { meetingRules, sample2023, tally2023 } from "../helpers/review";
import { sampleSubmissions } from "../helpers/samples";

const { def, ranking } = sample2023();
const rules = meetingRules();
const candidates = proposeCandidates(def, ranking, rules);
const result = decideReview(def, ranking, rules, candidates, tally2023());
const input = {
  def,
  summary: aggregateCluster(def, sampleSubmissions(def)),
  ranking,
  rules,
  result,
  lockPrint: "1c9981227164",
};
const date = parseIsoDate("2023-11-20")!;

function ballotsOf(secret: boolean): string[][] {
  const r = structuredClone(rules);
  r.params.secretBallot.value = secret;
  const text = documentText(buildBallots(def, r, candidates, votedItems(r), date));
  const pages: string[][] = [];
  // Each ballot starts with the issuer's first header line.
  for (const t of text)
    if (t === text[0]) pages.push([t]);
    else pages.at(-1)?.push(t);
  return pages;
}

describe("ballots", () => {
  it("secret: one ballot naming no school, every candidate on it, printed once per school", () => {
    const pages = ballotsOf(true);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.filter((t) => t === "Trường Chính trị tỉnh Lâm Đồng")).toHaveLength(4);
    const ballotHead = "Phiếu bầu kín: không ghi tên trường, không ký tên trên phiếu. ";
    const ballot = ballotHead + "In 10 bản, mỗi trường có mặt nhận một phiếu.";
    expect(pages[0]).toContain(ballot);
  });
  it("open: each names its school and leaves it off where voting for oneself is forbidden", () => {
    const pages = ballotsOf(false);
    const lam = pages.find((p) => p.includes("Phiếu của: Trường Chính trị tỉnh Lâm Đồng."))!;
    expect(lam.filter((t) => t === "Trường Chính trị tỉnh Lâm Đồng")).toHaveLength(0);
    const quang = pages.find((p) => p.includes("Phiếu của: Trường Chính trị tỉnh Quảng Nam."))!;
    expect(quang.filter((t) => t === "Trường Chính trị tỉnh Lâm Đồng")).toHaveLength(4);
  });
});

describe("the review documents", () => {
  const models = [
    buildMeetingMinutes(input),
    buildCountMinutes(input),
    buildAwardRequest(input),
    ...proposedSchools(def, result).map((c) => buildAchievementReport(input, c)),
  ];
  it("one achievement report per school proposed to the Academy or the Government", () => {
    expect(proposedSchools(def, result)).toEqual(["BDI", "PYE", "LDO"]);
  });
  it("the .docx carries every text of the model, in order", async () => {
    for (const m of models) {
      const xml = await (await JSZip.loadAsync(await docxBuffer(m))).file("word/document.xml")!.async("string");
      const inDocx = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)]
        .map((t) => t[1])
        .join("")
        .replace(/&amp;/g, "&")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"');
      expect(inDocx).toBe(documentText(m).join(""));
    }
  });
  it("a school's report fills its locked figures: registered, achieved and the rate with one decimal", () => {
    const text = documentText(buildAchievementReport(input, "BDI"));
    const requestHead = "Đề nghị tặng Bằng khen của Giám đốc Học viện Chính trị quốc gia ";
    const request = requestHead + "Hồ Chí Minh";
    expect(text).toContain(request);
    expect(text).toContain("100,0 %");
    const score = "2. Kết quả chấm điểm thi đua: 72,85/100 điểm, xếp hạng 4/10 trường";
    expect(text.some((t) => t.startsWith(score))).toBe(true);
  });
  it("the request lists each award with its votes and says which cluster the flag nominees lead", () => {
    const text = documentText(buildAwardRequest(input));
    expect(text).toContain("Trường Chính trị tỉnh Lâm Đồng, đơn vị dẫn đầu Cụm");
    expect(text).toContain("7/10 (70 %)");
    expect(text).toContain(
      "Trường Chính trị tỉnh Lâm Đồng; Trường Chính trị tỉnh Phú Yên là đơn " +
        "vị dẫn đầu Cụm thi đua các Trường Chính trị khu vực Nam Trung bộ và Tây " +
        "Nguyên năm 2023.",
    );
    expect(text.filter((t) => t === "Cờ thi đua của Chính phủ")).toHaveLength(1);
  });
});
