import { describe, expect, it } from "vitest";
import { COL, SCHOOL_HEADER_ROW, schoolSheetName } from "../../src/core/sheets/school-layout";
import { FakeMenu } from "../fake-gas/env";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import {
  editorOf,
  GOOD,
  headOf,
  newEnv,
  OWNER,
  rowOfCode,
  sample2023,
  setUp,
  statusOf,
  typeFigures,
  writeAs,
} from "./helpers";

const def = sample2023();

describe("opening the spreadsheet", () => {
  it("adds the Thi đua menu without authorization, when bound to the spreadsheet", () => {
    const env = newEnv();
    // A bound script's simple onOpen runs in AuthMode.LIMITED.
    env.run("onOpen", { auth: "LIMITED" });
    const menu = env.ui.menus.find((m) => m.name === "Thi đua")!;
    const labels = menu.items.map((i) => (i === "---" ? i : (i as { label: string }).label));
    expect(labels).toEqual([
      "Thiết lập / cập nhật bảng tính",
      "---",
      "Kiểm tra số liệu",
      "Tải mẫu Excel",
      "Nhập từ Excel",
      "Tổng hợp",
      "---",
      "Tạo bản giao ước",
      "Ghi nhận đã ký giao ước (chốt cột Đăng ký)",
      "Xác nhận số liệu của trường",
      "Mở lại số liệu của trường",
      "Tạo báo cáo tổng kết",
      "Khóa số liệu cuối năm",
      "Mở khóa (ghi lý do)",
      "Kiểm tra toàn vẹn",
      "---",
      "Bình xét: tạo trang Kiểm phiếu",
      "Bình xét: lập văn bản",
      "---",
      "Mở năm mới",
      "Tổng kết giai đoạn",
      "Lịch sử cụm",
      "---",
      "Kiểm tra cấu trúc",
    ]);
    expect(env.log.counts.get("SpreadsheetApp.getUi")).toBe(1);
  });
  it("as an editor add-on, onInstall and onOpen put the same items under Extensions, even before authorization", () => {
    const env = newEnv();
    env.installationSource = "WEB_STORE_ADD_ON";
    env.run("onInstall", { auth: "LIMITED" });
    expect(env.ui.menus.map((m: FakeMenu) => [m.name, m.items.length])).toEqual([["Tiện ích", 24]]);
    const bound = newEnv();
    bound.run("onOpen", { auth: "NONE" });
    expect(bound.ui.menus.map((m: FakeMenu) => m.name)).toEqual(["Tiện ích"]);
  });
  it("as an editor add-on, a head who set up another spreadsheet still gets this one's edit trigger", () => {
    const env = newEnv();
    env.installationSource = "WEB_STORE_ADD_ON";
    // The add-on is one project for every spreadsheet it serves: this user's trigger on another cluster's Sheet.
    env.triggers.push({
      handler: "onEditLog",
      event: "ON_EDIT",
      owner: OWNER,
      id: "trigger-khac",
      source: "bang-khac",
    });
    setUp(env);
    const mine = env.triggers.filter((t) => t.source === env.spreadsheet.id);
    expect(mine.map((t) => [t.handler, t.owner])).toEqual([["onEditLog", OWNER]]);
    expect(JSON.parse(env.properties.getProperty("trigger_id_cua")!)).toEqual({ [mine[0]!.id]: OWNER });
  });
  it("as an editor add-on, set-up installs only the edit trigger, which also applies the schools' queue", () => {
    const env = newEnv();
    env.installationSource = "WEB_STORE_ADD_ON";
    setUp(env);
    expect(env.triggers.map((t) => [t.handler, t.event])).toEqual([["onEditLog", "ON_EDIT"]]);
    typeFigures(env, def, "KTU", GOOD);
    env.run("menuSignPledge", { as: headOf(def) });
    env.run("menuConfirm", { as: editorOf(def, "KTU") });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Từ lần sửa ô tiếp theo trên bảng tính/);
    const r = rowOfCode(env, "Gia Lai", "LOP");
    writeAs(env, editorOf(def, "GLA"), "Gia Lai", `F${r}`, 41);
    env.run("onEditLog", { runAs: OWNER, event: env.editEvent("Gia Lai", `F${r}`, "", editorOf(def, "GLA")) });
    const actions = env
      .sheet("Nhật ký")
      .getDataRangeRaw()
      .getValues()
      .slice(-2)
      .map((row) => row[2]);
    expect(actions).toEqual(["Xác nhận số liệu", "Sửa ô"]);
    expect(() => writeAs(env, editorOf(def, "KTU"), "Kon Tum", `F${rowOfCode(env, "Kon Tum", "LOP")}`, 1)).toThrow(
      PROTECTED_MESSAGE,
    );
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
      "Văn bản",
    ]);
    expect(env.spreadsheet.locale).toBe("vi_VN");
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã thiết lập bảng tính");
  });
  it("builds each school's sheet from the shared layout, with rules and help text", () => {
    const s = env.sheet("Đắk Lắk");
    expect(s.getRange(SCHOOL_HEADER_ROW + 1, 1, 1, 7).getValues()[0]).toEqual([
      "STT",
      "Mã",
      "Chỉ tiêu",
      "Đơn vị tính",
      "Đăng ký",
      "Thực hiện",
      "Ghi chú",
    ]);
    const lop = rowOfCode(env, "Đắk Lắk", "LOP");
    const rule = s.cell(lop, COL.achieved + 1).dv!;
    // A whole number ≥ 0: Sheets has no such rule, so it is a custom formula the fake evaluates.
    expect(rule.criteria).toBe("CUSTOM_FORMULA");
    expect([42, 0, 2.5, -1, "bốn"].map((v) => rule.accepts(v))).toEqual([true, true, false, false, false]);
    expect(rule.helpText).toMatch(/Nhập số lớp/);
    expect(rule.allowInvalid).toBe(false);
    const pct = rowOfCode(env, "Đắk Lắk", "HTTNV");
    expect(s.cell(pct, COL.registered + 1).fmt).toBe("0.0%");
    expect(s.cell(rowOfCode(env, "Đắk Lắk", "CHUAN"), COL.achieved + 1).dv!.args[0]).toEqual(["Đạt", "Không đạt"]);
    // Label columns frozen for a narrow screen; no rows (the status block would fill a phone's screen).
    expect([s.frozenRows, s.frozenColumns]).toEqual([0, 3]);
  });
  it("records the protections: school sheets for their editors and the head, the rest for the head", () => {
    const dlk = env.sheet("Kon Tum").protections;
    const sheetLevel = dlk.find((p) => p.type === "SHEET")!;
    expect([...sheetLevel.editors].sort()).toEqual([OWNER, editorOf(def, "KTU"), headOf(def)].sort());
    expect(sheetLevel.domainEdit).toBe(false);
    // Titles and status block around the checkbox (three rectangles), then the labels.
    const labels = dlk.filter((p) => p.type === "RANGE");
    expect(labels).toHaveLength(4);
    for (const p of labels) expect([...p.editors].sort()).toEqual([OWNER, headOf(def)].sort());
    for (const name of ["Cấu hình", "Tổng hợp", "Nhật ký"])
      expect([...env.sheet(name).protections[0]!.editors].sort()).toEqual([OWNER, headOf(def)].sort());
  });
  it("stores the definition, installs the edit-log trigger and writes the first Nhật ký row", () => {
    expect(env.triggers.map(({ handler, event, owner }) => ({ handler, event, owner }))).toEqual([
      { handler: "onEditLog", event: "ON_EDIT", owner: OWNER },
      { handler: "flushPending", event: "CLOCK_5MIN", owner: OWNER },
    ]);
    const parts = Number(env.properties.getProperty("cau_hinh_so_phan"));
    const json = Array.from({ length: parts }, (_, i) => env.properties.getProperty(`cau_hinh_${i}`)).join("");
    expect(JSON.parse(json)).toEqual(def);
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues();
    expect(log[0]).toEqual([
      "Thời gian",
      "Người thực hiện",
      "Thao tác",
      "Trang",
      "Ô",
      "Giá trị cũ",
      "Giá trị mới",
      "Chi tiết",
      "Mã dòng",
    ]);
    expect(log[1]!.slice(1, 3)).toEqual([OWNER, "Thiết lập bảng tính"]);
  });
});

