import { describe, expect, it } from "vitest";
import { capGovFlag, type FlagProposal } from "../../src/core/academy/gov-flag";
import { AcademyError } from "../../src/core/academy/academy-error";
import { rollUp, type ClusterInput } from "../../src/core/academy/rollup";
import { submissionsFromFigures } from "../../src/core/figures/figures-file";
import type { LockedYear } from "../../src/core/lock/locked-year";
import { ruleSetFor, type RuleSet } from "../../src/core/review/rules";
import { buildAcademySheets } from "../../src/core/sheets/academy-layout";
import { buildAcademyReport } from "../../src/core/documents/academy-report";
import { documentText } from "../../src/core/documents/doc-model";
import { NATIONAL_2026, sampleReview } from "../../src/cli/demo/demo-academy";
import { bundledDefinitionPath, loadDefinitionFile, loadSampleFigures } from "../../src/cli/io/definitions";
import { freezeFigures } from "../../src/cli/year/lock";

/** A bundled year frozen as the lock freezes it, read back as the Academy reads a locked workbook. */
function locked(id: string, change?: (y: LockedYear) => void): LockedYear {
  const def = loadDefinitionFile(bundledDefinitionPath(id));
  const subs = submissionsFromFigures(def, loadSampleFigures(def), `${id}.json`);
  const frozen = freezeFigures(
    def,
    subs.map((s) => s.figures!),
  );
  const year: LockedYear = {
    source: `${id}/tong-hop-da-khoa.xlsx`,
    definition: def,
    figures: frozen.figures,
    verdict: frozen.verdict,
    fingerprint: frozen.fingerprint,
    lockedAt: "16/11/2026 09:00",
  };
  change?.(year);
  return year;
}

const national = NATIONAL_2026.map((id) => locked(id));
const withReviews = (years: LockedYear[], spread = (i: number) => i % 3): ClusterInput[] =>
  years.map((year, i) => ({
    year,
    review: sampleReview(year.definition, year.verdict.ranking, year.fingerprint, `2026-11-${20 + i}`, spread(i)),
  }));

