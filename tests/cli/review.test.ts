import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalReview, type ReviewRecord } from "../../src/core/review/record";
import { DEFAULT_RULE_SETS } from "../../src/core/review/rules";
import { ITEM_CODE } from "../../src/core/sheets/tally-layout";
import type { ReviewItem } from "../../src/core/review/candidates";
import { cli, cliAt } from "../helpers/cli";
import { convert, libreOfficeOrSkip } from "../helpers/libreoffice";
import { VOTES_2023 } from "../helpers/review";
import { docxText } from "../helpers/docx-text";

const dir = mkdtempSync(join(tmpdir(), "binh-xet-"));
const locked = join(dir, "khoa", "tong-hop-da-khoa.xlsx");
const template = join(dir, "mau", "kiem-phieu.xlsx");
const rulesFile = join(dir, "quy-tac.json");
const hasLo = libreOfficeOrSkip();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Fill {
  votes?: Record<ReviewItem, Record<string, number>>;
  marks?: { item: ReviewItem; school: string; voters: string[] };
}

/** The vote-counting board's work: QNG absent, 9 ballots per item, the votes of the 2023 meeting. */
async function fillTally(name: string, fill: Fill = {}): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const ws = wb.getWorksheet("Kiểm phiếu")!;
  const votes = fill.votes ?? VOTES_2023;
  const itemOf = (code: unknown) => (Object.keys(ITEM_CODE) as ReviewItem[]).find((i) => ITEM_CODE[i] === code);
  let table = "";
  const voterCol = new Map<string, number>();
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const a = row.getCell(1).value;
    if (a === "Thư ký") row.getCell(2).value = "Trần Thị Thư Ký";
    if (a === "Ban kiểm phiếu") row.getCell(2).value = "Phan Văn Huệ; Đặng Luận";
    if (a === "Mã trường") table = "present";
    else if (a === "Mã mục" && row.getCell(3).value === "Phát ra") table = "ballots";
    else if (a === "Mã mục" && row.getCell(3).value === "Mã trường") {
      table = "votes";
      row.eachCell((c, col) => {
        const m = /^Phiếu của (\w+)$/.exec(String(c.value));
        if (m) voterCol.set(m[1]!, col);
      });
    } else if (!a) table = "";
    else if (table === "present" && a === "QNG") row.getCell(3).value = "Vắng";
    else if (table === "ballots") [9, 9, 9, 0].forEach((n, i) => (row.getCell(3 + i).value = n));
    else if (table === "votes") {
      const item = itemOf(a)!;
      const school = String(row.getCell(3).value);
      row.getCell(6).value = votes[item][school] ?? 0;
      if (fill.marks && fill.marks.item === item && fill.marks.school === school)
        for (const v of fill.marks.voters) row.getCell(voterCol.get(v)!).value = "x";
    }
  }
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