describe("permissions follow the recorded protections", () => {
  const env = newEnv();
  setUp(env);
  const write = (as: string, sheet: string, a1: string, v: unknown) => writeAs(env, as, sheet, a1, v);
  it("a school's editor can fill its own figures", () => {
    expect(() => write(editorOf(def, "KTU"), "Kon Tum", `E${rowOfCode(env, "Kon Tum", "LOP")}`, 40)).not.toThrow();
  });
  it("but not another school's sheet, nor its own labels, nor Tổng hợp", () => {
    expect(() => write(editorOf(def, "KTU"), "Gia Lai", `E${rowOfCode(env, "Gia Lai", "LOP")}`, 40)).toThrow(
      PROTECTED_MESSAGE,
    );
    expect(() => write(editorOf(def, "KTU"), "Kon Tum", `C${rowOfCode(env, "Kon Tum", "LOP")}`, "sửa nhãn")).toThrow(
      PROTECTED_MESSAGE,
    );
    expect(() => write(editorOf(def, "KTU"), "Tổng hợp", "A1", "x")).toThrow(PROTECTED_MESSAGE);
    expect(() => write(editorOf(def, "KTU"), "Nhật ký", "A2", "xóa dấu vết")).toThrow(PROTECTED_MESSAGE);
  });
  it("the head school can write in every school's sheet", () => {
    expect(() => write(headOf(def), "Gia Lai", `F${rowOfCode(env, "Gia Lai", "LOP")}`, 41)).not.toThrow();
  });
});

