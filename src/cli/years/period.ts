/** `tong-ket-giai-doan` and `lich-su`: the period review and a school's history, from locked year workbooks only. */
import ExcelJS from "exceljs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LockedYear, YearAwards } from "../../core/lock/locked-year";
import { yearAwards } from "../../core/period/awards";
import { DEFAULT_RULE_SETS } from "../../core/review/rules";
import { readProvenRecord, recordBeside } from "../review/review-record";
import { PeriodError, lineageOf, regroupedLabel, reviewPeriod, type PeriodReview } from "../../core/period/period";
import { schoolHistory } from "../../core/period/history";
import { buildPeriodSheets, periodFigureText } from "../../core/sheets/period-layout";
import { buildPeriodReport } from "../../core/documents/period-report";
import type { ClusterRegister } from "../../core/register/register";
import { formatNumber, yearSpan } from "../../core/text/format";
import { writeSheet } from "../../excel/sheet-writer";
import { GHI_DE, required, SO_DANG_KY, str, yearOption, type Command, type Io } from "../command";
import { registerDir } from "../io/definitions";
import { docxBytes } from "../io/docx";
import { UserError } from "../errors";
import { displayName, lockedInputs } from "../io/files";
import { readLockedYear as readVerifiedYear } from "../io/locked-year";
import { keptLines, planOutputs, type OutputPlan } from "../io/outputs";
import { loadRegisterFile } from "../io/register";

/**
 * One locked year for the period review, through the one locked-year reader (refused, naming the file, unless
 * exactly as locked), with the awards of its review meeting when the record is beside it.
 */
export async function readLockedYear(path: string): Promise<LockedYear> {
  const year = await readVerifiedYear(path);
  const record = recordBeside(path);
  return record ? { ...year, awards: reviewAwards(year, path, record) } : year;
}

/**
 * The awards of the year's review meeting, from the record `binh-xet` writes
 * beside the locked workbook, proven as `xac-minh --binh-xet` proves it; a
 * record that no longer follows is refused, as a tampered year is.
 */
function reviewAwards(year: LockedYear, lockedFile: string, file: string): YearAwards | undefined {
  return yearAwards(readProvenRecord(year, lockedFile, displayName(file), DEFAULT_RULE_SETS).record);
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
  const out: string[] = [`${review.clusterName} — tổng kết giai đoạn ${yearSpan(review.from, review.to)}`, ""];
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
  plan: OutputPlan,
  io: Io,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Tổng kết giai đoạn ${yearSpan(review.from, review.to)}`;
  for (const spec of buildPeriodSheets(review)) await writeSheet(wb, spec);
  plan.write(out.xlsx, new Uint8Array(await wb.xlsx.writeBuffer()));
  const written = [displayName(out.xlsx)];
  if (out.json) {
    plan.write(out.json, JSON.stringify(review, null, 2) + "\n", io);
    if (out.json !== "-") written.push(displayName(out.json));
  }
  if (out.docx) {
    const last = years.find((y) => y.definition.year === review.to)!.definition;
    plan.write(out.docx, await docxBytes(buildPeriodReport(review, last, new Date())));
    written.push(displayName(out.docx));
  }
  const say = plan.messages(io);
  say(`\nĐã ghi: ${written.join(", ")}.`);
  for (const line of keptLines(plan)) say(line);
}

/** The locked years named, each read and verified, refused as a whole at the first that is not as locked. */
async function readYears(positionals: string[]): Promise<LockedYear[]> {
  const years: LockedYear[] = [];
  for (const f of lockedInputs(positionals)) years.push(await readLockedYear(f));
  return years;
}

export const tongKetGiaiDoan: Command = {
  name: "tong-ket-giai-doan",
  summary: "Tổng kết giai đoạn (ví dụ 2021–2025) từ các bảng tổng hợp đã khóa của từng năm.",
  usage:
    "tong-ket-giai-doan <bảng đã khóa hoặc thư mục>... --tu <năm> --den <năm> --ra " +
    "<tệp.xlsx> [--json <tệp hoặc ->] [--bao-cao <tệp.docx>] [--so-dang-ky <tệp.json>] [--ghi-de]",
  options: [
    { name: "tu", flag: "--tu <năm>", type: "string", help: "Năm đầu giai đoạn." },
    { name: "den", flag: "--den <năm>", type: "string", help: "Năm cuối giai đoạn." },
    { name: "ra", flag: "--ra <tệp.xlsx>", type: "string", help: "Bảng tổng kết giai đoạn sẽ tạo." },
    {
      name: "json",
      flag: "--json <tệp hoặc ->",
      type: "string",
      help: "Ghi thêm bản JSON cho máy đọc; dùng - để in ra màn hình.",
    },
    {
      name: "bao-cao",
      flag: "--bao-cao <tệp.docx>",
      type: "string",
      help: "Ghi thêm Báo cáo tổng kết giai đoạn (.docx).",
    },
    SO_DANG_KY,
    GHI_DE,
  ],
  positionals: true,
  details:
    "Chỉ đọc bảng tổng hợp đã khóa bằng lệnh khoa (tong-hop-da-khoa.xlsx); mỗi năm " +
    "được đối chiếu với mã kiểm tra của chính nó. Năm chưa khóa, bị sửa hay còn " +
    "thiếu đều bị từ chối và được nêu tên. Số đếm " +
    "cộng qua các năm; tỷ lệ, Đạt/Không " +
    "đạt, mức, xếp hạng được liệt kê theo năm.",
  async run(v, positionals, io) {
    if (str(v.tu) === undefined || str(v.den) === undefined)
      throw new UserError("Cần --tu <năm> và --den <năm>, ví dụ --tu 2021 --den 2025.", 2);
    const from = yearOption(v.tu, "--tu");
    const to = yearOption(v.den, "--den");
    const xlsx = required(v.ra, "Cần --ra <tệp.xlsx> để ghi bảng tổng kết giai đoạn.");
    const files = lockedInputs(positionals);
    const registerOption = str(v["so-dang-ky"]);
    const out = { xlsx, json: str(v.json), docx: str(v["bao-cao"]) };
    // Every output is checked against every input (the locked years, the records beside them, the register)
    // and against each other before a year is read: a folder or an input named as an output stops here.
    const plan = planOutputs(
      [
        { path: xlsx, option: "--ra" },
        ...(out.json ? [{ path: out.json, option: "--json", stdout: true }] : []),
        ...(out.docx ? [{ path: out.docx, option: "--bao-cao" }] : []),
      ],
      [
        ...files,
        ...files.map(recordBeside).filter((p): p is string => !!p),
        ...(registerOption ? [registerOption] : []),
      ],
      { replace: v["ghi-de"] === true },
    );
    const years = await readYears(positionals);
    const reg = registerFor(years, registerOption);
    let review: PeriodReview;
    try {
      review = reviewPeriod(years, from, to, reg);
    } catch (e) {
      if (e instanceof PeriodError) throw new UserError(e.message);
      throw e;
    }
    plan.messages(io)(renderPeriod(review));
    await writePeriodOutputs(review, years, out, plan, io);
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
    SO_DANG_KY,
  ],
  positionals: true,
  details: "Đọc các bảng tổng hợp đã khóa (liên tiếp các năm), đối chiếu mã kiểm tra như tong-ket-giai-doan.",
  async run(v, positionals, io) {
    const code = str(v.truong)?.trim().toUpperCase();
    if (!code) throw new UserError("Cần --truong <MÃ>.", 2);
    const years = await readYears(positionals);
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
