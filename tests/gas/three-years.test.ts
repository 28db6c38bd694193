/**
 * Three years in one shared Sheet, on the built Code.js: 2024 with ten
 * schools → lock → review → open 2025 → lock the year of the mergers →
 * review → open 2026 with the six schools after them → lock → the period
 * review 2024–2026 online, equal to `tong-ket-giai-doan` offline over the
 * same locked years, and the history as `lich-su` prints it.
 */
import ExcelJS from "exceljs";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDefinition, type ClusterDefinition } from "../../src/core/definition/definition";
import { readSnapshotSheet } from "../../src/core/sheets/lock-layout";
import { schoolSheetName } from "../../src/core/sheets/school-layout";
import { PRESENT } from "../../src/core/sheets/tally-layout";
import type { FakeEnv } from "../fake-gas/env";
import type { FakeSpreadsheet } from "../fake-gas/spreadsheet";
import { cli } from "../helpers/cli";
import { docxText } from "../helpers/docx-text";
import { rawDefinition } from "../helpers/samples";
import { GOOD, OWNER, sheetFor, typeFigures, writeAs } from "./helpers";

const def2024 = loadDefinition(rawDefinition("nam-trung-bo-tay-nguyen-2024"));
const headOf = (def: ClusterDefinition) => def.schools.find((s) => s.role === "head")!.editors[0]!;
const lastAlert = (env: FakeEnv) => env.ui.alerts.at(-1)!;
const DNG = "thiduaso.dng@truongchinhtri.example";

/** The definition the live Sheet holds now (document properties, as set-up and Mở năm mới store it). */
function storedDefinition(env: FakeEnv): ClusterDefinition {
  const props = env.properties.getProperties();
  const keys = Object.keys(props)
    .filter((k) => /^cau_hinh_\d+$/.test(k))
    .sort((a, b) => Number(a.slice(9)) - Number(b.slice(9)));
  return JSON.parse(keys.map((k) => props[k]).join("")) as ClusterDefinition;
}

/** Every school's figures are typed (by its editor, or by the head for a school that has none yet), and the year locked. */
function fillAndLock(env: FakeEnv, def: ClusterDefinition, bump: number): void {
  def.schools.forEach((s, i) =>
    typeFigures(env, def, s.code, { ...GOOD, LOP: [40, 40 + ((i * 7 + bump) % 11)] }, s.editors[0] ?? headOf(def)),
  );
  env.run("menuSignPledge", { as: headOf(def) });
  env.ui.answers.push("YES");
  env.run("menuLockYear", { as: headOf(def) });
  expect(lastAlert(env).message).toMatch(new RegExp(`^Đã khóa số liệu năm ${def.year}\\.`));
}

/**
 * The review meeting online: the count sheet, the board's figures (a ballot
 * for each school the sheet lists as present, all but one vote for the first
 * candidate of each item; the head and deputies only among schools that still
 * exist next year), the documents.
 */
function review(env: FakeEnv, def: ClusterDefinition, date: string, survivors: string[]): void {
  const head = headOf(def);
  env.ui.answers.push({ button: "OK", text: date }, { button: "OK", text: head });
  env.run("menuReviewSheet", { as: head });
  expect(lastAlert(env).message).toMatch(/^Đã tạo trang "Kiểm phiếu"/);
  const grid = env.sheet("Kiểm phiếu").getDataRangeRaw().getValues();
  const a1 = (row: number, col: number) => `${String.fromCharCode(65 + col)}${row + 1}`;
  const at = (label: string) => grid.findIndex((r) => r[0] === label);
  writeAs(env, head, "Kiểm phiếu", a1(at("Chủ trì"), 1), "Nguyễn Văn Chủ Trì");
  writeAs(env, head, "Kiểm phiếu", a1(at("Thư ký"), 1), "Trần Thị Thư Ký");
  writeAs(env, head, "Kiểm phiếu", a1(at("Ban kiểm phiếu"), 1), "Phan Văn Huệ; Đặng Luận");
  // After a merge the sheet lists only the schools that exist on the meeting's day.
  const present = grid.filter((r) => r[2] === PRESENT).length;
  const chosen = new Map<string, string[]>();
  grid.forEach((r, i) => {
    const item = String(r[0]);
    if (!/^[A-Z_]+$/.test(item)) return;
    if (r[2] === "") {
      if (typeof r[1] === "string" && r[1] !== "")
        [present, present, present, 0].forEach((n, k) => writeAs(env, head, "Kiểm phiếu", a1(i, 2 + k), n));
      return;
    }
    const code = String(r[2]);
    const places = item === "CUM_PHO" ? 2 : 1;
    const eligible = item !== "CUM_TRUONG" && item !== "CUM_PHO" ? true : survivors.includes(code);
    const taken = chosen.get(item) ?? [];
    const vote = eligible && taken.length < places;
    if (vote) chosen.set(item, [...taken, code]);
    writeAs(env, head, "Kiểm phiếu", a1(i, 5), vote ? present - 1 - taken.length : 0);
  });
  env.run("menuReviewDocuments", { as: head });
  expect(lastAlert(env).message).toMatch(/^Đã lập \d+ văn bản bình xét/);
}

