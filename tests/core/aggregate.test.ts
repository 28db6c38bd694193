import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateCluster, completionRate, schoolFigure, type Submission } from "../../src/core/figures/aggregate";
import { yearSummarySentence } from "../../src/core/documents/report-text";
import { validateSchoolRows } from "../../src/core/figures/validate";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";

describe("the 2020 sample reproduces the published totals", () => {
  const def = sampleDefinition("cum-7-tay-nguyen-2020");
  const summary = aggregateCluster(def, sampleSubmissions(def));
  const achieved = (code: string) => summary.targets.find((t) => t.target.code === code)!.achieved;

  it("261 classes, 19.082 students, 2 + 11 = 13 topics, 23 seminars", () => {
    expect(summary.covered).toHaveLength(5);
    expect(achieved("LOP")).toEqual({ method: "sum", sum: 261, of: 5 });
    expect(achieved("HOCVIEN")).toEqual({ method: "sum", sum: 19082, of: 5 });
    expect(achieved("DETAI_TINH")).toEqual({ method: "sum", sum: 2, of: 5 });
    expect(achieved("DETAI_TRUONG")).toEqual({ method: "sum", sum: 11, of: 5 });
    expect(achieved("HOITHAO")).toEqual({ method: "sum", sum: 23, of: 5 });
  });
  it("writes the seed's sentence from the totals", () => {
    expect(yearSummarySentence(summary)).toContain(
      "quản lý, đào tạo, bồi dưỡng 261 lớp với 19.082 học viên; triển khai " +
        "nghiên cứu 13 đề tài khoa học với 2 đề tài cấp tỉnh, 11 đề tài cấp " +
        "trường",
    );
    expect(yearSummarySentence(summary)).toContain("23 hội thảo khoa học, tọa đàm");
  });
  it("aggregates percent as the unweighted mean with min and max, yes/no as count of Đạt", () => {
    expect(achieved("HTTNV")).toEqual({
      method: "mean",
      mean: (92.3 + 90.5 + 94 + 95.8 + 91.2) / 5,
      min: 90.5,
      max: 95.8,
      of: 5,
    });
    expect(achieved("CHUAN")).toEqual({ method: "countYes", yes: 4, of: 5 });
  });
});

describe("coverage", () => {
  const def = sampleDefinition("cum-7-tay-nguyen-2020");
  const subs = sampleSubmissions(def);

  it("leaves a school with errors out of the totals and lists it with its problems", () => {
    const broken = subs.map((s) =>
      s.school === "GLA"
        ? { ...s, problems: [...s.problems, { severity: "error" as const, school: "GLA", message: "lỗi thử" }] }
        : s,
    );
    const summary = aggregateCluster(def, broken);
    expect(summary.covered).toEqual(["DNO", "KTU", "DLK", "LDO"]);
    expect(summary.schools.find((s) => s.school.code === "GLA")).toMatchObject({
      status: "invalid",
      problems: [{ message: "lỗi thử" }],
    });
    expect(summary.targets[0]!.achieved).toEqual({ method: "sum", sum: 261 - 58, of: 4 });
    expect(schoolFigure(summary, summary.targets[0]!, "GLA")).toBeUndefined();
    expect(schoolFigure(summary, summary.targets[0]!, "KTU")).toMatchObject({ code: "LOP" });
  });
  it("marks missing schools, refuses duplicates and outsiders without choosing silently", () => {
    const kt = subs.find((s) => s.school === "KTU")!;
    const input: Submission[] = [
      ...subs.filter((s) => s.school !== "LDO"),
      { ...kt, source: "kon-tum-ban-2.xlsx" },
      { school: "HUE", figures: kt.figures, problems: [], source: "hue.xlsx" },
    ];
    const summary = aggregateCluster(def, input);
    expect(summary.schools.find((s) => s.school.code === "LDO")!.status).toBe("missing");
    const ktu = summary.schools.find((s) => s.school.code === "KTU")!;
    expect(ktu.status).toBe("invalid");
    const twoCopies = /hai bản số liệu cho cùng một trường \(mẫu và kon-tum-ban-2\.xlsx\)/;
    expect(ktu.problems.at(-1)!.message).toMatch(twoCopies);
    expect(summary.stray).toEqual([expect.objectContaining({ school: "HUE", file: "hue.xlsx" })]);
    expect(summary.covered).toEqual(["DNO", "GLA", "DLK"]);
  });
  it("computes completion as achieved over registered", () => {
    const summary = aggregateCluster(def, subs);
    expect(summary.targets[0]!.completion).toBeCloseTo((261 / 250) * 100, 9);
    const dno = schoolFigure(summary, summary.targets[0]!, "DNO")!;
    expect(completionRate(dno.registered, dno.achieved)).toBeCloseTo(105, 9);
    expect(summary.targets.find((t) => t.target.code === "CHUAN")!.completion).toBe(80);
  });
});

describe("properties", () => {
  const def = sampleDefinition("nam-trung-bo-tay-nguyen-2023");
  const schoolFigures = fc.record({
    lop: fc.integer({ min: 0, max: 500 }),
    hv: fc.integer({ min: 0, max: 50_000 }),
    pct: fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
    ok: fc.boolean(),
    broken: fc.boolean(),
  });
  const toSubmission = (
    code: string,
    f: { lop: number; hv: number; pct: number; ok: boolean; broken: boolean },
  ): Submission => {
    const cells: Record<string, unknown> = {
      LOP: f.lop,
      HOCVIEN: f.broken ? "nhiều" : f.hv,
      DETAI_TINH: 1,
      DETAI_TRUONG: 2,
      HOITHAO: 3,
      HTTNV: f.pct,
      CHUAN: f.ok ? "Đạt" : "Không đạt",
    };
    const rows = Object.entries(cells).map(([c, v]) => ({
      code: c,
      registered: { value: v },
      achieved: { value: v },
      note: { value: null },
    }));
    const { figures, problems } = validateSchoolRows(def, code, rows);
    return { school: code, figures, problems };
  };
  const clusterInput = fc.array(schoolFigures, { minLength: def.schools.length, maxLength: def.schools.length });

  it("totals equal the sum over the valid schools", () => {
    fc.assert(
      fc.property(clusterInput, (all) => {
        const subs = all.map((f, i) => toSubmission(def.schools[i]!.code, f));
        const summary = aggregateCluster(def, subs);
        const valid = all.filter((f) => !f.broken);
        expect(summary.covered).toHaveLength(valid.length);
        expect(summary.targets[0]!.achieved).toEqual({
          method: "sum",
          sum: valid.reduce((a, f) => a + f.lop, 0),
          of: valid.length,
        });
        expect(summary.targets[6]!.achieved).toEqual({
          method: "countYes",
          yes: valid.filter((f) => f.ok).length,
          of: valid.length,
        });
      }),
    );
  });
  it("does not depend on the order of the schools", () => {
    fc.assert(
      fc.property(clusterInput, fc.func(fc.integer()), (all, key) => {
        const subs = all.map((f, i) => toSubmission(def.schools[i]!.code, f));
        const shuffled = [...subs].sort((a, b) => key(a.school) - key(b.school));
        const strip = (s: ReturnType<typeof aggregateCluster>) => ({
          covered: [...s.covered].sort(),
          targets: s.targets.map((t) => [t.registered, t.achieved, t.completion, t.perSchool]),
        });
        expect(strip(aggregateCluster(def, shuffled))).toEqual(strip(aggregateCluster(def, subs)));
      }),
    );
  });
});
