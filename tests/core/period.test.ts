import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPeriodReport } from "../../src/core/documents/period-report";
import { documentText } from "../../src/core/documents/doc-model";
import type { LockedYear } from "../../src/core/lock/locked-year";
import { regroupedLabel, reviewPeriod } from "../../src/core/period/period";
import { schoolHistory } from "../../src/core/period/history";
import { loadRegisterJson } from "../../src/core/register/register";
import { buildPeriodSheets } from "../../src/core/sheets/period-layout";
import { figuresOf } from "../../src/core/figures/validate";
import { freezeFigures } from "../../src/cli/year/lock";
import { HISTORY } from "../helpers/locked-years";
import { ROOT, sampleDefinition, sampleSubmissions } from "../helpers/samples";

const reg = loadRegisterJson(
  readFileSync(join(ROOT, "sheets-templates", "register", "nam-trung-bo-tay-nguyen.json"), "utf8"),
);

function lockedYears(years = HISTORY): LockedYear[] {
  return years.map((year) => {
    const def = sampleDefinition(`nam-trung-bo-tay-nguyen-${year}`);
    const figures = sampleSubmissions(def).map((s) => s.figures!);
    return {
      source: `${year}.xlsx`,
      definition: def,
      figures,
      verdict: freezeFigures(def, figures).verdict,
      fingerprint: "f".repeat(64),
      lockedAt: `20/11/${year}`,
    };
  });
}

const achieved = (y: LockedYear, school: string, code: string) =>
  figuresOf(
    y.definition,
    y.figures.find((f) => f.school === school),
    code,
  )?.achieved;

