import { describe, expect, it } from "vitest";
import { initialState, type YearState } from "../../src/core/lock/lifecycle";
import { readSchoolReport } from "../../src/core/pipeline";
import {
  buildSchoolSheet,
  CHECKBOX_COL,
  CHECKBOX_ROW,
  COL,
  SCHOOL_HEADER_ROW,
  SCHOOL_HEADERS,
  TEXT_COL,
} from "../../src/core/sheets/school-layout";
import { wrappedRowHeights, type CellValue } from "../../src/core/sheets/sheet-spec";
import { offlineStatusBlock, statusBlock, STATUS_LINES } from "../../src/core/sheets/status-block";
import { sampleDefinition } from "../helpers/samples";

const def = sampleDefinition();
const gla = def.schools.find((s) => s.code === "GLA")!;
const reporting: YearState = { phase: "reporting", confirmed: {}, pledgedAt: "10/03/2023 09:00" };

/** Gia Lai's sheet with these figures typed, read as Kiểm tra reads it at a stage. */
function reportOf(figures: Record<string, [CellValue, CellValue]>, state: YearState) {
  const { spec, rowOf } = buildSchoolSheet(def, gla);
  for (const [code, [reg, ach]] of Object.entries(figures)) {
    spec.grid[rowOf[code]!]![COL.registered] = reg;
    spec.grid[rowOf[code]!]![COL.achieved] = ach;
  }
  return {
    report: readSchoolReport(
      def,
      gla,
      spec.grid,
      { sheet: "Gia Lai" },
      state.phase === "registration" ? "registration" : "report",
    ),
    rowOf,
  };
}
const ALL: Record<string, [CellValue, CellValue]> = {
  LOP: [40, 42],
  HOCVIEN: [2800, 2950],
  DETAI_TINH: [1, 1],
  DETAI_TRUONG: [2, 3],
  HOITHAO: [4, 5],
  HTTNV: [0.9, 0.955],
  CHUAN: ["Đạt", "Đạt"],
};

