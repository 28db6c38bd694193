import ExcelJS from "exceljs";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFINITION_SHEET, SNAPSHOT_SHEET } from "../../src/core/sheets/lock-layout";
import { cli } from "../helpers/cli";
import { sha256 } from "../../src/cli/io/hash";
import { canonicalReview, savedReviewText } from "../../src/core/review/record";
import { readLockedYear } from "../../src/cli/io/locked-year";
import { sampleReview } from "../../src/cli/demo/demo-academy";
import { yearAwards } from "../../src/core/period/awards";
import { lockSampleYears } from "../helpers/locked-years";

let dir: string;
let files: Record<number, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "giai-doan-"));
  files = await lockSampleYears(join(dir, "khoa"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function editSheet(path: string, sheet: string, edit: (text: string) => string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  const cell = wb.getWorksheet(sheet)!.getCell("A1");
  cell.value = edit(String(cell.value));
  writeFileSync(path, new Uint8Array(await wb.xlsx.writeBuffer()));
}

describe("cum-thi-dua tong-ket-giai-doan", () => {
  it("reviews 2021–2025 from the locked years: workbook, JSON and report", () => {
    const out = join(dir, "ra");
    const r = cli([
      "tong-ket-giai-doan",
      join(dir, "khoa"),
      "--tu",
      "2021",
      "--den",
      "2025",
      "--ra",
      join(out, "giai-doan.xlsx"),
      "--json",
      join(out, "giai-doan.json"),
      "--bao-cao",
      join(out, "bao-cao.docx"),
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Trong 5 năm \(2021–2025\), các trường trong Cụm thi đua/m);
    const quangNgaiHead = /Trường Chính trị tỉnh Quảng Ngãi \(gồm cả /.source;
    const quangNgai = new RegExp(quangNgaiHead + /Trường Chính trị tỉnh Kon Tum đến 30\/06\/2025\)/.source);
    expect(r.stdout).toMatch(quangNgai);
    for (const f of ["giai-doan.xlsx", "giai-doan.json", "bao-cao.docx"])
      expect(existsSync(join(out, f)), f).toBe(true);
    const json = JSON.parse(readFileSync(join(out, "giai-doan.json"), "utf8"));
    expect(json.years).toEqual([2021, 2022, 2023, 2024, 2025]);
  });

  it("refuses a year whose locked figures were changed, naming it", async () => {
    const copy = join(dir, "sua");
    cpSync(join(dir, "khoa"), copy, { recursive: true });
    await editSheet(join(copy, "2022", "tong-hop-da-khoa.xlsx"), SNAPSHOT_SHEET, (t) =>
      t.replace(/\d+/, (n) => String(Number(n) + 1)),
    );
    const r = cli(["tong-ket-giai-doan", copy, "--tu", "2021", "--den", "2025", "--ra", join(dir, "x.xlsx")]);
    expect(r.code).toBe(1);
    const lockedEditedHead = /2022[/\\]tong-hop-da-khoa\.xlsx: .*/.source;
    const lockedEditedTail = /đã bị sửa sau khi khóa.* không dùng được năm 2022/.source;
    const lockedEdited = new RegExp(lockedEditedHead + lockedEditedTail);
    expect(r.stderr).toMatch(lockedEdited);
    expect(existsSync(join(dir, "x.xlsx"))).toBe(false);
  });

  it("refuses a year whose stored definition was changed", async () => {
    const copy = join(dir, "sua-dinh-nghia", "2024");
    cpSync(join(dir, "khoa", "2024"), copy, { recursive: true });
    const changed = join(copy, "tong-hop-da-khoa.xlsx");
    await editSheet(changed, DEFINITION_SHEET, (t) => t.replace('"kind":"count"', '"kind":"percent"'));
    const r = cli(["tong-ket-giai-doan", changed, "--tu", "2024", "--den", "2024", "--ra", join(dir, "y.xlsx")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2024[/\\]tong-hop-da-khoa\.xlsx: .*đã bị sửa/);
  });

  it("refuses a summary that was never locked, naming the file", () => {
    const out = join(dir, "chua-khoa.xlsx");
    const made = cli(["tong-hop", join(dir, "khoa", "2023"), "--ra", join(dir, "bo-qua.xlsx")]);
    expect(made.code, made.stderr).toBe(1);
    writeFileSync(out, readFileSync(join(dir, "bo-qua.xlsx")));
    const r = cli([
      "tong-ket-giai-doan",
      files[2021]!,
      out,
      "--tu",
      "2021",
      "--den",
      "2021",
      "--ra",
      join(dir, "z.xlsx"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/chua-khoa\.xlsx: chưa được khóa \(không có trang "Khóa số liệu"\)/);
  });

  it("lich-su shows a joining school the cluster's past under the names of the time", () => {
    const r = cli(["lich-su", join(dir, "khoa"), "--truong", "DNG"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const heading = /^Trường Chính trị thành phố Đà Nẵng — lịch sử Cụm thi đua .*, 2021–2025$/m;
    expect(r.stdout).toMatch(heading);
    const headHead = "Cụm trưởng: Trường Chính trị tỉnh Bình Định ";
    const head = headHead + "(nay thuộc Trường Chính trị tỉnh Gia Lai)";
    expect(r.stdout).toContain(head);
  });

  it("reads the awards from the review record beside a locked year, and refuses an edited or underived record", async () => {
    const copy = join(dir, "binh-xet");
    cpSync(join(dir, "khoa"), copy, { recursive: true });
    const lockedFile = readdirSync(join(copy, "2023"))
      .filter((f) => f.endsWith(".xlsx"))
      .map((f) => join(copy, "2023", f))[0]!;
    const year = await readLockedYear(lockedFile);
    const record = sampleReview(year.definition, year.verdict.ranking, year.fingerprint, "2023-11-20");
    const file = join(copy, "2023", "ket-qua-binh-xet.json");
    writeFileSync(file, savedReviewText(record, sha256).text);
    const args = ["tong-ket-giai-doan", copy, "--tu", "2021", "--den", "2025", "--ra", join(dir, "bx.xlsx")];
    const r = cli([...args, "--json", join(dir, "bx.json"), "--ghi-de"]);
    expect(r.code, r.stderr).toBe(0);
    const awards = JSON.parse(readFileSync(join(dir, "bx.json"), "utf8")).records[2].awards;
    const nameOf = (code: string) => year.definition.schools.find((s) => s.code === code)!.name;
    const expected = yearAwards(record)!.map((a) => ({
      name: a.name,
      schools: a.schools.map((code) => ({ code, name: nameOf(code) })),
    }));
    expect(expected.length).toBeGreaterThan(0);
    expect(awards).toEqual(expected);

    // Edited after it was saved: its own code no longer matches.
    const other = year.definition.schools.find((s) => s.code !== record.result.nextHead)!.code;
    const edited = { ...record, result: { ...record.result, nextHead: other } };
    writeFileSync(file, JSON.stringify({ fingerprint: sha256(canonicalReview(record)), record: edited }));
    const refusedEdit = cli([...args, "--ghi-de"]);
    expect(refusedEdit.code).toBe(1);
    expect(refusedEdit.stderr).toMatch(/ket-qua-binh-xet\.json: nội dung biên bản bình xét không khớp mã kiểm tra/);

    // Edited and saved again with a fresh code: the code matches, but the result no longer follows from the tally.
    writeFileSync(file, savedReviewText(edited, sha256).text);
    const refusedResult = cli([...args, "--ghi-de"]);
    expect(refusedResult.code).toBe(1);
    expect(refusedResult.stderr).toMatch(
      /ket-qua-binh-xet\.json: biên bản khớp mã kiểm tra \w+ nhưng kết quả không theo/,
    );
  });

  it("refuses a missing year of the period", () => {
    const r = cli([
      "tong-ket-giai-doan",
      files[2021]!,
      files[2023]!,
      "--tu",
      "2021",
      "--den",
      "2023",
      "--ra",
      join(dir, "w.xlsx"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Thiếu bảng đã khóa của năm 2022 trong giai đoạn 2021–2023/);
  });
});
