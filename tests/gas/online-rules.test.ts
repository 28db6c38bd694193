/**
 * The add-on under Google's rules where they bite: stored state any editor
 * can rewrite, per-user triggers, property sizes, protections a head did not
 * make, hidden e-mails, declined scopes and folders a head cannot see. Each
 * block names the finding it covers; each failed on the code before it.
 */
import { describe, expect, it } from "vitest";
import { schoolSheetName } from "../../src/core/sheets/school-layout";
import type { SchoolFigures } from "../../src/core/figures/validate";
import { syntheticCluster } from "../../bench/core";
import { buildConfigSheet } from "../../src/core/sheets/config-layout";
import { rectangular } from "../../src/core/sheets/sheet-spec";
import { EMAIL_SCOPE, FakeEnv, SCRIPTAPP_SCOPE } from "../fake-gas/env";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { editorOf, GOOD, headOf, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures, writeAs } from "./helpers";

const def = sample2023();
const sheetOf = (code: string) => schoolSheetName(def.schools.find((s) => s.code === code)!);
const lastAlert = (env: FakeEnv) => env.ui.alerts.at(-1)!.message;
const state = (env: FakeEnv) => JSON.parse(env.properties.getProperty("trang_thai_nam") ?? "{}");
const auditRows = (env: FakeEnv) => env.sheet("Nhật ký").getDataRangeRaw().getValues();
const utf8 = (s: string) => Buffer.byteLength(s, "utf8");
const ENGLISH = /TypeError|SyntaxError|Cannot |is not|undefined|permission|Exception|Unexpected/;

/** A set-up sheet past the pledge, with every school's figures typed. */
function reporting(): FakeEnv {
  const env = newEnv();
  setUp(env);
  for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
  env.run("menuSignPledge", { as: headOf(def) });
  return env;
}

/** A school's editor imports a workbook through the dialog's two server calls. */
function importAs(env: FakeEnv, school: string, figures: SchoolFigures, as = editorOf(def, school)) {
  const current = env.run("getSchoolFigures", { as, args: [school] }) as { version: string };
  return env.run("applyImport", {
    as,
    args: [
      {
        cluster: def.id,
        year: def.year,
        school,
        file: `${school}.xlsx`,
        figures: { ...figures, school },
        version: current.version,
      },
    ],
  }) as { changed: number };
}

