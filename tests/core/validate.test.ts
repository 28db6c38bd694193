import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateSchoolRows, type RawRow } from "../../src/core/figures/validate";
import { sampleDefinition } from "../helpers/samples";
import { byCode } from "../helpers/figures";

const def = sampleDefinition();
const good: Record<string, [unknown, unknown]> = {
  LOP: [40, 42],
  HOCVIEN: ["2.800", "2.950"],
  DETAI_TINH: [1, 1],
  DETAI_TRUONG: [2, 3],
  HOITHAO: [4, 5],
  HTTNV: [0.9, 0.955],
  CHUAN: ["Đạt", "Đạt"],
};
function rows(
  over: Partial<Record<string, [unknown, unknown]>> = {},
  note: Record<string, { value: unknown; formula?: string }> = {},
): RawRow[] {
  const cells = { ...good, ...over } as Record<string, [unknown, unknown]>;
  return Object.entries(cells).map(([code, [r, a]], i) => ({
    code,
    registered: { value: r, percentFormatted: true },
    achieved: { value: a, percentFormatted: true },
    note: note[code] ?? { value: null },
    refs: { code: `B${i + 6}`, registered: `E${i + 6}`, achieved: `F${i + 6}`, note: `G${i + 6}` },
  }));
}

describe("validateSchoolRows", () => {
  it("accepts a complete report and parses every figure", () => {
    const r = validateSchoolRows(def, "DLK", rows());
    expect(r.problems).toEqual([]);
    expect(byCode(r.figures).HOCVIEN).toEqual({ registered: 2800, achieved: 2950, note: "" });
    expect(byCode(r.figures).HTTNV!.achieved).toBe(95.5);
    expect(byCode(r.figures).CHUAN!.achieved).toBe(true);
  });
  it("names the target, the column, the cell and what to enter", () => {
    const input = rows({ LOP: [40, "bốn hai"], HOITHAO: [4, -1], DETAI_TRUONG: [2, 2.5] });
    const r = validateSchoolRows(def, "DLK", input);
    expect(r.problems).toHaveLength(3);
    expect(r.problems[0]).toMatchObject({
      severity: "error",
      school: "DLK",
      target: "LOP",
      field: "achieved",
      cell: "F6",
    });
    expect(r.problems[0]!.message).toBe(
      'Chỉ tiêu "Số lớp đào tạo, bồi dưỡng (trung cấp LLCT-HC, bồi dưỡng, ' +
        'liên kết cao cấp)" (LOP), cột Thực hiện: "bốn hai" không phải là số; hãy ' +
        "nhập một số, ví dụ 19.082.",
    );
    const negative = /-1 là số âm; hãy nhập số từ 0 trở lên/;
    expect(r.problems.find((p) => p.target === "HOITHAO")!.message).toMatch(negative);
    expect(r.problems.find((p) => p.target === "DETAI_TRUONG")!.message).toMatch(/2,5 không phải số nguyên/);
  });
  it("refuses a percentage above 100 with a hint", () => {
    const r = validateSchoolRows(def, "DLK", rows({ HTTNV: [0.9, 95.5] }));
    expect(r.problems[0]!.message).toMatch(
      /9\.550 % vượt quá mức tối đa 100 %; hãy nhập tỷ lệ từ 0 đến 100, ví dụ 95,5%/,
    );
  });
  it("requires both columns at year end, only Đăng ký at registration", () => {
    const partial = rows({ LOP: [40, null], CHUAN: ["Đạt", ""] });
    const atYearEnd = validateSchoolRows(def, "DLK", partial, "report");
    expect(atYearEnd.problems.map((p) => [p.target, p.field, p.cell])).toEqual([
      ["LOP", "achieved", "F6"],
      ["CHUAN", "achieved", "F12"],
    ]);
    const empty = /chưa nhập cột Thực hiện; hãy nhập số \(nhập 0 nếu không có\)/;
    expect(atYearEnd.problems[0]!.message).toMatch(empty);
    expect(atYearEnd.problems[1]!.message).toMatch(/hãy chọn "Đạt" hoặc "Không đạt"/);
    expect(validateSchoolRows(def, "DLK", partial, "registration").problems).toEqual([]);
  });
  it("flags unknown, duplicate and missing target codes", () => {
    const list = rows();
    list.push({ ...list[0]!, refs: { code: "B20" } });
    list.push({
      code: "XYZ",
      registered: { value: 1 },
      achieved: { value: 1 },
      note: { value: null },
      refs: { code: "B21" },
    });
    const withoutHoithao = list.filter((r) => r.code !== "HOITHAO");
    const r = validateSchoolRows(def, "DLK", withoutHoithao);
    expect(r.problems.map((p) => p.cell ?? p.target)).toEqual(["B20", "B21", "HOITHAO"]);
    expect(r.problems[0]!.message).toMatch(/xuất hiện hai lần \(đã có ở ô B6\)/);
    expect(r.problems[1]!.message).toMatch(/Mã chỉ tiêu "XYZ" không có trong định nghĩa cụm năm 2023/);
    expect(r.problems[2]!.message).toMatch(/Thiếu hàng của Chỉ tiêu "Hội thảo/);
  });
  it("refuses a formula in a note, and warns on a figure ten times the target", () => {
    const r = validateSchoolRows(def, "DLK", rows({ LOP: [40, 4200] }, { HOITHAO: { value: 2, formula: "1+1" } }));
    expect(r.problems.find((p) => p.field === "note")).toMatchObject({ severity: "error", cell: "G10" });
    expect(r.problems.find((p) => p.severity === "warning")).toMatchObject({ target: "LOP", cell: "F6" });
  });
  it("reports an empty required cell even when the row has another error, but not twice for a refused cell", () => {
    const r = validateSchoolRows(
      def,
      "DLK",
      rows({ HOITHAO: [null, 5], LOP: ["bốn mươi", null] }, { HOITHAO: { value: 2, formula: "1+1" } }),
    );
    expect(r.problems.map((p) => [p.target, p.field, p.cell])).toEqual([
      ["LOP", "registered", "E6"],
      ["HOITHAO", "note", "G10"],
      ["LOP", "achieved", "F6"],
      ["HOITHAO", "registered", "E10"],
    ]);
  });
  it("matches codes without caring about case, spaces or Unicode form", () => {
    const list = rows();
    list[0]!.code = " lop ";
    list[1]!.code = "hocvien".normalize("NFD");
    expect(validateSchoolRows(def, "DLK", list).problems).toEqual([]);
  });
  it("never throws, whatever the cells hold", () => {
    const anything = fc.oneof(
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.date(),
      fc.constant(null),
      fc.constant(NaN),
      fc.constant(1e308),
      fc.object(),
      fc.bigInt().map(String),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(anything, fc.constantFrom(...def.targets.map((t) => t.code))),
            anything,
            anything,
            anything,
          ),
          { maxLength: 12 },
        ),
        (cells) => {
          const input: RawRow[] = cells.map(([code, r, a, n]) => ({
            code,
            registered: { value: r },
            achieved: { value: a },
            note: { value: n },
          }));
          const result = validateSchoolRows(def, "DLK", input);
          for (const p of result.problems) expect(p.message).toMatch(/\S/);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 100) },
    );
  });
});
