import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { ROOT } from "../helpers/samples";
import { sha256 } from "../../src/cli/io/hash";
import { canonicalReview, REVIEW_RECORD_VERSION, type ReviewRecord } from "../../src/core/review/record";

const sample = join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2023.json");

describe("cum-thi-dua nam-moi", () => {
  it("opens 2024 from 2023 and says what changed", () => {
    const dir = mkdtempSync(join(tmpdir(), "nam-moi-"));
    const out = join(dir, "2024.json");
    const r = cli(["nam-moi", "--cum", sample, "--nam", "2024", "--ra", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const head2024 = /Cụm trưởng năm 2024: Trường Chính trị tỉnh Kon Tum \(theo sổ đăng ký\)/;
    expect(r.stdout).toMatch(head2024);
    const def = JSON.parse(readFileSync(out, "utf8"));
    expect(def.year).toBe(2024);
    expect(def.register).toBe("nam-trung-bo-tay-nguyen");
  });
  it("refuses --cum-truong when the register records another head for that year", () => {
    const dir = mkdtempSync(join(tmpdir(), "nam-moi-"));
    const r = cli(["nam-moi", "--cum", sample, "--nam", "2024", "--ra", join(dir, "2024.json"), "--cum-truong", "KHH"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Sổ đăng ký đã ghi Cụm trưởng năm 2024 là KTU/);
  });
  it("refuses to overwrite its input", () => {
    const dir = mkdtempSync(join(tmpdir(), "nam-moi-"));
    const copy = join(dir, "2023.json");
    copyFileSync(sample, copy);
    const before = readFileSync(copy, "utf8");
    const r = cli(["nam-moi", "--cum", copy, "--nam", "2024", "--ra", copy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ra ".*2023\.json" chính là tệp đầu vào/);
    expect(readFileSync(copy, "utf8")).toBe(before);
  });
  it("refuses a definition naming a school that is no longer a member", () => {
    const dir = mkdtempSync(join(tmpdir(), "nam-moi-"));
    const def = JSON.parse(readFileSync(sample, "utf8"));
    def.year = 2026;
    def.id = "nam-trung-bo-tay-nguyen-2026";
    const path = join(dir, "sai-2026.json");
    writeFileSync(path, JSON.stringify(def));
    mkdirSync(join(dir, "register"));
    copyFileSync(
      join(ROOT, "sheets-templates", "register", "nam-trung-bo-tay-nguyen.json"),
      join(dir, "register", "nam-trung-bo-tay-nguyen.json"),
    );
    const r = cli(["tao-mau", "--cum", path, "--tat-ca", "--thu-muc", join(dir, "mau")]);
    expect(r.code).toBe(1);
    const notMemberHead = /Trường Chính trị tỉnh Kon Tum, mã KTU\): /.source;
    const notMemberTail = /trường không là thành viên Cụm thi đua .* năm 2026 theo sổ đăng ký/.source;
    const notMember = new RegExp(notMemberHead + notMemberTail);
    expect(r.stderr).toMatch(notMember);
  });
});

describe("nam-moi --ket-qua-binh-xet", () => {
  const y2025 = join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2025.json");
  function recordFile(dir: string, result: { nextHead: string | null; nextDeputies: string[] }, year = 2025): string {
    const record = {
      version: REVIEW_RECORD_VERSION,
      cluster: `nam-trung-bo-tay-nguyen-${year}`,
      year,
      lockFingerprint: "0".repeat(64),
      result,
    };
    const path = join(dir, "ket-qua-binh-xet.json");
    writeFileSync(
      path,
      JSON.stringify({ fingerprint: sha256(canonicalReview(record as unknown as ReviewRecord)), record }),
    );
    return path;
  }
  it("takes the head and deputies the review meeting elected", () => {
    const dir = mkdtempSync(join(tmpdir(), "nam-moi-"));
    const record = recordFile(dir, { nextHead: "KHH", nextDeputies: ["LDO", "DNG"] });
    const out = join(dir, "2026.json");
    const r = cli(["nam-moi", "--cum", y2025, "--nam", "2026", "--ra", out, "--ket-qua-binh-xet", record]);
    expect(r.stderr).toBe("");
    const head2026Head = /Cụm trưởng năm 2026: /.source;
    const head2026Tail = /Trường Chính trị tỉnh Khánh Hòa \(theo kết quả bình xét\)/.source;
    const head2026 = new RegExp(head2026Head + head2026Tail);
    expect(r.stdout).toMatch(head2026);
    const def = JSON.parse(readFileSync(out, "utf8"));
    expect(
      def.schools
        .filter((s: { role: string }) => s.role !== "member")
        .map((s: { code: string; role: string }) => `${s.code}:${s.role}`),
    ).toEqual(["KHH:head", "LDO:deputy", "DNG:deputy"]);
  });
  it("refuses an edited record, and a meeting that elected no head", () => {
    const dir = mkdtempSync(join(tmpdir(), "nam-moi-"));
    const record = recordFile(dir, { nextHead: "KHH", nextDeputies: [] });
    writeFileSync(record, readFileSync(record, "utf8").replace('"KHH"', '"GLA"'));
    const a = cli([
      "nam-moi",
      "--cum",
      y2025,
      "--nam",
      "2026",
      "--ra",
      join(dir, "a.json"),
      "--ket-qua-binh-xet",
      record,
    ]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/không khớp mã kiểm tra .*biên bản đã bị sửa sau Hội nghị/);
    const tie = recordFile(dir, { nextHead: null, nextDeputies: [] });
    const b = cli(["nam-moi", "--cum", y2025, "--nam", "2026", "--ra", join(dir, "b.json"), "--ket-qua-binh-xet", tie]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/chưa bầu được Cụm trưởng \(cần bầu lại\)/);
  });
});
