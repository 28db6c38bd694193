import ExcelJS from "exceljs";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockNational, NATIONAL_2026 } from "../../src/cli/demo/demo-academy";
import { sha256 } from "../../src/cli/io/hash";
import { canonicalReview, savedReviewText, type ReviewRecord } from "../../src/core/review/record";
import { SNAPSHOT_SHEET } from "../../src/core/sheets/lock-layout";
import { SUMMARY_SHEET } from "../../src/core/sheets/summary-layout";
import { templateBuffer } from "../../src/excel/template";
import { cli } from "../helpers/cli";
import { docxText } from "../helpers/docx-text";
import { convert, libreOfficeOrSkip } from "../helpers/libreoffice";
import { sampleDefinition } from "../helpers/samples";
import { lockSampleYears } from "../helpers/locked-years";

let dir: string;
let locked: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hoc-vien-"));
  locked = join(dir, "cac-cum");
  await lockNational(locked);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outputs = (out: string) => [
  "--ra",
  join(out, "th.xlsx"),
  "--json",
  join(out, "th.json"),
  "--bao-cao",
  join(out, "bc.docx"),
];
const nothingWritten = (out: string) => expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);

/** A copy of the national folders, for one test to spoil. */
function copyOf(name: string): string {
  const copy = join(dir, name);
  cpSync(locked, copy, { recursive: true });
  return copy;
}

describe("cum-thi-dua tong-hop-hoc-vien over the bundled 2026 clusters", () => {
  let json: {
    year: number;
    clusters: { id: string; fingerprint: string; reviewFingerprint?: string }[];
    targets: {
      code: string;
      summed: boolean;
      total?: { achieved: { sum: number } };
      byCluster: ({ achieved: { method: string; sum?: number } } | null)[];
    }[];
    review: { govFlag: { pool: number; seats: number; outcomes: { outcome: string; line: string }[] } };
  };
  const out = () => join(dir, "ra");

  beforeAll(() => {
    const r = cli(["tong-hop-hoc-vien", locked, "--binh-xet", locked, "--ngay", "15/12/2026", ...outputs(out())]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    json = JSON.parse(readFileSync(join(out(), "th.json"), "utf8"));
  }, 120_000);

  it("prints and writes national totals equal to the sum of the clusters' locked totals", () => {
    expect(json.year).toBe(2026);
    expect(json.clusters.map((c) => c.id).sort()).toEqual([...NATIONAL_2026].sort());
    const lop = json.targets.find((t) => t.code === "LOP")!;
    const perCluster = lop.byCluster.map((c) => c!.achieved.sum!);
    expect(lop.total!.achieved.sum).toBe(perCluster.reduce((a, b) => a + b, 0));
    for (const t of json.targets.filter((x) => x.summed))
      expect(t.total!.achieved.sum).toBe(t.byCluster.reduce((n, c) => n + (c ? c.achieved.sum! : 0), 0));
    expect(json.targets.find((t) => t.code === "HTTNV")!.summed).toBe(false);
    for (const c of json.clusters) expect(c.reviewFingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("caps the Government's flag over the six leaders with one line per outcome", () => {
    const gov = json.review.govFlag;
    expect(gov.pool).toBe(6);
    expect(gov.seats).toBe(1);
    expect(gov.outcomes.map((o) => o.outcome)).toEqual(["proposed", ...Array(5).fill("overCap")]);
  });

  it("the workbook has the national totals, the clusters and the proposals", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(out(), "th.xlsx")) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Toàn Học viện", "Theo Cụm", "Các Cụm", "Đề nghị khen thưởng"]);
    const total = wb.getWorksheet("Toàn Học viện")!;
    const lopRow = total.getRows(4, 20)!.find((r) => String(r.getCell(2).value).startsWith("Số lớp"))!;
    expect(lopRow.getCell(5).value).toBe(json.targets.find((t) => t.code === "LOP")!.total!.achieved.sum);
  });

  it("the report, read from the .docx XML: the national sentence, the clusters, each outcome's line", async () => {
    const text = await docxText(join(out(), "bc.docx"));
    expect(text).toMatch(
      /Năm 2026, 34 trường chính trị trong 6 Cụm thi đua đã quản lý, đào tạo, bồi dưỡng 1\.542 lớp với [\d.]+ học viên/,
    );
    expect(text).toContain("HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH");
    expect(text).toContain("Hà Nội, ngày 15 tháng 12 năm 2026");
    expect(text).toContain("Cờ thi đua của Chính phủ");
    for (const o of json.review.govFlag.outcomes) expect(text).toContain(o.line);
  });

  it("the report survives a LibreOffice round trip with its text", async () => {
    if (!libreOfficeOrSkip()) return;
    const back = convert(join(out(), "bc.docx"), "docx:MS Word 2007 XML", join(dir, "lo"));
    const text = await docxText(back);
    expect(text).toContain("Tổng hợp kết quả thi đua của các Cụm thi đua các trường chính trị năm 2026");
    expect(text).toContain(json.review.govFlag.outcomes[0]!.line);
  }, 180_000);

  it("an existing roll-up is replaced only with --ghi-de, the earlier one kept beside", () => {
    const args = ["tong-hop-hoc-vien", locked, "--ra", join(out(), "th.xlsx")];
    const before = readFileSync(join(out(), "th.xlsx"));
    const again = cli(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/th\.xlsx.*--ghi-de/);
    expect(readFileSync(join(out(), "th.xlsx")).equals(before)).toBe(true);
    const replaced = cli([...args, "--ghi-de"]);
    expect(replaced.code).toBe(0);
    const kept = readdirSync(out()).filter((f) => /^th\.truoc-\d{8}-\d{6}\.xlsx$/.test(f));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(out(), kept[0]!)).equals(before)).toBe(true);
  });

  it("--json - writes the JSON to standard output and the rest to the error stream", () => {
    const r = cli(["tong-hop-hoc-vien", locked, "--ra", join(dir, "stdout", "th.xlsx"), "--json", "-"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).clusters).toHaveLength(6);
    expect(r.stderr).toMatch(/TỔNG HỢP KẾT QUẢ THI ĐUA CÁC CỤM/);
  });
});

