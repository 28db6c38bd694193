/**
 * A school's year from a phone, on the built Code.js: the Sheets apps for
 * phones run no menu, dialog or toast, so a school types its figures, reads
 * the status block at the top of its sheet and confirms by ticking the
 * block's checkbox, which the head's installable edit trigger reads. After
 * every step the block says what "Kiểm tra số liệu" says about the school.
 */
import { describe, expect, it } from "vitest";
import { loadDefinition } from "../../src/core/definition/definition";
import { buildConfigSheet } from "../../src/core/sheets/config-layout";
import { rectangular } from "../../src/core/sheets/sheet-spec";
import { COL, SCHOOL_HEADER_ROW, schoolSheetName } from "../../src/core/sheets/school-layout";
import { cloneEnv } from "../fake-gas/clone";
import { FakeEnv } from "../fake-gas/env";
import { FakeRange, PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { rawDefinition } from "../helpers/samples";
import {
  CHECKBOX_A1,
  editorOf,
  GOOD,
  headOf,
  newEnv,
  OWNER,
  phoneEdit,
  rowOfCode,
  sample2023,
  setUp,
  statusOf,
  typeFigures,
  writeAs,
} from "./helpers";

const unescape = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);

/** What Kiểm tra số liệu says of one school, run on a copy (the school's own path stays free of menus). */
function kiemTra(env: FakeEnv, as: string, school: string): { state: string; lines: string[] } {
  const copy = cloneEnv(env);
  // The copy's own run, not one a test put on the original.
  FakeEnv.prototype.run.call(copy, "menuCheck", { as });
  const html = copy.ui.dialogs.at(-1)!.html;
  const state = [...html.matchAll(/<li><b>([^<]*)<\/b>: ([^<]*)<\/li>/g)].find((m) => unescape(m[1]!) === school)!;
  const lines = [
    ...html.matchAll(
      new RegExp(
        '<li><b>([^<]*)</b> — <span class="place">([^<]*)</span><br>(<span class="warn">Lưu ý</span> )?' +
          "([\\s\\S]*?) (?:<button[\\s\\S]*?</button>)?</li>",
        "g",
      ),
    ),
  ]
    .filter((m) => unescape(m[1]!) === school)
    .map((m) => {
      const cell = unescape(m[2]!).split("!")[1];
      return `• ${cell ? `Ô ${cell}: ` : ""}${m[3] ? "Lưu ý: " : ""}${unescape(m[4]!)}`;
    });
  return { state: unescape(state[2]!), lines };
}

/** The block of a school's sheet says what Kiểm tra says: its state, its first problems, how many more. */
function expectBlockAsKiemTra(env: FakeEnv, as: string, code: string): ReturnType<typeof statusOf> {
  const school = sample2023().schools.find((s) => s.code === code)!;
  const block = statusOf(env, schoolSheetName(school));
  const said = kiemTra(env, as, school.name);
  expect(block.lines[3]).toBe(`Trạng thái: ${said.state}.`);
  expect(block.lines.slice(4, 7).filter(Boolean)).toEqual(said.lines.slice(0, 3));
  expect(block.lines[7]).toBe(
    said.lines.length > 3
      ? `… và ${said.lines.length - 3} lỗi/lưu ý khác; sửa các ô trên rồi xem lại tình trạng ở đây.`
      : "",
  );
  return block;
}

const def = sample2023();
const GLA = "Gia Lai";
const editor = editorOf(def, "GLA");
const head = headOf(def);
const lastLog = (env: FakeEnv) => env.sheet("Nhật ký").getDataRangeRaw().getValues().at(-1)!;
const state = (env: FakeEnv) => JSON.parse(env.properties.getProperty("trang_thai_nam") ?? '{"confirmed":{}}');