describe("typing figures: onEdit marks a bad cell at once, without authorization", () => {
  const env = newEnv();
  setUp(env);
  const row = () => rowOfCode(env, "Gia Lai", "LOP");

  it("marks a word typed in a number cell with a Vietnamese note and red, and clears it when fixed", () => {
    typeFigures(env, def, "GLA", { LOP: [40, "bốn hai"] });
    const cell = env.sheet("Gia Lai").cell(row(), COL.achieved + 1);
    expect(cell.note).toMatch(
      /Chỉ tiêu "Số lớp đào tạo.*" \(LOP\), cột Thực hiện: "bốn hai" không phải là số; hãy nhập một số/,
    );
    expect(cell.bg).toBe("#F4CCCC");
    expect(env.sheet("Gia Lai").cell(row(), COL.registered + 1).note).toBeUndefined();
    typeFigures(env, def, "GLA", { LOP: [40, 42] });
    expect(env.sheet("Gia Lai").cell(row(), COL.achieved + 1).note).toBeUndefined();
    expect(env.sheet("Gia Lai").cell(row(), COL.achieved + 1).bg).toBe("#FFFDE7");
  });
  it("checks a pasted block, percent and yes/no cells included", () => {
    const first = rowOfCode(env, "Gia Lai", "HTTNV");
    env.activeUser = editorOf(def, "GLA");
    env
      .sheet("Gia Lai")
      .getRange(first, COL.registered + 1, 2, 2)
      .setValues([
        [0.9, 1.2],
        ["Đạt", "Tốt"],
      ]);
    env.activeUser = OWNER;
    env.run("onEdit", {
      as: editorOf(def, "GLA"),
      auth: "LIMITED",
      event: env.editEvent("Gia Lai", `E${first}:F${first + 1}`),
    });
    const s = env.sheet("Gia Lai");
    expect(s.cell(first, COL.achieved + 1).note).toMatch(/120 % vượt quá mức tối đa 100 %/);
    expect(s.cell(first + 1, COL.achieved + 1).note).toMatch(
      /"Tốt" không phải là lựa chọn hợp lệ; hãy chọn "Đạt" hoặc "Không đạt"/,
    );
    expect(s.cell(first + 1, COL.registered + 1).note).toBeUndefined();
    // One read and two writes, whatever the size of the paste.
    expect(env.log.count("Range.getValues")).toBe(1);
    expect(env.log.count("Range.setNotes") + env.log.count("Range.setBackgrounds")).toBe(2);
  });
  it("ignores edits outside the figure columns and outside school sheets", () => {
    env.run("onEdit", { auth: "LIMITED", event: env.editEvent("Gia Lai", "G7") });
    expect(env.log.count("Range.setNotes")).toBe(0);
    env.run("onEdit", { auth: "LIMITED", event: env.editEvent("Hướng dẫn", "E1") });
    expect(env.log.count("Range.setNotes")).toBe(0);
  });
});