describe("refusals, by name, with nothing written", () => {
  const refused = (args: string[], message: RegExp, code = 1) => {
    const out = join(dir, `ra-${Math.random().toString(36).slice(2)}`);
    const r = cli(["tong-hop-hoc-vien", ...args, ...outputs(out)]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(code);
    nothingWritten(out);
  };

  it("a locked year edited after the lock: its kept figures, or a figure on a visible sheet", async () => {
    const edit = async (copy: string, sheet: string, change: (ws: ExcelJS.Worksheet) => void) => {
      const file = join(copy, "dong-nam-bo-2026", "tong-hop-da-khoa.xlsx");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
      change(wb.getWorksheet(sheet)!);
      writeFileSync(file, new Uint8Array(await wb.xlsx.writeBuffer()));
    };
    const kept = copyOf("sua");
    await edit(kept, SNAPSHOT_SHEET, (ws) => {
      const cell = ws.getCell("A1");
      cell.value = String(cell.value).replace(/\d+/, (n) => String(Number(n) + 1));
    });
    refused([kept], /dong-nam-bo-2026[/\\]tong-hop-da-khoa\.xlsx: .*đã bị sửa sau khi khóa/);
    const shown = copyOf("sua-tong-hop");
    await edit(shown, SUMMARY_SHEET, (ws) => {
      // The national sample's first count, Số lớp: Toàn cụm Thực hiện, as the clerk would retype it.
      const row = ws.getRows(1, ws.rowCount)!.find((r) => r.getCell(2).value === "LOP")!;
      const cell = row.getCell(6);
      cell.value = Number(cell.value) + 1;
    });
    refused(
      [shown],
      new RegExp(
        /dong-nam-bo-2026[/\\]tong-hop-da-khoa\.xlsx: .*đã bị sửa sau khi khóa.*\n/.source +
          /.*Tổng hợp!F\d+: theo số liệu lưu khi khóa là "165"/.source,
      ),
    );
  });

  it("an unlocked file and a foreign file", async () => {
    const def = sampleDefinition("dong-nam-bo-2026");
    const school = join(dir, "truong.xlsx");
    writeFileSync(school, await templateBuffer(def, def.schools[0]!));
    refused([locked, school], /truong\.xlsx: chưa được khóa/);
    const foreign = join(dir, "la.xlsx");
    writeFileSync(foreign, "không phải tệp Excel");
    refused([locked, foreign], /la\.xlsx: Tệp không phải là tệp Excel \.xlsx/);
  });

  it("one cluster given twice", () => {
    const twice = join(dir, "hai-lan");
    mkdirSync(twice, { recursive: true });
    cpSync(join(locked, "bac-trung-bo-2026", "tong-hop-da-khoa.xlsx"), join(twice, "ban-sao.xlsx"));
    refused([locked, twice], /khu vực Bắc Trung bộ năm 2026 được đưa vào hai lần: .*bac-trung-bo-2026.*ban-sao\.xlsx/);
  });

  it("clusters of different years", async () => {
    const older = join(dir, "nam-2025");
    await lockSampleYears(older, [2025]);
    refused([locked, older], /Các Cụm không cùng một năm: .* là năm 2026, .*Nam Trung bộ và Tây Nguyên .* là năm 2025/);
  });

  it("a school claimed by two clusters", async () => {
    const { freezeFigures, lockedWorkbook } = await import("../../src/cli/year/lock");
    const { sampleSubmissions } = await import("../helpers/samples");
    const def = sampleDefinition("dong-nam-bo-2026");
    const subs = sampleSubmissions(def);
    const twin = { ...def, id: "cum-moi-2026", name: "Cụm thi đua thử" };
    const frozen = freezeFigures(
      twin,
      subs.map((s) => s.figures!),
    );
    const folder = join(dir, "cum-moi");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "tong-hop-da-khoa.xlsx"), await lockedWorkbook(twin, frozen, [], "x", new Date()));
    refused(
      [locked, folder],
      /Trường Cán bộ Thành phố Hồ Chí Minh \(mã HCM\) có tên trong cả hai Cụm: .*Đông Nam bộ.* và Cụm thi đua thử/,
    );
  });

  it("a review record changed after the meeting", () => {
    const copy = copyOf("bien-ban-sua");
    const file = join(copy, "dong-nam-bo-2026", "ket-qua-binh-xet.json");
    const saved = JSON.parse(readFileSync(file, "utf8"));
    saved.record.result.awards.govFlag = [...saved.record.result.awards.govFlag, "BDU"];
    writeFileSync(file, JSON.stringify(saved));
    refused([locked, "--binh-xet", copy], /ket-qua-binh-xet\.json: nội dung biên bản bình xét không khớp mã kiểm tra/);
  });

  it("a review record saved again with a fresh code whose result no longer follows from its tally", () => {
    const copy = copyOf("bien-ban-tinh-lai");
    const file = join(copy, "dong-nam-bo-2026", "ket-qua-binh-xet.json");
    const saved = JSON.parse(readFileSync(file, "utf8"));
    const record: ReviewRecord = saved.record;
    const extra = record.candidates.find(
      (c) => c.item === "govFlag" && !record.result.awards.govFlag.includes(c.school),
    );
    expect(extra).toBeDefined();
    record.result.awards.govFlag = [...record.result.awards.govFlag, extra!.school];
    writeFileSync(file, savedReviewText(record, sha256).text);
    refused(
      [locked, "--binh-xet", copy],
      /ket-qua-binh-xet\.json: biên bản khớp mã kiểm tra \w+ nhưng kết quả không theo từ kết quả kiểm phiếu/,
    );
  });

  it("a review record that is not a plain file is refused, not waited on", () => {
    const fifo = join(dir, "ket-qua-binh-xet.json");
    execFileSync("mkfifo", [fifo]);
    refused([locked, "--binh-xet", fifo], /ket-qua-binh-xet\.json/);
    rmSync(fifo);
  });

  it("a review record of a cluster not given, and two records for one cluster", () => {
    const stray = join(dir, "bien-ban-la.json");
    const saved = JSON.parse(readFileSync(join(locked, "dong-nam-bo-2026", "ket-qua-binh-xet.json"), "utf8"));
    const record: ReviewRecord = { ...saved.record, cluster: "cum-khac-2026" };
    writeFileSync(stray, JSON.stringify({ fingerprint: sha256(canonicalReview(record)), record }));
    refused(
      [locked, "--binh-xet", stray],
      /bien-ban-la\.json: biên bản bình xét của cụm "cum-khac-2026" năm 2026, không thuộc/,
    );
    const second = join(dir, "ban-sao-bien-ban.json");
    cpSync(join(locked, "dong-nam-bo-2026", "ket-qua-binh-xet.json"), second);
    refused([locked, "--binh-xet", locked, "--binh-xet", second], /Đông Nam bộ có hai biên bản bình xét: /);
  });

  it("an output over an input", () => {
    const input = join(locked, "bac-trung-bo-2026", "tong-hop-da-khoa.xlsx");
    const before = readFileSync(input);
    const r = cli(["tong-hop-hoc-vien", locked, "--ra", input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ra .* chính là tệp đầu vào/);
    expect(readFileSync(input).equals(before)).toBe(true);
  });
});
