/**
 * The numbered findings of the platform review, each as the situation a user
 * meets on the real Google Sheets: the fake enforces the rule (see
 * tests/fake-gas), the bundle must cope with it.
 */
import { describe, expect, it } from "vitest";
import { COL, schoolSheetName } from "../../src/core/sheets/school-layout";
import { PROTECTED_MESSAGE, PROTECTION_DENIED_MESSAGE } from "../fake-gas/spreadsheet";
import {
  editorOf,
  GOOD,
  headOf,
  importAs,
  newEnv,
  OWNER,
  rowOfCode,
  sample2023,
  setUp,
  sheetFor,
  typeCell,
  typeFigures,
} from "./helpers";

const def = sample2023();
const KTU = editorOf(def, "KTU");

/** Set-up, every school's figures typed, the pledge recorded by the head: the reporting season. */
function reportingSeason() {
  const env = newEnv();
  setUp(env);
  for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
  env.run("menuSignPledge", { as: headOf(def) });
  return env;
}

describe("finding 1: Nhập từ Excel by a school after the pledge", () => {
  const env = reportingSeason();
  const row = (code: string) => rowOfCode(env, "Kon Tum", code);

  it("writes Thực hiện and Ghi chú without touching the frozen Đăng ký column", () => {
    const result = importAs(env, KTU, "KTU", { LOP: { achieved: 43, note: "Lớp 05/06" }, HOCVIEN: { note: "1.234" } });
    expect(result).toEqual({
      changed: 3,
      message: 'Đã nhập 3 ô từ ktu.xlsx vào trang "Kon Tum". Giá trị cũ và mới được ghi vào Nhật ký.',
    });
    const sheet = env.sheet("Kon Tum");
    expect(sheet.cell(row("LOP"), COL.achieved + 1).v).toBe(43);
    expect(sheet.cell(row("LOP"), COL.registered + 1).v).toBe(40);
    expect(sheet.cell(row("LOP"), COL.note + 1).v).toBe("Lớp 05/06");
    // Queued for the head: the school may not write Nhật ký; the trigger writes the rows as the head.
    expect(env.fireTriggers("flushPending")).toBe(1);
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues().slice(-3);
    expect(log.map((r) => r.slice(2, 7))).toEqual([
      ["Nhập từ Excel", "Kon Tum", `F${row("LOP")}`, "42", "43"],
      ["Nhập từ Excel", "Kon Tum", `G${row("LOP")}`, "", "Lớp 05/06"],
      ["Nhập từ Excel", "Kon Tum", `G${row("HOCVIEN")}`, "", "1.234"],
    ]);
  });
  it("refuses a file that changes Đăng ký, in Vietnamese, writing nothing", () => {
    const before = env.sheet("Kon Tum").getDataRangeRaw().getValues();
    expect(() => importAs(env, KTU, "KTU", { LOP: { registered: 41, achieved: 44 } })).toThrow(
      /^Cột Đăng ký đã chốt theo giao ước; tệp đổi chỉ tiêu LOP từ 40 thành 41\. Không có gì thay đổi\.$/,
    );
    expect(env.sheet("Kon Tum").getDataRangeRaw().getValues()).toEqual(before);
  });
});

describe("finding 2: onEdit marks a bad figure after the pledge, as the school", () => {
  const env = reportingSeason();
  const r = rowOfCode(env, "Kon Tum", "LOP");

  it("marks the Thực hiện cell the school typed, without writing to Đăng ký", () => {
    expect(() => typeCell(env, KTU, "Kon Tum", `F${r}`, "bốn ba")).not.toThrow();
    const cell = env.sheet("Kon Tum").cell(r, COL.achieved + 1);
    expect(cell.note).toMatch(/"bốn ba" không phải là số/);
    expect(cell.bg).toBe("#F4CCCC");
    expect(env.spreadsheet.toasts).toEqual([]);
  });
  it("the school still cannot write Đăng ký itself", () => {
    expect(() => typeCell(env, KTU, "Kon Tum", `E${r}`, 41)).toThrow(PROTECTED_MESSAGE);
  });
  it("says so in Vietnamese when a mark cannot be written, rather than failing unseen", () => {
    // The school confirmed meanwhile: its sheet became head-only between the edit and the trigger.
    env
      .sheet("Kon Tum")
      .protections.find((p) => p.type === "SHEET")!
      .editors.delete(KTU);
    env.run("onEdit", { as: KTU, auth: "LIMITED", event: env.editEvent("Kon Tum", `F${r}`, 42, KTU) });
    expect(env.spreadsheet.toasts.at(-1)).toBe(
      'Không đánh dấu được ô vừa sửa trên trang "Kon Tum". Hãy chọn Thi đua › Kiểm tra số liệu để xem số liệu có lỗi không.',
    );
  });
});

