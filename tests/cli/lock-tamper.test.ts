/**
 * The lock must prove itself: every way of editing the locked workbook
 * behind its password is named by xac-minh, and a forgery rebuilt from
 * scratch (it passes every internal check) fails against the printed code.
 */
import JSZip from "jszip";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { templateBuffer } from "../../src/excel/template";
import { cli } from "../helpers/cli";
import { ROOT, sampleDefinition, sampleSubmissions } from "../helpers/samples";
import { fill, loadWb, saveWb } from "../helpers/workbooks";

const DEF = join(ROOT, "sheets-templates", "cum-7-tay-nguyen-2020.json");
const tmp = (p = "niem-") => mkdtempSync(join(tmpdir(), p));
let nop: string;
let locked: string;
let code: string;
let full: string;

beforeAll(async () => {
  nop = tmp("nop-");
  const def = sampleDefinition("cum-7-tay-nguyen-2020");
  for (const s of sampleSubmissions(def))
    writeFileSync(
      join(nop, `2020-${s.school}.xlsx`),
      await templateBuffer(
        def,
        def.schools.find((x) => x.code === s.school)!,
        s.figures,
      ),
    );
  const out = tmp("khoa-");
  const r = cli(["khoa", nop, "--ra", out, "--cum", DEF]);
  expect(r.code, r.stderr).toBe(0);
  const m = /Mã kiểm tra toàn cụm: ([0-9a-f]{12}) \(đầy đủ: ([0-9a-f]{64})\)/.exec(r.stdout)!;
  code = m[1]!;
  full = m[2]!;
  locked = join(out, "tong-hop-da-khoa.xlsx");
}, 120_000);

/** The locked workbook with one part of its zip rewritten, as a text editor would. */
async function edited(part: (names: Record<string, string>) => string, fn: (xml: string) => string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(locked));
  const wbXml = await zip.file("xl/workbook.xml")!.async("string");
  const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
  const names: Record<string, string> = {};
  for (const m of wbXml.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g))
    names[m[1]!] =
      "xl/" +
      new RegExp(`Id="${m[2]}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${m[2]}"`)
        .exec(rels)!
        .slice(1)
        .find(Boolean)!;
  const name = part(names);
  zip.file(name, fn(await zip.file(name)!.async("string")));
  const file = join(tmp(), "da-sua.xlsx");
  writeFileSync(file, await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" }));
  return file;
}

