/**
 * The shared Sheet across years, on the built Code.js: a locked year is
 * archived and the live Sheet moves to the next year; an interrupted move
 * reruns to the same end; a second move of the same year is refused.
 */
import { describe, expect, it } from "vitest";
import { loadDefinition, type ClusterDefinition } from "../../src/core/definition/definition";
import { COL, SCHOOL_HEADER_ROW, schoolSheetName } from "../../src/core/sheets/school-layout";
import { a1 } from "../../src/core/problem";
import { FakeEnv } from "../fake-gas/env";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { rawDefinition } from "../helpers/samples";
import { dieAt, GOOD, OWNER, rowOfCode, seenAcrossYears as seen, sheetFor, typeFigures, writeAs } from "./helpers";

const def2024 = loadDefinition(rawDefinition("nam-trung-bo-tay-nguyen-2024"));
const headOf = (def: ClusterDefinition) => def.schools.find((s) => s.role === "head")!.editors[0]!;
const lastAlert = (env: FakeEnv) => env.ui.alerts.at(-1)!.message;

/** Every school fills its figures, the head records the pledge, and locks the year. */
function fillAndLock(env: FakeEnv, def: ClusterDefinition): void {
  def.schools.forEach((s, i) => typeFigures(env, def, s.code, { ...GOOD, LOP: [40, 40 + i] }));
  env.run("menuSignPledge", { as: headOf(def) });
  env.ui.answers.push("YES");
  env.run("menuLockYear", { as: headOf(def) });
  expect(lastAlert(env)).toMatch(new RegExp(`^Đã khóa số liệu năm ${def.year}\\.`));
}

/** Mở năm mới as who, the head's answer (rotation) and the confirmation given. */
function openAs(env: FakeEnv, who: string): void {
  env.ui.answers.push({ button: "OK", text: "" }, "YES");
  env.run("menuOpenYear", { as: who });
}

/** A locked 2024 whose head's Mở năm mới stopped (the 6-minute limit) at the nth call of label. */
function headStoppedAt(label: string, n: number): FakeEnv {
  const env = sheetFor(def2024);
  fillAndLock(env, def2024);
  dieAt(env, label, n);
  expect(() => openAs(env, headOf(def2024))).toThrow("Exceeded maximum execution time");
  return env;
}

/** The archive "Các năm" links for 2024. */
const linkedArchive = (env: FakeEnv) => env.sheet("Các năm").getDataRangeRaw().getValues()[1]![4];

