/** `tong-ket-giai-doan`: the period review from locked year workbooks only. */
import ExcelJS from "exceljs";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { formatProblem } from "../../core/problem";
import { verifyLockedYear, type LockedYear, type YearAwards } from "../../core/period/locked-year";
import { yearAwards } from "../../core/period/awards";
import { parseReviewRecord } from "../../core/review/record";
import { RECORD_FILE, verifyRecordFile } from "../review/review-record";
import { PeriodError, lineageOf, regroupedLabel, reviewPeriod, type PeriodReview } from "../../core/period/period";
import { schoolHistory } from "../../core/period/history";
import { buildPeriodSheets, periodFigureText } from "../../core/sheets/period-layout";
import { buildPeriodReport } from "../../core/documents/period-report";
import { DEFINITION_SHEET, LOCK_SHEET, SNAPSHOT_SHEET } from "../../core/sheets/lock-layout";
import type { ClusterRegister } from "../../core/register/register";
import { formatNumber } from "../../core/text/format";
import { loadWorkbook, worksheetGrid } from "../../excel/reader";
import { writeSheet } from "../../excel/sheet-writer";
import { str, type Command, type Io } from "../command";
import { registerDir } from "../io/definitions";
import { docxBytes } from "../io/docx";
import { UserError } from "../errors";
import { collectInputs, displayName, writeOutput } from "../io/files";
import { readInputFile } from "../io/disk";
import { MAX_FILE_BYTES } from "../../excel/zip-guard";
import { sha256 } from "../io/hash";
import { loadRegisterFile } from "../io/register";

/** Files as given; a folder gives its .xlsx files and those of its direct subfolders (one folder per locked year). */
export function lockedInputs(args: string[]): string[] {
  if (!args.length) throw new UserError("Chưa chỉ ra bảng đã khóa hoặc thư mục nào.", 2);
  const hasXlsx = (dir: string) => readdirSync(dir).some((n) => extname(n).toLowerCase() === ".xlsx");
  const expanded = args.flatMap((arg) => {
    if (!existsSync(arg) || !statSync(arg).isDirectory()) return [arg];
    const subfolders = readdirSync(arg)
      .sort()
      .map((n) => join(arg, n))
      .filter((p) => statSync(p).isDirectory());
    const withFiles = [arg, ...subfolders].filter(hasXlsx);
    if (!withFiles.length) throw new UserError(`Thư mục "${arg}" và các thư mục con không có tệp .xlsx nào.`);
    return withFiles;
  });
  return collectInputs(expanded).files;
}

/** Reads and verifies one locked year workbook; refuses it, naming the file, when unlocked or tampered with. */
export async function readLockedYear(path: string): Promise<LockedYear> {
  const name = displayName(path);
  const loaded = await loadWorkbook(readInputFile(path, MAX_FILE_BYTES, name), name);
  if (!loaded.wb) throw new UserError(loaded.problems.map((p) => formatProblem(p)).join("\n"));
  const grid = (sheet: string) => {
    const ws = loaded.wb!.getWorksheet(sheet);
    return ws ? worksheetGrid(ws).values : undefined;
  };
  const r = verifyLockedYear(
    name,
    { lock: grid(LOCK_SHEET), snapshot: grid(SNAPSHOT_SHEET), definition: grid(DEFINITION_SHEET) },
    sha256,
  );
  if (!r.ok) throw new UserError(r.problem);
  return { ...r.year, awards: reviewAwards(r.year, join(dirname(path), RECORD_FILE)) };
}

/**
 * The awards of the year's review meeting, from the record `binh-xet` writes
 * beside the locked workbook; a record that no longer matches its code or
 * this locked year is refused, as a tampered year is.
 */
function reviewAwards(year: LockedYear, file: string): YearAwards | undefined {
  if (!existsSync(file)) return undefined;
  const check = verifyRecordFile(year.definition, displayName(file), year.fingerprint);
  if (!check.ok) throw new UserError(check.line);
  const record = parseReviewRecord(
    JSON.stringify((JSON.parse(readFileSync(file, "utf8")) as { record: unknown }).record),
  )!;
  return yearAwards(record);
}