describe("national totals", () => {
  const r = rollUp(national.map((year) => ({ year })));

  it("every count equals the sum of the clusters' locked totals, over every school they counted", () => {
    expect(r.clusters).toHaveLength(6);
    expect(r.schools).toEqual({ members: 34, counted: 34 });
    for (const t of r.targets.filter((x) => x.summed)) {
      let reg = 0;
      let ach = 0;
      for (const y of national) {
        const ts = y.verdict.summary.targets.find((x) => x.target.code === t.code);
        if (ts?.achieved.method === "sum" && ts.registered.method === "sum") {
          ach += ts.achieved.sum;
          reg += ts.registered.sum;
        }
      }
      expect(t.total!.achieved).toMatchObject({ method: "sum", sum: ach });
      expect(t.total!.registered).toMatchObject({ method: "sum", sum: reg });
    }
    const lop = r.targets.find((t) => t.code === "LOP")!;
    expect(lop.total!.achieved).toMatchObject({ sum: 1542, of: 34 });
  });

  it("a target some clusters lack is totalled over those that have it and names the others", () => {
    const trips = r.targets.find((t) => t.code === "THUCTE")!;
    expect(trips.total!.achieved).toMatchObject({ method: "sum", of: 10 });
    expect(trips.missingIn).toHaveLength(4);
    expect(trips.missingIn).toContain("Cụm thi đua các Trường Chính trị khu vực đồng bằng sông Hồng");
    const sheet = buildAcademySheets(r)[0]!.grid;
    const row = sheet.find((x) => x[1] === trips.name)!;
    expect(row[6]).toBe("2/6 Cụm (chỉ có ở Khu vực Bắc Trung bộ; Khu vực đồng bằng sông Cửu Long)");
  });

  it("percent and yes/no targets are listed per cluster, never summed", () => {
    for (const code of ["HTTNV", "CHUAN"]) {
      const t = r.targets.find((x) => x.code === code)!;
      expect(t.summed).toBe(false);
      expect(t.total).toBeUndefined();
      expect(t.byCluster.every(Boolean)).toBe(true);
    }
    const byCluster = buildAcademySheets(r)[1]!.grid;
    const chuan = byCluster.find((x) => x[1] === r.targets.find((t) => t.code === "CHUAN")!.name)!;
    expect(chuan.slice(3)).toContain("không cộng");
    expect(chuan.slice(3, 9).every((c) => /^\d+\/\d+ Đạt$/.test(String(c)))).toBe(true);
  });

  it("targets are matched by code and unit: the same code in another unit stays its own line", () => {
    const other = locked("dong-nam-bo-2026", (y) => {
      // The definition the locked verdict was computed from: a locked workbook keeps exactly that one.
      y.definition.targets.find((t) => t.code === "LOP")!.unit = "khóa";
    });
    const mixed = rollUp(
      [...national.filter((y) => y.definition.id !== "dong-nam-bo-2026"), other].map((year) => ({ year })),
    );
    const lop = mixed.targets.filter((t) => t.code === "LOP");
    expect(lop.map((t) => t.unit)).toEqual(["lớp", "khóa"]);
    expect(lop[1]!.missingIn).toHaveLength(5);
  });

  it("per cluster: head, deputies, leading unit, coverage and lock code", () => {
    const c = r.clusters.find((x) => x.id === "nam-trung-bo-tay-nguyen-2026")!;
    expect(c.head!.name).toBe("Trường Chính trị tỉnh Gia Lai");
    expect(c.deputies.map((d) => d.code)).toEqual(["QNG", "DNG"]);
    expect(c.leadersFrom).toBe("ranking");
    expect(c.leaders).toHaveLength(1);
    expect(c.counted).toHaveLength(6);
    expect(c.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(r.sentence).toMatch(
      /^Năm 2026, 34 trường chính trị trong 6 Cụm thi đua đã quản lý, đào tạo, bồi dưỡng 1\.542 lớp với /,
    );
  });
});

describe("refusals, naming what is wrong", () => {
  const refuse = (years: LockedYear[]) => () => rollUp(years.map((year) => ({ year })));

  it("one cluster given twice", () => {
    const again = locked("dong-nam-bo-2026", (y) => (y.source = "ban-sao/tong-hop-da-khoa.xlsx"));
    expect(refuse([...national, again])).toThrow(AcademyError);
    expect(refuse([...national, again])).toThrow(
      /khu vực Đông Nam bộ năm 2026 được đưa vào hai lần: dong-nam-bo-2026\/tong-hop-da-khoa\.xlsx và ban-sao\//,
    );
  });

  it("clusters of different years", () => {
    const old = locked("nam-trung-bo-tay-nguyen-2025");
    expect(refuse([national[0]!, old])).toThrow(
      new RegExp(
        /Các Cụm không cùng một năm: .*miền núi phía Bắc \(.*\) là năm 2026, /.source +
          /.*Nam Trung bộ và Tây Nguyên \(.*\) là năm 2025/.source,
      ),
    );
  });

  it("a school claimed by two clusters", () => {
    const twin = locked("dong-nam-bo-2026", (y) => {
      y.definition.id = "dong-nam-bo-b-2026";
      y.definition.name = "Cụm thi đua thứ hai";
      y.source = "cum-b/tong-hop-da-khoa.xlsx";
      y.fingerprint = "b".repeat(64);
    });
    expect(refuse([...national, twin])).toThrow(
      new RegExp(
        /Trường Cán bộ Thành phố Hồ Chí Minh \(mã HCM\) có tên trong cả hai Cụm: /.source +
          /.*Đông Nam bộ .*và Cụm thi đua thứ hai \(cum-b\//.source,
      ),
    );
  });

  it("a school under another code but the same name is the same school", () => {
    const renamed = locked("dong-nam-bo-2026", (y) => {
      y.definition.id = "cum-khac-2026";
      y.fingerprint = "c".repeat(64);
      y.definition.schools = y.definition.schools.map((s) => ({ ...s, code: `X${s.code}` }));
    });
    expect(refuse([national[0]!, national[4]!, renamed])).toThrow(/có tên trong cả hai Cụm/);
  });

  it("an Academy date before a cluster's meeting", () => {
    expect(() => rollUp(withReviews(national), { date: "2026-11-21" })).toThrow(
      /Ngày xét của Học viện \(21\/11\/2026\) trước ngày họp bình xét của .* \(25\/11\/2026\)/,
    );
  });
});

const proposal = (school: string, share: number, score = 80, cluster = `cum-${school}`): FlagProposal => ({
  cluster,
  clusterName: `Cụm ${school}`,
  school,
  schoolName: `Trường ${school}`,
  votes: Math.round(share * 10),
  base: 10,
  share,
  score,
  maxScore: 100,
});
const rules2026 = ruleSetFor("2026-12-15");

describe("the Government's flag capped over the Academy's pool", () => {
  it("a pool of 0 leading units: nothing to propose, and it says so", () => {
    const cap = capGovFlag([], 0, rules2026);
    expect(cap.seats).toBe(0);
    expect(cap.outcomes).toEqual([]);
    expect(cap.lines[0]).toMatch(
      /^Số đơn vị được đề nghị: tối đa 20 % của 0 đơn vị dẫn đầu các Cụm = 0, làm tròn xuống 0/,
    );
    expect(cap.lines).toContain("Không Cụm nào đề nghị Cờ thi đua của Chính phủ.");
  });

  it("a pool of 1: 20 % of one unit is no unit, and the one proposal is told why", () => {
    const cap = capGovFlag([proposal("A", 0.9)], 1, rules2026);
    expect(cap.seats).toBe(0);
    expect(cap.outcomes.map((o) => o.outcome)).toEqual(["overCap"]);
    expect(cap.outcomes[0]!.line).toBe(
      "Trường A (Cụm A): 9/10 phiếu = 90 %, 80,00/100,00 điểm đã khóa; xếp thứ 1/1, tỷ lệ 20 % của 1 đơn vị " +
        "dẫn đầu chưa đủ một đơn vị → không đề nghị.",
    );
  });

  it("a pool of 5: one seat, to the highest vote share, one line per outcome", () => {
    const list = [proposal("A", 0.7, 95), proposal("B", 0.9, 60), proposal("C", 0.8, 99)];
    const cap = capGovFlag(list, 5, rules2026);
    expect(cap.seats).toBe(1);
    expect(cap.outcomes.map((o) => [o.school, o.outcome, o.place])).toEqual([
      ["B", "proposed", 1],
      ["C", "overCap", 2],
      ["A", "overCap", 3],
    ]);
    expect(cap.outcomes[0]!.line).toMatch(/xếp thứ 1\/3, trong số 1 chỗ → đề nghị\.$/);
    expect(cap.outcomes[1]!.line).toMatch(
      /vượt tỷ lệ được đề nghị \(1 đơn vị\), xếp sau các đơn vị trên → không đề nghị\.$/,
    );
    expect(new Set(cap.outcomes.map((o) => o.line)).size).toBe(3);
  });

  it("equal shares at the cap: the locked score, as a share of its maximum, decides", () => {
    const a = { ...proposal("A", 0.8, 80), maxScore: 100 };
    const b = { ...proposal("B", 0.8, 84), maxScore: 105 };
    const c = { ...proposal("C", 0.8, 81), maxScore: 100 };
    const cap = capGovFlag([a, b, c], 5, rules2026);
    // 84/105 = 80 % < 81 %: C first, A and B equal at 80 % of the maximum but already outside the one seat.
    expect(cap.outcomes.map((o) => [o.school, o.outcome])).toEqual([
      ["C", "proposed"],
      ["A", "overCap"],
      ["B", "overCap"],
    ]);
  });

  it("equal share and score across the last seat: the Academy's council votes again", () => {
    const cap = capGovFlag([proposal("A", 0.8, 90), proposal("B", 0.8, 90), proposal("C", 0.6, 99)], 5, rules2026);
    expect(cap.outcomes.map((o) => [o.school, o.outcome, o.place])).toEqual([
      ["A", "tieUnresolved", 1],
      ["B", "tieUnresolved", 1],
      ["C", "overCap", 3],
    ]);
    expect(cap.outcomes[0]!.line).toMatch(
      /bằng Trường B ở chỗ cuối cùng \(còn 1 chỗ\) → Hội đồng Thi đua - Khen thưởng Học viện bỏ phiếu lại/,
    );
  });

  it("a tie inside the seats is no tie at the cap", () => {
    const cap = capGovFlag(
      [proposal("A", 0.9), proposal("B", 0.9), proposal("C", 0.8), proposal("D", 0.7)],
      10,
      rules2026,
    );
    expect(cap.outcomes.map((o) => o.outcome)).toEqual(["proposed", "proposed", "overCap", "overCap"]);
  });

  it("rules that name a revote for equal votes skip the score", () => {
    const revote: RuleSet = structuredClone(rules2026);
    revote.params.tieBreak.value = "revote";
    const cap = capGovFlag([proposal("A", 0.8, 99), proposal("B", 0.8, 50)], 5, revote);
    expect(cap.outcomes.map((o) => o.outcome)).toEqual(["tieUnresolved", "tieUnresolved"]);
    expect(cap.lines[1]).toMatch(/^Thứ tự xét: tỷ lệ phiếu tại Hội nghị bình xét của Cụm; bằng phiếu/);
  });

  it("the share in force on the date: confirmed under Decree 91, marked unconfirmed from 2024", () => {
    expect(capGovFlag([], 5, ruleSetFor("2023-12-15")).lines[0]).toMatch(
      /Nghị định số 91\/2017\/NĐ-CP, Điều 11 khoản 1 \(không quá 20 %[^)]*\)\.$/,
    );
    expect(capGovFlag([], 5, ruleSetFor("2023-12-15")).unconfirmed).toBe(false);
    expect(capGovFlag([], 5, ruleSetFor("2024-12-15")).lines[0]).toMatch(
      /Nghị định 98\/2023 \(tỷ lệ chưa kiểm chứng được/,
    );
    expect(capGovFlag([], 5, rules2026).lines[0]).toMatch(/Nghị định 152\/2025 \(tỷ lệ chưa kiểm chứng được/);
  });
});

describe("the clusters' proposals consolidated", () => {
  const r = rollUp(withReviews(national), { date: "2026-12-15" });

  it("the clusters' Government-flag proposals are capped over all their leaders: 20 % of 6 is one", () => {
    const review = r.review!;
    expect(review.ruleSet.id).toBe("nd-152-2025");
    expect(review.dateFrom).toBe("given");
    expect(review.govFlag.pool).toBe(6);
    expect(review.govFlag.seats).toBe(1);
    expect(review.govFlag.outcomes).toHaveLength(6);
    expect(review.govFlag.outcomes.filter((o) => o.outcome === "proposed")).toHaveLength(1);
    expect(review.govFlag.outcomes[0]!.outcome).toBe("proposed");
    expect(review.awards.find((a) => a.item === "leader")!.schools).toHaveLength(6);
    expect(r.clusters.every((c) => c.leadersFrom === "review")).toBe(true);
  });

  it("a cluster that capped with a pool hidden in its own rules still sends every unit that reached the vote", () => {
    const inputs = withReviews(national);
    const record = inputs[1]!.review!;
    // As a cluster whose rules file names a pool of 5 leaders and a cap that left its leader out would record it.
    record.rules.params.govFlagLeaderBase.value = 5;
    const gov = record.result.items.find((i) => i.item === "govFlag")!;
    const top = gov.candidates.find((c) => c.share > 0.5)!;
    top.outcome = "overLimit";
    record.result.awards.govFlag = [];
    const r2 = rollUp(inputs, { date: "2026-12-15" });
    expect(r2.review!.govFlag.pool).toBe(6);
    expect(r2.review!.govFlag.outcomes.map((o) => o.school)).toContain(top.school);
    expect(r2.review!.govFlag.outcomes).toHaveLength(6);
  });

  it("a cluster without a record adds no leader to the pool and is named", () => {
    const inputs = withReviews(national);
    delete inputs[2]!.review;
    const partial = rollUp(inputs);
    expect(partial.review!.govFlag.pool).toBe(5);
    expect(partial.review!.withoutRecord).toEqual([national[2]!.definition.name]);
    expect(partial.review!.dateFrom).toBe("meetings");
    expect(partial.review!.date).toBe("2026-11-25");
  });

  it("the report and the workbook carry the national sentence and one line per outcome", () => {
    const text = documentText(buildAcademyReport(r, new Date(Date.UTC(2026, 11, 15, 3)))).join("\n");
    expect(text).toContain(r.sentence!);
    expect(text).toContain("Hà Nội, ngày 15 tháng 12 năm 2026");
    expect(text).toContain("VỤ TRƯỞNG VỤ CÁC TRƯỜNG CHÍNH TRỊ");
    for (const o of r.review!.govFlag.outcomes) expect(text).toContain(o.line);
    const proposals = buildAcademySheets(r)
      .find((s) => s.name === "Đề nghị khen thưởng")!
      .grid.flat();
    for (const o of r.review!.govFlag.outcomes) expect(proposals).toContain(o.line);
  });
});