describe("Nhật ký: every edit of a figure leaves a trace", () => {
  const env = newEnv();
  setUp(env);
  it("logs who changed which cell from what to what, formulas kept as text", () => {
    const r = rowOfCode(env, "Kon Tum", "LOP");
    const ktu = editorOf(def, "KTU");
    env.activeUser = ktu;
    env.sheet("Kon Tum").getRange(`F${r}`).setValue('=HYPERLINK("http://x")');
    env.activeUser = OWNER;
    const event = { ...env.editEvent("Kon Tum", `F${r}`, 41, ktu), value: '=HYPERLINK("http://x")' };
    env.run("onEditLog", { as: ktu, runAs: OWNER, event });
    const log = env.sheet("Nhật ký");
    const last = log.getDataRangeRaw().getValues().at(-1)!;
    // Logged as text: a value that looks like a formula must not run in Nhật ký.
    expect(last.slice(1, 8)).toEqual([ktu, "Sửa ô", "Kon Tum", `F${r}`, "41", '=HYPERLINK("http://x")', ""]);
    expect(log.getRange(log.lastRowRaw(), 7).getFormulas()[0]![0]).toBe("");
  });
  it("logs each cell of a paste, saying the old values are not known", () => {
    const r = rowOfCode(env, "Kon Tum", "DETAI_TINH");
    const before = env.sheet("Nhật ký").lastRowRaw();
    env.run("onEditLog", {
      as: editorOf(def, "KTU"),
      runAs: OWNER,
      event: env.editEvent("Kon Tum", `E${r}:F${r + 1}`),
    });
    const rows = env.sheet("Nhật ký").getDataRangeRaw().getValues().slice(before);
    expect(rows).toHaveLength(4);
    expect(rows[0]![2]).toBe("Dán / điền nhiều ô");
    expect(rows[0]![7]).toMatch(/không cho biết giá trị cũ/);
  });
});

