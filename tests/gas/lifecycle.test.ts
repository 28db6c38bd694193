import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalSchool } from "../../src/core/lock/fingerprint";
import { readSchoolGrid } from "../../src/core/sheets/school-layout";
import { validateSchoolRows } from "../../src/core/figures/validate";
import { readSchoolWorkbook } from "../../src/excel/reader";
import { templateBuffer } from "../../src/excel/template";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { editorOf, GOOD, headOf, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures, writeAs } from "./helpers";

const def = sample2023();
const env = newEnv();
setUp(env);
for (const s of def.schools) typeFigures(env, def, s.code, s.code === "QNG" ? { ...GOOD, LOP: [40, "nhiều"] } : GOOD);

const write = (as: string, sheet: string, a1: string, v: unknown) => writeAs(env, as, sheet, a1, v);
const lastAlert = () => env.ui.alerts.at(-1)!.message;
const lastLog = () => env.sheet("Nhật ký").getDataRangeRaw().getValues().at(-1)!;
const state = () => JSON.parse(env.properties.getProperty("trang_thai_nam") ?? "{}");
const lop = (sheet: string) => rowOfCode(env, sheet, "LOP");

describe("sign-off and lock on the built bundle", () => {
  it("refuses a confirmation before the pledge is recorded", () => {
    env.run("menuConfirm", { as: editorOf(def, "KTU") });
    expect(lastAlert()).toMatch(/Chưa đến giai đoạn báo cáo/);
  });
  it("recording the pledge freezes Đăng ký for the schools, Thực hiện stays open", () => {
    env.run("menuSignPledge", { as: editorOf(def, "KTU") });
    expect(lastAlert()).toBe("Chỉ trường Cụm trưởng ghi nhận việc ký giao ước.");
    env.run("menuSignPledge", { as: headOf(def) });
    expect(state().phase).toBe("reporting");
    expect(() => write(editorOf(def, "KTU"), "Kon Tum", `E${lop("Kon Tum")}`, 99)).toThrow(PROTECTED_MESSAGE);
    expect(() => write(editorOf(def, "KTU"), "Kon Tum", `F${lop("Kon Tum")}`, 42)).not.toThrow();
    expect(() => write(headOf(def), "Kon Tum", `E${lop("Kon Tum")}`, 40)).not.toThrow();
  });
  it("a school confirms valid figures; the head's trigger makes them read-only for it and logs the fingerprint", () => {
    env.run("menuConfirm", { as: editorOf(def, "KTU") });
    expect(lastAlert()).toMatch(
      /Đã xác nhận số liệu của Trường Chính trị tỉnh Kon Tum\. Mã kiểm tra: [0-9a-f]{12}\. Trong vòng 5 phút/,
    );
    expect(state().confirmed.KTU.by).toBe(editorOf(def, "KTU"));
    // The school's own run could not touch head-only protections or Nhật ký; the trigger, with the head's rights, does.
    env.run("flushPending", { runAs: OWNER });
    expect(lastLog().slice(1, 4)).toEqual([editorOf(def, "KTU"), "Xác nhận số liệu", "Kon Tum"]);
    expect(() => write(editorOf(def, "KTU"), "Kon Tum", `F${lop("Kon Tum")}`, 43)).toThrow(PROTECTED_MESSAGE);
    env.log.reset();
    env.run("flushPending", { runAs: OWNER });
    expect(env.log.count("Range.setValues")).toBe(0);
    env.run("menuConfirm", { as: editorOf(def, "KTU") });
    expect(lastAlert()).toMatch(/đã xác nhận số liệu lúc/);
  });
  it("refuses to confirm figures with errors", () => {
    env.run("menuConfirm", { as: editorOf(def, "QNG") });
    expect(lastAlert()).toMatch(/Số liệu của Trường Chính trị tỉnh Quảng Ngãi còn lỗi hoặc còn thiếu/);
    expect(state().confirmed.QNG).toBeUndefined();
  });
  it("gives the same fingerprint as the Node side for the same figures", async () => {
    const grid = env.sheet("Kon Tum").getDataRangeRaw().getValues();
    const { figures } = validateSchoolRows(def, "KTU", readSchoolGrid(grid).rows);
    const xlsx = await templateBuffer(
      def,
      def.schools.find((s) => s.code === "KTU")!,
      figures,
    );
    const fromFile = await readSchoolWorkbook(def, xlsx, "ktu.xlsx");
    const node = createHash("sha256").update(canonicalSchool(def, fromFile.figures!), "utf8").digest("hex");
    expect(state().confirmed.KTU.fingerprint).toBe(node);
  });
  it("the head confirms for schools; locking with unconfirmed schools needs an explicit yes that names them", () => {
    for (const s of def.schools.filter((x) => !["KTU", "QNG", "LDO"].includes(x.code))) {
      env.ui.answers.push({ button: "OK", text: s.code.toLowerCase() });
      env.run("menuConfirm", { as: headOf(def) });
    }
    expect(Object.keys(state().confirmed).sort()).toEqual(
      def.schools
        .map((s) => s.code)
        .filter((c) => !["QNG", "LDO"].includes(c))
        .sort(),
    );
    env.ui.answers.push("NO");
    env.run("menuLockYear", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.message).toMatch(
      /Còn 2 trường chưa xác nhận số liệu:\n- Trường Chính trị tỉnh Quảng Ngãi\n- Trường Chính trị tỉnh Lâm Đồng/,
    );
    expect(state().phase).toBe("reporting");
  });
  it("locks: Tổng hợp runs one last time, nobody but the owner can write, the fingerprint is logged", () => {
    env.ui.answers.push("YES");
    env.run("menuLockYear", { as: headOf(def) });
    const s = state();
    expect(s.phase).toBe("locked");
    expect(s.lock.unconfirmed).toEqual(["QNG", "LDO"]);
    expect(lastAlert()).toMatch(/Đã khóa số liệu năm 2023\. Mã kiểm tra toàn cụm: [0-9a-f]{12}/);
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues();
    const lockRow = log.find((r) => r[2] === "Khóa số liệu cuối năm")!;
    expect(lockRow[7]).toContain(`Mã kiểm tra toàn cụm: ${s.lock.fingerprint}. Khóa khi chưa xác nhận: QNG, LDO.`);
    expect(env.sheet("Tổng hợp").getRange("A2").getValue()).toBe(def.name);
    expect(() => write(editorOf(def, "GLA"), "Gia Lai", `F${lop("Gia Lai")}`, 1)).toThrow(PROTECTED_MESSAGE);
    expect(() => write(editorOf(def, "KTU"), "Tổng hợp", "A1", 1)).toThrow(PROTECTED_MESSAGE);
    // Google never lets a script remove the current user from a protection: whoever ran the lock keeps access.
    expect(env.sheet("Gia Lai").protections[0]!.editors).toEqual(new Set([headOf(def), OWNER]));
    expect(() => write(OWNER, "Gia Lai", `G${lop("Gia Lai")}`, "ghi chú của chủ sở hữu")).not.toThrow();
    env.run("menuSetup", { as: headOf(def) });
    expect(lastAlert()).toMatch(/Số liệu cuối năm đã khóa; không thiết lập lại được/);
  });
  it("the year-end report made after the lock carries the fingerprint", () => {
    env.run("menuReport", { as: headOf(def) });
    const doc = [...env.drive.documents.values()].at(-1)!;
    expect(doc.body.texts()).toContain(
      `Mã kiểm tra toàn vẹn số liệu đã khóa: ${state().lock.fingerprint.slice(0, 12)}.`,
    );
  });
  it("the integrity check finds exactly the cells changed after the lock", () => {
    env.run("menuIntegrity", { as: headOf(def) });
    expect(env.ui.dialogs.at(-1)!.html).toContain("1 điểm khác so với lúc khóa");
    expect(env.ui.dialogs.at(-1)!.html).toContain(`Gia Lai!G${lop("Gia Lai")}`);
    write(OWNER, "Gia Lai", `G${lop("Gia Lai")}`, "");
    env.run("menuIntegrity", { as: headOf(def) });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Số liệu khớp hoàn toàn với lúc khóa/);
    const r = rowOfCode(env, "Đắk Lắk", "HOCVIEN");
    write(OWNER, "Đắk Lắk", `F${r}`, 2951);
    env.run("menuIntegrity", { as: headOf(def) });
    const html = env.ui.dialogs.at(-1)!.html;
    expect(html).toContain("1 điểm khác so với lúc khóa");
    expect(html).toContain(`Đắk Lắk!F${r}`);
    expect(html).toContain("chỉ tiêu HOCVIEN, cột Thực hiện: khi khóa &quot;2.950&quot;, nay &quot;2.951&quot;");
  });
  it("unlocks only with a reason, restoring the rights the state gives", () => {
    env.ui.answers.push({ button: "OK", text: "   " });
    env.run("menuUnlock", { as: headOf(def) });
    expect(lastAlert()).toBe("Mở khóa cần ghi lý do; lý do được lưu vào Nhật ký.");
    expect(state().phase).toBe("locked");
    env.ui.answers.push({ button: "OK", text: "Sửa số học viên của Đắk Lắk" });
    env.run("menuUnlock", { as: editorOf(def, "GLA") });
    expect(lastAlert()).toBe("Chỉ trường Cụm trưởng mở khóa số liệu.");
    env.ui.answers.push({ button: "OK", text: "Sửa số học viên của Đắk Lắk" });
    env.run("menuUnlock", { as: headOf(def) });
    expect(state().phase).toBe("reporting");
    expect(lastLog().slice(2, 3)).toEqual(["Mở khóa số liệu"]);
    expect(lastLog()[7]).toBe("Lý do: Sửa số học viên của Đắk Lắk");
    // Unconfirmed Lâm Đồng may report again; confirmed Gia Lai stays read-only for its school.
    expect(() => write(editorOf(def, "LDO"), "Lâm Đồng", `F${lop("Lâm Đồng")}`, 41)).not.toThrow();
    expect(() => write(editorOf(def, "GLA"), "Gia Lai", `F${lop("Gia Lai")}`, 41)).toThrow(PROTECTED_MESSAGE);
    expect(() => write(editorOf(def, "LDO"), "Lâm Đồng", `E${lop("Lâm Đồng")}`, 41)).toThrow(PROTECTED_MESSAGE);
  });
});
