import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import type { DocumentModel, Table } from "../../src/core/documents/doc-model";
import { buildPledge, buildYearReport } from "../../src/core/documents/documents";
import { buildPeriodReport } from "../../src/core/documents/period-report";
import {
  buildAchievementReport,
  buildAwardRequest,
  buildBallots,
  buildCountMinutes,
  buildMeetingMinutes,
  proposedSchools,
} from "../../src/core/documents/review-documents";
import { buildAcademyReport } from "../../src/core/documents/academy-report";
import {
  columnWidthsPt,
  minimumCellWidthPt,
  textWidthOfPagePt,
  textWidthPt,
} from "../../src/core/documents/text-width";
import { rollUp } from "../../src/core/academy/rollup";
import type { ClusterDefinition } from "../../src/core/definition/definition";
import type { LockedYear } from "../../src/core/lock/locked-year";
import { reviewPeriod } from "../../src/core/period/period";
import { proposeCandidates, votedItems } from "../../src/core/review/candidates";
import { decideReview } from "../../src/core/review/decide";
import { scoreCluster } from "../../src/core/figures/score";
import { validateSchoolRows } from "../../src/core/figures/validate";
import { freezeFigures } from "../../src/cli/year/lock";
import { NATIONAL_2026 } from "../../src/cli/demo/demo-academy";
import { syntheticCluster, syntheticRows } from "../../bench/core";
import { meetingRules, sample2023, tally2023 } from "../helpers/review";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";

const date = new Date(Date.UTC(2025, 10, 20, 2));

function lockedYear(def: ClusterDefinition, figures = sampleSubmissions(def).map((s) => s.figures!)): LockedYear {
  const frozen = freezeFigures(def, figures);
  return {
    source: `${def.id}.xlsx`,
    definition: def,
    figures: frozen.figures,
    verdict: frozen.verdict,
    fingerprint: frozen.fingerprint,
    lockedAt: "20/11/2025 09:00",
  };
}

/** The same synthetic cluster locked for `years` years in a row, as the bench locks it. */
function syntheticPeriod(years: number, schools: number, targets: number): DocumentModel {
  const base = syntheticCluster(schools, targets);
  const locked = Array.from({ length: years }, (_, k) => {
    const def = { ...base, id: `${base.id}-${2020 + k}`, year: 2020 + k };
    return lockedYear(
      def,
      def.schools.map((s, i) => validateSchoolRows(def, s.code, syntheticRows(def, i + k)).figures!),
    );
  });
  return buildPeriodReport(reviewPeriod(locked, 2020, 2019 + years), locked.at(-1)!.definition, date);
}

/** Every document the product prints, at the sizes it is used at. */
function documents(): [string, DocumentModel][] {
  const out: [string, DocumentModel][] = [];
  for (const id of ["nam-trung-bo-tay-nguyen-2023", "cum-7-tay-nguyen-2020", "nam-trung-bo-tay-nguyen-2025"]) {
    const def = sampleDefinition(id);
    const subs = sampleSubmissions(def);
    const summary = aggregateCluster(def, subs);
    out.push([`giao ước ${id}`, buildPledge(def, { figures: subs.map((s) => s.figures!) })]);
    out.push([`báo cáo ${id}`, buildYearReport({ summary, ranking: scoreCluster(summary), date })]);
  }
  for (const [schools, targets] of [
    [3, 12],
    [60, 20],
  ] as const) {
    const def = syntheticCluster(schools, targets);
    const subs = def.schools.map((s, i) => ({
      school: s.code,
      ...validateSchoolRows(def, s.code, syntheticRows(def, i)),
    }));
    const summary = aggregateCluster(def, subs);
    out.push([`giao ước ${schools} trường`, buildPledge(def, { figures: subs.map((s) => s.figures!) })]);
    out.push([`báo cáo ${schools} trường`, buildYearReport({ summary, ranking: scoreCluster(summary), date })]);
  }
  const history = [2021, 2022, 2023, 2024, 2025].map((y) =>
    lockedYear(sampleDefinition(`nam-trung-bo-tay-nguyen-${y}`)),
  );
  out.push([
    "tổng kết giai đoạn 2021–2025",
    buildPeriodReport(reviewPeriod(history, 2021, 2025), history[4]!.definition, date),
  ]);
  for (const years of [1, 10]) out.push([`tổng kết giai đoạn ${years} năm`, syntheticPeriod(years, 10, 7)]);
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
  out.push(["biên bản họp", buildMeetingMinutes(input)], ["biên bản kiểm phiếu", buildCountMinutes(input)]);
  out.push(["tờ trình", buildAwardRequest(input)]);
  for (const c of proposedSchools(def, result)) out.push([`thành tích ${c}`, buildAchievementReport(input, c)]);
  for (const secret of [true, false]) {
    const r = structuredClone(rules);
    r.params.secretBallot.value = secret;
    out.push([`phiếu bầu ${secret ? "kín" : "mở"}`, buildBallots(def, r, candidates, votedItems(r), date)]);
  }
  const national = NATIONAL_2026.map((id) => lockedYear(sampleDefinition(id)));
  out.push(["tổng hợp Học viện", buildAcademyReport(rollUp(national.map((year) => ({ year }))), date)]);
  return out;
}

describe("text widths in Times New Roman", () => {
  it("measure as the font does: STT bold at 13 pt, a year, diacritics as wide as their letter", () => {
    // S 556 + T 667 + T 667 thousandths of an em, bold.
    expect(textWidthPt("STT", 13, true)).toBeCloseTo(24.57, 2);
    expect(textWidthPt("2025", 13, true)).toBeCloseTo(26, 5);
    expect(textWidthPt("Đắk Lắk", 14)).toBe(textWidthPt("Dak Lak", 14));
    // Horn letters count wider than o and u: the check errs on the wide side.
    expect(textWidthPt("ơ", 10)).toBeGreaterThan(textWidthPt("o", 10));
  });
});

describe("every table of every document", () => {
  it("gives each header cell a column wide enough for its longest word, so no header breaks mid-word", () => {
    const tooNarrow: string[] = [];
    for (const [name, doc] of documents())
      doc.blocks
        .filter((b): b is Table => b.kind === "table")
        .forEach((t, n) => {
          const widths = columnWidthsPt(t, doc.page);
          const sum = widths.reduce((a, b) => a + b, 0);
          if (sum > textWidthOfPagePt(doc.page) + 0.01) tooNarrow.push(`${name}, bảng ${n + 1}: rộng quá trang`);
          for (const row of t.rows.slice(0, t.headerRows)) {
            let column = 0;
            for (const c of row) {
              const span = c.colSpan || 1;
              const width = widths.slice(column, column + span).reduce((a, b) => a + b, 0);
              column += span;
              const needed = minimumCellWidthPt(c, t, doc.page.bodySizePt);
              const text = c.paragraphs.map((x) => x.runs.map((r) => r.text).join("")).join(" ");
              if (needed > width)
                tooNarrow.push(
                  `${name}, bảng ${n + 1}: "${text}" cần ${needed.toFixed(1)} pt, cột ${width.toFixed(1)} pt`,
                );
            }
          }
        });
    expect(tooNarrow).toEqual([]);
  });
});