describe("a school editor's reporting season on a phone", () => {
  const env = newEnv();
  setUp(env);
  // Everything the school's editor starts: only the edit triggers Sheets fires for their typing, never a menu.
  const started: string[] = [];
  const run = env.run.bind(env);
  env.run = (fn, opts = {}) => {
    if ((opts.as ?? env.activeUser) === editor) started.push(fn);
    return run(fn, opts);
  };
  /** A step of the school's: whatever happens, nothing pops up (a phone would not show it). */
  const onPhone = (step: () => void) => {
    const before = [env.ui.alerts.length, env.ui.dialogs.length, env.spreadsheet.toasts.length];
    step();
    expect([env.ui.alerts.length, env.ui.dialogs.length, env.spreadsheet.toasts.length]).toEqual(before);
  };
  const row = (code: string) => rowOfCode(env, GLA, code);
  const type = (field: "registered" | "achieved", figures: Record<string, [unknown, unknown]>) =>
    onPhone(() => {
      for (const [code, pair] of Object.entries(figures))
        phoneEdit(
          env,
          editor,
          GLA,
          `${field === "registered" ? "E" : "F"}${row(code)}`,
          pair[field === "registered" ? 0 : 1],
        );
    });
  const tick = (value = true) => onPhone(() => phoneEdit(env, editor, GLA, CHECKBOX_A1, value));

  it("set-up writes the block: the stage, what the school may edit, nothing typed yet", () => {
    const block = expectBlockAsKiemTra(env, editor, "GLA");
    expect(block.lines.slice(0, 4)).toEqual([
      "TÌNH TRẠNG SỐ LIỆU (Thi đua tự ghi; không sửa tay được)",
      "Giai đoạn: Đăng ký chỉ tiêu.",
      "Trường nhập cột Đăng ký (Thực hiện và Ghi chú nếu đã có) ở các ô màu vàng. Nhập từ tệp Excel chỉ làm được " +
        "trên máy tính (Thi đua › Nhập từ Excel).",
      "Trạng thái: chưa nhập.",
    ]);
    expect(block.lines[9]).toMatch(/^Kiểm tra lần cuối: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\.$/);
    expect(block.checked).toBe(false);
  });
  it("registering the targets: the block follows each edit", () => {
    type("registered", GOOD);
    expect(expectBlockAsKiemTra(env, editor, "GLA").lines[3]).toBe("Trạng thái: hợp lệ, chưa xác nhận.");
  });
  it("a tick before the pledge is refused, unticked, with the reason in the block and in Nhật ký", () => {
    tick();
    const block = statusOf(env, GLA);
    expect(block.checked).toBe(false);
    expect(block.lines[8]).toMatch(
      new RegExp(
        `^Lần đánh dấu lúc .+ của ${editor.replace(/\./g, "\\.")}: chưa xác nhận\\. Chưa đến giai đoạn báo cáo kết quả`,
      ),
    );
    expect(lastLog(env).slice(1, 5)).toEqual([editor, "Đánh dấu xác nhận: không nhận", GLA, CHECKBOX_A1]);
    expect(state(env).confirmed).toEqual({});
  });
  it("after the pledge the block asks for Thực hiện: the missing cells with what to do", () => {
    env.run("menuSignPledge", { as: head });
    const block = expectBlockAsKiemTra(env, editor, "GLA");
    expect(block.lines[1]).toBe("Giai đoạn: Báo cáo kết quả (Đăng ký đã khóa theo giao ước).");
    expect(block.lines[3]).toBe(`Trạng thái: còn thiếu ${def.targets.length} ô.`);
    expect(block.lines[4]).toMatch(
      new RegExp(`^• Ô F${row("LOP")}: Chỉ tiêu ".+" \\(LOP\\): chưa nhập cột Thực hiện; hãy nhập số \\(nhập 0`),
    );
  });
  it("a wrong figure shows in the block with its cell; a tick is refused until it is fixed", () => {
    type("achieved", { ...GOOD, LOP: [40, "nhiều"] });
    let block = expectBlockAsKiemTra(env, editor, "GLA");
    expect(block.lines[3]).toBe("Trạng thái: có 1 lỗi.");
    expect(block.lines[4]).toMatch(new RegExp(`^• Ô F${row("LOP")}: .*"nhiều"`));
    tick();
    block = statusOf(env, GLA);
    expect(block.checked).toBe(false);
    expect(block.lines[8]).toMatch(/chưa xác nhận\. Số liệu của Trường Chính trị tỉnh Gia Lai còn lỗi hoặc còn thiếu/);
    expect(state(env).confirmed).toEqual({});
    type("achieved", { LOP: GOOD.LOP! });
    expect(expectBlockAsKiemTra(env, editor, "GLA").lines[3]).toBe("Trạng thái: hợp lệ, chưa xác nhận.");
  });
  it("a tick while another action holds the lock is unticked with the reason; ticked again, it confirms", () => {
    env.lockHeldElsewhere = true;
    try {
      tick();
    } finally {
      env.lockHeldElsewhere = false;
    }
    const block = statusOf(env, GLA);
    expect(block.checked).toBe(false);
    expect(block.lines[8]).toMatch(
      new RegExp(
        `^Lần đánh dấu lúc .+ của ${editor.replace(/\./g, "\\.")}: chưa xác nhận, ô được bỏ đánh dấu\\. .*thao tác`,
      ),
    );
    expect(lastLog(env).slice(1, 5)).toEqual([editor, "Đánh dấu xác nhận: không nhận", GLA, CHECKBOX_A1]);
    expect(String(lastLog(env)[7])).toMatch(/Hãy đợi một phút rồi thử lại\.$/);
    expect(state(env).confirmed).toEqual({});
    // Only the box and that line were written without the lock: the rest is as the last refresh left it.
    expect(block.lines[3]).toBe("Trạng thái: hợp lệ, chưa xác nhận.");
  });
  it("a tick on valid figures confirms them as the menu does: who, when, fingerprint, protection", () => {
    tick();
    const block = expectBlockAsKiemTra(env, editor, "GLA");
    expect(block.checked).toBe(true);
    expect(block.lines[3]).toMatch(
      new RegExp(`^Trạng thái: đã xác nhận lúc .+ bởi ${editor.replace(/\./g, "\\.")}\\.$`),
    );
    expect(block.lines[8]).toMatch(/: đã xác nhận\.$/);
    expect(state(env).confirmed.GLA).toMatchObject({
      by: editor,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(lastLog(env).slice(1, 4)).toEqual([editor, "Xác nhận số liệu", GLA]);
    expect(String(lastLog(env)[7])).toMatch(/đánh dấu ô xác nhận/);
    expect(() => writeAs(env, editor, GLA, `F${row("LOP")}`, 41)).toThrow(PROTECTED_MESSAGE);
    expect(() => writeAs(env, editor, GLA, CHECKBOX_A1, false)).toThrow(PROTECTED_MESSAGE);
  });
  it("a second tick's trigger arriving late (a double tap) confirms nothing twice", () => {
    const confirmations = () =>
      env
        .sheet("Nhật ký")
        .getDataRangeRaw()
        .getValues()
        .filter((r) => r[2] === "Xác nhận số liệu" && r[3] === GLA).length;
    const before = [confirmations(), state(env).confirmed.GLA];
    const rows = () => env.sheet("Nhật ký").getDataRangeRaw().getValues().length;
    env.fireTriggers("onEditLog", env.editEvent(GLA, CHECKBOX_A1, false, editor), editor);
    expect([confirmations(), state(env).confirmed.GLA]).toEqual(before);
    expect(statusOf(env, GLA).checked).toBe(true);
    // Late while another action holds the lock: the box already says what the state says, so nothing is refused.
    const logged = rows();
    env.lockHeldElsewhere = true;
    try {
      env.fireTriggers("onEditLog", env.editEvent(GLA, CHECKBOX_A1, false, editor), editor);
    } finally {
      env.lockHeldElsewhere = false;
    }
    expect(rows()).toBe(logged + 1);
    expect(lastLog(env)[2]).toBe("Sửa ô");
    expect(statusOf(env, GLA).checked).toBe(true);
  });
  it("the whole season started nothing but the edit triggers", () => {
    expect(new Set(started)).toEqual(new Set(["onEdit", "onEditLog"]));
  });
  it("a tick taken off by hand is put back: reopening takes the head's menu and a reason", () => {
    phoneEdit(env, head, GLA, CHECKBOX_A1, false);
    const block = statusOf(env, GLA);
    expect(block.checked).toBe(true);
    expect(block.lines[8]).toMatch(/Mở lại số liệu của trường \(ghi lý do\)\.$/);
    expect(state(env).confirmed.GLA).toBeDefined();
  });
  it("so is one taken off while another action holds the lock", () => {
    env.lockHeldElsewhere = true;
    try {
      phoneEdit(env, head, GLA, CHECKBOX_A1, false);
    } finally {
      env.lockHeldElsewhere = false;
    }
    const block = statusOf(env, GLA);
    expect(block.checked).toBe(true);
    expect(block.lines[8]).toMatch(/Mở lại số liệu của trường \(ghi lý do\)\.$/);
    expect(lastLog(env).slice(1, 3)).toEqual([head, "Bỏ đánh dấu xác nhận: không nhận"]);
    expect(state(env).confirmed.GLA).toBeDefined();
  });
  it("the head's Mở lại unticks the box and the school may type again", () => {
    env.ui.answers.push({ button: "OK", text: "GLA" }, { button: "OK", text: "Sửa số lớp" });
    env.run("menuReopenSchool", { as: head });
    const block = expectBlockAsKiemTra(env, editor, "GLA");
    expect(block.checked).toBe(false);
    expect(block.lines[3]).toBe("Trạng thái: hợp lệ, chưa xác nhận.");
    expect(() => writeAs(env, editor, GLA, `F${row("LOP")}`, 42)).not.toThrow();
  });
  it("an e-mail Google hides confirms nothing, and the block says so", () => {
    env.hiddenEmails.add(editor);
    try {
      tick();
    } finally {
      env.hiddenEmails.delete(editor);
    }
    const block = statusOf(env, GLA);
    expect(block.checked).toBe(false);
    expect(block.lines[8]).toMatch(
      /của một tài khoản không rõ e-mail: chưa xác nhận\. Google không cho Thi đua biết e-mail/,
    );
    expect(lastLog(env).slice(1, 3)).toEqual(["(không rõ)", "Đánh dấu xác nhận: không nhận"]);
    expect(state(env).confirmed.GLA).toBeUndefined();
  });
  it("Tổng hợp and the lock rewrite every block", () => {
    env.run("menuTongHop", { as: head });
    for (const s of def.schools) expectBlockAsKiemTra(env, head, s.code);
    env.ui.answers.push("YES");
    env.run("menuLockYear", { as: head });
    const block = expectBlockAsKiemTra(env, editor, "GLA");
    expect(block.lines[1]).toBe("Giai đoạn: Đã khóa số liệu cuối năm.");
    expect(block.lines[3]).toMatch(/^Trạng thái: đã khóa lúc /);
    expect(block.checked).toBe(false);
    // Eleven runs of Kiểm tra on copies of the spreadsheet: minutes on a loaded machine.
  }, 600_000);
});

describe("a careless or hostile editor on a phone", () => {
  const env = newEnv();
  setUp(env);
  env.run("menuSignPledge", { as: head });
  const before = () => statusOf(env, GLA);

  it("cannot type in the block or beside the box", () => {
    const block = before();
    for (const cell of ["C4", "C8", "C12", "B14", "C14", "C15"])
      expect(() => writeAs(env, editor, GLA, cell, "sửa khung"), cell).toThrow(PROTECTED_MESSAGE);
    expect(statusOf(env, GLA)).toEqual(block);
  });
  it("cannot tick another school's box: Google refuses, nothing is confirmed", () => {
    expect(() => phoneEdit(env, editorOf(def, "QNA"), GLA, CHECKBOX_A1, true)).toThrow(PROTECTED_MESSAGE);
    expect(statusOf(env, GLA).checked).toBe(false);
    expect(state(env).confirmed).toEqual({});
  });
  it("a word typed into the box instead of a tick confirms nothing and the box comes back", () => {
    phoneEdit(env, editor, GLA, CHECKBOX_A1, "x");
    expect(statusOf(env, GLA).checked).toBe(false);
    expect(state(env).confirmed).toEqual({});
  });
  it("text the head's people type into the block is written over from the year's state at once", () => {
    phoneEdit(env, head, GLA, "C8", "đã xác nhận rồi");
    expect(statusOf(env, GLA).lines[4]).not.toBe("đã xác nhận rồi");
    expectBlockAsKiemTra(env, editor, "GLA");
    expect(lastLog(env).slice(1, 6)).toEqual([head, "Sửa ô", GLA, "C8", expect.anything()]);
  });
});

describe("an editor from another Google domain", () => {
  it("ticks, and the head's trigger, told no e-mail, confirms nothing", () => {
    const other = "nhaplieu.gialai@gmail.com";
    const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: { code: string; editors: string[] }[] };
    raw.schools.find((s) => s.code === "GLA")!.editors.push(other);
    const d = loadDefinition(raw);
    const env = newEnv(d);
    // Set-up from a prepared Cấu hình that names the second editor.
    const config = env.spreadsheet.insertSheetRaw("Cấu hình");
    const grid = rectangular(buildConfigSheet(d).grid).map((r) => r.map((v) => (v === null ? "" : v)));
    config.maxCols = Math.max(config.maxCols, grid[0]!.length);
    config.getRange(1, 1, grid.length, grid[0]!.length).setNumberFormat("@").setValues(grid);
    env.run("menuSetup", { as: OWNER });
    env.run("menuSignPledge", { as: OWNER });
    for (const [code, [reg, ach]] of Object.entries(GOOD)) {
      writeAs(env, OWNER, GLA, `E${rowOfCode(env, GLA, code)}`, reg);
      writeAs(env, OWNER, GLA, `F${rowOfCode(env, GLA, code)}`, ach);
    }
    phoneEdit(env, other, GLA, CHECKBOX_A1, true);
    const block = statusOf(env, GLA);
    expect(block.checked).toBe(false);
    expect(block.lines[8]).toMatch(/chưa xác nhận\. /);
    expect(state(env).confirmed.GLA).toBeUndefined();
  });
});

describe("set-up on a sheet of the earlier layout", () => {
  it("moves every figure under the block, keeps them exactly, and unmerges the old titles", () => {
    const env = newEnv();
    // The sheet as the earlier version made it: four merged title rows, the header on row 5, figures typed.
    const old = env.spreadsheet.insertSheetRaw(GLA);
    const codes = def.targets.map((t) => t.code);
    const grid: unknown[][] = [
      [def.name.toUpperCase(), "", "", "", "", "", ""],
      ["BẢNG ĐĂNG KÝ", "", "", "", "", "", ""],
      ["Trường Chính trị tỉnh Gia Lai (mã trường: GLA)", "", "", "", "", "", ""],
      ["Nhập số liệu vào các ô màu vàng.", "", "", "", "", "", ""],
      ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Đăng ký", "Thực hiện", "Ghi chú"],
      ...codes.map((c, i) => [i + 1, c, c, "", GOOD[c]![0], GOOD[c]![1], i === 0 ? "05/06 đã đối chiếu" : ""]),
    ];
    old.getRange(1, 1, grid.length, 7).setNumberFormat("@").setValues(grid);
    for (const r of [1, 2, 3, 4]) old.merges.push(new FakeRange(old, r, 1, 1, 7));
    setUp(env);
    const sheet = env.sheet(GLA);
    expect(sheet.merges).toEqual([]);
    expect(sheet.frozenColumns).toBe(COL.name + 1);
    const values = sheet.getDataRangeRaw().getValues();
    expect(values[SCHOOL_HEADER_ROW]).toEqual([
      "STT",
      "Mã",
      "Chỉ tiêu",
      "Đơn vị tính",
      "Đăng ký",
      "Thực hiện",
      "Ghi chú",
    ]);
    for (const [i, c] of codes.entries()) {
      const r = values.findIndex((row) => row[COL.code] === c);
      expect(r).toBeGreaterThan(SCHOOL_HEADER_ROW);
      expect(values[r]!.slice(COL.registered, COL.note + 1)).toEqual([
        grid[5 + i]![COL.registered],
        grid[5 + i]![COL.achieved],
        grid[5 + i]![COL.note],
      ]);
    }
    expect(expectBlockAsKiemTra(env, editor, "GLA").lines[3]).toBe("Trạng thái: hợp lệ, chưa xác nhận.");
  });
});

describe("a school ticks while the head reads an alert", () => {
  // An alert suspends the head's script until it is closed (docs/platform.md): it must not hold the lock meanwhile.
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "GLA", GOOD);
  env.run("menuSignPledge", { as: OWNER });
  const editor = editorOf(def, "GLA");
  it("the tick is weighed and confirmed, not refused as busy, while the pledge's closing alert is open", () => {
    let seen = false;
    env.interleave("Ui.alert", () => {
      seen = true;
      phoneEdit(env, editor, GLA, CHECKBOX_A1, true);
    });
    env.run("menuPledge", { as: headOf(def) });
    expect(seen).toBe(true);
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã tạo Giao ước thi đua năm 2023 (bản 1)");
    expect(state(env).confirmed.GLA).toBeTruthy();
    expect(statusOf(env, GLA).checked).toBe(true);
  });
});