describe("Tổng hợp", () => {
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "DLK", GOOD);
  typeFigures(env, def, "KTU", { ...GOOD, LOP: [30, 33], HOCVIEN: [2000, 2100] });
  typeFigures(env, def, "GLA", { ...GOOD, HOITHAO: [4, -2] });

  it("is refused to a school's editor", () => {
    env.run("menuTongHop", { as: editorOf(def, "KTU") });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Chỉ trường Cụm trưởng chạy Tổng hợp/);
    expect(env.sheet("Tổng hợp").getRange("A1").getValue()).toMatch(/chưa tổng hợp/);
  });
  it("says the sheet is busy when another run holds the lock, and writes nothing", () => {
    env.lockHeldElsewhere = true;
    env.log.reset();
    env.run("menuTongHop", { as: headOf(def) });
    env.lockHeldElsewhere = false;
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Đang có người khác chạy/);
    expect(env.log.count("Range.setValues")).toBe(0);
  });
  it("writes the totals over the valid schools, per-school columns, coverage and ranking", () => {
    env.run("menuTongHop", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Số liệu tính trên 2\/10 trường/);
    const totals = env.sheet("Tổng hợp").getDataRangeRaw().getValues();
    const row = (code: string) => totals.find((r) => r[1] === code)!;
    expect(row("LOP").slice(4, 6)).toEqual([70, 75]);
    expect(row("HOCVIEN").slice(4, 6)).toEqual([4800, 5050]);
    expect(row("HTTNV")[5]).toBeCloseTo(0.955, 9);
    expect(row("CHUAN").slice(4, 6)).toEqual(["2/2 Đạt", "2/2 Đạt"]);
    expect(totals[4]!.slice(7, 9)).toEqual(["Quảng Nam (chưa nộp)\nĐăng ký", "Quảng Nam (chưa nộp)\nThực hiện"]);
    expect(totals[3]![0]).toMatch(new RegExp(`Lập lúc \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d bởi ${headOf(def)}`));
    const coverage = env.sheet("Tình trạng nộp").getDataRangeRaw().getValues();
    const gla = coverage.findIndex((r) => r[1] === "GLA");
    expect(coverage[gla]!.slice(3, 7)).toEqual([
      "Có lỗi — chưa tính",
      "Gia Lai",
      `Gia Lai!F${rowOfCode(env, "Gia Lai", "HOITHAO")}`,
      expect.stringMatching(/-2 là số âm/),
    ]);
    const ranking = env.sheet("Xếp hạng").getDataRangeRaw().getValues();
    expect(ranking[2]!.slice(0, 3)).toEqual([1, "KTU", "Trường Chính trị tỉnh Kon Tum"]);
    expect(env.sheet("Tổng hợp").charts).toHaveLength(1);
    expect(env.sheet("Tổng hợp").rules).toHaveLength(1);
    expect(env.sheet("Nhật ký").getDataRangeRaw().getValues().at(-1)!.slice(2, 4)).toEqual(["Tổng hợp", "Tổng hợp"]);
  });
});

describe("set-up is safe to run again", () => {
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "DLK", GOOD);
  typeFigures(env, def, "QNA", { LOP: [12, "mười"], CHUAN: ["Đạt", ""] });
  // The figures and labels: the rows from the header down (the status block above is rewritten by every set-up).
  const snapshot = () =>
    def.schools.map((s) => env.sheet(schoolSheetName(s)).getDataRangeRaw().getValues().slice(SCHOOL_HEADER_ROW));
  const logBefore = () => env.sheet("Nhật ký").getDataRangeRaw().getValues();

  it("changes no figure, keeps even invalid entries, and only appends to Nhật ký", () => {
    const before = snapshot();
    const log = logBefore();
    env.run("menuSetup", { as: headOf(def) });
    expect(snapshot()).toEqual(before);
    // Typed without the head's trigger (the simple onEdit only): set-up brings the block up to date.
    expect(statusOf(env, "Quảng Nam").lines[3]).toBe("Trạng thái: có 1 lỗi, còn thiếu 5 ô.");
    const after = logBefore();
    expect(after.slice(0, log.length)).toEqual(log);
    expect(after.length).toBe(log.length + 1);
  });
  it("installs no second trigger when a head other than the creator runs it again", () => {
    expect(env.triggers).toHaveLength(2);
  });
  it("keeps the figures of a target removed from Cấu hình in Nhật ký", () => {
    const config = env.sheet("Cấu hình");
    const values = config.getDataRangeRaw().getValues();
    const r = values.findIndex((row) => row[0] === "LOP" && row[2]) + 1;
    config.getRange(r, 1, 1, values[0]!.length).setValues([values[0]!.map(() => "")]);
    env.run("menuSetup", { as: headOf(def) });
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues();
    const kept = log.find((row) => row[2] === "Bỏ chỉ tiêu khỏi trang trường" && row[3] === "Đắk Lắk")!;
    expect(kept[5]).toBe("Đăng ký: 40; Thực hiện: 42");
    expect(
      env
        .sheet("Đắk Lắk")
        .getDataRangeRaw()
        .getValues()
        .some((row) => row[1] === "LOP"),
    ).toBe(false);
  });
  it("is refused to a school's editor", () => {
    env.run("menuSetup", { as: editorOf(def, "KTU") });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Chỉ trường Cụm trưởng được thiết lập/);
  });
  it("refuses a broken Cấu hình and changes nothing", () => {
    const config = env.sheet("Cấu hình");
    const values = config.getDataRangeRaw().getValues();
    const r = values.findIndex((row) => row[0] === "Năm") + 1;
    config.getRange(r, 2).setValue("hai nghìn");
    const before = snapshot();
    env.run("menuSetup", { as: headOf(def) });
    expect(env.ui.alerts.at(-1)!.title).toBe("Trang Cấu hình chưa hợp lệ");
    expect(env.ui.alerts.at(-1)!.message).toMatch(/mục "year" \(năm\)/);
    expect(snapshot()).toEqual(before);
  });
});

