/**
 * "Mở năm mới" for a cluster whose archive does not fit in one request, on
 * the built Code.js: the archive's sheets, protections and formats go in one
 * batchUpdate and its values after them as RAW values; every cell the live
 * Sheet held lands in the archive as it stood; every request stays under
 * 2 MB; and a run stopped between any two of those calls leaves the live
 * Sheet on the old year, with a rerun ending as an undisturbed run does.
 */
import { describe, expect, it } from "vitest";
import { syntheticCluster } from "../../bench/core";
import { schoolSheetName } from "../../src/core/sheets/school-layout";
import { SNAPSHOT_SHEET as LIVE_SNAPSHOT_SHEET } from "../../src/gas/year/stored-state";
import type { PeriodReview } from "../../src/core/period/period";
import { readSnapshotSheet } from "../../src/core/sheets/lock-layout";
import { buildPeriodSheets, PERIOD_JSON_SHEET } from "../../src/core/sheets/period-layout";
import { rectangular } from "../../src/core/sheets/sheet-spec";
import type { FakeEnv } from "../fake-gas/env";
import { fillEveryFigure, setUpCluster } from "../fake-gas/measure";
import { dieAt, seenAcrossYears as seen } from "./helpers";

/** Large enough that the archive's cells pass 2 MB as one batchUpdate, small enough to run a few times. */
const def = syntheticCluster(30, 100);
const VALUES = "Sheets.Spreadsheets.Values.batchUpdate";
const BATCH = "Sheets.Spreadsheets.batchUpdate";

function lockedCluster(cluster = def): FakeEnv {
  const env = setUpCluster(cluster);
  fillEveryFigure(env, cluster);
  env.run("menuSignPledge");
  env.ui.answers.push("YES");
  env.run("menuLockYear");
  expect(env.ui.alerts.at(-1)!.message).toMatch(/^Đã khóa số liệu năm /);
  return env;
}

const openYear = (env: FakeEnv) => {
  env.ui.answers.push({ button: "OK", text: "" }, "YES");
  env.run("menuOpenYear");
};

const valuesOf = (sheet: { getDataRangeRaw(): { getValues(): unknown[][] } }) => sheet.getDataRangeRaw().getValues();

