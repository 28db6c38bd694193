/**
 * The corpus of careless command lines for the commands that read locked years and write outputs: each case is
 * what a user might type, what they must be told, and the exit code. Every case runs on the same fixture (the
 * bundled years locked, one of them with its visible Tổng hợp edited), and no case may change an input.
 */
import ExcelJS from "exceljs";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../../src/cli/io/hash";
import { canonicalReview, REVIEW_RECORD_VERSION, type ReviewRecord } from "../../src/core/review/record";
import { lockSampleYears } from "./locked-years";
import { ROOT } from "./samples";

export interface BadCommand {
  what: string;
  args: string[];
  code: number;
  /** What the message (standard error) must say. */
  expect: RegExp;
  /** Nothing may be printed on standard output (the refusal comes before any work). */
  quiet?: boolean;
}

export interface BadCommandFixture {
  dir: string;
  /** Files no case may change. */
  inputs: string[];
  cases: BadCommand[];
}

/** Types a value into one cell of a sheet of a locked workbook, as someone who knows the password would. */
export async function editLockedCell(file: string, sheet: string, cell: string, value: ExcelJS.CellValue) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  wb.getWorksheet(sheet)!.getCell(cell).value = value;
  writeFileSync(file, new Uint8Array(await wb.xlsx.writeBuffer()));
}

/** A review record as binh-xet writes it, for a locked year's fingerprint. */
export function writeRecord(file: string, cluster: string, year: number, lockFingerprint: string): void {
  const record = {
    version: REVIEW_RECORD_VERSION,
    cluster,
    year,
    lockFingerprint,
    result: { awards: {}, nextHead: "KHH", nextDeputies: [] },
  };
  writeFileSync(
    file,
    JSON.stringify({ fingerprint: sha256(canonicalReview(record as unknown as ReviewRecord)), record }),
  );
}

