import JSZip from "jszip";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDefinitionFile } from "../../src/cli/io/definitions";
import { cli } from "../helpers/cli";
import { convert, libreOfficeOrSkip } from "../helpers/libreoffice";
import { ROOT } from "../helpers/samples";
import { figureCell, fill } from "../helpers/workbooks";

const DEF = join(ROOT, "sheets-templates", "cum-7-tay-nguyen-2020.json");
const dir = mkdtempSync(join(tmpdir(), "khoa-"));
const filled = join(dir, "cum-7-tay-nguyen-2020", "da-dien");
const hasLo = libreOfficeOrSkip();

/** Every worksheet of the file and whether it carries a password-hashed protection. */
async function protections(file: string): Promise<Record<string, boolean>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const out: Record<string, boolean> = {};
  const hashFirst = /<sheetProtection[^>]*(hashValue|password)="[^"]+"[^>]*sheet="(1|true)"/.source;
  const sheetFirst = /<sheetProtection[^>]*sheet="(1|true)"[^>]*(hashValue|password)="[^"]+"/.source;
  const hashed = new RegExp(hashFirst + "|" + sheetFirst);
  for (const name of Object.keys(zip.files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))) {
    const xml = await zip.file(name)!.async("string");
    out[name] = hashed.test(xml);
  }
  return out;
}

beforeAll(() => {
  expect(cli(["chay-thu", "--thu-muc", dir]).code).toBe(0);
});

describe("khoa", () => {
  it("locks the year: every sheet protected with the password, fingerprints, the report", async () => {
    const out = join(dir, "khoa");
    const r = cli(["khoa", filled, "--ra", out, "--cum", DEF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Đã khóa số liệu năm 2020 của 5\/5 trường\./);
    expect(r.stdout).toMatch(/Mã kiểm tra toàn cụm: [0-9a-f]{12} \(đầy đủ: [0-9a-f]{64}\)\./);
    const password = /Mật khẩu bảo vệ các trang \(chỉ in một lần, hãy lưu lại\): [A-Za-z2-9]{14}/;
    expect(r.stdout).toMatch(password);
    const p = await protections(join(out, "tong-hop-da-khoa.xlsx"));
    // three summary sheets, the lock record, the locked figures, the locked definition
    expect(Object.keys(p)).toHaveLength(6);
    expect(Object.values(p).every(Boolean)).toBe(true);
    const docx = await JSZip.loadAsync(readFileSync(join(out, "bao-cao-tong-ket.docx")));
    const short = /Mã kiểm tra toàn cụm: ([0-9a-f]{12})/.exec(r.stdout)![1];
    expect(await docx.file("word/document.xml")!.async("string")).toContain(
      `Mã kiểm tra toàn vẹn số liệu đã khóa: ${short}.`,
    );
    const again = cli(["khoa", filled, "--ra", join(dir, "khoa2"), "--cum", DEF, "--mat-khau", "bí mật"]);
    expect(again.stdout).not.toMatch(/Mật khẩu bảo vệ/);
    // The locked workbook reads alone years later: the period review takes it with no definition given.
    const period = cli([
      "tong-ket-giai-doan",
      join(out, "tong-hop-da-khoa.xlsx"),
      "--tu",
      "2020",
      "--den",
      "2020",
      "--ra",
      join(dir, "giai-doan.xlsx"),
    ]);
    expect(period.code, period.stderr).toBe(0);
    expect(period.stdout).toContain("Năm 2020, các trường trong Cụm thi đua số 7");
    expect(period.stdout).toContain("261 lớp với 19.082 học viên");
  });
  it("refuses files with errors, a missing school unless named exactly, and two files for one school", () => {
    const partial = join(dir, "thieu");
    const files = ["2020-DNO.xlsx", "2020-KTU.xlsx", "2020-GLA.xlsx", "2020-DLK.xlsx"];
    const args = files.map((f) => join(filled, f));
    const a = cli(["khoa", ...args, "--ra", partial, "--cum", DEF]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(
      /Còn 1 trường chưa có số liệu: LDO\. Hãy bổ sung, hoặc khóa có ghi rõ: --cho-phep-thieu LDO\./,
    );
    expect(cli(["khoa", ...args, "--ra", partial, "--cum", DEF, "--cho-phep-thieu", "GLA"]).code).toBe(1);
    const b = cli(["khoa", ...args, "--ra", partial, "--cum", DEF, "--cho-phep-thieu", "ldo"]);
    expect(b.code, b.stderr).toBe(0);
    const c = cli(["khoa", ...args, args[0]!.replace("DNO", "DLK"), "--ra", partial, "--cum", DEF]);
    expect(c.code).toBe(1);
  });
});

describe("xac-minh", () => {
  const out = join(dir, "khoa-xm");
  const locked = join(out, "tong-hop-da-khoa.xlsx");
  beforeAll(() => {
    expect(cli(["khoa", filled, "--ra", out, "--cum", DEF]).code).toBe(0);
  });
  it("says every file still matches", () => {
    const r = cli(["xac-minh", locked, filled, "--cum", DEF]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Mọi tệp khớp với số liệu đã khóa lúc/);
  });
  it("names exactly the cell changed after the lock", async () => {
    const changed = join(mkdtempSync(join(tmpdir(), "doi-")), "2020-GLA.xlsx");
    writeFileSync(
      changed,
      await fill(new Uint8Array(readFileSync(join(filled, "2020-GLA.xlsx"))), { HOITHAO: { achieved: 6 } }),
    );
    const r = cli(["xac-minh", locked, changed, "--cum", DEF]);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split("\n")
      .filter((l) => l.includes("khi khóa"));
    expect(lines).toHaveLength(1);
    const cell = `2020-GLA\\.xlsx › Gia Lai!${figureCell(loadDefinitionFile(DEF), "HOITHAO", "achieved")}`;
    const change = 'chỉ tiêu HOITHAO, cột Thực hiện: khi khóa "5", nay "6"\\.';
    expect(lines[0]).toMatch(new RegExp(`${cell}: ${change}`));
  });
  it("finds a locked workbook that was edited behind the password", async () => {
    const zip = await JSZip.loadAsync(readFileSync(locked));
    const name = Object.keys(zip.files).find((f) => f === "xl/sharedStrings.xml")!;
    const xml = await zip.file(name)!.async("string");
    // Đắk Nông's first target was locked as [40, 42]: make the stored copy say 43.
    const lop = "[&quot;LOP&quot;,40,42,";
    expect(xml).toContain(lop);
    zip.file(name, xml.replace(lop, "[&quot;LOP&quot;,40,43,"));
    const forged = join(dir, "gia-mao.xlsx");
    writeFileSync(forged, await zip.generateAsync({ type: "uint8array" }));
    const r = cli(["xac-minh", forged, filled, "--cum", DEF]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bảng đã khóa đã bị sửa/);
  });
  it.runIf(hasLo)(
    "keeps the protection and still verifies after the locked workbook is re-saved by LibreOffice",
    async () => {
      const resaved = convert(locked, "xlsx:Calc MS Excel 2007 XML", join(dir, "lo"));
      const p = await protections(resaved);
      expect(Object.values(p).length).toBeGreaterThanOrEqual(5);
      expect(Object.values(p).every(Boolean)).toBe(true);
      const r = cli(["xac-minh", resaved, filled, "--cum", DEF]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      rmSync(join(dir, "lo"), { recursive: true, force: true });
    },
  );
});