function registerFor(years: LockedYear[], option: string | undefined): ClusterRegister | undefined {
  if (option) return loadRegisterFile(option);
  const id = years.map((y) => y.definition.register).find(Boolean);
  if (!id) return undefined;
  const path = join(registerDir(), `${id}.json`);
  if (!existsSync(path))
    throw new UserError(
      `Các năm ghi mã cụm "${id}" trong sổ đăng ký nhưng không có sổ đăng ký kèm theo; ` +
        `hãy dùng --so-dang-ky <tệp.json>.`,
    );
  return loadRegisterFile(path);
}

export function renderPeriod(review: PeriodReview): string {
  const out: string[] = [`${review.clusterName} — tổng kết giai đoạn ${review.from}–${review.to}`, ""];
  for (const t of review.targets) {
    const byYear = t.byYear.map((y, i) => `${review.years[i]}: ${periodFigureText(t.kind, y?.achieved)}`).join("; ");
    out.push(
      `  ${t.name}: ${byYear}` +
        (t.summed ? ` — cả giai đoạn: ${formatNumber(t.periodAchieved ?? 0)} ${t.unit}` : " — không cộng qua các năm"),
    );
  }
  if (review.sentence) out.push("", review.sentence);
  out.push("", "Cụm trưởng theo năm:");
  for (const r of review.records)
    out.push(
      `  ${r.year}: ${r.head?.name ?? "—"}` +
        `${r.deputies.length ? `; Cụm phó: ${r.deputies.map((d) => d.name).join(", ")}` : ""}`,
    );
  const merged = review.regrouped.filter((g) => g.includes.length);
  if (merged.length) {
    out.push("", "Trường kế thừa (số liệu các năm được cộng dồn, mỗi trường tính một lần):");
    for (const g of merged) out.push(`  ${regroupedLabel(g)}`);
  }
  return out.join("\n");
}

