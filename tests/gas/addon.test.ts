import { describe, expect, it } from "vitest";
import { COL, schoolSheetName } from "../../src/core/layout";
import { FakeMenu } from "../fake-gas/env";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { editorOf, GOOD, headOf, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures } from "./helpers";

const def = sample2023();
const sheetOf = (code: string) => schoolSheetName(def.schools.find((s) => s.code === code)!);

describe("opening the spreadsheet", () => {
  it("adds the Thi đua menu without authorization", () => {
    const env = newEnv();
    env.run("onOpen", { auth: "NONE" });
    const menu = env.ui.menus.find((m) => m.name === "Thi đua")!;
    const labels = menu.items.map((i) => (i === "---" ? i : (i as { label: string }).label));
    expect(labels).toEqual(["Thiết lập / cập nhật bảng tính", "---", "Kiểm tra số liệu", "Tổng hợp", "---", "Kiểm tra cấu trúc"]);
    expect(env.log.counts.get("SpreadsheetApp.getUi")).toBe(1);
  });
  it("onInstall adds the same menu", () => {
    const env = newEnv();
    env.run("onInstall", { auth: "NONE" });
    expect(env.ui.menus.map((m: FakeMenu) => m.name)).toEqual(["Thi đua"]);
  });
});

describe("set-up on a blank spreadsheet", () => {
  const env = newEnv();
  setUp(env);

  it("creates every sheet from the definition and drops the empty starter sheet", () => {
    expect(env.spreadsheet.sheets.map((s) => s.name)).toEqual([
      "Hướng dẫn",
      "Cấu hình",
      "Tổng hợp",
      "Tình trạng nộp",
      "Xếp hạng",
      ...def.schools.map(schoolSheetName),
      "Nhật ký",
    ]);
    expect(env.spreadsheet.locale).toBe("vi_VN");
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã thiết lập bảng tính");
  });
  it("builds each school's sheet from the shared layout, with rules and help text", () => {
    const s = env.sheet("Đắk Lắk");
    expect(s.getRange(5, 1, 1, 7).getValues()[0]).toEqual(["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Đăng ký", "Thực hiện", "Ghi chú"]);
    const lop = rowOfCode(env, "Đắk Lắk", "LOP");
    const rule = s.cell(lop, COL.achieved + 1).dv!;
    expect(rule.criteria).toBe("NUMBER_GREATER_THAN_OR_EQUAL_TO");
    expect(rule.helpText).toMatch(/Nhập số lớp/);
    expect(rule.allowInvalid).toBe(false);
    const pct = rowOfCode(env, "Đắk Lắk", "HTTNV");
    expect(s.cell(pct, COL.registered + 1).fmt).toBe("0.0%");
    expect(s.cell(rowOfCode(env, "Đắk Lắk", "CHUAN"), COL.achieved + 1).dv!.args[0]).toEqual(["Đạt", "Không đạt"]);
    expect(s.frozenRows).toBe(5);
  });
  it("records the protections: school sheets for their editors and the head, the rest for the head", () => {
    const dlk = env.sheet("Kon Tum").protections;
    const sheetLevel = dlk.find((p) => p.type === "SHEET")!;
    expect([...sheetLevel.editors].sort()).toEqual([OWNER, editorOf(def, "KTU"), headOf(def)].sort());
    expect(sheetLevel.domainEdit).toBe(false);
    const labels = dlk.filter((p) => p.type === "RANGE");
    expect(labels).toHaveLength(2);
    for (const p of labels) expect([...p.editors].sort()).toEqual([OWNER, headOf(def)].sort());
    for (const name of ["Cấu hình", "Tổng hợp", "Nhật ký"]) expect([...env.sheet(name).protections[0]!.editors].sort()).toEqual([OWNER, headOf(def)].sort());
  });
  it("stores the definition, installs the edit-log trigger and writes the first Nhật ký row", () => {
    expect(env.triggers).toEqual([{ handler: "onEditLog", event: "ON_EDIT", owner: OWNER }]);
    const parts = Number(env.properties.getProperty("cau_hinh_so_phan"));
    const json = Array.from({ length: parts }, (_, i) => env.properties.getProperty(`cau_hinh_${i}`)).join("");
    expect(JSON.parse(json)).toEqual(def);
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues();
    expect(log[0]).toEqual(["Thời gian", "Người thực hiện", "Thao tác", "Trang", "Ô", "Giá trị cũ", "Giá trị mới", "Chi tiết"]);
    expect(log[1]!.slice(1, 3)).toEqual([OWNER, "Thiết lập bảng tính"]);
  });
});

describe("permissions follow the recorded protections", () => {
  const env = newEnv();
  setUp(env);
  const write = (as: string, sheet: string, a1: string, v: unknown) => {
    env.activeUser = as;
    try {
      env.sheet(sheet).getRange(a1).setValue(v);
    } finally {
      env.activeUser = OWNER;
    }
  };
  it("a school's editor can fill its own figures", () => {
    expect(() => write(editorOf(def, "KTU"), "Kon Tum", `E${rowOfCode(env, "Kon Tum", "LOP")}`, 40)).not.toThrow();
  });
  it("but not another school's sheet, nor its own labels, nor Tổng hợp", () => {
    expect(() => write(editorOf(def, "KTU"), "Gia Lai", `E${rowOfCode(env, "Gia Lai", "LOP")}`, 40)).toThrow(PROTECTED_MESSAGE);
    expect(() => write(editorOf(def, "KTU"), "Kon Tum", `C${rowOfCode(env, "Kon Tum", "LOP")}`, "sửa nhãn")).toThrow(PROTECTED_MESSAGE);
    expect(() => write(editorOf(def, "KTU"), "Tổng hợp", "A1", "x")).toThrow(PROTECTED_MESSAGE);
    expect(() => write(editorOf(def, "KTU"), "Nhật ký", "A2", "xóa dấu vết")).toThrow(PROTECTED_MESSAGE);
  });
  it("the head school can write in every school's sheet", () => {
    expect(() => write(headOf(def), "Gia Lai", `F${rowOfCode(env, "Gia Lai", "LOP")}`, 41)).not.toThrow();
  });
});
