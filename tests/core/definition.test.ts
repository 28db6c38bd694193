import { describe, expect, it } from "vitest";
import {
  checkDefinition,
  DefinitionError,
  effectiveAggregation,
  headSchool,
  loadDefinitionJson,
} from "../../src/core/definition/definition";
import { rawDefinition, sampleDefinition } from "../helpers/samples";

const problemsOf = (input: unknown): string[] => {
  const r = checkDefinition(input);
  if (r.ok) throw new Error("accepted a malformed definition");
  return r.problems;
};

describe("sample clusters", () => {
  it("2023: 10 schools, head Đắk Lắk, deputies Kon Tum and Bình Định, 7 targets", () => {
    const def = sampleDefinition("nam-trung-bo-tay-nguyen-2023");
    expect(def.schools).toHaveLength(10);
    expect(def.targets).toHaveLength(7);
    expect(headSchool(def).province).toBe("Đắk Lắk");
    expect(headSchool(def).principal.name).toBe("Nguyễn Thành Dũng");
    expect(
      def.schools
        .filter((s) => s.role === "deputy")
        .map((s) => s.province)
        .sort(),
    ).toEqual(["Bình Định", "Kon Tum"]);
    const theme = "Chủ động - Đồng bộ - Đột phá - Kỷ cương - Chất lượng - Hiệu quả";
    expect(def.theme).toBe(theme);
  });
  it("2020: the five schools of Cluster 7", () => {
    const def = sampleDefinition("cum-7-tay-nguyen-2020");
    const provinces = ["Đắk Nông", "Kon Tum", "Gia Lai", "Đắk Lắk", "Lâm Đồng"];
    expect(def.schools.map((s) => s.province)).toEqual(provinces);
    expect(def.number).toBe(7);
  });
  it("applies kind defaults for aggregation", () => {
    const def = sampleDefinition();
    expect(def.targets.map(effectiveAggregation)).toEqual(["sum", "sum", "sum", "sum", "sum", "mean", "countYes"]);
  });
});

describe("malformed definitions are refused in Vietnamese, naming the field", () => {
  it("a missing field", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023");
    delete raw.year;
    const missingYear = /mục "year" \(năm\): thiếu giá trị bắt buộc/;
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(missingYear));
  });
  it("a missing school name", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: Record<string, unknown>[] };
    delete raw.schools[2]!.name;
    expect(problemsOf(raw)).toContainEqual(
      expect.stringMatching(/mục "schools\[2\]\.name" \(trường thành viên thứ 3, tên\): thiếu giá trị/),
    );
  });
  it("a duplicate school code", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: { code: string }[] };
    raw.schools[4]!.code = "dlk";
    expect(problemsOf(raw)).toContainEqual(
      expect.stringMatching(/mục "schools\[7\]\.code": mã trường "DLK" trùng với schools\[4\]/),
    );
  });
  it("an unknown kind", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { targets: { kind: string }[] };
    raw.targets[1]!.kind = "ratio";
    const where = /mục "targets\[1\]\.kind" \(chỉ tiêu thứ 2, loại chỉ tiêu\): /.source;
    const badKind = new RegExp(where + /giá trị "ratio" không hợp lệ; cần một trong: .*"count"/.source);
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(badKind));
  });
  it("a misspelt key", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023");
    raw.tagrets = raw.targets;
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(/"tagrets".*khóa không được phép/));
  });
  it("no head school, or two", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: { role: string }[] };
    raw.schools.forEach((s) => (s.role = "member"));
    const noHead = /đúng một trường cụm trưởng.*hiện có 0/;
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(noHead));
  });
  it("scoring that does not fit the kind, an unknown group, a bad date, min above max", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as Record<string, any>;
    raw.targets[6].scoring = { method: "quantitative", maxScore: 10 };
    raw.targets[0].group = "KHONG_CO";
    raw.targets[1].constraints = { min: 10, max: 5 };
    raw.signing.date = "2023-02-30";
    const problems = problemsOf(raw);
    expect(problems).toContainEqual(
      expect.stringMatching(/chỉ tiêu CHUAN.*cách chấm "quantitative" không dùng được cho loại "yesno"/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/chỉ tiêu LOP.*nhóm "KHONG_CO" không có/));
    expect(problems).toContainEqual(
      expect.stringMatching(/chỉ tiêu HOCVIEN.*nhỏ nhất \(10\) lớn hơn giá trị lớn nhất \(5\)/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/signing\.date/));
  });
  it("an editor e-mail that is not one, or shared by two schools", () => {
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: { editors: string[] }[] };
    raw.schools[0]!.editors = ["khong-phai-email"];
    expect(problemsOf(raw)).toContainEqual(
      expect.stringMatching(/schools\[0\]\.editors\[0\].*"khong-phai-email" không phải địa chỉ e-mail/),
    );
    const shared = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: { editors: string[] }[] };
    shared.schools[1]!.editors = [shared.schools[2]!.editors[0]!.toUpperCase()];
    expect(problemsOf(shared)).toContainEqual(
      expect.stringMatching(/schools\[2\]\.editors\[0\].*được khai cho cả trường QNG và BDI/),
    );
  });
  it("invalid JSON text", () => {
    expect(() => loadDefinitionJson("{ not json")).toThrow(DefinitionError);
    expect(() => loadDefinitionJson("{ not json")).toThrow(/không phải JSON hợp lệ/);
  });
});