describe("the status block of a school's sheet", () => {
  it("always has the same number of lines, so the header never moves", () => {
    for (const figures of [{}, ALL, { LOP: [40, "nhiều"] as [CellValue, CellValue] }]) {
      const block = statusBlock(reportOf(figures, reporting).report, reporting, "02/12/2026 10:00");
      expect(block.lines).toHaveLength(STATUS_LINES);
    }
    expect(offlineStatusBlock().lines).toHaveLength(STATUS_LINES);
  });
  it("says chưa nhập for a blank sheet, with the stage and what the school may edit", () => {
    const block = statusBlock(reportOf({}, initialState()).report, initialState(), "02/12/2026 10:00");
    expect(block.lines.slice(1, 4)).toEqual([
      "Giai đoạn: Đăng ký chỉ tiêu.",
      expect.stringMatching(/^Trường nhập cột Đăng ký .* Nhập từ tệp Excel chỉ làm được trên máy tính/),
      "Trạng thái: chưa nhập.",
    ]);
    expect(block.lines[9]).toBe("Kiểm tra lần cuối: 02/12/2026 10:00.");
    expect(block.checked).toBe(false);
  });
  it("counts missing cells apart from wrong ones, shows the first three with their cells and counts the rest", () => {
    const { report, rowOf } = reportOf(
      { ...ALL, LOP: [40, "nhiều"], HOCVIEN: [2800, null], DETAI_TINH: [1, null], HOITHAO: [4, null] },
      reporting,
    );
    const block = statusBlock(report, reporting, "x");
    expect(block.lines[3]).toBe("Trạng thái: có 1 lỗi, còn thiếu 3 ô.");
    expect(block.lines[4]).toMatch(new RegExp(`^• Ô F${rowOf.LOP! + 1}: .*"nhiều"`));
    expect(block.lines[5]).toMatch(new RegExp(`^• Ô F${rowOf.HOCVIEN! + 1}: .*chưa nhập cột Thực hiện`));
    expect(block.lines[7]).toBe("… và 1 lỗi/lưu ý khác; sửa các ô trên rồi xem lại tình trạng ở đây.");
    const missingOnly = statusBlock(reportOf({ ...ALL, HOITHAO: [4, null] }, reporting).report, reporting, "x");
    expect(missingOnly.lines[3]).toBe("Trạng thái: còn thiếu 1 ô.");
    expect(missingOnly.lines[7]).toBe("");
  });
  it("valid, then confirmed with who and when (ticked), then locked", () => {
    const { report } = reportOf(ALL, reporting);
    expect(statusBlock(report, reporting, "x").lines[3]).toBe("Trạng thái: hợp lệ, chưa xác nhận.");
    const confirmed: YearState = {
      ...reporting,
      confirmed: { GLA: { by: "a@b.vn", at: "01/11/2023 08:00", fingerprint: "0".repeat(64) } },
    };
    const block = statusBlock(report, confirmed, "x", "Lần đánh dấu lúc …: đã xác nhận.");
    expect([block.lines[3], block.lines[8], block.checked]).toEqual([
      "Trạng thái: đã xác nhận lúc 01/11/2023 08:00 bởi a@b.vn.",
      "Lần đánh dấu lúc …: đã xác nhận.",
      true,
    ]);
    expect(block.lines[2]).toMatch(/không sửa được nữa; cần sửa thì đề nghị trường Cụm trưởng mở lại/);
    const locked: YearState = {
      ...confirmed,
      phase: "locked",
      lock: { by: "c@b.vn", at: "20/11/2023 09:00", fingerprint: "1".repeat(64), unconfirmed: [] },
    };
    expect(statusBlock(report, locked, "x").lines.slice(1, 4)).toEqual([
      "Giai đoạn: Đã khóa số liệu cuối năm.",
      "Số liệu đã khóa cuối năm; không ai sửa được.",
      "Trạng thái: đã khóa lúc 20/11/2023 09:00.",
    ]);
  });
  it("puts the block in the frozen Chỉ tiêu column, the box in column A, nothing merged", () => {
    const { report } = reportOf(ALL, reporting);
    const { spec } = buildSchoolSheet(def, gla, undefined, "Gia Lai", statusBlock(report, reporting, "x"));
    expect(spec.merges).toEqual([]);
    expect(spec.frozenColumns).toBe(TEXT_COL + 1);
    expect(spec.grid[CHECKBOX_ROW]![CHECKBOX_COL]).toBe(false);
    expect(spec.inputs[0]).toMatchObject({
      range: { row: CHECKBOX_ROW, col: CHECKBOX_COL },
      rule: { type: "checkbox" },
    });
    const offline = buildSchoolSheet(def, gla).spec;
    expect(offline.grid[CHECKBOX_ROW]![CHECKBOX_COL]).toBeNull();
    expect(offline.inputs.some((i) => i.rule.type === "checkbox")).toBe(false);
  });
  it("in an Excel file, spans each line above the header across the table and gives it the height its text needs", () => {
    const offline = buildSchoolSheet(def, gla).spec;
    const texts = offline.grid.flatMap((row, r) => (r < SCHOOL_HEADER_ROW && row[TEXT_COL] !== null ? [r] : []));
    expect(texts.length).toBeGreaterThan(5);
    expect(offline.merges).toEqual(
      texts.map((row) => ({ row, col: TEXT_COL, rows: 1, cols: SCHOOL_HEADERS.length - TEXT_COL })),
    );
    // A merge across frozen columns splits when the sheet scrolls: an Excel file freezes none.
    expect(offline.frozenColumns).toBe(0);
    const heights = wrappedRowHeights(offline);
    // The cluster's name in capitals, bold, needs two lines across the table; the school's name fits on one.
    expect(heights.get(0)).toBeGreaterThanOrEqual(32);
    expect(heights.has(2)).toBe(false);
  });
});