beforeAll(() => {
  expect(cli(["chay-thu", "--thu-muc", dir]).code).toBe(0);
  const filled = join(dir, "nam-trung-bo-tay-nguyen-2023", "da-dien");
  // Quảng Ngãi's demo file is wrong on purpose: the year is locked without it.
  const files = readdirSync(filled)
    .filter((f) => f.endsWith(".xlsx") && !f.includes("QNG"))
    .map((f) => join(filled, f));
  // Locked on 15/11/2023, before the meeting of 20/11/2023 that reviews it.
  const lockArgs = ["khoa", ...files, "--ra", join(dir, "khoa"), "--mat-khau", "x", "--cho-phep-thieu", "QNG"];
  expect(cliAt("2023-11-15T03:00:00Z", lockArgs).code).toBe(0);
  // This cluster's Quy chế: two leaders; the Academy counts the Government's flag over its five clusters' leaders.
  const sets = structuredClone(DEFAULT_RULE_SETS);
  for (const s of sets) {
    s.params.leadersPerCluster.value = 2;
    s.params.govFlagLeaderBase.value = 5;
  }
  writeFileSync(rulesFile, JSON.stringify(sets));
  const r = cli([
    "binh-xet",
    locked,
    "--mau-phieu",
    template,
    "--ngay",
    "20/11/2023",
    "--quy-tac",
    rulesFile,
    "--them",
    "BK_HV:GLA:Đăng cai Hội thao khu vực",
  ]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe("binh-xet --mau-phieu", () => {
  it("writes the count workbook with the candidates from the ranking and the ballots", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    const rows: string[] = [];
    wb.getWorksheet("Kiểm phiếu")!.eachRow((row) =>
      rows.push([1, 2, 3, 4, 5].map((c) => String(row.getCell(c).value ?? "")).join("|")),
    );
    expect(rows).toContain(
      "DAN_DAU|Đơn vị dẫn đầu Cụm thi đua năm 2023|LDO|Trường Chính trị tỉnh " +
        "Lâm Đồng|xếp hạng 1 (79,31 điểm) trong bảng xếp hạng năm 2023",
    );
    expect(rows).toContain(
      "BK_HV|Bằng khen của Giám đốc Học viện Chính trị quốc gia Hồ Chí " +
        "Minh|GLA|Trường Chính trị tỉnh Gia Lai|Cụm trưởng bổ sung: Đăng cai Hội " +
        "thao khu vực",
    );
    expect(rows).toContain("Thêm|BK_HV|GLA|Đăng cai Hội thao khu vực|");
    expect(rows).toContain("Ngày họp|20/11/2023|||");
    const xml = await (
      await JSZip.loadAsync(readFileSync(join(dir, "mau", "phieu-bau.docx")))
    )
      .file("word/document.xml")!
      .async("string");
    expect(xml.match(/PHIẾU BẦU/g)).toHaveLength(1);
    expect(xml).toContain("In 10 bản, mỗi trường có mặt nhận một phiếu.");
  });
  it("writes the default rules for the cluster to edit, and names a wrong value when they come back", () => {
    const file = join(dir, "mac-dinh.json");
    const r = cli(["binh-xet", "--xuat-quy-tac", file]);
    expect(r.code, r.stderr).toBe(0);
    const sets = JSON.parse(readFileSync(file, "utf8"));
    expect(sets).toEqual(DEFAULT_RULE_SETS);
    sets[0].params.passShare.value = 5;
    const broken = join(dir, "sai.json");
    writeFileSync(broken, JSON.stringify(sets));
    const bad = cli(["binh-xet", locked, "--mau-phieu", join(dir, "y.xlsx"), "--quy-tac", broken]);
    expect(bad.code).toBe(1);
    const badRulesHead = "sai.json: Quy tắc bình xét không hợp lệ:\n  - mục ";
    const badRules = badRulesHead + '"[0].params.passShare.value" (tỷ lệ phiếu cần đạt)';
    expect(bad.stderr).toContain(badRules);
    expect(existsSync(join(dir, "y.xlsx"))).toBe(false);
  });
  it("refuses a change without a reason", () => {
    const r = cli([
      "binh-xet",
      locked,
      "--mau-phieu",
      join(dir, "x.xlsx"),
      "--them",
      "BK_HV:KHH:",
      "--quy-tac",
      rulesFile,
      "--ngay",
      "20/11/2023",
    ]);
    expect(r.code).toBe(1);
    const noReasonHead = "Thêm KHH (Bằng khen của Giám đốc Học viện Chính trị quốc gia ";
    const noReason = noReasonHead + "Hồ Chí Minh): cần ghi lý do.";
    expect(r.stderr).toContain(noReason);
    expect(existsSync(join(dir, "x.xlsx"))).toBe(false);
  });
});

describe("binh-xet --phieu", () => {
  const out = join(dir, "ket-qua");
  let stdout = "";
  beforeAll(async () => {
    const r = cli(["binh-xet", locked, "--phieu", await fillTally("dung.xlsx"), "--ra", out, "--quy-tac", rulesFile]);
    expect(r.code, r.stderr).toBe(0);
    stdout = r.stdout;
  }, 60_000);

  it("explains the result and writes the documents and the fingerprinted record", () => {
    expect(stdout).toContain("Trường Chính trị tỉnh Phú Yên: 2/10 phiếu = 20 %, chưa trên 50 % → không đạt.");
    const tieBreakHead = "theo quy tắc, đơn vị có tổng điểm xếp hạng cao hơn được chọn: ";
    const tieBreak = tieBreakHead + "75,29 điểm → không đạt";
    expect(stdout).toContain(tieBreak);
    const glaLine = "Trường Chính trị tỉnh Gia Lai: 0/10 phiếu = 0 %, chưa trên 50 % → không đạt.";
    expect(stdout).toContain(glaLine);
    expect(readdirSync(out).sort()).toEqual(
      [
        "bao-cao-thanh-tich-BDI.docx",
        "bao-cao-thanh-tich-LDO.docx",
        "bao-cao-thanh-tich-PYE.docx",
        "bien-ban-hop-binh-xet.docx",
        "bien-ban-kiem-phieu.docx",
        "ket-qua-binh-xet.json",
        "to-trinh-khen-thuong.docx",
      ].sort(),
    );
    const saved = JSON.parse(readFileSync(join(out, "ket-qua-binh-xet.json"), "utf8")) as {
      fingerprint: string;
      record: ReviewRecord;
    };
    expect(createHash("sha256").update(canonicalReview(saved.record)).digest("hex")).toBe(saved.fingerprint);
    expect(stdout).toContain(`mã kiểm tra ${saved.fingerprint.slice(0, 12)}`);
    expect(saved.record.result.nextHead).toBe("KTU");
    expect(saved.record.result.handover).toEqual({ from: "DLK", to: "KTU", date: "2023-11-20" });
    expect(saved.record.changes).toEqual([
      { action: "add", item: "academyMerit", school: "GLA", reason: "Đăng cai Hội thao khu vực" },
    ]);
  });

  it("refuses more votes than valid ballots, naming the cell, and writes nothing", async () => {
    const file = await fillTally("qua-phieu.xlsx", { votes: { ...VOTES_2023, govFlag: { LDO: 10, PYE: 0, KTU: 0 } } });
    const bad = join(dir, "ket-qua-sai");
    const r = cli(["binh-xet", locked, "--phieu", file, "--ra", bad, "--quy-tac", rulesFile]);
    expect(r.code).toBe(1);
    const cell = /qua-phieu\.xlsx › Kiểm phiếu!F\d+: /.source;
    const ldo = /Trường Chính trị tỉnh Lâm Đồng: /.source;
    const tooManyVotesHead = cell + /Cờ thi đua của Chính phủ, /.source + ldo;
    const tooManyVotesTail = /10 phiếu đồng ý, nhiều hơn 9 phiếu hợp lệ\. Hãy kiểm lại\./.source;
    const tooManyVotes = new RegExp(tooManyVotesHead + tooManyVotesTail);
    expect(r.stderr).toMatch(tooManyVotes);
    expect(existsSync(bad)).toBe(false);
  });

  it("refuses a school marking itself, naming the mark's cell", async () => {
    const file = await fillTally("tu-bau.xlsx", {
      marks: { item: "academyMerit", school: "DNO", voters: ["DNO", "GLA", "KHH", "QNA"] },
    });
    const r = cli(["binh-xet", locked, "--phieu", file, "--ra", join(dir, "ket-qua-tu-bau"), "--quy-tac", rulesFile]);
    expect(r.code).toBe(1);
    const cell = /tu-bau\.xlsx › Kiểm phiếu!\w+\d+: /.source;
    const award = /Bằng khen của Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh: /.source;
    const dno = /Trường Chính trị tỉnh Đắk Nông /.source;
    const selfVote = /bầu cho chính mình, điều Quy chế không cho phép/.source;
    expect(r.stderr).toMatch(new RegExp(cell + award + dno + selfVote));
  });

  it("xac-minh covers the record: it matches the locked year, and an edit after the meeting is caught", () => {
    const record = join(out, "ket-qua-binh-xet.json");
    // The meeting used the cluster's own rules: the result is derived again under them.
    const ok = cli(["xac-minh", locked, "--binh-xet", record, "--quy-tac", rulesFile]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/biên bản bình xét khớp mã kiểm tra [0-9a-f]{12} và số liệu đã khóa; kết quả tính lại/);
    const edited = join(dir, "sua.json");
    writeFileSync(edited, readFileSync(record, "utf8").replace('"nextHead": "KTU"', '"nextHead": "BDI"'));
    const bad = cli(["xac-minh", locked, "--binh-xet", edited, "--quy-tac", rulesFile]);
    expect(bad.code).toBe(1);
    const recordEditedHead = /nội dung biên bản bình xét không khớp mã kiểm tra [0-9a-f]{12} /.source;
    const recordEditedTail = /\(nay là [0-9a-f]{12}\): biên bản đã bị sửa sau Hội nghị\./.source;
    const recordEdited = new RegExp(recordEditedHead + recordEditedTail);
    expect(bad.stdout).toMatch(recordEdited);
  });

  describe("the documents, read from their XML", () => {
    const text = (file: string) => docxText(join(out, file));
    // Compared without white space: a table row reads across its cells, whatever the renderer's layout.
    const has = (t: string, phrase: string) =>
      expect(t.replace(/\s+/g, "").includes(phrase.replace(/\s+/g, "")), `missing: ${phrase}`).toBe(true);

    it("the minutes of the count: the board, ballots, votes and percentages per candidate", async () => {
      const t = await text("bien-ban-kiem-phieu.docx");
      const ballots = "Số phiếu phát ra: 9; số phiếu thu về: 9; ";
      for (const s of [
        "BIÊN BẢN KIỂM PHIẾU",
        "Phan Văn Huệ - Trưởng ban",
        "Đặng Luận - Thành viên",
        ballots + "số phiếu hợp lệ: 9; số phiếu không hợp lệ: 0.",
        "Trường Chính trị tỉnh Lâm Đồng 6/10 60 % Đạt",
        "Trường Chính trị tỉnh Phú Yên 2/10 20 % Không đạt",
        "Trường Chính trị tỉnh Đắk Nông 4/10 40 % Không đạt",
      ])
        has(t, s);
    });
    it("the minutes of the meeting, the request and a school's report", async () => {
      const minutes = await text("bien-ban-hop-binh-xet.docx");
      for (const s of [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Họp bình xét thi đua năm 2023",
        "Có mặt: 9/10 trường",
        "Vắng: Trường Chính trị tỉnh Quảng Ngãi.",
        "Hình thức biểu quyết: bỏ phiếu kín",
        "Cụm trưởng năm 2024: Trường Chính trị tỉnh Kon Tum",
        "Nguyễn Thành Dũng",
        "Trần Thị Thư Ký",
      ])
        has(minutes, s);
      const request = await text("to-trinh-khen-thuong.docx");
      const cluster = "Cụm thi đua các Trường Chính trị khu vực Nam Trung bộ và Tây Nguyên";
      for (const s of [
        "TỜ TRÌNH",
        "Kính gửi: Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh",
        "Cờ thi đua của Chính phủ",
        "Trường Chính trị tỉnh Lâm Đồng, đơn vị dẫn đầu Cụm",
        `là đơn vị dẫn đầu ${cluster} năm 2023`,
        "7/10 (70 %)",
      ])
        has(request, s);
      const report = await text("bao-cao-thanh-tich-BDI.docx");
      for (const s of [
        "BÁO CÁO THÀNH TÍCH",
        "TRƯỜNG CHÍNH TRỊ",
        "TỈNH BÌNH ĐỊNH",
        "Phan Văn Huệ",
        "xếp hạng 4/9 trường",
        "7/10 phiếu (70 %)",
      ])
        has(report, s);
    });
  });

  describe.runIf(hasLo)("the documents rendered by LibreOffice", () => {
    const pages = (file: string) => {
      const pdf = convert(file, "pdf", mkdtempSync(join(dir, "bx-pdf-")));
      return Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))![1]);
    };
    it("the secret ballot: one A4 page", () => {
      expect(pages(join(dir, "mau", "phieu-bau.docx"))).toBe(1);
    });
    it("a school's achievement report: at most three pages", () => {
      expect(pages(join(out, "bao-cao-thanh-tich-BDI.docx"))).toBeLessThanOrEqual(3);
    });
  });

  it("run again into the same --ra: refused without --ghi-de; with it the earlier folder is kept whole and no report of a school no longer proposed stays", async () => {
    const tally = await fillTally("lan-hai.xlsx");
    const before = readdirSync(out).sort();
    // As if an earlier run had proposed Gia Lai: its report sits in the folder.
    writeFileSync(join(out, "bao-cao-thanh-tich-GLA.docx"), "báo cáo của lần chạy trước");
    const refused = cli(["binh-xet", locked, "--phieu", tally, "--ra", out, "--quy-tac", rulesFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Đã có ".*ket-qua"; không ghi đè khi không có --ghi-de/);
    const r = cli(["binh-xet", locked, "--phieu", tally, "--ra", out, "--quy-tac", rulesFile, "--ghi-de"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(before);
    const kept = readdirSync(dir).filter((f) => f.startsWith("ket-qua.truoc-"));
    expect(kept).toHaveLength(1);
    expect(readdirSync(join(dir, kept[0]!))).toContain("bao-cao-thanh-tich-GLA.docx");
    expect(r.stdout).toMatch(/Bản trước được giữ lại: .*ket-qua\.truoc-\d{8}-\d{6}/);
  });
});