function openYear(env: FakeEnv, as: string, year: number): void {
  env.ui.answers.push("YES");
  env.run("menuOpenYear", { as });
  expect(env.ui.alerts.slice(-2)).toEqual([expect.anything(), expect.objectContaining({ title: `Đã mở năm ${year}` })]);
}

const values = (ss: FakeSpreadsheet, name: string) =>
  ss.sheets
    .find((s) => s.name === name)!
    .getDataRangeRaw()
    .getValues();

/**
 * A locked workbook offline holding what an archive holds of the lock: the
 * summary sheets, the lock sheet, the hidden snapshot and definition, each
 * protected (with a password offline, as `khoa` protects them), made when
 * the lock says.
 */
async function workbookOf(ss: FakeSpreadsheet, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const wb = new ExcelJS.Workbook();
  const lockAt = values(ss, "Khóa số liệu").find((r) => r[0] === "Khóa lúc")![1] as string;
  const [d, m, y, hh, mm] = lockAt.split(/[/ :]/).map(Number) as [number, number, number, number, number];
  wb.created = new Date(Date.UTC(y, m - 1, d, hh - 7, mm));
  for (const name of ["Tổng hợp", "Tình trạng nộp", "Xếp hạng", "Khóa số liệu", "_ban_khoa", "_dinh_nghia"]) {
    const ws = wb.addWorksheet(name);
    for (const row of values(ss, name)) ws.addRow(row.map((v) => (v === "" ? null : v)));
    await ws.protect("mat-khau", {});
  }
  writeFileSync(join(dir, "tong-hop-da-khoa.xlsx"), new Uint8Array(await wb.xlsx.writeBuffer()));
  const record = ss.sheets.find((s) => s.name === "_binh_xet");
  if (record)
    writeFileSync(join(dir, "ket-qua-binh-xet.json"), readSnapshotSheet(record.getDataRangeRaw().getValues()));
}

