import { describe, expect, it } from "vitest";
import {
  COL,
  buildSchoolSheet,
  looksLikeSchoolSheet,
  readSchoolGrid,
  SCHOOL_HEADER_ROW,
  SCHOOL_HEADERS,
} from "../../src/core/sheets/school-layout";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { scoreCluster } from "../../src/core/figures/score";
import { buildSummarySheets, SUMMARY_FIRST_SCHOOL_COL, SUMMARY_HEADER_ROW } from "../../src/core/sheets/summary-layout";
import type { FigureValue } from "../../src/core/figures/parse";
import { figuresOf, validateSchoolRows } from "../../src/core/figures/validate";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";

const def = sampleDefinition("cum-7-tay-nguyen-2020");
const subs = sampleSubmissions(def);
const dlk = def.schools.find((s) => s.code === "DLK")!;
const figures = subs.find((s) => s.school === "DLK")!.figures!;

describe("school sheet layout", () => {
  const { spec, rowOf } = buildSchoolSheet(def, dlk, figures);

  it("has the header row with the agreed labels and one row per target with its code", () => {
    expect(spec.grid[SCHOOL_HEADER_ROW]).toEqual([...SCHOOL_HEADERS]);
    for (const t of def.targets) expect(spec.grid[rowOf[t.code]!]![COL.code]).toBe(t.code);
    expect(spec.grid[2]![COL.name]).toBe("Trường Chính trị tỉnh Đắk Lắk (mã trường: DLK)");
    expect(spec.grid.every((r) => r.length === SCHOOL_HEADERS.length)).toBe(true);
  });
  it("stores percentages as fractions under a percent format, yes/no as its label", () => {
    const r = rowOf.HTTNV!;
    expect(spec.grid[r]![COL.achieved]).toBeCloseTo(0.958, 9);
    expect(
      spec.styles.some((s) => s.range.row === r && s.range.col === COL.registered && s.numberFormat === "0.0%"),
    ).toBe(true);
    expect(spec.grid[rowOf.CHUAN!]![COL.achieved]).toBe("Đạt");
  });
  it("declares input rules and leaves only the input cells editable", () => {
    const lop = spec.inputs.find((i) => i.range.row === rowOf.LOP)!;
    expect(lop.rule).toEqual({ type: "whole", min: 0, max: undefined });
    expect(lop.prompt).toMatch(/Nhập số lớp/);
    expect(spec.inputs.find((i) => i.range.row === rowOf.HTTNV)!.rule).toEqual({ type: "decimal", min: 0, max: 1 });
    expect(spec.inputs.find((i) => i.range.row === rowOf.CHUAN)!.rule).toEqual({
      type: "list",
      values: ["Đạt", "Không đạt"],
    });
    const editableCells = spec.editable!.reduce((n, r) => n + r.rows * r.cols, 0);
    expect(editableCells).toBe(def.targets.length * 3);
    expect(spec.editable!.every((r) => r.col === COL.registered && r.cols === 3)).toBe(true);
  });
  it("reads back to the same figures", () => {
    const read = readSchoolGrid(spec.grid, { sheet: spec.name });
    expect(read.problems).toEqual([]);
    const again = validateSchoolRows(def, "DLK", read.rows);
    expect(again.problems).toEqual([]);
    expect(again.figures).toEqual(figures);
  });
  it("finds moved columns and extra rows by their labels", () => {
    // Swap "Đăng ký" and "Thực hiện", add two rows on top and a blank row in the middle.
    const grid = spec.grid.map((r) => {
      const c = [...r];
      [c[COL.registered], c[COL.achieved]] = [c[COL.achieved]!, c[COL.registered]!];
      return c;
    });
    grid.splice(SCHOOL_HEADER_ROW + 3, 0, Array(7).fill(null));
    grid.unshift(["Bản in lại"], []);
    const read = readSchoolGrid(grid);
    expect(read.headerRow).toBe(SCHOOL_HEADER_ROW + 2);
    const again = validateSchoolRows(def, "DLK", read.rows);
    expect(again.figures).toEqual(figures);
    expect(looksLikeSchoolSheet(grid)).toBe(true);
  });
  it("reports a deleted column and a missing header with the sheet", () => {
    const noAchieved = spec.grid.map((r) => r.filter((_, i) => i !== COL.achieved));
    const read = readSchoolGrid(noAchieved, { sheet: "Đắk Lắk" });
    expect(read.problems).toEqual([
      expect.objectContaining({
        sheet: "Đắk Lắk",
        message: expect.stringMatching(/thiếu cột "Thực hiện"; có thể cột đã bị xóa/),
      }),
    ]);
    const noHeader = readSchoolGrid(
      [
        ["a", "b"],
        [1, 2],
      ],
      { sheet: "Trang1" },
    );
    expect(noHeader.problems[0]!.message).toMatch(/Không tìm thấy hàng tiêu đề/);
    expect(looksLikeSchoolSheet([["a"]])).toBe(false);
  });
  it("reports figures typed on a row without a code", () => {
    const grid = spec.grid.map((r) => [...r]);
    grid.push([null, null, null, null, 5, 6, null]);
    const read = readSchoolGrid(grid, { sheet: "S" });
    expect(read.problems).toEqual([
      expect.objectContaining({
        cell: `B${grid.length}`,
        message: expect.stringMatching(/có số liệu nhưng không có mã chỉ tiêu/),
      }),
    ]);
  });
});