describe("xac-minh on the locked workbook", () => {
  it("passes an untouched lock, with the 12-character code and with the full one", () => {
    for (const ma of [code, full, code.toUpperCase()]) {
      const r = cli(["xac-minh", locked, nop, "--cum", DEF, "--ma", ma]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/mọi trang khớp với bản số liệu lưu bên trong và với mã/);
    }
  });
  it("names the protection removed and the figure edited on Tổng hợp", async () => {
    const file = await edited(
      (n) => n["Tổng hợp"]!,
      (xml) =>
        xml
          .replace(/<sheetProtection[^>]*\/>/, "")
          .replace(/(<c r="F7"[^>]*><v>)(\d+)(<\/v>)/, (_m, a, v, b) => `${a}${Number(v) + 1}${b}`),
    );
    const r = cli(["xac-minh", file, "--cum", DEF]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/› Tổng hợp: trang đã bị gỡ bảo vệ bằng mật khẩu sau khi khóa\./);
    const figureEditedHead = /› Tổng hợp!F7: theo số liệu lưu khi khóa là "[\d.]+", /.source;
    const figureEdited = new RegExp(figureEditedHead + /trong bảng là "[\d.]+"\./.source);
    expect(r.stdout).toMatch(figureEdited);
  });
  it("names the kept definition edited", async () => {
    const file = await edited(
      () => "xl/sharedStrings.xml",
      (xml) => xml.replace(/(&quot;maxScore&quot;:)(\d+)/, (_m, k, n) => `${k}${Number(n) + 10}`),
    );
    const r = cli(["xac-minh", file, "--cum", DEF]);
    expect(r.code).toBe(1);
    const definitionEditedHead = /› _dinh_nghia: định nghĩa cụm lưu khi /.source;
    const definitionEditedTail = /khóa không khớp mã kiểm tra định nghĩa/.source;
    const definitionEdited = new RegExp(definitionEditedHead + definitionEditedTail);
    expect(r.stdout).toMatch(definitionEdited);
  });
  it("names a deleted Xếp hạng sheet", async () => {
    const file = await edited(
      () => "xl/workbook.xml",
      (xml) => xml.replace(/<sheet [^>]*name="Xếp hạng"[^>]*\/>/, ""),
    );
    const r = cli(["xac-minh", file, "--cum", DEF]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/thiếu trang "Xếp hạng" \(đã bị xóa sau khi khóa\)/);
  });
  it("names an edited school code and an edited lock date on the lock sheet", async () => {
    const zip = await JSZip.loadAsync(readFileSync(locked));
    const strings = await zip.file("xl/sharedStrings.xml")!.async("string");
    let schoolPrint = "";
    (await loadWb(new Uint8Array(readFileSync(locked)))).getWorksheet("Khóa số liệu")!.eachRow((r) => {
      if (r.getCell(1).value === "GLA") schoolPrint = String(r.getCell(3).value);
    });
    expect(strings).toContain(`<t>${schoolPrint}</t>`);
    const file = await edited(
      () => "xl/sharedStrings.xml",
      (xml) =>
        xml
          .replace(`<t>${schoolPrint}</t>`, "<t>000000000000</t>")
          .replace(/<t>(\d{2})\/(\d{2})\/(\d{4}) (\d{2}:\d{2})<\/t>/, "<t>01/01/2020 $4</t>"),
    );
    const r = cli(["xac-minh", file, "--cum", DEF]);
    expect(r.code).toBe(1);
    const tamperedHead = /› Khóa số liệu!C\d+: theo số liệu lưu khi khóa là "[0-9a-f]{12}", /.source;
    const tampered = new RegExp(tamperedHead + /trong bảng là "000000000000"\./.source);
    expect(r.stdout).toMatch(tampered);
    const lockDateHead = /thời điểm khóa ghi "01\/01\/2020 \d{2}:\d{2}", /.source;
    const lockDateTail = /nhưng tệp được lập lúc .*: ngày khóa đã bị sửa\./.source;
    const lockDate = new RegExp(lockDateHead + lockDateTail);
    expect(r.stdout).toMatch(lockDate);
  });
  const forgeryTitle =
    "a forgery rebuilt from altered files passes every internal check, and fails against the " + "printed code";
  it(forgeryTitle, async () => {
    const forgedFiles = tmp("gia-");
    for (const f of ["2020-DNO.xlsx", "2020-KTU.xlsx", "2020-GLA.xlsx", "2020-LDO.xlsx"])
      writeFileSync(join(forgedFiles, f), readFileSync(join(nop, f)));
    writeFileSync(
      join(forgedFiles, "2020-DLK.xlsx"),
      await fill(new Uint8Array(readFileSync(join(nop, "2020-DLK.xlsx"))), { HOITHAO: { achieved: 99 } }),
    );
    const out = tmp("khoa-gia-");
    expect(cli(["khoa", forgedFiles, "--ra", out, "--cum", DEF]).code).toBe(0);
    const forged = join(out, "tong-hop-da-khoa.xlsx");
    const inside = cli(["xac-minh", forged, forgedFiles, "--cum", DEF]);
    expect(inside.code).toBe(0);
    expect(inside.stdout).toMatch(/không có --ma thì chỉ biết bảng tự khớp với bản lưu ẩn/);
    const r = cli(["xac-minh", forged, forgedFiles, "--cum", DEF, "--ma", code]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`không phải mã ${code} in trong báo cáo đã ký`));
  });
  it("names a school file the lock covered that is missing now, and refuses a malformed code", () => {
    const some = tmp();
    for (const f of ["2020-DNO.xlsx", "2020-KTU.xlsx", "2020-GLA.xlsx", "2020-DLK.xlsx"])
      writeFileSync(join(some, f), readFileSync(join(nop, f)));
    const r = cli(["xac-minh", locked, some, "--cum", DEF]);
    expect(r.code).toBe(1);
    const missingLdoHead = /Thiếu tệp của Trường Chính trị tỉnh Lâm Đồng: /.source;
    const missingLdo = new RegExp(missingLdoHead + /số liệu của trường này đã được khóa/.source);
    expect(r.stdout).toMatch(missingLdo);
    const bad = cli(["xac-minh", locked, "--cum", DEF, "--ma", "xyz"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Mã "xyz" không đúng dạng/);
    rmSync(some, { recursive: true, force: true });
  });
  it("a locked workbook re-saved by another program keeps verifying only if nothing displayed changed", async () => {
    const wb = await loadWb(new Uint8Array(readFileSync(locked)));
    wb.getWorksheet("Xếp hạng")!.getCell("C2").value = "Trường khác";
    const file = join(tmp(), "luu-lai.xlsx");
    writeFileSync(file, await saveWb(wb));
    const r = cli(["xac-minh", file, "--cum", DEF]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/› Xếp hạng!C2: .*trong bảng là "Trường khác"/);
  });
  it("names a school's status edited on Tình trạng nộp", async () => {
    const wb = await loadWb(new Uint8Array(readFileSync(locked)));
    const ws = wb.getWorksheet("Tình trạng nộp")!;
    let row = 0;
    ws.eachRow((r, i) => {
      if (r.getCell(2).value === "GLA") row = i;
    });
    ws.getCell(row, 4).value = "Chưa nộp";
    const file = join(tmp(), "trang-thai.xlsx");
    writeFileSync(file, await saveWb(wb));
    const r = cli(["xac-minh", file, "--cum", DEF]);
    expect(r.code).toBe(1);
    const statusEditHead = `› Tình trạng nộp!D${row}: theo số liệu lưu khi khóa là "Hợp lệ", `;
    const statusEdit = statusEditHead + `trong bảng là "Chưa nộp".`;
    expect(r.stdout).toContain(statusEdit);
  });
});