describe("stored state is checked on read, never applied when forged or broken (issue 13 point 4)", () => {
  it("a hand-edited year state is refused in Vietnamese and nothing changes", () => {
    const env = reporting();
    env.properties.setProperty("trang_thai_nam", JSON.stringify({ phase: "locked", confirmed: {} }));
    const before = env.sheet("Kon Tum").protections.length;
    env.run("menuSignPledge", { as: headOf(def) });
    expect(lastAlert(env)).toMatch(
      /^Trạng thái năm học lưu trong bảng tính bị hỏng hoặc đã bị sửa ngoài Thi đua \(đã khóa nhưng không có mã kiểm tra\)/,
    );
    expect(env.sheet("Kon Tum").protections.length).toBe(before);
    env.properties.setProperty("trang_thai_nam", "{không phải JSON");
    env.run("menuConfirm", { as: editorOf(def, "KTU") });
    expect(lastAlert(env)).toMatch(/^Trạng thái năm học .* \(không đọc được nội dung\)/);
    expect(env.properties.getProperty("trang_thai_nam")).toBe("{không phải JSON");
  });
  it("a confirmation forged for a school outside the cluster is refused", () => {
    const env = reporting();
    const s = state(env);
    s.confirmed.XYZ = { by: "ai@do.vn", at: "01/01/2024 08:00", fingerprint: "a".repeat(64) };
    env.properties.setProperty("trang_thai_nam", JSON.stringify(s));
    env.run("menuConfirm", { as: editorOf(def, "KTU") });
    expect(lastAlert(env)).toMatch(/xác nhận của trường "XYZ" không có trong cụm/);
    expect(state(env).confirmed.KTU).toBeUndefined();
  });
  it("a broken definition gives a Vietnamese message that says how to repair it, not a TypeError", () => {
    const env = newEnv();
    setUp(env);
    env.properties.setProperty("cau_hinh_0", env.properties.getProperty("cau_hinh_0")!.slice(0, 100));
    env.run("menuCheck", { as: headOf(def) });
    expect(lastAlert(env)).toMatch(
      /^Định nghĩa cụm lưu trong bảng tính bị hỏng.*chạy Thi đua › Thiết lập \/ cập nhật bảng tính/,
    );
    expect(() => env.run("getSchoolFigures", { as: editorOf(def, "KTU"), args: ["KTU"] })).toThrow(
      /^Định nghĩa cụm lưu trong bảng tính bị hỏng/,
    );
  });
  it("stores a long Vietnamese definition in chunks of at most 9 KB counted in bytes", () => {
    const synthetic = syntheticCluster(60, 200);
    // Names as long and as accented as real ones: two or three bytes a letter.
    const big = {
      ...synthetic,
      targets: synthetic.targets.map((t) => ({
        ...t,
        name: `Tỷ lệ học viên được đánh giá hoàn thành xuất sắc nhiệm vụ (${t.name})`,
      })),
    };
    const env = new FakeEnv({ owner: OWNER, editors: big.schools.flatMap((s) => s.editors) });
    const config = env.spreadsheet.insertSheetRaw("Cấu hình");
    const grid = rectangular(buildConfigSheet(big).grid).map((r) => r.map((v) => (v === null ? "" : v)));
    config.maxCols = Math.max(config.maxCols, grid[0]!.length);
    config.getRange(1, 1, grid.length, grid[0]!.length).setNumberFormat("@").setValues(grid);
    env.run("menuSetup");
    const chunks = Object.entries(env.properties.getProperties()).filter(([k]) => /^cau_hinh_\d+$/.test(k));
    expect(chunks.length).toBeGreaterThan(1);
    for (const [k, v] of chunks) expect(utf8(k) + utf8(v)).toBeLessThanOrEqual(9 * 1024);
    expect(chunks.map(([, v]) => v).join("")).toContain("Trường");
  });
});

describe("Mở lại số liệu của trường (issue 13 point 6)", () => {
  it("the head reopens a confirmed school with a reason, logged; the school may edit and confirm again", () => {
    const env = reporting();
    env.ui.answers.push({ button: "OK", text: "ktu" });
    env.run("menuConfirm", { as: headOf(def) });
    const row = rowOfCode(env, "Kon Tum", "LOP");
    expect(() => writeAs(env, editorOf(def, "KTU"), "Kon Tum", `F${row}`, 43)).toThrow(PROTECTED_MESSAGE);

    env.run("menuReopenSchool", { as: editorOf(def, "KTU") });
    expect(lastAlert(env)).toBe(
      "Chỉ trường Cụm trưởng mở lại số liệu của một trường. Tài khoản " +
        editorOf(def, "KTU") +
        " là người nhập liệu của Trường Chính trị tỉnh Kon Tum.",
    );
    env.ui.answers.push({ button: "OK", text: "ktu" }, { button: "OK", text: "  " });
    env.run("menuReopenSchool", { as: headOf(def) });
    expect(lastAlert(env)).toBe("Cần ghi lý do mở lại xác nhận.");
    expect(state(env).confirmed.KTU).toBeDefined();

    env.ui.answers.push({ button: "OK", text: "ktu" }, { button: "OK", text: "Trường báo nhầm số lớp" });
    env.run("menuReopenSchool", { as: headOf(def) });
    expect(lastAlert(env)).toMatch(/^Đã mở lại số liệu của Trường Chính trị tỉnh Kon Tum/);
    expect(state(env).confirmed.KTU).toBeUndefined();
    const log = auditRows(env).at(-1)!;
    expect(log.slice(1, 3)).toEqual([headOf(def), "Mở lại số liệu của trường"]);
    expect(log[7]).toMatch(/Lý do: Trường báo nhầm số lớp$/);
    expect(() => writeAs(env, editorOf(def, "KTU"), "Kon Tum", `F${row}`, 43)).not.toThrow();
    env.run("menuConfirm", { as: editorOf(def, "KTU") });
    expect(lastAlert(env)).toMatch(/^Đã xác nhận số liệu của Trường Chính trị tỉnh Kon Tum/);
  });
});