describe("the period review 2021–2025", () => {
  const years = lockedYears();
  const review = reviewPeriod(years, 2021, 2025, reg);

  it("sums every count target over the years: the period total equals the sum of the yearly totals", () => {
    const counts = years[0]!.definition.targets.filter((t) => t.kind === "count").map((t) => t.code);
    expect(counts.length).toBeGreaterThan(0);
    for (const code of counts) {
      const t = review.targets.find((x) => x.code === code)!;
      const yearly = years.map((y) =>
        y.figures.reduce((s, f) => s + (figuresOf(y.definition, f, code)?.achieved as number), 0),
      );
      expect(t.summed).toBe(true);
      expect(t.periodAchieved, code).toBe(yearly.reduce((a, b) => a + b, 0));
      expect(t.byYear.map((b) => (b?.achieved.method === "sum" ? b.achieved.sum : null))).toEqual(yearly);
    }
  });

  it("never sums percentages or yes/no: they are listed by year", () => {
    for (const code of ["HTTNV", "CHUAN"]) {
      const t = review.targets.find((x) => x.code === code)!;
      expect(t.summed).toBe(false);
      expect(t.periodAchieved).toBeNull();
      expect(t.byYear.every(Boolean)).toBe(true);
    }
  });

  it("counts a merged school once when regrouped, and shows it under its own name as reported", () => {
    expect(review.regrouped.map((g) => g.code)).not.toContain("KTU");
    const qng = review.regrouped.find((g) => g.code === "QNG")!;
    expect(qng.includes.map((x) => x.code)).toEqual(["KTU"]);
    const labelHead = "Trường Chính trị tỉnh Quảng Ngãi ";
    const label = labelHead + "(gồm cả Trường Chính trị tỉnh Kon Tum đến 30/06/2025)";
    expect(regroupedLabel(qng)).toBe(label);
    for (const t of review.targets.filter((x) => x.summed))
      expect(
        review.regrouped.reduce((s, g) => s + g.counts[t.code]!.total, 0),
        t.code,
      ).toBe(t.periodAchieved);
    const ktu = review.reported.find((r) => r.code === "KTU")!;
    expect(ktu.nameByYear).toEqual(Array(5).fill("Trường Chính trị tỉnh Kon Tum"));
    expect(ktu.successor).toEqual({ code: "QNG", name: "Trường Chính trị tỉnh Quảng Ngãi" });
    expect(review.reported.find((r) => r.code === "QNG")!.successor).toBeUndefined();
  });

  it("in the split year 2025 the successor's total adds the predecessor's part before the merge", () => {
    const y2025 = years[4]!;
    const qng = review.regrouped.find((g) => g.code === "QNG")!;
    expect(qng.counts.LOP!.byYear[4]).toBe(
      (achieved(y2025, "QNG", "LOP") as number) + (achieved(y2025, "KTU", "LOP") as number),
    );
    expect(review.records[4]!.merges).toContainEqual({
      predecessor: { code: "KTU", name: "Trường Chính trị tỉnh Kon Tum" },
      successor: { code: "QNG", name: "Trường Chính trị tỉnh Quảng Ngãi" },
      date: "2025-07-01",
      successorInCluster: true,
    });
    expect(review.records[3]!.merges).toEqual([]);
    // Quảng Nam went to Đà Nẵng, outside this cluster: its figures stay here, under Đà Nẵng today.
    expect(review.regrouped.find((g) => g.code === "DNG")!.includes.map((x) => x.code)).toEqual(["QNA"]);
  });

  it("lists the heads and deputies by year", () => {
    expect(review.records.map((r) => r.head?.code)).toEqual(["LDO", "KHH", "DLK", "KTU", "BDI"]);
    expect(review.records[2]!.deputies.map((d) => d.code)).toEqual(["BDI", "KTU"]);
  });

  it("writes the sentence of the year-end articles with the period totals", () => {
    const lop = review.targets.find((t) => t.code === "LOP")!.periodAchieved!;
    const opening = /^Trong 5 năm \(2021–2025\), các trường trong Cụm thi đua /.source;
    const cluster = /các Trường Chính trị khu vực Nam Trung bộ và Tây Nguyên /.source;
    const trained = /đã quản lý, đào tạo, bồi dưỡng /.source;
    expect(review.sentence).toMatch(new RegExp(opening + cluster + trained));
    expect(review.sentence).toContain(`${lop.toLocaleString("de-DE")} lớp với`);
  });

  it("lays out the workbook and the report with both names", () => {
    const sheets = buildPeriodSheets(review);
    expect(sheets.map((s) => s.name)).toEqual([
      "Tổng kết giai đoạn",
      "Theo trường (đã báo cáo)",
      "Theo trường hiện nay",
      "Cụm trưởng, Cụm phó",
      "Xếp hạng theo năm",
      "Danh hiệu theo năm",
      "Nguồn số liệu",
    ]);
    const total = sheets[0]!.grid.find((r) => r[1] === years[4]!.definition.targets[0]!.name)!;
    expect(total.at(-1)).toBe(review.targets[0]!.periodAchieved);
    expect(
      sheets[0]!.grid.find((r) => r[1] === years[4]!.definition.targets.find((t) => t.code === "HTTNV")!.name)!.at(-1),
    ).toBe("không cộng");
    const text = documentText(buildPeriodReport(review, years[4]!.definition, new Date(Date.UTC(2025, 10, 20)))).join(
      "\n",
    );
    expect(text).toContain("Tổng kết phong trào thi đua giai đoạn 2021–2025");
    const ktuHead = "Trường Chính trị tỉnh Kon Tum (đến 30/06/2025, ";
    const ktu = ktuHead + "nay thuộc Trường Chính trị tỉnh Quảng Ngãi)";
    expect(text).toContain(ktu);
    expect(text).toContain("phần còn lại thuộc Trường Chính trị thành phố Đà Nẵng (ngoài Cụm)");
    // The 2025 head (Bình Định) merged into Gia Lai, which signs for the cluster today.
    expect(review.signer).toEqual({ code: "GLA", name: "Trường Chính trị tỉnh Gia Lai", province: "Gia Lai" });
    expect(text).toContain("HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ TỈNH GIA LAI");
    expect(text).toContain(
      "Năm 2025 là năm sáp nhập: Trường Chính trị tỉnh Kon Tum báo cáo phần việc " +
        "đến 30/06/2025, Trường Chính trị tỉnh Quảng Ngãi báo cáo phần còn lại",
    );
  });
});

