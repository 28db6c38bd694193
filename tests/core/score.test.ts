import { describe, expect, it } from "vitest";
import { aggregateCluster, schoolFigure, type Submission } from "../../src/core/figures/aggregate";
import { loadDefinition, type ClusterDefinition } from "../../src/core/definition/definition";
import { explainScore, scoreCluster } from "../../src/core/figures/score";
import { validateSchoolRows } from "../../src/core/figures/validate";
import { rawDefinition } from "../helpers/samples";

/** A three-school cluster with one target per scoring method. */
function cluster(): ClusterDefinition {
  const base = rawDefinition("cum-7-tay-nguyen-2020") as Record<string, any>;
  base.schools = base.schools.slice(0, 3);
  base.groups = [
    { code: "A", name: "Nhóm A" },
    { code: "A1", name: "Nhóm A1", parent: "A" },
    { code: "B", name: "Nhóm B" },
  ];
  base.targets = [
    {
      code: "Q",
      group: "A1",
      name: "Định lượng",
      unit: "lớp",
      kind: "count",
      scoring: { method: "quantitative", maxScore: 10 },
    },
    {
      code: "YN",
      group: "A",
      name: "Đạt chuẩn",
      unit: "",
      kind: "yesno",
      scoring: { method: "qualitative", maxScore: 5 },
    },
    {
      code: "PU",
      group: "B",
      name: "Bài báo",
      unit: "bài",
      kind: "count",
      scoring: { method: "perUnit", pointsEach: 0.5, maxScore: 2 },
    },
    {
      code: "BP",
      group: "B",
      name: "Vi phạm",
      unit: "vụ",
      kind: "count",
      scoring: { method: "bonusPenalty", pointsEach: -2, min: -3, max: 0 },
    },
    {
      code: "LV",
      name: "Mức chuẩn",
      unit: "",
      kind: "level",
      levels: ["Mức 1", "Mức 2"],
      scoring: { method: "levelPoints", points: { "Mức 1": 4, "Mức 2": 2 } },
    },
  ];
  return loadDefinition(base);
}

function submit(def: ClusterDefinition, code: string, cells: Record<string, [unknown, unknown]>): Submission {
  const rows = Object.entries(cells).map(([c, [r, a]]) => ({
    code: c,
    registered: { value: r },
    achieved: { value: a },
    note: { value: null },
  }));
  const { figures, problems } = validateSchoolRows(def, code, rows);
  return { school: code, figures, problems };
}