export async function writePeriodOutputs(
  review: PeriodReview,
  years: LockedYear[],
  out: { xlsx: string; json?: string; docx?: string },
  io: Io,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Tổng kết giai đoạn ${review.from}–${review.to}`;
  for (const spec of buildPeriodSheets(review)) await writeSheet(wb, spec);
  writeOutput(out.xlsx, new Uint8Array(await wb.xlsx.writeBuffer()));
  const written = [displayName(resolve(out.xlsx))];
  if (out.json) {
    writeOutput(out.json, JSON.stringify(review, null, 2) + "\n");
    written.push(displayName(resolve(out.json)));
  }
  if (out.docx) {
    const last = years.find((y) => y.definition.year === review.to)!.definition;
    writeOutput(out.docx, await docxBytes(buildPeriodReport(review, last, new Date())));
    written.push(displayName(resolve(out.docx)));
  }
  io.out(`\nĐã ghi: ${written.join(", ")}.`);
}

export const tongKetGiaiDoan: Command = {
  name: "tong-ket-giai-doan",
  summary: "Tổng kết giai đoạn (ví dụ 2021–2025) từ các bảng tổng hợp đã khóa của từng năm.",
  usage:
    "tong-ket-giai-doan <bảng đã khóa hoặc thư mục>... --tu <năm> --den <năm> --ra " +
    "<tệp.xlsx> [--json <tệp>] [--bao-cao <tệp.docx>] [--so-dang-ky <tệp.json>]",
  options: [
    { name: "tu", flag: "--tu <năm>", type: "string", help: "Năm đầu giai đoạn." },
    { name: "den", flag: "--den <năm>", type: "string", help: "Năm cuối giai đoạn." },
    { name: "ra", flag: "--ra <tệp.xlsx>", type: "string", help: "Bảng tổng kết giai đoạn sẽ tạo." },
    { name: "json", flag: "--json <tệp>", type: "string", help: "Ghi thêm bản JSON cho máy đọc." },
    {
      name: "bao-cao",
      flag: "--bao-cao <tệp.docx>",
      type: "string",
      help: "Ghi thêm Báo cáo tổng kết giai đoạn (.docx).",
    },
    {
      name: "so-dang-ky",
      flag: "--so-dang-ky <tệp.json>",
      type: "string",
      help: "Sổ đăng ký cụm (mặc định: sổ kèm theo mang mã cụm của các năm).",
    },
  ],
  positionals: true,
  details:
    "Chỉ đọc bảng tổng hợp đã khóa bằng lệnh khoa (tong-hop-da-khoa.xlsx); mỗi năm " +
    "được đối chiếu với mã kiểm tra của chính nó. Năm chưa khóa, bị sửa hay còn " +
    "thiếu đều bị từ chối và được nêu tên. Số đếm " +
    "cộng qua các năm; tỷ lệ, Đạt/Không " +
    "đạt, mức, xếp hạng được liệt kê theo năm.",
  async run(v, positionals, io) {
    const from = Number(str(v.tu));
    const to = Number(str(v.den));
    if (!/^\d{4}$/.test(str(v.tu) ?? "") || !/^\d{4}$/.test(str(v.den) ?? ""))
      throw new UserError("Cần --tu <năm> và --den <năm>, ví dụ --tu 2021 --den 2025.", 2);
    const xlsx = str(v.ra);
    if (!xlsx) throw new UserError("Cần --ra <tệp.xlsx> để ghi bảng tổng kết giai đoạn.", 2);
    const files = lockedInputs(positionals);
    const outputs = [xlsx, str(v.json), str(v["bao-cao"])]
      .filter((x): x is string => Boolean(x))
      .map((x) => resolve(x));
    for (const o of outputs)
      if (files.includes(o))
        throw new UserError(`Tệp ghi ra ${displayName(o)} trùng một tệp đầu vào; hãy chọn tên khác.`, 2);
    const years: LockedYear[] = [];
    for (const f of files) years.push(await readLockedYear(f));
    const reg = registerFor(years, str(v["so-dang-ky"]));
    let review: PeriodReview;
    try {
      review = reviewPeriod(years, from, to, reg);
    } catch (e) {
      if (e instanceof PeriodError) throw new UserError(e.message);
      throw e;
    }
    io.out(renderPeriod(review));
    await writePeriodOutputs(review, years, { xlsx, json: str(v.json), docx: str(v["bao-cao"]) }, io);
    return 0;
  },
};

export const lichSu: Command = {
  name: "lich-su",
  summary:
    "Lịch sử cụm cho một trường (ví dụ trường mới vào): kết quả, Cụm trưởng, Cụm " +
    "phó, trường dẫn đầu các năm đã khóa, dưới tên lúc đó kèm trường hiện nay.",
  usage: "lich-su <bảng đã khóa hoặc thư mục>... --truong <MÃ> [--so-dang-ky <tệp.json>]",
  options: [
    { name: "truong", flag: "--truong <MÃ>", type: "string", help: "Mã trường trong sổ đăng ký, ví dụ DNG." },
    {
      name: "so-dang-ky",
      flag: "--so-dang-ky <tệp.json>",
      type: "string",
      help: "Sổ đăng ký cụm (mặc định: sổ kèm theo mang mã cụm của các năm).",
    },
  ],
  positionals: true,
  details: "Đọc các bảng tổng hợp đã khóa (liên tiếp các năm), đối chiếu mã kiểm tra như tong-ket-giai-doan.",
  async run(v, positionals, io) {
    const code = str(v.truong)?.trim().toUpperCase();
    if (!code) throw new UserError("Cần --truong <MÃ>.", 2);
    const years: LockedYear[] = [];
    for (const f of lockedInputs(positionals)) years.push(await readLockedYear(f));
    const reg = registerFor(years, str(v["so-dang-ky"]));
    if (reg && !reg.schools.some((s) => s.id === code))
      throw new UserError(
        `Mã trường "${code}" không có trong sổ đăng ký; các mã có: ${reg.schools.map((s) => s.id).join(", ")}.`,
        2,
      );
    const numbers = years.map((y) => y.definition.year);
    let review: PeriodReview;
    try {
      review = reviewPeriod(years, Math.min(...numbers), Math.max(...numbers), reg);
    } catch (e) {
      if (e instanceof PeriodError) throw new UserError(e.message);
      throw e;
    }
    for (const line of schoolHistory(review, code, lineageOf(years[0]!), reg).lines) io.out(line);
    return 0;
  },
};