describe("Mở năm mới", () => {
  const env = sheetFor(def2024);

  it("is refused before the year is locked, and to a school's editor", () => {
    env.run("menuOpenYear", { as: headOf(def2024) });
    expect(lastAlert(env)).toBe(
      "Năm 2024 chưa khóa số liệu: hãy chọn Thi đua › Khóa số liệu cuối năm trước. Chưa có gì thay đổi.",
    );
    env.run("menuOpenYear", { as: def2024.schools.find((s) => s.code === "GLA")!.editors[0]! });
    expect(lastAlert(env)).toMatch(
      /^Chỉ trường Cụm trưởng của năm đã khóa hoặc chủ sở hữu bảng tính được mở năm mới\./,
    );
    expect(env.otherSpreadsheets).toHaveLength(0);
  });

  it("lists every change and does nothing when the head says no", () => {
    fillAndLock(env, def2024);
    env.ui.answers.push({ button: "OK", text: "" }, "NO");
    env.run("menuOpenYear", { as: headOf(def2024) });
    const confirm = env.ui.alerts.at(-2)!;
    expect(confirm.title).toBe("Mở năm 2025");
    expect(confirm.message).toContain("Cụm trưởng năm 2025:");
    expect(lastAlert(env)).toBe("Đã hủy. Chưa có gì thay đổi.");
    expect(env.otherSpreadsheets).toHaveLength(0);
  });

  it("archives the locked year, verified, then moves the live Sheet to 2025 in one step", () => {
    const nhatKy = env.sheet("Nhật ký").getDataRangeRaw().getValues().length;
    env.ui.answers.push({ button: "OK", text: "" }, "YES");
    env.run("menuOpenYear", { as: headOf(def2024) });
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    const [archive] = env.otherSpreadsheets;
    expect(archive).toBeDefined();
    const names = archive!.sheets.map((s) => s.name);
    expect(names[0]).toBe("Năm 2024");
    for (const s of def2024.schools) expect(names).toContain(schoolSheetName(s));
    expect(names).toEqual(
      expect.arrayContaining(["Nhật ký", "Văn bản", "Tổng hợp", "Khóa số liệu", "_ban_khoa", "_dinh_nghia"]),
    );
    // The year's Nhật ký went whole into the archive; the live one starts again with the line that links it.
    const archivedLog = archive!.sheets
      .find((s) => s.name === "Nhật ký")!
      .getDataRangeRaw()
      .getValues();
    expect(archivedLog.length).toBe(nhatKy);
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues();
    expect(log).toHaveLength(2);
    expect(log[1]![2]).toBe("Mở năm mới");
    expect(String(log[1]![7])).toContain(`https://docs.google.com/spreadsheets/d/${archive!.id}/edit`);
    // Read-only: a head of 2024 (not its maker) cannot write it.
    expect(archive!.sheets.every((s) => s.protections.length === 1)).toBe(true);
    const years = env.sheet("Các năm").getDataRangeRaw().getValues();
    expect(years[1]![0]).toBe(2024);
    expect(years[1]![4]).toBe(`https://docs.google.com/spreadsheets/d/${archive!.id}/edit`);
    // Cấu hình says 2025; the school sheets are blank.
    const config = env.sheet("Cấu hình").getDataRangeRaw().getValues();
    expect(config.some((r) => r.includes(2025) || r.includes("2025"))).toBe(true);
    const ktu = env
      .sheet(schoolSheetName(def2024.schools.find((s) => s.code === "KTU")!))
      .getDataRangeRaw()
      .getValues();
    const figures = ktu.slice(SCHOOL_HEADER_ROW + 1);
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.every((r) => r[COL.registered] === "" && r[COL.achieved] === "")).toBe(true);
  });

  it("moves authority with the flag: the old head's trigger stops acting, the new head takes over at Thiết lập", () => {
    const year2025 = JSON.parse(
      Object.entries(env.properties.getProperties())
        .filter(([k]) => /^cau_hinh_\d+$/.test(k))
        .sort(([a], [b]) => Number(a.slice(9)) - Number(b.slice(9)))
        .map(([, v]) => v)
        .join(""),
    ) as ClusterDefinition;
    expect(year2025.year).toBe(2025);
    const newHead = headOf(year2025);
    expect(newHead).not.toBe(headOf(def2024));
    // The old head's edit trigger fires but writes nothing.
    const school = year2025.schools.find((s) => s.role === "member")!;
    const sheet = schoolSheetName(school);
    const cell = a1(rowOfCode(env, sheet, "LOP") - 1, COL.registered);
    const before = env.sheet("Nhật ký").getDataRangeRaw().getValues().length;
    writeAs(env, school.editors[0]!, sheet, cell, 12);
    expect(env.fireTriggers("onEditLog", env.editEvent(sheet, cell, "", school.editors[0]!))).toBe(1);
    expect(env.sheet("Nhật ký").getDataRangeRaw().getValues()).toHaveLength(before);
    env.run("menuStructure", { as: OWNER });
    const report = env.ui.dialogs.at(-1)!.html;
    expect(report).toContain(
      `Trigger ghi Nhật ký do ${headOf(def2024)} cài; tài khoản này không còn là Cụm trưởng năm 2025`,
    );
    // The new head runs Thiết lập once: their triggers, and the head-only ranges are theirs alone.
    env.run("menuSetup", { as: newHead });
    expect(env.triggers.filter((t) => t.owner === newHead).map((t) => t.handler)).toContain("onEditLog");
    expect(() => writeAs(env, headOf(def2024), "Cấu hình", "B2", "x")).toThrow(PROTECTED_MESSAGE);
    writeAs(env, newHead, "Cấu hình", "H1", "");
    writeAs(env, school.editors[0]!, sheet, cell, 13);
    env.fireTriggers("onEditLog", env.editEvent(sheet, cell, 12, school.editors[0]!));
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues();
    expect(log.filter((r) => r[2] === "Sửa ô")).toHaveLength(1);
    env.run("menuStructure", { as: newHead });
    expect(env.ui.dialogs.at(-1)!.html).toContain(`Trigger ghi Nhật ký do ${newHead} cài, đang có tác dụng.`);
  });

  it("refuses a second Mở năm mới of the same year", () => {
    const made = env.otherSpreadsheets.length;
    env.run("menuOpenYear", { as: OWNER });
    expect(lastAlert(env)).toMatch(/^Năm 2025 đã được mở \(năm 2024 đã lưu ngày .*\); không mở năm mới lần nữa\./);
    expect(env.otherSpreadsheets).toHaveLength(made);
  });
});

