/**
 * binh-xet takes everything dated from the year context: on the locked 2025 year with a meeting on 20/11/2025 only
 * the five schools that exist then vote, stand and sign, in Gia Lai; the meeting's day is required, not before the
 * lock; a tally's errors all come at once; the rules are blamed for what is theirs; the record's code is on the
 * signed paper.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalReview, type ReviewRecord } from "../../src/core/review/record";
import { DEFAULT_RULE_SETS } from "../../src/core/review/rules";
import { sha256 } from "../../src/cli/io/hash";
import { cli } from "../helpers/cli";
import { lockSampleYears } from "../helpers/locked-years";
import { ROOT } from "../helpers/samples";

const dir = mkdtempSync(join(tmpdir(), "binh-xet-2025-"));
const def2025 = join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2025.json");
let locked = "";
const template = join(dir, "mau", "kiem-phieu.xlsx");
const GONE = ["Kon Tum", "Bình Định", "Phú Yên", "Đắk Nông", "Quảng Nam"];

async function docText(file: string): Promise<string> {
  const xml = await (await JSZip.loadAsync(readFileSync(file))).file("word/document.xml")!.async("string");
  // Paragraph by paragraph, runs joined: the text as the document holds it, whatever a renderer's layout.
  return xml
    .split("</w:p>")
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""))
    .join("\n")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .normalize("NFC");
}

/** The board's work on the template: everyone present, ballots = schools present, 4 votes to each item's first. */
async function fill(name: string, edit: (ws: ExcelJS.Worksheet) => void = () => {}): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const ws = wb.getWorksheet("Kiểm phiếu")!;
  let table = "";
  let present = 0;
  const firstOf = new Set<string>();
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const a = row.getCell(1).value;
    if (a === "Chủ trì") row.getCell(2).value = "Nguyễn Văn Chủ Trì";
    if (a === "Thư ký") row.getCell(2).value = "Trần Thị Thư Ký";
    if (a === "Ban kiểm phiếu") row.getCell(2).value = "Lê Văn Một; Lê Văn Hai";
    if (a === "Mã trường") table = "present";
    else if (a === "Mã mục" && row.getCell(3).value === "Phát ra") table = "ballots";
    else if (a === "Mã mục" && row.getCell(3).value === "Mã trường") table = "votes";
    else if (!a) table = "";
    else if (table === "present") present++;
    else if (table === "ballots") [present, present, present, 0].forEach((n, i) => (row.getCell(3 + i).value = n));
    else if (table === "votes") {
      const item = String(a);
      row.getCell(6).value = firstOf.has(item) ? 1 : 4;
      firstOf.add(item);
    }
  }
  edit(ws);
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

