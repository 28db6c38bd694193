import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COL, schoolSheetName } from "../../src/core/sheets/school-layout";
import { readSchoolWorkbook } from "../../src/excel/reader";
import { templateBuffer } from "../../src/excel/template";
import { editorOf, GOOD, headOf, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures } from "../gas/helpers";
import { convert, SOFFICE } from "../helpers/libreoffice";
import { ROOT, sampleDefinition } from "../helpers/samples";
import { blankTemplate, fill, FULL_2023 } from "../helpers/workbooks";
import { chromiumOrSkip, openDialog, startHarness, type Harness } from "./harness";
import { byCode } from "../helpers/figures";

const hasChromium = chromiumOrSkip();
const def = sample2023();
const ARTIFACTS = join(ROOT, "test-artifacts");
const dir = mkdtempSync(join(tmpdir(), "dialog-"));
const gla = editorOf(def, "GLA");

describe.runIf(hasChromium)("Excel dialogs in Chromium", () => {
  let h: Harness;
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "KTU", GOOD);
  typeFigures(env, def, "GLA", { LOP: [40, 41], HOCVIEN: [3000, ""] });
  const snapshot = (school: string) =>
    env
      .sheet(schoolSheetName(def.schools.find((s) => s.code === school)!))
      .getDataRangeRaw()
      .getValues();

  beforeAll(async () => {
    h = await startHarness();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("downloads a school's template, built in the browser, that reads back to the sheet's figures", async () => {
    const { page } = await openDialog(h, env, "dialog-tai-mau", editorOf(def, "KTU"));
    await page.getByRole("button", { name: "Tải mẫu" }).waitFor();
    expect(await page.locator("#truong option").allTextContents()).toEqual(["Trường Chính trị tỉnh Kon Tum"]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Tải mẫu" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("mau-2023-KTU.xlsx");
    const file = join(dir, "ktu.xlsx");
    await download.saveAs(file);
    const report = await readSchoolWorkbook(def, new Uint8Array(readFileSync(file)), "ktu.xlsx");
    expect(report.problems).toEqual([]);
    expect(byCode(report.figures).LOP).toMatchObject({ registered: 40, achieved: 42 });
    expect(byCode(report.figures).HTTNV).toMatchObject({ registered: 90, achieved: 95.5 });
    await expect(page.locator(".status.ok").textContent()).resolves.toMatch(/Đã tạo mau-2023-KTU\.xlsx/);
    await page.context().close();
  });

  it("the head sees every school in the download list", async () => {
    const { page } = await openDialog(h, env, "dialog-tai-mau", headOf(def));
    await page.getByRole("button", { name: "Tải mẫu" }).waitFor();
    expect(await page.locator("#truong option").count()).toBe(10);
    await page.context().close();
  });

  it("imports a template filled and re-saved through LibreOffice: preview, confirm, sheet and Nhật ký", async () => {
    let file = join(dir, "gla-da-dien.xlsx");
    writeFileSync(
      file,
      await fill(
        await templateBuffer(
          def,
          def.schools.find((s) => s.code === "GLA")!,
        ),
        { ...FULL_2023, HOITHAO: { registered: 4, achieved: 6, note: "=1+1 (ghi chú gõ như công thức)" } },
      ),
    );
    if (SOFFICE) file = convert(file, "xlsx:Calc MS Excel 2007 XML", join(dir, "lo"));
    const { page, calls } = await openDialog(h, env, "dialog-nhap", gla);
    await page.locator("#tep").setInputFiles(file);
    const preview = /Xem trước: Trường Chính trị tỉnh Gia Lai — năm 2023/;
    await page.getByRole("heading", { name: preview }).waitFor();
    const rows = await page.locator("table.preview tbody tr").allTextContents();
    const lopHead = "LOPSố lớp đào tạo, bồi dưỡng (trung cấp LLCT-HC, ";
    const lop = lopHead + "bồi dưỡng, liên kết cao cấp)Thực hiện4142";
    expect(rows).toContain(lop);
    expect(rows).toContain("HOCVIENSố lượt học viên được đào tạo, bồi dưỡngĐăng ký3.0002.800");
    const hocvien = "HOCVIENSố lượt học viên được đào tạo, bồi dưỡngThực hiện(trống)2.950";
    expect(rows).toContain(hocvien);
    expect(rows.some((r) => r.startsWith("LOP") && r.includes("Đăng ký"))).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, "hop-thoai-nhap-xem-truoc.png"), fullPage: true });
    expect(calls).not.toContain("applyImport");
    expect(snapshot("GLA")[rowOfCode(env, "Gia Lai", "LOP") - 1]![COL.achieved]).toBe(41);

    await page.getByRole("button", { name: /Nhập \d+ thay đổi/ }).click();
    await page.locator("#ket-qua .status.ok").waitFor();
    expect(await page.locator("#ket-qua").textContent()).toMatch(
      /Đã nhập \d+ ô từ .*gla-da-dien\.xlsx vào trang "Gia Lai"/,
    );
    const sheet = env.sheet("Gia Lai");
    const r = (code: string) => rowOfCode(env, "Gia Lai", code);
    expect(sheet.cell(r("LOP"), COL.achieved + 1).v).toBe(42);
    expect(sheet.cell(r("HTTNV"), COL.achieved + 1).v).toBeCloseTo(0.955, 9);
    expect(sheet.cell(r("HOITHAO"), COL.note + 1).v).toBe("=1+1 (ghi chú gõ như công thức)");
    expect(sheet.cell(r("HOITHAO"), COL.note + 1).formula).toBeUndefined();
    // A school's run queues its Nhật ký rows; the head's trigger writes them with the old and new values.
    env.run("flushPending", { runAs: OWNER });
    const log = env
      .sheet("Nhật ký")
      .getDataRangeRaw()
      .getValues()
      .filter((x) => x[2] === "Nhập từ Excel");
    expect(log.find((x) => x[4] === `F${r("LOP")}`)!.slice(1, 7)).toEqual([
      gla,
      "Nhập từ Excel",
      "Gia Lai",
      `F${r("LOP")}`,
      "41",
      "42",
    ]);
    await page.context().close();
    // The LibreOffice re-save alone may take up to the 120 s convert() allows it (tests/helpers/libreoffice.ts) on a
    // loaded machine; a timed-out test would also leave its page importing while the next tests run.
  }, 240_000);

  async function refused(user: string, file: string, message: RegExp, shot?: string) {
    const before = snapshot("GLA");
    const { page, calls } = await openDialog(h, env, "dialog-nhap", user);
    await page.locator("#tep").setInputFiles(file);
    await page.getByRole("alert").waitFor();
    expect(await page.locator("#xem-truoc").textContent()).toMatch(message);
    if (shot) await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
    expect(calls).not.toContain("applyImport");
    expect(snapshot("GLA")).toEqual(before);
    await page.context().close();
    return page;
  }

  it("refuses a file with errors, showing each sheet!cell, and writes nothing", async () => {
    const file = join(dir, "loi.xlsx");
    writeFileSync(
      file,
      await fill(
        await templateBuffer(
          def,
          def.schools.find((s) => s.code === "GLA")!,
        ),
        { ...FULL_2023, LOP: { registered: 40, achieved: "bốn hai" }, HOITHAO: { registered: 4, achieved: -1 } },
      ),
    );
    const { page } = await openDialog(h, env, "dialog-nhap", gla);
    await page.locator("#tep").setInputFiles(file);
    await page.getByRole("heading", { name: "Không nhập được tệp này" }).waitFor();
    const items = await page.locator("ul.problems li").allTextContents();
    expect(items).toEqual([
      expect.stringMatching(/^loi\.xlsx › Gia Lai!F18: .*"bốn hai" không phải là số/),
      expect.stringMatching(/^loi\.xlsx › Gia Lai!F23: .*-1 là số âm/),
    ]);
    await page.screenshot({ path: join(ARTIFACTS, "hop-thoai-nhap-tu-choi.png"), fullPage: true });
    await page.context().close();
  });
  it("refuses another school's file", async () => {
    const ktu = /Tệp là mẫu của Trường Chính trị tỉnh Kon Tum; /.source;
    const account = /tài khoản thiduaso\.gla@truongchinhtri\.example /.source;
    const onlyGla = /chỉ nhập được cho Trường Chính trị tỉnh Gia Lai/.source;
    const otherSchool = new RegExp(ktu + account + onlyGla);
    await refused(gla, join(dir, "ktu.xlsx"), otherSchool);
  });
  it("refuses another year's file", async () => {
    const d2020 = sampleDefinition("cum-7-tay-nguyen-2020");
    const file = join(dir, "nam-2020.xlsx");
    writeFileSync(file, await blankTemplate(d2020, "GLA"));
    await refused(gla, file, /Tệp là mẫu năm 2020, đang làm số liệu năm 2023/);
  });
  it("refuses a file that is not an .xlsx", async () => {
    const file = join(dir, "bao-cao.xlsx");
    writeFileSync(file, "%PDF-1.7 không phải Excel");
    await refused(gla, file, /không phải là tệp Excel \.xlsx/);
  });
  it("refuses a very large file before reading it", async () => {
    const file = join(dir, "qua-lon.xlsx");
    writeFileSync(file, Buffer.alloc(11 * 1024 * 1024, 1));
    await refused(gla, file, /vượt giới hạn 10 MB\. Không nhập gì\./);
  });
  it("the server refuses a stale preview, and a confirmed school, writing nothing", async () => {
    const file = join(dir, "gla-2.xlsx");
    writeFileSync(
      file,
      await fill(
        await templateBuffer(
          def,
          def.schools.find((s) => s.code === "GLA")!,
        ),
        { ...FULL_2023, LOP: { registered: 40, achieved: 44 } },
      ),
    );
    const { page } = await openDialog(h, env, "dialog-nhap", gla);
    await page.locator("#tep").setInputFiles(file);
    await page.getByRole("button", { name: /Nhập \d+ thay đổi/ }).waitFor();
    // Someone edits the sheet between the preview and the confirmation.
    env.activeUser = headOf(def);
    env
      .sheet("Gia Lai")
      .getRange(`F${rowOfCode(env, "Gia Lai", "LOP")}`)
      .setValue(43);
    env.activeUser = OWNER;
    const before = snapshot("GLA");
    await page.getByRole("button", { name: /Nhập \d+ thay đổi/ }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/đã thay đổi kể từ lúc xem trước/);
    expect(snapshot("GLA")).toEqual(before);
    await page.context().close();

    env.run("menuSignPledge", { as: headOf(def) });
    env.ui.answers.push({ button: "OK", text: "GLA" });
    env.run("menuConfirm", { as: headOf(def) });
    // Signing and confirming rewrite the school's status block: the refused import must leave the sheet as they did.
    const confirmed = snapshot("GLA");
    expect(confirmed).not.toEqual(before);
    const again = await openDialog(h, env, "dialog-nhap", gla);
    await again.page.locator("#tep").setInputFiles(file);
    await again.page.getByRole("button", { name: /Nhập \d+ thay đổi/ }).click();
    await again.page.getByRole("alert").waitFor();
    expect(await again.page.getByRole("alert").textContent()).toMatch(
      /đã xác nhận số liệu; muốn sửa hãy đề nghị trường Cụm trưởng mở lại/,
    );
    expect(snapshot("GLA")).toEqual(confirmed);
    await again.page.context().close();
  });
});