describe("finding 5: text written into a vi_VN sheet stays text", () => {
  const env = newEnv();
  setUp(env);

  it("Cấu hình keeps the signing date and codes as typed, so the structure check can read it back", () => {
    const config = env.sheet("Cấu hình").getDataRangeRaw().getValues();
    expect(config.find((r) => r[0] === "Ngày ký giao ước (dd/mm/yyyy)")![1]).toBe("10/03/2023");
    env.run("menuStructure", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Cấu trúc bảng tính đúng với Cấu hình/);
  });
  it("notes imported before the pledge keep codes, dotted numbers and leading zeros", () => {
    typeFigures(env, def, "KTU", GOOD);
    importAs(env, KTU, "KTU", {
      LOP: { note: "05/06" },
      HOCVIEN: { note: "1.234" },
      HOITHAO: { note: "007" },
      DETAI_TINH: { note: "10/03/2023" },
    });
    const note = (code: string) => env.sheet("Kon Tum").cell(rowOfCode(env, "Kon Tum", code), COL.note + 1).v;
    expect(["LOP", "HOCVIEN", "HOITHAO", "DETAI_TINH"].map(note)).toEqual(["05/06", "1.234", "007", "10/03/2023"]);
  });
  it("Nhật ký keeps logged values as written", () => {
    const r = rowOfCode(env, "Kon Tum", "LOP");
    env.run("onEditLog", {
      as: KTU,
      runAs: OWNER,
      event: { ...env.editEvent("Kon Tum", `F${r}`, "1,5", KTU), value: "05/06" },
    });
    expect(env.sheet("Nhật ký").getDataRangeRaw().getValues().at(-1)!.slice(5, 7)).toEqual(["1,5", "05/06"]);
  });
});

describe("finding 9: whole numbers and dates in figure cells", () => {
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "KTU", GOOD);
  const r = rowOfCode(env, "Kon Tum", "DETAI_TRUONG");

  it("the cell rule of a whole-number target refuses 2.5 and accepts 3", () => {
    const rule = env.sheet("Kon Tum").cell(r, COL.achieved + 1).dv!;
    expect([rule.accepts(3), rule.accepts(2.5)]).toEqual([true, false]);
  });
  it("a pasted 2.5 is marked at once", () => {
    env.activeUser = KTU;
    env
      .sheet("Kon Tum")
      .getRange(r, COL.achieved + 1)
      .setValues([[2.5]]);
    env.activeUser = OWNER;
    env.run("onEdit", { as: KTU, auth: "LIMITED", event: env.editEvent("Kon Tum", `F${r}`, 3, KTU) });
    expect(env.sheet("Kon Tum").cell(r, COL.achieved + 1).note).toMatch(/2,5 không phải số nguyên/);
  });
  it("a date typed into a figure cell is refused by Kiểm tra số liệu, not counted as its serial number", () => {
    typeCell(env, KTU, "Kon Tum", `F${r}`, "05/06");
    expect(env.sheet("Kon Tum").cell(r, COL.achieved + 1).v).toBeInstanceOf(Date);
    env.run("menuCheck", { as: KTU });
    const html = env.ui.dialogs.at(-1)!.html;
    expect(html).toContain(`Kon Tum!F${r}`);
    expect(html).toMatch(/&quot;05\/06\/\d{4}&quot; không phải là số/);
  });
});