describe("choosing the years", () => {
  it("refuses a missing year and a duplicate year", () => {
    const years = lockedYears();
    expect(() =>
      reviewPeriod(
        years.filter((y) => y.definition.year !== 2022),
        2021,
        2025,
        reg,
      ),
    ).toThrow("Thiếu bảng đã khóa của năm 2022 trong giai đoạn 2021–2025.");
    expect(() => reviewPeriod([...years, { ...years[1]!, source: "khac.xlsx" }], 2021, 2025, reg)).toThrow(
      /Có hai bảng đã khóa cho năm 2022: 2022.xlsx và khac.xlsx/,
    );
  });
  it("refuses years of another cluster and a target whose kind changed", () => {
    const years = lockedYears([2022, 2023]);
    const other = { ...years[1]!, definition: { ...years[1]!.definition, id: "cum-khac-2023", register: undefined } };
    expect(() => reviewPeriod([years[0]!, other], 2022, 2023, reg)).toThrow(
      /2023.xlsx là của cụm "cum-khac", không phải "nam-trung-bo-tay-nguyen"/,
    );
    const def = years[1]!.definition;
    const changed = {
      ...years[1]!,
      definition: {
        ...def,
        targets: def.targets.map((t) => (t.code === "LOP" ? { ...t, kind: "percent" as const } : t)),
      },
    };
    expect(() => reviewPeriod([years[0]!, changed], 2022, 2023, reg)).toThrow(
      /Chỉ tiêu LOP năm 2022 là loại "count", năm 2023 là loại "percent"/,
    );
  });
  it("leaves out years outside the period", () => {
    const review = reviewPeriod(lockedYears(), 2023, 2024, reg);
    expect(review.years).toEqual([2023, 2024]);
  });
});

describe("the history a joining school sees", () => {
  const review = reviewPeriod(lockedYears(), 2021, 2025, reg);
  const joinerTitle =
    "Đà Nẵng (joins 2026) sees Quảng Nam's years under its old name, " + "and past heads with today's successor";
  it(joinerTitle, () => {
    const h = schoolHistory(review, "DNG", "nam-trung-bo-tay-nguyen", reg);
    expect(h.joined).toBe("2026-01-01");
    expect(h.ownPast.map((r) => r.code)).toEqual(["QNA"]);
    const text = h.lines.join("\n");
    expect(text).toContain(
      "Đã tham gia cụm trong các năm này: Trường Chính trị tỉnh Quảng Nam (đến " +
        "30/06/2025, nay thuộc Trường Chính trị thành phố Đà Nẵng).",
    );
    const year2024Head = "Năm 2024 (10 trường):\n  Cụm trưởng: Trường Chính trị tỉnh Kon Tum ";
    const year2024 = year2024Head + "(nay thuộc Trường Chính trị tỉnh Quảng Ngãi)";
    expect(text).toContain(year2024);
    const y2023 = text.split("Năm 2023 ")[1]!.split("Năm 2024 ")[0]!;
    expect(y2023).toMatch(/\n {2}Trường Chính trị tỉnh Quảng Nam: Số lớp [^:]+: 39,/);
    expect(text).toContain(
      "Năm 2021, 2022, 2023, 2024, 2025 không có biên bản bình xét cạnh bảng đã khóa " +
        "nên chưa liệt kê được danh hiệu đề nghị.",
    );
  });
  it("lists the awards a year's review meeting proposed, under the names then with today's successor", () => {
    const years = lockedYears();
    years[3] = {
      ...years[3]!,
      awards: [{ name: "Đơn vị dẫn đầu Cụm thi đua năm 2024", schools: ["BDI"] }],
    };
    const withAwards = reviewPeriod(years, 2021, 2025, reg);
    expect(withAwards.records[3]!.awards).toEqual([
      {
        name: "Đơn vị dẫn đầu Cụm thi đua năm 2024",
        schools: [{ code: "BDI", name: "Trường Chính trị tỉnh Bình Định" }],
      },
    ]);
    const text = schoolHistory(withAwards, "DNG", "nam-trung-bo-tay-nguyen", reg).lines.join("\n");
    expect(text).toContain(
      "  Đơn vị dẫn đầu Cụm thi đua năm 2024 (đề nghị): Trường Chính trị " +
        "tỉnh Bình Định (nay thuộc Trường Chính trị tỉnh Gia Lai)",
    );
    expect(text).toContain("Năm 2021, 2022, 2023, 2025 không có biên bản bình xét");
    const sheet = buildPeriodSheets(withAwards).find((x) => x.name === "Danh hiệu theo năm")!;
    const leader = "Đơn vị dẫn đầu Cụm thi đua năm 2024";
    expect(sheet.grid).toContainEqual([2024, leader, "Trường Chính trị tỉnh Bình Định"]);
  });
  it("a school with no past in the cluster is told so", () => {
    const h = schoolHistory(reviewPeriod(lockedYears(), 2021, 2025, undefined), "XYZ", undefined);
    expect(h.ownPast).toEqual([]);
    expect(h.lines.join("\n")).toContain("chưa tham gia cụm trong các năm này");
  });
});