describe("Kiểm tra số liệu and Kiểm tra cấu trúc", () => {
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "DLK", { ...GOOD, DETAI_TRUONG: [2, 2.5] });

  it("lists school, cell and message with a jump to the cell", () => {
    env.run("menuCheck", { as: editorOf(def, "KTU") });
    const html = env.ui.dialogs.at(-1)!.html;
    const r = rowOfCode(env, "Đắk Lắk", "DETAI_TRUONG");
    expect(html).toContain("Trường Chính trị tỉnh Đắk Lắk");
    expect(html).toContain(`Đắk Lắk!F${r}`);
    expect(html).toMatch(/2,5 không phải số nguyên/);
    expect(html).toContain(`google.script.run.jumpToCell(&quot;Đắk Lắk&quot;,&quot;F${r}&quot;)`);
    env.run("jumpToCell", { args: ["Đắk Lắk", `F${r}`] });
    expect(env.spreadsheet.activeRange!.getA1Notation()).toBe(`F${r}`);
  });
  it("finds nothing wrong when run by a head who did not create the triggers", () => {
    env.run("menuStructure", { as: headOf(def) });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Cấu trúc bảng tính đúng với Cấu hình/);
  });
  it("finds a removed protection, a deleted target row and an unapplied Cấu hình", () => {
    env.run("menuStructure", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Cấu trúc bảng tính đúng với Cấu hình/);
    env
      .sheet("Bình Định")
      .protections.find((p) => p.type === "SHEET")!
      .remove();
    const r = rowOfCode(env, "Khánh Hòa", "HOITHAO");
    env
      .sheet("Khánh Hòa")
      .getRange(r, 1, 1, 7)
      .setValues([["", "", "", "", "", "", ""]]);
    const theme =
      env
        .sheet("Cấu hình")
        .getDataRangeRaw()
        .getValues()
        .findIndex((row) => row[0] === "Chủ đề thi đua") + 1;
    env.sheet("Cấu hình").getRange(theme, 2).setValue("Chủ đề mới");
    env.run("menuStructure", { as: OWNER });
    const html = env.ui.dialogs.at(-1)!.html;
    expect(html).toMatch(/Bình Định.*Trang không còn được bảo vệ/s);
    expect(html).toMatch(/Khánh Hòa.*Thiếu hàng chỉ tiêu: HOITHAO/s);
    expect(html).toMatch(/Cấu hình đã được sửa nhưng chưa áp dụng/);
  });
});