describe("scoring", () => {
  const def = cluster();
  const [dno, ktu, gla] = def.schools.map((s) => s.code) as [string, string, string];
  const summary = aggregateCluster(def, [
    // below target: 8/10
    submit(def, dno, { Q: [10, 8], YN: ["Đạt", "Đạt"], PU: [2, 3], BP: [0, 1], LV: ["Mức 1", "Mức 1"] }),
    // exceeds, not the best: 12/10 while the lead is 15/10
    submit(def, ktu, {
      Q: [10, 12],
      YN: ["Đạt", "Không đạt"],
      PU: [2, 10],
      BP: [0, 5],
      LV: ["Mức 1", "Mức 2"],
    }),
    // lead: 15/10
    submit(def, gla, { Q: [10, 15], YN: ["Đạt", "Đạt"], PU: [2, 0], BP: [0, 0], LV: ["Mức 1", 2] }),
  ]);
  const ranking = scoreCluster(summary);
  const line = (school: string, target: string) => {
    const l = ranking.ranked.find((s) => s.school === school)!.lines.find((x) => x.target === target)!;
    const ts = summary.targets.find((t) => t.target.code === target)!;
    return { ...l, explanation: explainScore(ts.target, l, schoolFigure(summary, ts, school)) };
  };

  it("quantitative: below, above and leading", () => {
    expect(line(dno, "Q").score).toBe(4); // ½ × 10 × 0,8
    expect(line(gla, "Q").score).toBe(10);
    expect(line(ktu, "Q").score).toBe(7); // 5 + 5 × (1,2 − 1)/(1,5 − 1)
    expect(line(ktu, "Q").explanation).toMatch(
      /Vượt chỉ tiêu \(đăng ký 10, thực hiện 12 = 120 %\), trường dẫn đầu 150 %/,
    );
    expect(line(dno, "Q").explanation).toMatch(/Chưa đạt chỉ tiêu.*→ 4 điểm/);
  });
  it("qualitative, per unit with cap, bonus/penalty clamped, level points", () => {
    expect([line(dno, "YN").score, line(ktu, "YN").score]).toEqual([5, 0]);
    expect([line(dno, "PU").score, line(ktu, "PU").score, line(gla, "PU").score]).toEqual([1.5, 2, 0]);
    expect(line(ktu, "PU").explanation).toMatch(/tối đa 2 điểm/);
    expect([line(dno, "BP").score, line(ktu, "BP").score]).toEqual([-2, -3]);
    expect(line(ktu, "BP").explanation).toMatch(/Điểm trừ.*giới hạn từ -3 đến 0/);
    expect([line(dno, "LV").score, line(ktu, "LV").score, line(gla, "LV").score]).toEqual([4, 2, 2]);
  });
  it("groups sum their children, including child groups", () => {
    const g = ranking.ranked.find((s) => s.school === gla)!.groups;
    expect(g).toEqual([
      { code: "A", name: "Nhóm A", score: 15, max: 15 },
      { code: "A1", name: "Nhóm A1", score: 10, max: 10 },
      { code: "B", name: "Nhóm B", score: 0, max: 2 },
    ]);
  });
  it("ranks by total, best first, and the maximum excludes bonus/penalty", () => {
    expect(ranking.ranked.map((s) => [s.school, s.total, s.rank])).toEqual([
      [gla, 17, 1],
      [dno, 12.5, 2],
      [ktu, 8, 3],
    ]);
    expect(ranking.ranked[0]!.max).toBe(21);
  });
  it("gives equal totals the same rank and leaves invalid schools unranked with the reason", () => {
    const same = aggregateCluster(def, [
      submit(def, dno, { Q: [10, 10], YN: ["Đạt", "Đạt"], PU: [1, 1], BP: [0, 0], LV: ["Mức 1", "Mức 1"] }),
      submit(def, ktu, { Q: [10, 10], YN: ["Đạt", "Đạt"], PU: [1, 1], BP: [0, 0], LV: ["Mức 1", "Mức 1"] }),
      submit(def, gla, { Q: [10, "x"], YN: ["Đạt", "Đạt"], PU: [1, 1], BP: [0, 0], LV: ["Mức 1", "Mức 1"] }),
    ]);
    const r = scoreCluster(same);
    expect(r.ranked.map((s) => s.rank)).toEqual([1, 1]);
    expect(r.unranked).toEqual([{ school: gla, reason: "số liệu còn 1 lỗi" }]);
  });
  it("a bonus is clamped to its own ceiling, which never enters the maximum", () => {
    const base = rawDefinition("cum-7-tay-nguyen-2020") as Record<string, any>;
    base.schools = base.schools.slice(0, 2);
    base.targets = [
      {
        code: "Q",
        name: "Định lượng",
        unit: "lớp",
        kind: "count",
        scoring: { method: "quantitative", maxScore: 10 },
      },
      {
        code: "BONUS",
        name: "Sáng kiến",
        unit: "sáng kiến",
        kind: "count",
        scoring: { method: "bonusPenalty", pointsEach: 1, min: 0, max: 2 },
      },
    ];
    const d = loadDefinition(base);
    const r = scoreCluster(
      aggregateCluster(d, [
        submit(d, dno, { Q: [10, 10], BONUS: [0, 5] }),
        submit(d, ktu, { Q: [10, 10], BONUS: [0, 1] }),
      ]),
    );
    const top = r.ranked[0]!;
    expect([top.school, top.total, top.max]).toEqual([dno, 7, 10]);
    const bonus = top.lines[1]!;
    expect([bonus.score, bonus.max]).toEqual([2, 0]);
    const bonusLine = "Điểm cộng: 5 × 1 (giới hạn từ 0 đến 2) → 2 điểm.";
    expect(explainScore(d.targets[1]!, bonus, undefined)).toBe(bonusLine);
  });
  it("a zero target beaten by any achievement counts as exceeding", () => {
    const s = aggregateCluster(def, [
      submit(def, dno, { Q: [0, 3], YN: ["Đạt", "Đạt"], PU: [1, 1], BP: [0, 0], LV: ["Mức 1", "Mức 1"] }),
      submit(def, ktu, { Q: [0, 0], YN: ["Đạt", "Đạt"], PU: [1, 1], BP: [0, 0], LV: ["Mức 1", "Mức 1"] }),
    ]);
    const r = scoreCluster(s);
    expect(r.ranked.find((x) => x.school === dno)!.lines[0]!.score).toBe(10);
    expect(r.ranked.find((x) => x.school === ktu)!.lines[0]!.score).toBe(5);
  });
});