let stdout = "";
beforeAll(async () => {
  locked = (await lockSampleYears(join(dir, "khoa"), [2025]))[2025]!;
  const r = cli(["binh-xet", locked, "--cum", def2025, "--mau-phieu", template, "--ngay", "20/11/2025"]);
  expect(r.code, r.stderr).toBe(0);
  stdout = r.stdout;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("binh-xet on the locked 2025 year, meeting on 20/11/2025", () => {
  it("the template and the ballots name only the schools that exist on that day, and sign in Gia Lai", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    const cells: string[] = [];
    wb.getWorksheet("Kiểm phiếu")!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? ""))));
    const text = cells.join("\n");
    for (const gone of GONE) expect(text).not.toContain(`Trường Chính trị tỉnh ${gone}`);
    expect(text).toContain("Gia Lai");
    const ballots = await docText(join(dir, "mau", "phieu-bau.docx"));
    expect(ballots).toContain("Gia Lai, ngày 20 tháng 11 năm 2025");
    for (const gone of GONE) expect(ballots).not.toContain(`Trường Chính trị tỉnh ${gone}`);
    expect(ballots).toContain("In 5 bản");
    // It says what it took from the context.
    expect(stdout).toContain("Cụm trưởng: Trường Chính trị tỉnh Gia Lai (thay Trường Chính trị tỉnh Bình Định");
    expect(stdout).toContain("Nơi ký văn bản: Gia Lai (tỉnh của trường Cụm trưởng ngày 20/11/2025).");
    expect(stdout).toContain("Văn bản áp dụng: Luật Thi đua, Khen thưởng số 06/2022/QH15 và Nghị định số 152/2025");
  });

  it("the minutes, the request and the reports: five voters, the successors as candidates, the record's code", async () => {
    const out = join(dir, "ket-qua");
    const r = cli(["binh-xet", locked, "--cum", def2025, "--phieu", await fill("dung.xlsx"), "--ra", out]);
    expect(r.code, r.stderr).toBe(0);
    const minutes = await docText(join(out, "bien-ban-hop-binh-xet.docx"));
    expect(minutes).toContain("Gia Lai, ngày 20 tháng 11 năm 2025");
    expect(minutes).toContain("Có mặt: 5/5 trường");
    expect(minutes).not.toMatch(/Bình Định, ngày/);
    expect(minutes).toContain(
      "Trường Chính trị tỉnh Kon Tum (bảng xếp hạng đã khóa) sáp nhập vào Trường Chính trị tỉnh Quảng Ngãi từ " +
        "01/07/2025; Trường Chính trị tỉnh Quảng Ngãi thay mặt trường tại Hội nghị.",
    );
    const saved = JSON.parse(readFileSync(join(out, "ket-qua-binh-xet.json"), "utf8")) as { fingerprint: string };
    const code = saved.fingerprint.slice(0, 12);
    const proof = `xac-minh <bảng đã khóa> --binh-xet ket-qua-binh-xet.json --ma ${code}`;
    expect(minutes).toContain(`mã kiểm tra ${code}`);
    expect(minutes).toContain(proof);
    const request = await docText(join(out, "to-trinh-khen-thuong.docx"));
    expect(request).toContain(proof);
    expect(request).toMatch(/Căn cứ Luật Thi đua, Khen thưởng số 06\/2022\/QH15 và Nghị định số 152\/2025/);
    const reports = readdirSync(out).filter((f) => f.startsWith("bao-cao-thanh-tich-"));
    expect(reports.length).toBeGreaterThan(0);
    for (const f of reports) expect(["DLK", "GLA", "KHH", "LDO", "QNG"]).toContain(/-(\w+)\.docx$/.exec(f)![1]);
    const record = JSON.parse(readFileSync(join(out, "ket-qua-binh-xet.json"), "utf8")).record;
    expect(record.result.quorum.members).toBe(5);
    const named = JSON.stringify(record.candidates);
    for (const gone of ["KTU", "BDI", "PYE", "DNO", "QNA"]) expect(named).not.toContain(`"${gone}"`);
  });
});