describe("finding 3: unlocking by a head who is not the owner; the structure check for everyone", () => {
  it("refuses up front when the owner locked, leaving state and protections as they were", () => {
    const env = reporting();
    env.ui.answers.push("YES");
    env.run("menuLockYear", { as: OWNER });
    expect(state(env).phase).toBe("locked");
    env.ui.answers.push({ button: "OK", text: "Sửa số học viên" });
    env.run("menuUnlock", { as: headOf(def) });
    expect(lastAlert(env)).toMatch(
      new RegExp(`^Số liệu do ${OWNER} khóa; Google chỉ cho người đó hoặc chủ sở hữu bảng tính`),
    );
    expect(state(env).phase).toBe("locked");
    expect(() => writeAs(env, editorOf(def, "KTU"), "Kon Tum", `F${rowOfCode(env, "Kon Tum", "LOP")}`, 1)).toThrow(
      PROTECTED_MESSAGE,
    );
    env.ui.answers.push({ button: "OK", text: "Sửa số học viên" });
    env.run("menuUnlock", { as: OWNER });
    expect(state(env).phase).toBe("reporting");
  });
  it("a head who locked can unlock", () => {
    const env = reporting();
    env.ui.answers.push("YES");
    env.run("menuLockYear", { as: headOf(def) });
    env.ui.answers.push({ button: "OK", text: "Sửa số học viên" });
    env.run("menuUnlock", { as: headOf(def) });
    expect(state(env).phase).toBe("reporting");
    expect(() =>
      writeAs(env, editorOf(def, "KTU"), "Kon Tum", `F${rowOfCode(env, "Kon Tum", "LOP")}`, 1),
    ).not.toThrow();
  });
  it("Kiểm tra cấu trúc answers a school's editor in Vietnamese, saying what it could not see", () => {
    const env = reporting();
    env.run("menuStructure", { as: editorOf(def, "KTU") });
    const html = env.ui.dialogs.at(-1)!.html;
    expect(html).toMatch(/Tài khoản này không có quyền sửa \d+ trang/);
    expect(html).not.toMatch(ENGLISH);
  });
});

describe("finding 4: triggers are per user", () => {
  it("a second head running set-up installs no second pair, and the structure check sees the first", () => {
    const env = newEnv();
    setUp(env);
    env.run("menuSetup", { as: headOf(def) });
    expect(env.triggers.map((t) => [t.handler, t.owner]).sort()).toEqual([
      ["flushPending", OWNER],
      ["onEditLog", OWNER],
    ]);
    env.run("menuStructure", { as: headOf(def) });
    expect(env.ui.dialogs.at(-1)!.html).not.toMatch(/Chưa có trigger|Thiếu trigger/);
  });
  it("the owner's own structure check finds a trigger of theirs that was deleted", () => {
    const env = newEnv();
    setUp(env);
    env.triggers = env.triggers.filter((t) => t.handler !== "onEditLog");
    env.run("menuStructure", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Thiếu trigger onEditLog của tài khoản/);
    env.run("menuSetup", { as: OWNER });
    expect(env.triggers.filter((t) => t.handler === "onEditLog")).toHaveLength(1);
  });
});

