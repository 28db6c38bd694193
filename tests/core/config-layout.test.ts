import { describe, expect, it } from "vitest";
import { buildConfigSheet, readConfigSheet } from "../../src/core/sheets/config-layout";
import { loadDefinition } from "../../src/core/definition/definition";
import { rawDefinition, sampleDefinition } from "../helpers/samples";

/** What a sheet gives back: dates typed dd/mm/yyyy stay text, numbers stay numbers, blanks are "". */
const asSheet = (grid: unknown[][]) => grid.map((r) => r.map((c) => (c === null ? "" : c)));

describe("Cấu hình sheet", () => {
  it("round-trips both sample definitions", () => {
    for (const id of ["nam-trung-bo-tay-nguyen-2023", "cum-7-tay-nguyen-2020"]) {
      const def = sampleDefinition(id);
      const back = readConfigSheet(asSheet(buildConfigSheet(def).grid));
      expect(back).toEqual({ ok: true, definition: def });
    }
  });
  it("round-trips every scoring method, levels, constraints and nested groups", () => {
    const raw = rawDefinition("cum-7-tay-nguyen-2020") as Record<string, any>;
    raw.groups.push({ code: "CON", name: "Nhóm con", parent: "DTBD" });
    raw.targets.push(
      {
        code: "BAI",
        group: "CON",
        name: "Bài báo",
        unit: "bài",
        kind: "count",
        constraints: { min: 0, max: 500, integer: true, required: false },
        scoring: { method: "perUnit", pointsEach: 0.5, maxScore: 5 },
      },
      {
        code: "KL",
        name: "Vi phạm kỷ luật",
        unit: "vụ",
        kind: "count",
        scoring: { method: "bonusPenalty", pointsEach: -2, min: -6, max: 0 },
        note: "Trừ điểm",
      },
      {
        code: "MUC",
        name: "Mức chuẩn",
        unit: "",
        kind: "level",
        levels: ["Mức 1", "Mức 2"],
        scoring: { method: "levelPoints", points: { "Mức 1": 10, "Mức 2": 6 } },
      },
      {
        code: "TB",
        name: "Số lớp trung bình",
        unit: "lớp",
        kind: "count",
        aggregation: "mean",
        scoring: { method: "none" },
        reportPhrase: "{} lớp",
      },
    );
    const def = loadDefinition(raw);
    expect(readConfigSheet(asSheet(buildConfigSheet(def).grid))).toEqual({ ok: true, definition: def });
  });
  it("accepts a date the sheet turned into a Date, and edits made by staff", () => {
    const def = sampleDefinition();
    const grid = asSheet(buildConfigSheet(def).grid);
    const dateRow = grid.findIndex((r) => String(r[0]).startsWith("Ngày ký"));
    grid[dateRow]![1] = new Date(Date.UTC(2023, 2, 9, 17, 0));
    const themeRow = grid.findIndex((r) => r[0] === "Chủ đề thi đua");
    grid[themeRow]![1] = "  Đoàn kết - Sáng tạo  ";
    const r = readConfigSheet(grid);
    expect(r.ok && r.definition.signing.date).toBe("2023-03-10");
    expect(r.ok && r.definition.theme).toBe("Đoàn kết - Sáng tạo");
  });
  it("reports bad edits in Vietnamese, naming the cell or the field", () => {
    const def = sampleDefinition();
    const grid = asSheet(buildConfigSheet(def).grid);
    const lop = grid.findIndex((r) => r[0] === "LOP" && r[2]);
    grid[lop]![7] = "không âm";
    const r1 = readConfigSheet(grid);
    const badMin = `Cấu hình!H${lop + 1}: "không âm" không hợp lệ cho cột "Nhỏ nhất"`;
    expect(r1).toEqual({
      ok: false,
      problems: [expect.stringMatching(new RegExp(badMin))],
    });
    const grid2 = asSheet(buildConfigSheet(def).grid);
    grid2[lop]![4] = "Phân số";
    const r2 = readConfigSheet(grid2);
    expect(r2.ok).toBe(false);
    expect(!r2.ok && r2.problems.join("\n")).toMatch(/targets\[0\]\.kind.*"Phân số" không hợp lệ/);
    const r3 = readConfigSheet(grid2.filter((row) => row[0] !== "[CHỈ TIÊU]"));
    expect(!r3.ok && r3.problems[0]).toMatch(/thiếu phần \[CHỈ TIÊU\]/);
  });
});