describe("finding 3 (structure check part): Google hides a protection's editors from users who may not edit it", () => {
  const env = newEnv();
  setUp(env);

  it("the fake refuses getEditors to a school's editor on a head-only sheet", () => {
    env.activeUser = KTU;
    try {
      expect(() => env.sheet("Tổng hợp").protections[0]!.getEditors()).toThrow(PROTECTION_DENIED_MESSAGE);
    } finally {
      env.activeUser = OWNER;
    }
  });
  it("a school's editor gets the check in Vietnamese, saying what only the head can check", () => {
    env.run("menuStructure", { as: KTU });
    const html = env.ui.dialogs.at(-1)!.html;
    expect(html).toMatch(
      /không có quyền sửa 9 trang \(Quảng Nam, .*\) nên Google không cho xem ai được sửa các trang đó; trang vẫn được bảo vệ\. Trường Cụm trưởng chạy Kiểm tra cấu trúc để xem đủ\./,
    );
    expect(html).not.toMatch(/permission|protected/i);
  });
});

describe("a trigger's rights come from the id in its event, recorded at set-up", () => {
  const env = newEnv();
  setUp(env);
  const editor = editorOf(def, "KTU");
  const sheet = schoolSheetName(def.schools.find((s) => s.code === "KTU")!);
  const row = rowOfCode(env, sheet, def.targets[0]!.code);
  const logRows = () => env.sheet("Nhật ký").getDataRangeRaw().getValues().length;
  const edit = (v: number) => {
    env.sheet(sheet).getRange(`E${row}`).setValue(v);
    // editEvent starts the call log afresh: what follows is the trigger's own calls.
    env.fireTriggers("onEditLog", env.editEvent(sheet, `E${row}`, v - 1, editor), editor);
    return env.log.counts.get("Session.getEffectiveUser") ?? 0;
  };
  it("a recorded trigger logs an edit without asking Google whose rights it runs with", () => {
    const before = logRows();
    expect(edit(41)).toBe(0);
    expect(logRows()).toBe(before + 1);
  });
  it("without the record (a trigger older than it) Google is asked, and the edit is logged all the same", () => {
    env.properties.deleteProperty("trigger_id_cua");
    const before = logRows();
    expect(edit(42)).toBe(1);
    expect(logRows()).toBe(before + 1);
  });
  it("the record decides: an id recorded as a stranger's does nothing, as that stranger's trigger would", () => {
    const [trigger] = env.triggers.filter((t) => t.handler === "onEditLog");
    env.properties.setProperty("trigger_id_cua", JSON.stringify({ [trigger!.id]: "nguoi.la@example.com" }));
    const before = logRows();
    expect(edit(43)).toBe(0);
    expect(logRows()).toBe(before);
  });
});

describe("after heads rotate, only the pair set-up installed last logs an edit", () => {
  // The head school of a later year with two editors: one installed triggers in an earlier year, when the school
  // was head before; the other runs set-up this year, after a head of another school (cu.truong) had installed theirs.
  const rotated = sample2023();
  const head = rotated.schools.find((s) => s.role === "head")!;
  const [first, second] = [head.editors[0]!, "nguoi.thu.hai@truongchinhtri.example"];
  head.editors.push(second);
  it("every edit is in Nhật ký once, though the earlier pair still fires", () => {
    // Set up by the first (sheetFor), then by the second after another school's head had installed theirs.
    const env = sheetFor(rotated);
    env.properties.setProperty("trigger_cua", "cu.truong@truongchinhtri.example");
    env.run("menuSetup", { as: second });
    expect(env.triggers.filter((t) => t.handler === "onEditLog").map((t) => t.owner)).toEqual([first, second]);
    const sheet = schoolSheetName(rotated.schools.find((s) => s.code === "KTU")!);
    const row = rowOfCode(env, sheet, rotated.targets[0]!.code);
    const logRows = () => env.sheet("Nhật ký").getDataRangeRaw().getValues().length;
    const before = logRows();
    env.sheet(sheet).getRange(`E${row}`).setValue(41);
    const editor = editorOf(rotated, "KTU");
    expect(env.fireTriggers("onEditLog", env.editEvent(sheet, `E${row}`, 40, editor), editor)).toBe(2);
    expect(logRows()).toBe(before + 1);
  });
});