describe("finding 6: the queue and Nhật ký under load", () => {
  const withNotes = (env: FakeEnv): SchoolFigures => {
    const ktu = env.run("getSchoolFigures", { as: headOf(def), args: ["KTU"] }) as { figures: SchoolFigures };
    return {
      ...ktu.figures,
      rows: ktu.figures.rows.map((r) => ({
        ...r,
        note: `Theo báo cáo số ${r.code}/BC-TCT của Ban Giám hiệu, đã đối chiếu sổ sách của phòng Đào tạo.`,
      })),
    };
  };
  it("two schools import full workbooks within five minutes; every Nhật ký row arrives with the head's trigger", () => {
    const env = newEnv();
    setUp(env);
    typeFigures(env, def, "KTU", GOOD);
    const figures = withNotes(env);
    const before = auditRows(env).length;
    let changed = 0;
    for (const school of ["GLA", "QNA", "DNO"]) changed += importAs(env, school, figures).changed;
    expect(changed).toBe(3 * def.targets.length * 3);
    for (const [k, v] of Object.entries(env.properties.getProperties()))
      expect(utf8(k) + utf8(v)).toBeLessThanOrEqual(9 * 1024);
    env.run("flushPending", { runAs: OWNER });
    const rows = auditRows(env).slice(before);
    expect(rows).toHaveLength(changed);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(["GLA", "QNA", "DNO"].map((c) => editorOf(def, c))));
  });
  it("a full queue refuses the import before any figure is written", () => {
    const env = newEnv();
    setUp(env);
    typeFigures(env, def, "KTU", GOOD);
    const figures = withNotes(env);
    const filler = {
      action: "Nhập từ Excel",
      who: editorOf(def, "GLA"),
      detail: "x".repeat(4000),
      at: new Date().toISOString(),
    };
    const text = JSON.stringify({ audit: Array(40).fill(filler), protections: false });
    const parts = text.match(/[\s\S]{1,8000}/g)!;
    env.properties.setProperties({
      viec_cho_so_phan: String(parts.length),
      ...Object.fromEntries(parts.map((p, i) => [`viec_cho_${i}`, p])),
    });
    const sheet = env.sheet(sheetOf("QNA")).getDataRangeRaw().getValues();
    expect(() => importAs(env, "QNA", figures)).toThrow(
      /^Đang có nhiều thay đổi chờ trường Cụm trưởng ghi vào Nhật ký .* Chưa có gì được ghi/,
    );
    expect(env.sheet(sheetOf("QNA")).getDataRangeRaw().getValues()).toEqual(sheet);
  });
  it("Nhật ký rows are appended by Google in one step, so a writer holding the lock and the edit log never take the same row", () => {
    const env = newEnv();
    setUp(env);
    const row = rowOfCode(env, "Kon Tum", "LOP");
    writeAs(env, editorOf(def, "KTU"), "Kon Tum", `E${row}`, 40);
    const before = auditRows(env).length;
    env.lockHeldElsewhere = true;
    const event = env.editEvent("Kon Tum", `E${row}`, "", editorOf(def, "KTU"));
    env.run("onEditLog", { runAs: OWNER, event });
    // No "find the last row, then write after it" in two calls, which two runs could interleave.
    expect(env.log.count("Sheet.getLastRow")).toBe(0);
    expect(env.log.count("Sheets.Spreadsheets.Values.append")).toBe(1);
    expect(auditRows(env)).toHaveLength(before + 1);
    expect(auditRows(env).at(-1)!.slice(1, 5)).toEqual([editorOf(def, "KTU"), "Sửa ô", "Kon Tum", `E${row}`]);
  });
});

describe("finding 7: identity and scopes", () => {
  it("set-up checks its scopes before it changes anything", () => {
    const env = newEnv();
    env.declinedScopes.set(OWNER, new Set([SCRIPTAPP_SCOPE]));
    env.ui.answers.push("YES");
    expect(() => env.run("menuSetup")).toThrow(/Authorization is required/);
    expect(env.spreadsheet.locale).toBe("en_US");
    expect(env.spreadsheet.sheets.map((s) => s.name)).toEqual(["Trang tính1"]);
    expect(env.properties.getKeys()).toEqual([]);
  });
  it("an empty e-mail is never the head: Tổng hợp is refused in Vietnamese, set-up asks for the scope first", () => {
    const env = newEnv();
    setUp(env);
    const head = headOf(def);
    env.declinedScopes.set(head, new Set([EMAIL_SCOPE]));
    env.run("menuTongHop", { as: head });
    expect(lastAlert(env)).toMatch(
      /^Chỉ trường Cụm trưởng chạy Tổng hợp.*Không xác định được e-mail của tài khoản đang dùng/,
    );
    expect(auditRows(env).some((r) => r[2] === "Tổng hợp")).toBe(false);
    const rows = auditRows(env).length;
    expect(() => env.run("menuSetup", { as: head })).toThrow(/Authorization is required/);
    expect(auditRows(env)).toHaveLength(rows);
  });
});