export async function badCommandFixture(dir: string): Promise<BadCommandFixture> {
  const locked = await lockSampleYears(join(dir, "khoa"));
  // 2024 with one displayed figure changed on Tổng hợp; its snapshot and codes untouched.
  const edited = join(dir, "sua", "2024", "tong-hop-da-khoa.xlsx");
  cpSync(join(dir, "khoa", "2024"), join(dir, "sua", "2024"), { recursive: true });
  await editLockedCell(edited, "Tổng hợp", "E6", 999);
  const editedAll = join(dir, "sua-ca-giai-doan");
  cpSync(join(dir, "khoa"), editedAll, { recursive: true });
  cpSync(edited, join(editedAll, "2024", "tong-hop-da-khoa.xlsx"));
  const def2024 = join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2024.json");
  const register = join(dir, "so-dang-ky.json");
  cpSync(join(ROOT, "sheets-templates", "register", "nam-trung-bo-tay-nguyen.json"), register);
  const broken = join(dir, "so-hong.json");
  // A comma left out between two entries, the commonest slip when editing JSON by hand.
  writeFileSync(broken, '{\n  "id": "nam-trung-bo-tay-nguyen"\n  "schools": []\n}\n');
  const folder = join(dir, "mot-thu-muc");
  mkdirSync(folder);
  const link = join(dir, "lien-ket.xlsx");
  symlinkSync(locked[2023]!, link);
  const tally = join(dir, "hop", "kiem-phieu.xlsx");
  mkdirSync(join(dir, "hop"));
  writeFileSync(tally, "bảng kiểm phiếu Ban kiểm phiếu đã điền");
  const handEdited = join(dir, "2025-da-sua-tay.json");
  writeFileSync(handEdited, readFileSync(join(ROOT, "sheets-templates", "nam-trung-bo-tay-nguyen-2025.json")));
  // A record of the 2024 meeting beside the edited 2024 lock (and its own code intact).
  const record = join(dir, "sua", "2024", "binh-xet", "ket-qua-binh-xet.json");
  mkdirSync(join(dir, "sua", "2024", "binh-xet"));
  writeRecord(record, "nam-trung-bo-tay-nguyen-2024", 2024, "0".repeat(64));
  const period = (...more: string[]) => [
    "tong-ket-giai-doan",
    join(dir, "khoa"),
    "--tu",
    "2021",
    "--den",
    "2025",
    ...more,
  ];
  const out = (name: string) => join(dir, "ra", name);
  const cases: BadCommand[] = [
    {
      what: "binh-xet --mau-phieu naming the locked workbook itself",
      args: ["binh-xet", locked[2023]!, "--mau-phieu", locked[2023]!],
      code: 2,
      expect: /--mau-phieu ".*tong-hop-da-khoa\.xlsx" chính là tệp đầu vào/,
      quiet: true,
    },
    {
      what: "binh-xet --mau-phieu naming the locked workbook through a symlink",
      args: ["binh-xet", locked[2023]!, "--mau-phieu", link],
      code: 2,
      expect: /--mau-phieu ".*lien-ket\.xlsx" chính là tệp đầu vào/,
      quiet: true,
    },
    {
      what: "binh-xet --mau-phieu onto a tally the board has filled, without --ghi-de",
      args: ["binh-xet", locked[2023]!, "--mau-phieu", tally, "--ngay", "20/11/2023"],
      code: 1,
      expect: /Đã có ".*kiem-phieu\.xlsx"; không ghi đè khi không có --ghi-de/,
      quiet: true,
    },
    {
      what: "nam-moi onto a definition the head school edited by hand, without --ghi-de",
      args: ["nam-moi", "--cum", def2024, "--nam", "2025", "--ra", handEdited],
      code: 1,
      expect: /Đã có ".*2025-da-sua-tay\.json"; không ghi đè khi không có --ghi-de/,
      quiet: true,
    },
    {
      what: "nam-moi --ra naming the register it reads",
      args: ["nam-moi", "--cum", def2024, "--nam", "2025", "--ra", register, "--so-dang-ky", register],
      code: 2,
      expect: /--ra ".*so-dang-ky\.json" chính là tệp đầu vào/,
      quiet: true,
    },
    {
      what: "tong-ket-giai-doan over a year whose visible Tổng hợp was edited",
      args: ["tong-ket-giai-doan", editedAll, "--tu", "2021", "--den", "2025", "--ra", out("a.xlsx")],
      code: 1,
      expect: /2024[/\\]tong-hop-da-khoa\.xlsx: bảng đã khóa năm 2024 .*đã bị sửa[^]*Tổng hợp!E6: .*"999"/,
      quiet: true,
    },
    {
      what: "lich-su over a year whose visible Tổng hợp was edited",
      args: ["lich-su", editedAll, "--truong", "DNG"],
      code: 1,
      expect: /2024[/\\]tong-hop-da-khoa\.xlsx: bảng đã khóa năm 2024 .*đã bị sửa[^]*Tổng hợp!E6/,
      quiet: true,
    },
    {
      what: "binh-xet --mau-phieu on a year whose visible Tổng hợp was edited",
      args: ["binh-xet", edited, "--mau-phieu", out("kp.xlsx"), "--ngay", "20/11/2024"],
      code: 1,
      expect: /2024[/\\]tong-hop-da-khoa\.xlsx: bảng đã khóa năm 2024 .*đã bị sửa[^]*Tổng hợp!E6/,
      quiet: true,
    },
    {
      what: "nam-moi --ket-qua-binh-xet with the record beside a year whose visible Tổng hợp was edited",
      args: ["nam-moi", "--cum", def2024, "--nam", "2025", "--ra", out("2025.json"), "--ket-qua-binh-xet", record],
      code: 1,
      expect: /2024[/\\]tong-hop-da-khoa\.xlsx: bảng đã khóa năm 2024 .*đã bị sửa[^]*Tổng hợp!E6/,
    },
    {
      what: "tong-ket-giai-doan --ra X --json X",
      args: period("--ra", out("x.xlsx"), "--json", out("x.xlsx")),
      code: 2,
      expect: /--json ".*x\.xlsx" trùng với --ra ".*x\.xlsx"/,
      quiet: true,
    },
    {
      what: "tong-ket-giai-doan --bao-cao naming the register it reads",
      args: period("--ra", out("b.xlsx"), "--bao-cao", register, "--so-dang-ky", register),
      code: 2,
      expect: /--bao-cao ".*so-dang-ky\.json" chính là tệp đầu vào/,
      quiet: true,
    },
    {
      what: "tong-ket-giai-doan --ra naming a locked year it reads",
      args: period("--ra", locked[2022]!),
      code: 2,
      expect: /--ra ".*2022[/\\]tong-hop-da-khoa\.xlsx" chính là tệp đầu vào/,
      quiet: true,
    },
    {
      what: "tong-ket-giai-doan --ra <a folder>",
      args: period("--ra", folder),
      code: 2,
      expect: /--ra ".*mot-thu-muc" là một thư mục; hãy chỉ ra tên tệp sẽ ghi/,
      quiet: true,
    },
    {
      what: "tong-ket-giai-doan --so-dang-ky <a folder>",
      args: period("--ra", out("c.xlsx"), "--so-dang-ky", folder),
      code: 1,
      expect: /"[^"]*mot-thu-muc" là một thư mục, không phải tệp/,
    },
    {
      what: "lich-su --so-dang-ky <a folder>",
      args: ["lich-su", join(dir, "khoa"), "--truong", "DNG", "--so-dang-ky", folder],
      code: 1,
      expect: /"[^"]*mot-thu-muc" là một thư mục, không phải tệp/,
    },
    {
      what: "nam-moi --so-dang-ky <a folder>",
      args: ["nam-moi", "--cum", def2024, "--nam", "2025", "--ra", out("d.json"), "--so-dang-ky", folder],
      code: 1,
      expect: /"[^"]*mot-thu-muc" là một thư mục, không phải tệp/,
    },
    {
      what: "a register with a JSON syntax error",
      args: period("--ra", out("e.xlsx"), "--so-dang-ky", broken),
      code: 1,
      expect: /tệp sổ đăng ký không phải JSON hợp lệ: lỗi cú pháp ở dòng 3, cột \d+/,
    },
    {
      what: "lich-su --truong given twice",
      args: ["lich-su", join(dir, "khoa"), "--truong", "DNG", "--truong", "KTU"],
      code: 2,
      expect: /Tùy chọn --truong chỉ được ghi một lần, ở đây có 2 lần \("DNG", "KTU"\)/,
      quiet: true,
    },
    {
      what: "xac-minh --ma given twice",
      args: ["xac-minh", locked[2023]!, "--ma", "0".repeat(12), "--ma", "1".repeat(12)],
      code: 2,
      expect: /Tùy chọn --ma chỉ được ghi một lần/,
      quiet: true,
    },
    {
      what: "binh-xet --phieu --ra <the folder holding the locked workbook>",
      args: ["binh-xet", locked[2023]!, "--phieu", tally, "--ra", join(dir, "khoa", "2023")],
      code: 2,
      expect: /--ra ".*2023" chứa tệp đầu vào ".*tong-hop-da-khoa\.xlsx"/,
      quiet: true,
    },
    {
      what: "tong-ket-giai-doan --json - twice over (--json - --bao-cao -)",
      args: period("--ra", out("f.xlsx"), "--json", "-", "--bao-cao", "-"),
      code: 2,
      expect: /--bao-cao "-"/,
      quiet: true,
    },
  ];
  return {
    dir,
    inputs: [...Object.values(locked), edited, register, broken, tally, handEdited, record, def2024],
    cases,
  };
}