describe("summary layout", () => {
  const summary = aggregateCluster(
    def,
    subs.filter((s) => s.school !== "LDO"),
  );
  const [totals, coverage, ranking] = buildSummarySheets(summary, scoreCluster(summary), {
    madeAt: new Date(Date.UTC(2020, 10, 23, 3, 0)),
    madeBy: "head@x.vn",
  });

  it("puts the cluster totals and one column pair per school", () => {
    const row = totals!.grid.find((r) => r[1] === "HOCVIEN")!;
    expect(row[5]).toBe(19082 - 3672);
    const schoolHeader = totals!.grid[SUMMARY_HEADER_ROW]!;
    expect(schoolHeader.slice(SUMMARY_FIRST_SCHOOL_COL, SUMMARY_FIRST_SCHOOL_COL + 2)).toEqual([
      "Đắk Nông\nĐăng ký",
      "Đắk Nông\nThực hiện",
    ]);
    expect(schoolHeader[SUMMARY_FIRST_SCHOOL_COL + 9]).toBe("Lâm Đồng (chưa nộp)\nThực hiện");
    expect(totals!.merges.every((m) => m.row < SUMMARY_HEADER_ROW)).toBe(true);
    expect(totals!.grid[3]![0]).toBe("Lập lúc 23/11/2020 10:00 bởi head@x.vn.");
    expect(totals!.colourScales).toHaveLength(1);
  });
  it("lists coverage and the ranking with explanations", () => {
    expect(coverage!.grid.find((r) => r[1] === "LDO")).toEqual(
      expect.arrayContaining(["Chưa nộp", "Chưa có số liệu của trường."]),
    );
    expect(ranking!.grid.some((r) => typeof r[5] === "string" && /điểm/.test(r[5] as string))).toBe(true);
    expect(ranking!.grid.find((r) => r[1] === "LDO")![3]).toBe("Không xếp hạng: chưa nộp số liệu");
  });
});

describe("layout round trip (property)", () => {
  const def2023 = sampleDefinition("nam-trung-bo-tay-nguyen-2023");
  const school = def2023.schools[3]!;
  it("any valid figures written into a school's sheet read back unchanged", async () => {
    const fc = (await import("fast-check")).default;
    const figure = (kind: string) =>
      kind === "percent"
        ? fc.integer({ min: 0, max: 1000 }).map((n) => n / 10)
        : kind === "yesno"
          ? fc.boolean()
          : fc.integer({ min: 0, max: 5_000_000 });
    const note = fc.oneof(
      fc.constant(""),
      fc
        .string({ minLength: 1, maxLength: 30 })
        .map((s) => s.trim())
        .filter((s) => s !== "" && !/\s{2}/.test(s)),
    );
    const arb = fc.record(
      Object.fromEntries(
        def2023.targets.map((t) => [t.code, fc.record({ registered: figure(t.kind), achieved: figure(t.kind), note })]),
      ),
    );
    fc.assert(
      fc.property(arb, (values) => {
        const byTarget = values as Record<string, { registered: FigureValue; achieved: FigureValue; note: string }>;
        const figures = {
          school: school.code,
          rows: def2023.targets.map((t) => ({ code: t.code, ...byTarget[t.code]! })),
        };
        const { spec } = buildSchoolSheet(def2023, school, figures);
        const read = readSchoolGrid(spec.grid);
        const again = validateSchoolRows(def2023, school.code, read.rows);
        expect(again.problems.filter((p) => p.severity === "error")).toEqual([]);
        for (const t of def2023.targets) {
          const want = (values as Record<string, { registered: unknown; achieved: unknown; note: string }>)[t.code]!;
          const got = figuresOf(def2023, again.figures, t.code)!;
          expect(got.registered).toBe(want.registered);
          expect(got.achieved).toBe(want.achieved);
          expect(got.note).toBe(want.note.normalize("NFC"));
        }
      }),
      { numRuns: 150 },
    );
  });
});