describe("finding 8: documents made by a head who is not the owner", () => {
  it("files them in a folder the add-on makes for the head (the spreadsheet's folder may be hidden), and spends the number only then", () => {
    const env = newEnv();
    setUp(env);
    env.drive.folder.viewers = new Set([OWNER]);
    env.run("menuReport", { as: headOf(def) });
    expect(lastAlert(env)).toMatch(
      /^Văn bản và bản PDF nằm trong thư mục https:\/\/drive\.google\.com\/drive\/folders\//,
    );
    const [folder] = env.drive.createdFolders;
    expect(folder!.viewers).toEqual(new Set([headOf(def)]));
    expect(folder!.files.map((f) => f.name)).toEqual([
      "Báo cáo tổng kết thi đua năm 2023 (bản 1)",
      "Báo cáo tổng kết thi đua năm 2023 (bản 1).pdf",
    ]);
    expect(env.properties.getProperty("so_ban_bao_cao")).toBe("1");
    env.run("menuReport", { as: headOf(def) });
    expect(env.drive.createdFolders).toHaveLength(1);
    expect(folder!.files.map((f) => f.name)).toContain("Báo cáo tổng kết thi đua năm 2023 (bản 2)");
    // The owner, another head, gets a folder of their own; the numbering stays the spreadsheet's.
    env.run("menuReport", { as: OWNER });
    expect(env.drive.createdFolders.map((f) => [...f.viewers!])).toEqual([[headOf(def)], [OWNER]]);
    expect(env.drive.createdFolders[1]!.files.map((f) => f.name)).toContain(
      "Báo cáo tổng kết thi đua năm 2023 (bản 3).pdf",
    );
  });
  it("a document that cannot be filed spends no version number", () => {
    const env = newEnv();
    setUp(env);
    const drive = env.drive.driveService();
    const create = drive.Files.create;
    let calls = 0;
    // The PDF cannot be stored (Drive full): the second create fails.
    env.drive.driveService = () => ({
      ...drive,
      Files: {
        ...drive.Files,
        create: (...a: Parameters<typeof create>) =>
          ++calls === 3
            ? (() => {
                throw new Error("GoogleJsonResponseException: The user's Drive storage quota has been exceeded.");
              })()
            : create(...a),
      },
    });
    expect(() => env.run("menuReport", { as: headOf(def) })).toThrow(/quota/);
    expect(env.properties.getProperty("so_ban_bao_cao")).toBeNull();
  });
});

describe("cost: protections change in one atomic request, only where they differ", () => {
  it("a head's confirmation replaces one school's protections and leaves every other one untouched", () => {
    const env = reporting();
    const others = def.schools.filter((s) => s.code !== "KTU").flatMap((s) => env.sheet(sheetOf(s.code)).protections);
    env.log.reset();
    env.ui.answers.push({ button: "OK", text: "ktu" });
    env.run("menuConfirm", { as: headOf(def) });
    expect(env.log.count("Sheets.Spreadsheets.batchUpdate")).toBe(1);
    expect(env.log.count("Protection.remove") + env.log.count("Sheet.protect") + env.log.count("Range.protect")).toBe(
      0,
    );
    expect(def.schools.filter((s) => s.code !== "KTU").flatMap((s) => env.sheet(sheetOf(s.code)).protections)).toEqual(
      others,
    );
    expect(() => writeAs(env, editorOf(def, "KTU"), "Kon Tum", `F${rowOfCode(env, "Kon Tum", "LOP")}`, 1)).toThrow(
      PROTECTED_MESSAGE,
    );
  });
  it("a refused change sends nothing: one protection the user may not edit stops the whole request", () => {
    const env = reporting();
    // The owner re-protects one school's labels for themself alone: the head cannot change that protection.
    const p = env.sheet("Gia Lai").protections.find((x) => x.type === "RANGE")!;
    env.activeUser = OWNER;
    p.removeEditors([headOf(def)]);
    env.ui.answers.push({ button: "OK", text: "gla" });
    const before = env.sheet("Gia Lai").protections.map((x) => [x.description, [...x.editors]]);
    env.run("menuConfirm", { as: headOf(def) });
    expect(lastAlert(env)).toMatch(
      /^Tài khoản .* không sửa được phần bảo vệ do người khác đặt trên Gia Lai.*Chưa có gì thay đổi\.$/,
    );
    expect(env.sheet("Gia Lai").protections.map((x) => [x.description, [...x.editors]])).toEqual(before);
    expect(state(env).confirmed.GLA).toBeUndefined();
  });
});
