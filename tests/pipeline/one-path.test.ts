/**
 * One path from cells to verdicts: the same school sheets give the same
 * answer through the add-on (built Code.js on the fake) and through the
 * offline reader, under the stage the year's state gives.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COL, schoolSheetName } from "../../src/core/sheets/school-layout";
import { buildSummarySheets, COVERAGE_SHEET, RANKING_SHEET, SUMMARY_SHEET } from "../../src/core/sheets/summary-layout";
import { freezeYear, thawYear } from "../../src/core/lock/freeze";
import { judge, readClusterSheets } from "../../src/core/pipeline";
import { readSchoolWorkbook } from "../../src/excel/reader";
import { summariseReports } from "../../src/cli/io/files";
import { blankTemplate, fill } from "../helpers/workbooks";
import { GOOD, headOf, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures, writeAs } from "../gas/helpers";

const def = sample2023();
const sha256 = (t: string) => createHash("sha256").update(t, "utf8").digest("hex");
const onlyRegistered = Object.fromEntries(Object.entries(GOOD).map(([k, [reg]]) => [k, [reg, ""]])) as typeof GOOD;

/** The school sheets as the fake holds them, keyed by sheet name. */
const gridsOf = (env: ReturnType<typeof newEnv>) =>
  new Map(def.schools.map((s) => [schoolSheetName(s), env.sheet(schoolSheetName(s)).getDataRangeRaw().getValues()]));

/** The same cells, typed into each school's Excel template: what a school would send offline. */
async function asWorkbooks(grids: Map<string, unknown[][]>) {
  const out = [];
  for (const s of def.schools) {
    const grid = grids.get(schoolSheetName(s))!;
    const cells: Record<string, { registered: never; achieved: never; note: never }> = {};
    for (const row of grid)
      if (typeof row[COL.code] === "string")
        cells[row[COL.code] as string] = {
          registered: row[COL.registered] as never,
          achieved: row[COL.achieved] as never,
          note: row[COL.note] as never,
        };
    // An empty cell stays empty in the file, as in the sheet.
    for (const c of Object.values(cells))
      for (const k of ["registered", "achieved", "note"] as const) if (c[k] === ("" as never)) c[k] = null as never;
    out.push(
      await readSchoolWorkbook(def, await fill(await blankTemplate(def, s.code), cells), `${s.code}.xlsx`, "report"),
    );
  }
  return out;
}

/** A summary sheet's cells without its time stamp and source column: what both paths must agree on. */
const cellsOf = (grid: readonly (readonly unknown[])[]) =>
  grid.filter((r) => !String(r[0] ?? "").startsWith("Lập lúc")).map((r) => r.map((v) => (v === "" ? null : v)));

describe("one path from cells to verdicts", () => {
  const env = newEnv();
  setUp(env);
  for (const s of def.schools)
    if (s.code !== "KTU") typeFigures(env, def, s.code, s.code === "QNG" ? { ...GOOD, LOP: [40, "nhiều"] } : GOOD);
  // Kon Tum registered its targets but has typed no Thực hiện at all.
  typeFigures(env, def, "KTU", onlyRegistered);

  it("before the pledge, a school with only Đăng ký is complete for the registration stage", () => {
    env.run("menuCheck", { as: headOf(def) });
    const html = env.ui.dialogs.at(-1)!.html;
    expect(html).toMatch(/Quảng Ngãi/);
    expect(html).not.toMatch(/chưa nhập cột Thực hiện/);
  });

  const pledgeTitle =
    "after the pledge the stage comes from the year's state: the same school is incomplete " + "online, as offline";
  it(pledgeTitle, async () => {
    env.run("menuSignPledge", { as: headOf(def) });
    env.run("menuTongHop", { as: headOf(def) });
    const coverage = env.sheet(COVERAGE_SHEET).getDataRangeRaw().getValues();
    const ktu = coverage.find((r) => r.includes("Trường Chính trị tỉnh Kon Tum"))!;
    expect(ktu.join(" ")).not.toMatch(/Hợp lệ/);
    expect(ktu.join(" ")).toMatch(/Có lỗi/);

    env.run("menuCheck", { as: headOf(def) });
    const incomplete = /Kon Tum<\/b>[^]*?chưa nhập cột Thực hiện/g;
    expect(env.ui.dialogs.at(-1)!.html.match(incomplete)?.length).toBeGreaterThan(0);

    const offline = (await asWorkbooks(gridsOf(env))).find((r) => r.school?.code === "KTU")!;
    const online = readClusterSheets(def, gridsOf(env), "report").find((r) => r.school.code === "KTU")!;
    expect(offline.problems.filter((p) => p.severity === "error").map((p) => p.message)).toEqual(
      online.problems.filter((p) => p.severity === "error").map((p) => p.message),
    );
    expect(offline.problems.filter((p) => p.severity === "error").length).toBe(7);
  });

  it("the summary sheets the add-on wrote equal the ones built offline from the same cells", async () => {
    const verdict = summariseReports(def, await asWorkbooks(gridsOf(env)));
    const stamp = { madeAt: new Date(), madeBy: headOf(def) };
    const offline = new Map(buildSummarySheets(verdict.summary, verdict.ranking, stamp).map((s) => [s.name, s.grid]));
    for (const name of [SUMMARY_SHEET, RANKING_SHEET]) {
      const online = env.sheet(name).getDataRangeRaw().getValues();
      expect(cellsOf(online), name).toEqual(cellsOf(offline.get(name)!));
    }
    // Status per school: the coverage sheet names sheets online and files offline, so compare the status column only.
    const statuses = (grid: readonly (readonly unknown[])[]) =>
      grid
        .filter((r) => def.schools.some((s) => r.includes(s.name)))
        .map((r) => [
          r.find((v) => def.schools.some((s) => s.name === v)),
          r.find((v) => typeof v === "string" && /^(Hợp lệ|Có lỗi|Chưa nộp|Chưa nhập)/.test(v)),
        ]);
    expect(statuses(env.sheet(COVERAGE_SHEET).getDataRangeRaw().getValues())).toEqual(
      statuses(offline.get(COVERAGE_SHEET)!),
    );
  });
});