describe("three years in one Sheet", () => {
  const env = sheetFor(def2024, [DNG]);
  const dir = mkdtempSync(join(tmpdir(), "ba-nam-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("2024: ten schools, locked, reviewed online", () => {
    fillAndLock(env, def2024, 0);
    review(env, def2024, "20/11/2024", ["BDI", "QNG", "GLA", "DLK", "KHH", "LDO"]);
  });

  it("opens 2025: Bình Định heads as the register records, the flag and rights move", () => {
    openYear(env, headOf(def2024), 2025);
    const def2025 = storedDefinition(env);
    expect(def2025.year).toBe(2025);
    expect(def2025.schools).toHaveLength(10);
    expect(def2025.schools.find((s) => s.role === "head")!.code).toBe("BDI");
    expect(env.sheet("Nhật ký").getDataRangeRaw().getValues()[1]![2]).toBe("Mở năm mới");
    env.run("menuSetup", { as: headOf(def2025) });
  });

  it("2025, the year of the mergers: locked and reviewed; 2026 opens with the six schools after them", () => {
    const def2025 = storedDefinition(env);
    fillAndLock(env, def2025, 3);
    review(env, def2025, "20/11/2025", ["QNG", "GLA", "DLK", "KHH", "LDO"]);
    openYear(env, headOf(def2025), 2026);
    const def2026 = storedDefinition(env);
    expect(def2026.schools.map((s) => s.code).sort()).toEqual(["DLK", "DNG", "GLA", "KHH", "LDO", "QNG"]);
    // The meeting's choice: the first of 2025's deputies on the meeting's day, Đắk Lắk standing for Phú Yên since the
    // merger (as binh-xet offline reads the same day).
    expect(def2026.schools.find((s) => s.role === "head")!.code).toBe("DLK");
    // A dissolved school's sheet left with the archive; the new member has its sheet.
    const names = env.spreadsheet.sheets.map((s) => s.name);
    for (const s of def2026.schools) expect(names).toContain(schoolSheetName(s));
    expect(names).not.toContain("Kon Tum");
    expect(env.otherSpreadsheets).toHaveLength(2);
    env.run("menuSetup", { as: headOf(def2026) });
  });

  it("2026 locked; the period review 2024–2026 online equals tong-ket-giai-doan offline", async () => {
    const def2026 = storedDefinition(env);
    fillAndLock(env, def2026, 5);
    // Đắk Lắk held no post when 2024 was archived, so that archive was not shared with it: the period review refuses,
    // saying whom to ask, and the Sheet's owner, who reads every archive, runs it.
    env.ui.answers.push({ button: "OK", text: "2024–2026" });
    env.run("menuPeriodReview", { as: headOf(def2026) });
    expect(lastAlert(env).message).toMatch(
      /Bản lưu năm 2024: không mở được bản lưu .*Hãy nhờ người đã lưu năm đó chia sẻ/,
    );
    expect(env.spreadsheet.sheets.map((s) => s.name)).not.toContain("_tong_ket_giai_doan");
    env.ui.answers.push({ button: "OK", text: "2024–2026" });
    env.run("menuPeriodReview", { as: OWNER });
    expect(lastAlert(env).title).toBe("Đã tổng kết giai đoạn 2024–2026");
    const online = JSON.parse(readSnapshotSheet(values(env.spreadsheet, "_tong_ket_giai_doan")));

    // Offline, the same three locked years: the two archives, and 2026 as the lock keeps it.
    const [a2024, a2025] = env.otherSpreadsheets;
    await workbookOf(a2024!, join(dir, "2024"));
    await workbookOf(a2025!, join(dir, "2025"));
    // 2026 goes into its archive too (no review: the head answers for 2027's head with the rotation).
    env.ui.answers.push({ button: "OK", text: "" });
    openYear(env, headOf(def2026), 2027);
    await workbookOf(env.otherSpreadsheets[2]!, join(dir, "2026"));
    const out = join(dir, "ra");
    const r = cli([
      "tong-ket-giai-doan",
      dir,
      "--tu",
      "2024",
      "--den",
      "2026",
      "--ra",
      join(out, "giai-doan.xlsx"),
      "--json",
      join(out, "giai-doan.json"),
      "--bao-cao",
      join(out, "giai-doan.docx"),
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const offline = JSON.parse(readFileSync(join(out, "giai-doan.json"), "utf8"));
    // Where each year came from is named by its file offline and by its archive online; everything else is equal.
    const unsourced = (x: { records: { source: string }[] }) => ({
      ...x,
      records: x.records.map((rec) => ({ ...rec, source: "" })),
    });
    expect(unsourced(online)).toEqual(unsourced(offline));
    expect(online.years).toEqual([2024, 2025, 2026]);
    // The report: the same numbers in the same order in the Google Doc and in the .docx.
    const report = [...env.drive.documents.values()].find((d) => d.name.startsWith("Báo cáo tổng kết giai đoạn 2024"))!;
    const numbers = (text: string) => text.match(/\d+(?:[.,]\d+)*/g) ?? [];
    const inDoc = numbers(report.body.texts().join("\n"));
    expect(inDoc.length).toBeGreaterThan(20);
    expect(inDoc).toEqual(numbers(await docxText(join(out, "giai-doan.docx"))));
    // Three locks, two archives and the offline command: minutes on a loaded machine.
  }, 600_000);

  it("Lịch sử cụm shows a school that joined in 2026 the lines lich-su prints offline from the same years", () => {
    // The Sheet is in 2027 now, with 2024–2026 archived; the offline copies of those three are in dir.
    env.ui.answers.push({ button: "OK", text: "DNG" });
    env.run("menuHistory", { as: OWNER });
    expect(lastAlert(env).message).toMatch(/^Đã ghi lịch sử cụm cho trường DNG \(các năm 2024, 2025, 2026\)/);
    const online = values(env.spreadsheet, "Lịch sử cụm").map((row) => String(row[0] ?? ""));
    const r = cli(["lich-su", ...["2024", "2025", "2026"].map((y) => join(dir, y)), "--truong", "DNG"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const offline = r.stdout.replace(/\n$/, "").split("\n");
    expect(offline.length).toBeGreaterThan(5);
    expect(online).toEqual(offline);
  }, 300_000);
});
