/**
 * Issue 18, part A: one locked-year reader (every command accepts and refuses the same workbooks, the kept
 * definition is the year's, --cum only compared), one output policy (no input overwritten, nothing replaced
 * without --ghi-de and a kept copy, --json - is standard output), one option handling.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateBuffer } from "../../src/excel/template";
import { lockedWorkbookGrids } from "../../src/excel/locked-workbook";
import { checkLockedWorkbook, type LockedWorkbook } from "../../src/core/lock/locked-year";
import { validateSchoolRows } from "../../src/core/figures/validate";
import { sha256 } from "../../src/cli/io/hash";
import { freezeFigures, lockedWorkbook } from "../../src/cli/year/lock";
import { syntheticCluster, syntheticRows } from "../../bench/core";
import { badCommandFixture, type BadCommandFixture } from "../helpers/bad-commands";
import { cli } from "../helpers/cli";
import { ROOT, sampleDefinition, sampleSubmissions } from "../helpers/samples";

const dir = mkdtempSync(join(tmpdir(), "doc-ghi-"));
const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
let fixture: BadCommandFixture;

beforeAll(async () => {
  fixture = await badCommandFixture(join(dir, "corpus"));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the bad-command corpus", () => {
  it("refuses every case with its message and exit code, changing no input", () => {
    const before = fixture.inputs.map(sha);
    for (const c of fixture.cases) {
      const r = cli(c.args);
      expect(r.code, `${c.what}\n${r.stderr}`).toBe(c.code);
      expect(r.stderr, c.what).toMatch(c.expect);
      expect(r.stderr, c.what).not.toMatch(/Lỗi ngoài dự kiến|\n\s+at .*:\d+:\d+/);
      if (c.quiet) expect(r.stdout, c.what).toBe("");
    }
    expect(fixture.inputs.map(sha)).toEqual(before);
    expect(existsSync(join(fixture.dir, "ra"))).toBe(false);
    expect(fixture.cases.length).toBeGreaterThanOrEqual(20);
    // Two dozen runs of the command line: a few seconds each on a loaded machine.
  }, 600_000);
});

/** The sample figures of a bundled year as the schools' filled workbooks, locked by khoa as a user does. */
async function lockBundled(id: string): Promise<{ out: string; files: string; code: string }> {
  const def = sampleDefinition(id);
  const files = join(dir, id, "nop");
  mkdirSync(files, { recursive: true });
  for (const s of sampleSubmissions(def))
    writeFileSync(
      join(files, `${def.year}-${s.school}.xlsx`),
      await templateBuffer(
        def,
        def.schools.find((x) => x.code === s.school)!,
        s.figures,
      ),
    );
  const out = join(dir, id, "khoa");
  const r = cli(["khoa", files, "--ra", out, "--cum", join(ROOT, "sheets-templates", `${id}.json`), "--mat-khau", "x"]);
  expect(r.code, r.stderr).toBe(0);
  const printed = /cum-thi-dua (xac-minh tong-hop-da-khoa\.xlsx <thư mục tệp các trường> --ma ([0-9a-f]{12}))/.exec(
    r.stdout,
  );
  expect(printed, r.stdout).not.toBeNull();
  return { out, files, code: printed![2]! };
}

describe("one locked-year reader", () => {
  it("the verification command khoa prints works as printed for every bundled year", async () => {
    const ids = ["cum-7-tay-nguyen-2020", ...[2021, 2022, 2023, 2024, 2025].map((y) => `nam-trung-bo-tay-nguyen-${y}`)];
    for (const id of ids) {
      const { out, files, code } = await lockBundled(id);
      // As printed: from the folder khoa wrote, the school files' folder in place of the placeholder, no --cum.
      const r = cli(["xac-minh", "tong-hop-da-khoa.xlsx", files, "--ma", code], out);
      expect(r.code, `${id}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Mọi tệp khớp với số liệu đã khóa .*\\(mã ${code}\\)`));
    }
  }, 600_000);

  it("a --cum that differs from the kept definition is reported, difference by difference, never refused", () => {
    const locked = join(fixture.dir, "khoa", "2024", "tong-hop-da-khoa.xlsx");
    const other = join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2023.json");
    const x = cli(["xac-minh", locked, "--cum", other]);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stdout).toMatch(/định nghĩa cụm đưa vào \(--cum\) khác định nghĩa lưu lúc khóa/);
    expect(x.stdout).toMatch(/- năm: lúc khóa là 2024, tệp đưa vào là 2023/);
    expect(x.stdout).toMatch(/- trường KTU: lúc khóa là Cụm trưởng, tệp đưa vào là Cụm phó/);
    const template = join(dir, "cum-khac", "kiem-phieu.xlsx");
    const b = cli(["binh-xet", locked, "--mau-phieu", template, "--ngay", "20/11/2024", "--cum", other]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/- năm: lúc khóa là 2024, tệp đưa vào là 2023/);
    expect(existsSync(template)).toBe(true);
  });

  it("a --cum in decomposed Unicode (NFD) is the same definition: no name is 'renamed'", () => {
    const locked = join(fixture.dir, "khoa", "2023", "tong-hop-da-khoa.xlsx");
    const nfd = join(dir, "nfd.json");
    writeFileSync(
      nfd,
      readFileSync(join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2023.json"), "utf8").normalize("NFD"),
    );
    const r = cli(["xac-minh", locked, "--cum", nfd]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/khác định nghĩa lưu lúc khóa/);
  });
});