describe("Mở năm mới, an archive past one request", () => {
  const undisturbed = lockedCluster();
  const before = new Map(undisturbed.spreadsheet.sheets.map((s) => [s.name, valuesOf(s)]));
  undisturbed.log.reset();
  openYear(undisturbed);
  const expected = seen(undisturbed);

  it("writes the archive's values apart, every request under 2 MB, and keeps every cell as it stood", () => {
    expect(undisturbed.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    // Without the values apart this cluster's archive takes several batchUpdates; with them one, then the values.
    expect(undisturbed.log.count(VALUES)).toBeGreaterThanOrEqual(1);
    expect(undisturbed.log.count(BATCH)).toBe(2);
    expect(undisturbed.log.largestRequest).toBeLessThanOrEqual(2_000_000);
    const [archive] = undisturbed.otherSpreadsheets;
    // The school sheets are pasted from the first one: each still holds its own figures, none the first one's.
    // The live Sheet's copy of the lock's snapshot goes as the lock's own sheets, checked by the verification.
    const kept = [...before.keys()].filter((n) => n !== LIVE_SNAPSHOT_SHEET);
    expect(kept).toEqual(expect.arrayContaining(def.schools.map(schoolSheetName)));
    for (const name of kept) {
      const sheet = archive!.sheets.find((s) => s.name === name);
      expect(sheet, name).toBeDefined();
      expect(valuesOf(sheet!), name).toEqual(before.get(name));
    }
    expect(archive!.sheets.every((s) => s.protections.length === 1)).toBe(true);
    expect(archive!.sheets.some((s) => s.name === LIVE_SNAPSHOT_SHEET)).toBe(false);
    // Nobody types into the archive: its text cells are not formatted "@" (RAW values keep them text).
    const cover = archive!.sheets[0]!;
    expect(cover.getRange(1, 1).getValue()).toEqual(expect.any(String));
    expect(cover.getRange(1, 1).getNumberFormats()[0]![0]).toBe("General");
    // The stored year is read once, under the lock; the documents folder is not looked at before the archive's create.
    expect(undisturbed.log.count("Properties.getProperties")).toBe(1);
    expect(undisturbed.log.count("Drive.Files.get")).toBe(0);
  });

  it.each([
    ["before the archive's sheets", BATCH, 1],
    ["between the archive's sheets and its values", VALUES, 1],
    ["after the archive, before the move", BATCH, 2],
  ] as const)("stopped %s: the live Sheet stays on 2024 and a rerun ends as an undisturbed run", (_, label, n) => {
    const env = lockedCluster();
    dieAt(env, label, n);
    expect(() => openYear(env)).toThrow("Exceeded maximum execution time");
    expect(env.spreadsheet.sheets.some((s) => s.name === "Các năm")).toBe(false);
    expect(valuesOf(env.sheet("Cấu hình")).some((r) => r.includes(2025))).toBe(false);
    openYear(env);
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2025");
    expect(seen(env)).toEqual(expected);
  });
});

describe("Tổng kết giai đoạn, sheets past one request", () => {
  const big = syntheticCluster(40, 150);
  const env = lockedCluster(big);
  env.ui.answers.push({ button: "OK", text: `${big.year}–${big.year}` });
  env.log.reset();
  env.run("menuPeriodReview");

  it("writes every cell the review gives, its values apart, every request under 2 MB, its Nhật ký row last", () => {
    expect(env.ui.alerts.at(-1)!.title).toBe(`Đã tổng kết giai đoạn ${big.year}–${big.year}`);
    expect(env.log.count(VALUES)).toBeGreaterThanOrEqual(1);
    expect(env.log.largestRequest).toBeLessThanOrEqual(2_000_000);
    const review = JSON.parse(readSnapshotSheet(valuesOf(env.sheet(PERIOD_JSON_SHEET)))) as PeriodReview;
    expect(review.years).toEqual([big.year]);
    const sheets = buildPeriodSheets(review);
    expect(sheets.length).toBeGreaterThan(0);
    for (const spec of sheets) {
      const want = rectangular(spec.grid).map((r) => r.map((v) => (v === null ? "" : v)));
      expect(valuesOf(env.sheet(spec.name)), spec.name).toEqual(want);
    }
    expect(valuesOf(env.sheet("Nhật ký")).at(-1)![2]).toBe("Tổng kết giai đoạn");
    // The report's row in Văn bản went with the sheets' first part, not in a call of its own.
    expect(env.log.count("Sheets.Spreadsheets.Values.append")).toBe(0);
    expect(
      valuesOf(env.sheet("Văn bản"))
        .slice(1)
        .map((r) => [r[1], r[2]]),
    ).toEqual([[`Báo cáo tổng kết giai đoạn ${big.year}–${big.year}`, 1]]);
  });
});

describe("Tổng kết giai đoạn stopped between its calls", () => {
  const big = syntheticCluster(40, 150);
  const env = lockedCluster(big);
  const run = () => {
    env.ui.answers.push({ button: "OK", text: `${big.year}–${big.year}` });
    env.run("menuPeriodReview");
  };
  const reviews = () => valuesOf(env.sheet("Nhật ký")).filter((r) => r[2] === "Tổng kết giai đoạn");

  it("no sheet of the earlier run looks finished, nothing says done, and a rerun writes them whole", () => {
    // A second review of the same years, stopped before its values: the first one's finished sheets are there.
    run();
    dieAt(env, VALUES, 1);
    expect(run).toThrow("Exceeded maximum execution time");
    const stopped = new Map(env.spreadsheet.sheets.map((s) => [s.name, valuesOf(s)[0]?.[0]]));
    expect(reviews()).toHaveLength(1);
    // The stopped run's report is listed all the same: its row went before the sheets.
    expect(
      valuesOf(env.sheet("Văn bản"))
        .slice(1)
        .map((r) => r[2]),
    ).toEqual([1, 2]);
    run();
    const review = JSON.parse(readSnapshotSheet(valuesOf(env.sheet(PERIOD_JSON_SHEET)))) as PeriodReview;
    for (const spec of buildPeriodSheets(review)) {
      const title = String(spec.grid[0]![0]);
      // Empty, or its title saying it is being written: never the finished title over a part-filled table.
      expect(
        [undefined, ""].includes(stopped.get(spec.name) as string) ||
          String(stopped.get(spec.name)).startsWith(`${title} (đang ghi;`),
        spec.name,
      ).toBe(true);
      const want = rectangular(spec.grid).map((r) => r.map((v) => (v === null ? "" : v)));
      expect(valuesOf(env.sheet(spec.name)), spec.name).toEqual(want);
    }
    expect(reviews()).toHaveLength(2);
  });
});

describe("Tổng kết giai đoạn whose first part Google answered with a 500 after it landed", () => {
  it("is not sent again: one Văn bản row for the report, one Nhật ký row, the sheets whole", () => {
    // Past one request: the first part carries the report's Văn bản row and no Nhật ký row.
    const env = lockedCluster(syntheticCluster(40, 150));
    env.ui.answers.push({ button: "OK", text: `${def.year}–${def.year}` });
    env.fail("Sheets.Spreadsheets.batchUpdate", { status: 500, landed: true });
    env.run("menuPeriodReview");
    expect(env.failed.get("Sheets.Spreadsheets.batchUpdate")).toBe(1);
    expect(env.ui.alerts.at(-1)!.title).toBe(`Đã tổng kết giai đoạn ${def.year}–${def.year}`);
    expect(
      valuesOf(env.sheet("Văn bản"))
        .slice(1)
        .map((r) => [r[1], r[2]]),
    ).toEqual([[`Báo cáo tổng kết giai đoạn ${def.year}–${def.year}`, 1]]);
    expect(valuesOf(env.sheet("Nhật ký")).filter((r) => r[2] === "Tổng kết giai đoạn")).toHaveLength(1);
  });
});

describe("Tổng kết giai đoạn whose values Google keeps refusing", () => {
  it("says the report is made and listed, not that its row is missing (asking for it again would double it)", () => {
    const env = lockedCluster(syntheticCluster(40, 150));
    env.ui.answers.push({ button: "OK", text: `${def.year}–${def.year}` });
    env.fail(VALUES, ...Array.from({ length: 20 }, () => ({ status: 503 as const })));
    env.run("menuPeriodReview");
    const said = env.ui.alerts.at(-1)!.message;
    expect(said).toMatch(/^Google chưa nhận phần \d+\/\d+ của Tổng kết giai đoạn/);
    expect(said).toContain(
      `Báo cáo tổng kết giai đoạn ${def.year}–${def.year} (bản 1) đã được tạo và có dòng trên trang "Văn bản".`,
    );
    expect(said).not.toContain("chưa ghi được dòng");
    expect(valuesOf(env.sheet("Văn bản")).slice(1)).toHaveLength(1);
  });
});