describe("the record proves itself", () => {
  const out = join(dir, "ket-qua");
  it("xac-minh --binh-xet with the code printed in the minutes proves the record and the lock", () => {
    const record = join(out, "ket-qua-binh-xet.json");
    const code = (JSON.parse(readFileSync(record, "utf8")) as { fingerprint: string }).fingerprint.slice(0, 12);
    const r = cli(["xac-minh", locked, "--binh-xet", record, "--ma", code]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("kết quả tính lại từ kết quả kiểm phiếu, bảng xếp hạng đã khóa và quy tắc ngày họp");
    expect(r.stdout).toContain(`Mã ${code} là mã của biên bản bình xét in trong biên bản họp đã ký`);
    const wrong = cli(["xac-minh", locked, "--binh-xet", record, "--ma", "0123456789ab"]);
    expect(wrong.code).toBe(1);
  });
  it("a result changed and its fingerprint recomputed is caught, naming the difference", () => {
    const saved = JSON.parse(readFileSync(join(out, "ket-qua-binh-xet.json"), "utf8")) as {
      fingerprint: string;
      record: ReviewRecord;
    };
    const forged = structuredClone(saved.record);
    forged.result.nextHead = "QNG";
    const file = join(dir, "gia-mao.json");
    writeFileSync(file, JSON.stringify({ fingerprint: sha256(canonicalReview(forged)), record: forged }));
    const r = cli(["xac-minh", locked, "--binh-xet", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("nhưng kết quả không theo từ kết quả kiểm phiếu");
    expect(r.stdout).toContain(
      `kết quả.nextHead: biên bản ghi "QNG", tính lại được "${saved.record.result.nextHead}".`,
    );
  });
});

describe("binh-xet refuses what it cannot date or count", () => {
  it("needs the meeting's day for the template, never today by default", () => {
    const r = cli(["binh-xet", locked, "--cum", def2025, "--mau-phieu", join(dir, "khong-ngay.xlsx")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cần --ngay <dd\/mm\/yyyy>, ngày họp bình xét/);
  });
  it("refuses a meeting before the lock", () => {
    const r = cli(["binh-xet", locked, "--cum", def2025, "--mau-phieu", join(dir, "som.xlsx"), "--ngay", "10/11/2025"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Ngày họp 10/11/2025 ở trước ngày khóa số liệu 20/11/2025");
  });
  it("refuses --them or --bo after the meeting instead of ignoring them", async () => {
    const file = await fill("them.xlsx");
    const args = ["binh-xet", locked, "--cum", def2025, "--phieu", file, "--ra", join(dir, "x")];
    const r = cli([...args, "--them", "BK_HV:GLA:lý do"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--them và --bo chỉ dùng với --mau-phieu/);
  });
  it("reports every error of an empty tally at once", async () => {
    const empty = await fill("trong.xlsx", (ws) => {
      ws.eachRow((row) => {
        const a = row.getCell(1).value;
        if (["Chủ trì", "Thư ký", "Ban kiểm phiếu"].includes(String(a))) row.getCell(2).value = null;
        for (let c = 3; c <= 6; c++) if (typeof row.getCell(c).value === "number") row.getCell(c).value = null;
      });
    });
    const r = cli(["binh-xet", locked, "--cum", def2025, "--phieu", empty, "--ra", join(dir, "y")]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.includes("trong.xlsx › Kiểm phiếu"));
    expect(r.stderr).toContain("Chưa ghi chủ trì của Hội nghị");
    expect(r.stderr).toContain("số phiếu phát ra phải là số nguyên không âm");
    expect(r.stderr).toMatch(/số phiếu đồng ý phải là số nguyên không âm/);
    expect(lines.length).toBeGreaterThan(20);
  });
  it("blames a rules file with too many deputies, not the tally", () => {
    const sets = structuredClone(DEFAULT_RULE_SETS);
    for (const s of sets) s.params.deputiesPerCluster.value = 6;
    const rules = join(dir, "nhieu-pho.json");
    writeFileSync(rules, JSON.stringify(sets));
    const r = cli([
      ...["binh-xet", locked, "--cum", def2025, "--mau-phieu", join(dir, "z.xlsx")],
      ...["--ngay", "20/11/2025", "--quy-tac", rules],
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nhieu-pho.json: quy tắc bình xét không dùng được cho Cụm");
    expect(r.stderr).toContain("số Cụm phó là 6, nhưng Cụm chỉ có 5 trường");
  });
});

describe("nam-moi takes the year from the context", () => {
  it("2025 → 2027 skipping 2026 is refused, saying so", () => {
    const r = cli(["nam-moi", "--cum", def2025, "--nam", "2027", "--ra", join(dir, "2027.json")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("năm 2026 bị bỏ qua");
  });
  it("2025 → 2026 signs in Gia Lai under Decree 152 and prints what it took", () => {
    const out = join(dir, "2026.json");
    const r = cli(["nam-moi", "--cum", def2025, "--nam", "2026", "--ra", out]);
    expect(r.code, r.stderr).toBe(0);
    const def = JSON.parse(readFileSync(out, "utf8"));
    expect(def.signing.place).toBe("Gia Lai");
    expect(def.legalBases.join("\n")).toContain("Nghị định số 152/2025/NĐ-CP");
    expect(def.legalBases.join("\n")).not.toContain("98/2023");
    expect(r.stdout).toContain("Nơi ký: Gia Lai (năm 2025: Bình Định), tỉnh của trường Cụm trưởng.");
  });
});