describe("the lock freezes one verdict", () => {
  it("a frozen year thaws back to the same code, figures and verdict", () => {
    const env = newEnv();
    setUp(env);
    for (const s of def.schools)
      typeFigures(env, def, s.code, s.code === "QNG" ? { ...GOOD, LOP: [40, "nhiều"] } : GOOD);
    const reports = readClusterSheets(def, gridsOf(env), "report");
    const year = freezeYear(def, reports, sha256);
    const back = thawYear(def, year.snapshot, sha256);
    expect(back.fingerprint).toBe(year.fingerprint);
    expect(back.schoolPrints).toEqual(year.schoolPrints);
    expect(back.verdict.summary.covered).toEqual(year.verdict.summary.covered);
    expect(back.verdict.ranking.ranked).toEqual(year.verdict.ranking.ranked);
    // Quảng Ngãi was locked with an error: it stays out of the totals after the thaw too.
    expect(back.verdict.summary.covered).not.toContain("QNG");
    expect(judge(def, reports).summary.covered).toEqual(back.verdict.summary.covered);
  });

  it("after the lock the online report prints the frozen figures beside the code, not a figure changed since", () => {
    const env = newEnv();
    setUp(env);
    for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
    env.run("menuSignPledge", { as: OWNER });
    env.run("menuLockYear", { as: OWNER });
    const code = env.ui.alerts.at(-1)!.message.match(/Mã kiểm tra toàn cụm: ([0-9a-f]{12})/)![1]!;
    // The owner keeps edit rights after the lock and changes one locked figure.
    const row = rowOfCode(env, "Kon Tum", "LOP");
    writeAs(env, OWNER, "Kon Tum", `F${row}`, 97);
    env.run("menuReport", { as: OWNER });
    const text = [...env.drive.documents.values()].at(-1)!.body.texts().join("\n");
    expect(text).toContain(`Mã kiểm tra toàn vẹn số liệu đã khóa: ${code}.`);
    // 10 schools × 42 classes were locked; the live sheets now say 9 × 42 + 97.
    expect(text).toContain("420");
    expect(text).not.toContain("475");
  });

  it("a kept snapshot edited behind the lock is refused, not printed beside the code", async () => {
    const env = newEnv();
    setUp(env);
    for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
    env.run("menuSignPledge", { as: OWNER });
    env.run("menuLockYear", { as: OWNER });
    // Both the kept text and its pointer's SHA-256 rewritten, as code run by an editor could: the lock's own code
    // still tells.
    const cell = env.sheet("Bản khóa").cell(2, 1, true);
    cell.v = String(cell.v).replace("42", "43");
    const pointer = JSON.parse(env.properties.getProperty("ban_khoa_tro")!);
    const { createHash } = await import("node:crypto");
    pointer.sha256 = createHash("sha256").update(String(cell.v), "utf8").digest("hex");
    env.properties.setProperty("ban_khoa_tro", JSON.stringify(pointer));
    const before = env.drive.documents.size;
    env.run("menuReport", { as: OWNER });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/bản lưu đã bị sửa/);
    expect(env.drive.documents.size).toBe(before);
  });
});

describe("one number format per column", () => {
  it("every score in the report's ranking table has two decimals, every rate one", async () => {
    const { buildYearReport } = await import("../../src/core/documents/documents");
    const env = newEnv();
    setUp(env);
    for (const s of def.schools)
      typeFigures(env, def, s.code, s.code === "GLA" ? { ...GOOD, LOP: [40, 45], HOCVIEN: [2800, 3100] } : GOOD);
    const verdict = judge(def, readClusterSheets(def, gridsOf(env), "report"));
    const model = buildYearReport({ ...verdict, date: new Date() });
    const tables = model.blocks.filter((b) => b.kind === "table") as {
      rows: { paragraphs: { runs: { text: string }[] }[] }[][];
    }[];
    const text = (c: { paragraphs: { runs: { text: string }[] }[] }) =>
      c.paragraphs.map((p) => p.runs.map((r) => r.text).join("")).join("");
    const ranking = tables.find((t) => text(t.rows[0]![0]!) === "Hạng")!;
    const scores = ranking.rows.slice(1).flatMap((r) => [text(r[2]!), text(r[3]!)]);
    expect(scores.length).toBeGreaterThan(0);
    for (const s of scores) expect(s).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);
    const rates = tables.flatMap((t) =>
      text(t.rows[0]!.at(-1)!) === "Tỷ lệ hoàn thành" ? t.rows.slice(1).map((r) => text(r.at(-1)!)) : [],
    );
    // Group heading rows leave the rate empty.
    expect(rates.filter((r) => r !== "").length).toBeGreaterThan(0);
    for (const r of rates) expect(r).toMatch(/^(|—|\d{1,3}(\.\d{3})*,\d %)$/);
  });
});