describe("one output policy", () => {
  it("--json - writes the period review to standard output, messages to standard error, no file named -", () => {
    const cwd = mkdtempSync(join(dir, "json-"));
    const out = join(cwd, "gd.xlsx");
    const r = cli(
      ["tong-ket-giai-doan", join(fixture.dir, "khoa"), "--tu", "2021", "--den", "2025", "--ra", out, "--json", "-"],
      cwd,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).years).toEqual([2021, 2022, 2023, 2024, 2025]);
    expect(r.stderr).toMatch(/Đã ghi: .*gd\.xlsx\./);
    expect(readdirSync(cwd)).toEqual(["gd.xlsx"]);
  });

  it("a filled tally and another year's ballots are replaced only with --ghi-de, the earlier kept beside", () => {
    const locked = join(fixture.dir, "khoa", "2023", "tong-hop-da-khoa.xlsx");
    const hop = join(dir, "hop-2023");
    mkdirSync(hop);
    const tally = join(hop, "kiem-phieu.xlsx");
    const ballots = join(hop, "phieu-bau.docx");
    writeFileSync(ballots, "phiếu bầu năm 2022");
    const args = ["binh-xet", locked, "--mau-phieu", tally, "--ngay", "20/11/2023"];
    const first = cli(args);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/Đã có ".*phieu-bau\.docx"; không ghi đè khi không có --ghi-de/);
    expect(existsSync(tally)).toBe(false);
    expect(readFileSync(ballots, "utf8")).toBe("phiếu bầu năm 2022");
    const made = cli([...args, "--ghi-de"]);
    expect(made.code, made.stderr).toBe(0);
    writeFileSync(tally, "Ban kiểm phiếu đã điền: chủ tọa, thư ký, số phiếu");
    const again = cli(args);
    expect(again.code).toBe(1);
    expect(readFileSync(tally, "utf8")).toBe("Ban kiểm phiếu đã điền: chủ tọa, thư ký, số phiếu");
    const replaced = cli([...args, "--ghi-de"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toMatch(/Bản trước được giữ lại: .*kiem-phieu\.truoc-\d{8}-\d{6}\.xlsx/);
    const kept = readdirSync(hop).filter((f) => f.startsWith("kiem-phieu.truoc-"));
    expect(kept.map((f) => readFileSync(join(hop, f), "utf8"))).toEqual([
      "Ban kiểm phiếu đã điền: chủ tọa, thư ký, số phiếu",
    ]);
    const keptBallots = readdirSync(hop).filter((f) => f.startsWith("phieu-bau.truoc-"));
    expect(keptBallots.map((f) => readFileSync(join(hop, f), "utf8"))).toContain("phiếu bầu năm 2022");
  });

  it("nam-moi run again keeps the hand-edited definition it replaces", () => {
    const def2024 = join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2024.json");
    const out = join(dir, "nam-moi", "2025.json");
    expect(cli(["nam-moi", "--cum", def2024, "--nam", "2025", "--ra", out]).code).toBe(0);
    writeFileSync(out, readFileSync(out, "utf8").replace('"theme": "', '"theme": "Sửa tay: '));
    const edited = sha(out);
    expect(cli(["nam-moi", "--cum", def2024, "--nam", "2025", "--ra", out]).code).toBe(1);
    expect(sha(out)).toBe(edited);
    const r = cli(["nam-moi", "--cum", def2024, "--nam", "2025", "--ra", out, "--ghi-de"]);
    expect(r.code, r.stderr).toBe(0);
    const kept = readdirSync(join(dir, "nam-moi")).filter((f) => f.startsWith("2025.truoc-"));
    expect(kept.map((f) => sha(join(dir, "nam-moi", f)))).toEqual([edited]);
  });

  it("tao-mau --tat-ca writes nothing when one template is already there", () => {
    const def = join(ROOT, "sheets-templates", "cum-7-tay-nguyen-2020.json");
    const out = join(dir, "mau");
    mkdirSync(out);
    writeFileSync(join(out, "mau-2020-LDO.xlsx"), "tệp Lâm Đồng đã điền");
    const r = cli(["tao-mau", "--tat-ca", "--thu-muc", out, "--cum", def]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mau-2020-LDO\.xlsx" đã có; mẫu trống không ghi đè/);
    expect(readdirSync(out)).toEqual(["mau-2020-LDO.xlsx"]);
  });
});

describe("an untouched locked year verifies at the cluster sizes the bench uses", () => {
  it("70 schools: every displayed sheet read whole (a school column past the 60th is compared too)", async () => {
    const def = syntheticCluster(70, 7);
    const figures = def.schools.map((s, i) => validateSchoolRows(def, s.code, syntheticRows(def, i)).figures!);
    const bytes = await lockedWorkbook(def, freezeFigures(def, figures), [], "x", new Date());
    const grids = await lockedWorkbookGrids(bytes, "70-truong.xlsx");
    expect(grids.ok).toBe(true);
    const check = checkLockedWorkbook((grids as { book: LockedWorkbook }).book, sha256);
    expect(check.ok && check.findings).toEqual([]);
  }, 120_000);
});