describe("Mở năm mới, interrupted", () => {
  const undisturbed = sheetFor(def2024);
  fillAndLock(undisturbed, def2024);
  undisturbed.ui.answers.push({ button: "OK", text: "" }, "YES");
  undisturbed.run("menuOpenYear", { as: headOf(def2024) });
  const expected = seen(undisturbed);

  it.each([
    ["while writing the archive", "Sheets.Spreadsheets.batchUpdate", 1, true],
    ["after the archive, while moving the live Sheet", "Sheets.Spreadsheets.batchUpdate", 2, true],
    // The archive is the run's first file: the head's documents folder made for it is remembered with the archive's
    // progress, the one write before the stored year follows the move.
    ["after the live Sheet moved, before the stored year follows", "Properties.setProperties", 2, false],
  ] as const)("%s: a rerun ends as an undisturbed run", (_, label, n, staysOn2024) => {
    const env = headStoppedAt(label, n);
    // The archive is verified before the live Sheet changes, and the live Sheet changes in one request.
    expect(env.spreadsheet.sheets.some((s) => s.name === "Các năm")).toBe(!staysOn2024);
    expect(
      env
        .sheet("Cấu hình")
        .getDataRangeRaw()
        .getValues()
        .some((r) => r.includes(2025)),
    ).toBe(!staysOn2024);
    const archive = env.otherSpreadsheets[0]!;
    const writtenBefore = archive.sheets.map((s) => s.name);
    env.log.reset();
    openAs(env, headOf(def2024));
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    expect(seen(env)).toEqual(expected);
    // One archive in all. Once verified it is read back, not written again (the live Sheet may have begun to move).
    expect(env.otherSpreadsheets).toHaveLength(1);
    if (label !== "Sheets.Spreadsheets.batchUpdate" || n !== 1) {
      expect(archive.sheets.map((s) => s.name)).toEqual(writtenBefore);
      expect(env.log.count("Sheets.Spreadsheets.Values.batchUpdate") + env.log.count("Drive.")).toBe(0);
    }
  });
});

describe("Mở năm mới, interrupted and run again by someone else", () => {
  it("the owner's rerun keeps the archive the head made and verified, read back, and moves the Sheet from it", () => {
    const env = headStoppedAt("Sheets.Spreadsheets.batchUpdate", 2);
    env.log.reset();
    openAs(env, OWNER);
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    expect(env.otherSpreadsheets).toHaveLength(1);
    expect(env.log.count("Drive.")).toBe(0);
    expect(linkedArchive(env)).toBe(`https://docs.google.com/spreadsheets/d/${env.otherSpreadsheets[0]!.id}/edit`);
  });

  it("the head's archive, never written and not shared yet, is left alone: the owner's rerun makes its own", () => {
    // Stopped after the archive's create, before its sheets: the owner cannot write the head's (drive.file).
    const env = headStoppedAt("Sheets.Spreadsheets.batchUpdate", 1);
    openAs(env, OWNER);
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    expect(env.otherSpreadsheets).toHaveLength(2);
    expect(linkedArchive(env)).toBe(`https://docs.google.com/spreadsheets/d/${env.otherSpreadsheets[1]!.id}/edit`);
  });
});

describe("Mở năm mới, the head's documents folder put in the trash", () => {
  it("makes the archive in a new folder, remembered with the archive's progress, and removes the one in the trash", () => {
    const env = sheetFor(def2024);
    fillAndLock(env, def2024);
    env.run("menuReport", { as: headOf(def2024) });
    const first = env.drive.createdFolders[0]!;
    first.trashed = true;
    const before = first.files.length;
    env.ui.answers.push({ button: "OK", text: "" }, "YES");
    env.run("menuOpenYear", { as: headOf(def2024) });
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    expect(env.drive.createdFolders).toHaveLength(2);
    const second = env.drive.createdFolders[1]!;
    expect(second.files.map((f) => f.name)).toEqual([`Bản lưu năm 2024 – ${def2024.name}`]);
    expect(first.files).toHaveLength(before);
    expect(env.properties.getProperty(`thu_muc_van_ban_${headOf(def2024)}`)).toBe(second.id);
  });
});

describe("Mở năm mới after a period review", () => {
  it("leaves the sheets about several years in the live Sheet, the new head's alone, and out of the year's archive", () => {
    const env = sheetFor(def2024);
    fillAndLock(env, def2024);
    env.ui.answers.push({ button: "OK", text: "2024–2024" });
    env.run("menuPeriodReview", { as: headOf(def2024) });
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã tổng kết giai đoạn 2024–2024");
    const period = ["Tổng kết giai đoạn", "Theo trường (đã báo cáo)", "_tong_ket_giai_doan"];
    const before = period.map((n) => env.sheet(n).getDataRangeRaw().getValues());
    env.ui.answers.push({ button: "OK", text: "" }, "YES");
    env.run("menuOpenYear", { as: headOf(def2024) });
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    // Said before anything was written.
    expect(env.ui.alerts.at(-2)!.message).toContain(
      'Các trang về nhiều năm ("Tổng kết giai đoạn", "Theo trường (đã báo cáo)"',
    );
    const names = env.otherSpreadsheets[0]!.sheets.map((s) => s.name);
    expect(names).toContain("Tổng hợp");
    for (const n of period) expect(names).not.toContain(n);
    expect(period.map((n) => env.sheet(n).getDataRangeRaw().getValues())).toEqual(before);
    // The lock's protection left with the year; the head-only one of 2025 took its place, not none.
    const member = def2024.schools.find((s) => s.code === "GLA")!.editors[0]!;
    expect(() => writeAs(env, member, "Tổng kết giai đoạn", "A1", "x")).toThrow(PROTECTED_MESSAGE);
    writeAs(env, OWNER, "Tổng kết giai đoạn", "A1", before[0]![0]![0] as string);
  });
});
