/**
 * The offline path tried as a careless or hostile user would: outputs aimed
 * at inputs, a lock run twice, folders full of things that are not school
 * files, paths that are not files at all. Each case: a Vietnamese message
 * naming the path, the right exit code, and every input and earlier output
 * byte-for-byte unchanged.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync,
  existsSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { templateBuffer } from "../../src/excel/template";
import { cli } from "../helpers/cli";
import { rawDefinition, ROOT, sampleDefinition, sampleSubmissions } from "../helpers/samples";

const DEF = join(ROOT, "sheets-templates", "cum-7-tay-nguyen-2020.json");
const tmp = (p = "an-toan-") => mkdtempSync(join(tmpdir(), p));
const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
const noTrace = (s: string) => expect(s).not.toMatch(/\n\s+at .*:\d+:\d+/);

/** Hashes of every regular file under dir, to prove nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = join(e.parentPath, e.name);
    if (e.isFile()) out[full] = sha(full);
  }
  return out;
}

let school: string;
async function filled(dir: string): Promise<void> {
  const def = sampleDefinition("cum-7-tay-nguyen-2020");
  for (const s of sampleSubmissions(def))
    writeFileSync(
      join(dir, `2020-${s.school}.xlsx`),
      await templateBuffer(
        def,
        def.schools.find((x) => x.code === s.school)!,
        s.figures,
      ),
    );
}

let nop: string;
beforeAll(async () => {
  nop = tmp("nop-");
  await filled(nop);
  school = join(nop, "2020-DLK.xlsx");
}, 60_000);

describe("no output is ever an input", () => {
  it("tong-hop refuses --ra or --json naming an input by any spelling, symlink or hard link, before reading", () => {
    const before = snapshot(nop);
    const link = join(tmp(), "lien-ket.xlsx");
    symlinkSync(school, link);
    const hard = join(tmp(), "cung-tep.xlsx");
    linkSync(school, hard);
    for (const [option, target] of [
      ["--ra", school],
      ["--ra", join(nop, ".", "..", nop.split("/").pop()!, "2020-DLK.xlsx")],
      ["--ra", link],
      ["--ra", hard],
      ["--json", school],
    ] as const) {
      const args = option === "--ra" ? ["--ra", target] : ["--ra", join(tmp(), "th.xlsx"), "--json", target];
      const r = cli(["tong-hop", nop, ...args, "--cum", DEF]);
      expect(r.code, `${option} ${target}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`${option} ".*" chính là tệp đầu vào ".*2020-DLK\\.xlsx".*không bao giờ bị ghi đè`),
      );
      noTrace(r.stderr);
    }
    expect(snapshot(nop)).toEqual(before);
  });
  it("refuses --ra X --json X, and the definition file as an output", () => {
    const out = join(tmp(), "x.xlsx");
    const r = cli(["tong-hop", nop, "--ra", out, "--json", out, "--cum", DEF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--json ".*x\.xlsx" trùng với --ra/);
    expect(existsSync(out)).toBe(false);
    const def = join(tmp(), "cum.json");
    writeFileSync(def, readFileSync(DEF));
    const hash = sha(def);
    const d = cli(["tong-hop", nop, "--ra", join(tmp(), "y.xlsx"), "--json", def, "--cum", def]);
    expect(d.code).toBe(2);
    expect(sha(def)).toBe(hash);
    const g = cli(["giao-uoc", "--ra", def, "--cum", def]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/chính là tệp đầu vào/);
    expect(sha(def)).toBe(hash);
  });
  it("giao-uoc and bao-cao refuse an input as their output", () => {
    const before = snapshot(nop);
    for (const command of ["giao-uoc", "bao-cao"]) {
      const r = cli([command, "--ra", school, nop, "--cum", DEF]);
      expect(r.code, command).toBe(2);
      expect(r.stderr).toMatch(/chính là tệp đầu vào/);
    }
    expect(snapshot(nop)).toEqual(before);
  });
  it("tao-mau never writes over an existing file (a school's filled workbook), unless --ghi-de", async () => {
    const dir = tmp();
    const filledFile = join(dir, "mau-2020-DLK.xlsx");
    writeFileSync(filledFile, readFileSync(school));
    const hash = sha(filledFile);
    const r = cli(["tao-mau", "--tat-ca", "--thu-muc", dir, "--cum", DEF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mau-2020-DLK\.xlsx" đã có; mẫu trống không ghi đè/);
    expect(sha(filledFile)).toBe(hash);
    expect(cli(["tao-mau", "--truong", "DLK", "--ra", filledFile, "--cum", DEF, "--ghi-de"]).code).toBe(0);
    expect(sha(filledFile)).not.toBe(hash);
  });
  it("an output is written whole: no temporary file is left beside it, and a device is never replaced", () => {
    const dir = tmp();
    const out = join(dir, "tong-hop.xlsx");
    expect(cli(["tong-hop", nop, "--ra", out, "--json", join(dir, "th.json"), "--cum", DEF]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["th.json", "tong-hop.xlsx"]);
    const r = cli(["tong-hop", nop, "--ra", "/dev/null", "--cum", DEF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"\/dev\/null" là một thiết bị, không phải tệp/);
  });
  it("re-running tong-hop with its output in the folder replaces only its own earlier summary", () => {
    const dir = tmp();
    for (const f of readdirSync(nop)) writeFileSync(join(dir, f), readFileSync(join(nop, f)));
    expect(cli(["tong-hop", dir, "--ra", join(dir, "tong-hop.xlsx"), "--cum", DEF]).code).toBe(0);
    const first = sha(join(dir, "tong-hop.xlsx"));
    // Replacing the earlier summary takes --ghi-de, and the earlier one is kept beside.
    const refused = cli(["tong-hop", dir, "--ra", join(dir, "tong-hop.xlsx"), "--cum", DEF]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Đã có ".*tong-hop\.xlsx"; không ghi đè khi không có --ghi-de/);
    expect(cli(["tong-hop", dir, "--ra", join(dir, "tong-hop.xlsx"), "--cum", DEF, "--ghi-de"]).code).toBe(0);
    const kept = readdirSync(dir).filter((f) => f.startsWith("tong-hop.truoc-"));
    expect(kept.map((f) => sha(join(dir, f)))).toEqual([first]);
    const before = sha(join(dir, "2020-DLK.xlsx"));
    expect(cli(["tong-hop", dir, "--ra", join(dir, "2020-DLK.xlsx"), "--cum", DEF]).code).toBe(2);
    expect(sha(join(dir, "2020-DLK.xlsx"))).toBe(before);
  });
});

describe("khoa keeps its evidence", () => {
  it("never replaces an earlier lock without --ghi-de, and then keeps it beside", () => {
    const out = tmp("khoa-");
    expect(cli(["khoa", nop, "--ra", out, "--cum", DEF]).code).toBe(0);
    const first = snapshot(out);
    const again = cli(["khoa", nop, "--ra", out, "--cum", DEF]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/đã có bản khóa trước .*tong-hop-da-khoa\.xlsx.*--ghi-de/);
    expect(snapshot(out)).toEqual(first);
    const replaced = cli(["khoa", nop, "--ra", out, "--cum", DEF, "--ghi-de"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    const keptCopy = /Bản khóa trước được giữ lại: .*tong-hop-da-khoa\.truoc-\d{8}-\d{6}\.xlsx/;
    expect(replaced.stdout).toMatch(keptCopy);
    const kept = readdirSync(out).filter((f) => f.includes(".truoc-"));
    expect(kept).toHaveLength(2);
    const earlierHashes = Object.values(first).sort();
    expect(kept.map((f) => sha(join(out, f))).sort()).toEqual(earlierHashes);
  });
  it("refuses an empty password", () => {
    const out = tmp("khoa-");
    const r = cli(["khoa", nop, "--ra", out, "--cum", DEF, "--mat-khau", ""]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Mật khẩu không được để trống/);
    expect(readdirSync(out)).toEqual([]);
  });
  it("prints, and writes on the lock sheet and in the report, how to check against the printed code", async () => {
    const out = tmp("khoa-");
    const r = cli(["khoa", nop, "--ra", out, "--cum", DEF]);
    const code = /Mã kiểm tra toàn cụm: ([0-9a-f]{12})/.exec(r.stdout)![1]!;
    expect(r.stdout).toContain(`xac-minh tong-hop-da-khoa.xlsx <thư mục tệp các trường> --ma ${code}`);
    const JSZip = (await import("jszip")).default;
    const docx = await JSZip.loadAsync(readFileSync(join(out, "bao-cao-tong-ket.docx")));
    expect(await docx.file("word/document.xml")!.async("string")).toContain(`--ma ${code}`);
    const xlsx = await JSZip.loadAsync(readFileSync(join(out, "tong-hop-da-khoa.xlsx")));
    expect(await xlsx.file("xl/sharedStrings.xml")!.async("string")).toContain(`--ma ${code}`);
  });
});

describe("folders: nothing skipped in silence", () => {
  const skippedTitle =
    "lists every entry not read, with its reason, in the output and the JSON; a .xls of a " + "missing school says so";
  it(skippedTitle, () => {
    const dir = tmp();
    for (const f of ["2020-DNO.xlsx", "2020-KTU.xlsx", "2020-GLA.xlsx", "2020-LDO.xlsx"])
      writeFileSync(join(dir, f), readFileSync(join(nop, f)));
    writeFileSync(join(dir, "2020-DLK.xls"), new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]));
    writeFileSync(join(dir, "ban-nhap.ods"), "x");
    writeFileSync(join(dir, "so-lieu.csv"), "a;b");
    writeFileSync(join(dir, "~$2020-GLA.xlsx"), "lock");
    writeFileSync(join(dir, ".an.xlsx"), "x");
    writeFileSync(join(dir, "._2020-GLA.xlsx"), "x");
    mkdirSync(join(dir, "cu"));
    symlinkSync(join(dir, "vong.xlsx"), join(dir, "vong.xlsx"));
    const fifo = join(dir, "ong.xlsx");
    spawnSync("mkfifo", [fifo]);
    const before = snapshot(dir);
    const json = join(tmp(), "th.json");
    const r = cli(["tong-hop", dir, "--ra", join(tmp(), "th.xlsx"), "--json", json, "--cum", DEF]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/Các mục trong thư mục không được đọc:/);
    const xlsFileHead = /2020-DLK\.xls: tệp Excel 97–2003 \(\.xls\) không đọc được.*/.source;
    const xlsFileTail = /\(có thể là tệp của Trường Chính trị tỉnh Đắk Lắk\)/.source;
    const xlsFile = new RegExp(xlsFileHead + xlsFileTail);
    expect(r.stdout).toMatch(xlsFile);
    const notReadHead = /Trường Chính trị tỉnh Đắk Lắk: Chưa nộp — /.source;
    const notRead = new RegExp(notReadHead + /trong thư mục có 2020-DLK\.xls nhưng không đọc được/.source);
    expect(r.stdout).toMatch(notRead);
    expect(r.stdout).toMatch(/ban-nhap\.ods: tệp LibreOffice/);
    expect(r.stdout).toMatch(/so-lieu\.csv: tệp \.csv/);
    expect(r.stdout).toMatch(/~\$2020-GLA\.xlsx: tệp khóa tạm/);
    expect(r.stdout).toMatch(/\.an\.xlsx: tệp ẩn/);
    expect(r.stdout).toMatch(/\._2020-GLA\.xlsx: tệp phụ do macOS tạo/);
    expect(r.stdout).toMatch(/cu: thư mục con/);
    expect(r.stdout).toMatch(/vong\.xlsx: .*liên kết \(symlink\) vòng quanh/);
    expect(r.stdout).toMatch(/ong\.xlsx: là một đường ống \(FIFO\)/);
    const skipped = JSON.parse(readFileSync(json, "utf8")).skipped as {
      path: string;
      reason: string;
      school?: string;
    }[];
    expect(skipped.map((k) => k.path.split("/").pop()).sort()).toEqual(
      [
        ".an.xlsx",
        "._2020-GLA.xlsx",
        "2020-DLK.xls",
        "ban-nhap.ods",
        "cu",
        "ong.xlsx",
        "so-lieu.csv",
        "vong.xlsx",
        "~$2020-GLA.xlsx",
      ].sort(),
    );
    expect(skipped.find((k) => k.path.endsWith(".xls"))!.school).toBe("DLK");
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("paths that are not files: a Vietnamese message naming the path, exit 1 or 2, no hang, no stack trace", () => {
  it("a FIFO, a device, a folder, a symlink loop, a missing path, a 600 MB file", () => {
    const dir = tmp();
    const fifo = join(dir, "ong.xlsx");
    spawnSync("mkfifo", [fifo]);
    const loop = join(dir, "vong.xlsx");
    symlinkSync(loop, loop);
    const big = join(dir, "lon.xlsx");
    const fd = openSync(big, "w");
    ftruncateSync(fd, 600 * 1024 * 1024);
    closeSync(fd);
    const cases: [string[], RegExp][] = [
      [["kiem-tra", fifo], /"[^"]*ong\.xlsx" là một đường ống \(FIFO\)/],
      [["kiem-tra", "/dev/zero"], /"\/dev\/zero" là một thiết bị/],
      [["kiem-tra", loop], /"[^"]*vong\.xlsx" là liên kết \(symlink\) vòng quanh/],
      [["kiem-tra", join(dir, "khong-co.xlsx")], /Không tìm thấy "[^"]*khong-co\.xlsx"/],
      [["kiem-tra", big], /lon\.xlsx" lớn 600 MB, vượt giới hạn 10 MB/],
      [["xac-minh", dir, "--cum", DEF], /"[^"]*" là một thư mục, không phải tệp/],
    ];
    for (const [args, expected] of cases) {
      const r = spawnSync(process.execPath, [join(ROOT, "bin", "cum-thi-dua.js"), ...args], {
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(r.signal, `${args.join(" ")} hung`).toBeNull();
      expect([1, 2], `${args.join(" ")}: ${r.stderr}`).toContain(r.status);
      expect(r.stdout + r.stderr, args.join(" ")).toMatch(expected);
      noTrace(r.stderr);
    }
  });
  it("an output under a path that goes through a file names the path", () => {
    const r = cli(["tong-hop", nop, "--ra", join(school, "x.xlsx"), "--cum", DEF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Đường dẫn ".*2020-DLK\.xlsx" đi qua một tệp như thể đó là thư mục/);
  });
});

describe("definition files", () => {
  it("reads a definition saved with a BOM, and gives a JSON syntax error by line and column in Vietnamese", () => {
    const dir = tmp();
    const bom = join(dir, "bom.json");
    writeFileSync(bom, "\ufeff" + JSON.stringify(rawDefinition("cum-7-tay-nguyen-2020"), null, 2));
    expect(cli(["tao-mau", "--truong", "DLK", "--ra", join(dir, "m.xlsx"), "--cum", bom]).code).toBe(0);
    const broken = join(dir, "hong.json");
    writeFileSync(broken, '{\n  "id": "cum-7",\n  "year": 2020\n  "name": "x"\n}\n');
    const r = cli(["tao-mau", "--truong", "DLK", "--ra", join(dir, "n.xlsx"), "--cum", broken]);
    expect(r.code).toBe(1);
    const badJsonHead = /hong\.json: [\s\S]*tệp định nghĩa không phải JSON hợp lệ: /.source;
    const badJson = new RegExp(badJsonHead + /lỗi cú pháp ở dòng 4, cột 3 \(dòng đó: "name": "x"\)/.source);
    expect(r.stderr).toMatch(badJson);
  });
  it("--cho-phep-thieu matches codes whatever their case", () => {
    const dir = tmp();
    for (const f of ["2020-DNO.xlsx", "2020-KTU.xlsx", "2020-GLA.xlsx", "2020-DLK.xlsx"])
      writeFileSync(join(dir, f), readFileSync(join(nop, f)));
    const r = cli(["khoa", dir, "--ra", tmp("khoa-"), "--cum", DEF, "--cho-phep-thieu", "lDo"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/của 4\/5 trường/);
  });
});

describe("xac-minh --binh-xet input", () => {
  it("a FIFO given as the review record is refused at once, naming it", () => {
    const dir = tmp();
    expect(cli(["khoa", nop, "--ra", dir, "--cum", DEF]).code).toBe(0);
    const fifo = join(dir, "ket-qua-binh-xet.json");
    spawnSync("mkfifo", [fifo]);
    const args = ["xac-minh", join(dir, "tong-hop-da-khoa.xlsx"), "--binh-xet", fifo, "--cum", DEF];
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "cum-thi-dua.js"), ...args], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ket-qua-binh-xet\.json" là một đường ống \(FIFO\)/);
    noTrace(r.stderr);
  });
});
