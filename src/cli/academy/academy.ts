/**
 * `tong-hop-hoc-vien`: the Academy's roll-up from every cluster's locked year
 * and, with `--binh-xet`, its review record. Every input is read and verified
 * before anything is written, so a refused input leaves no output behind.
 */
import ExcelJS from "exceljs";
import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { AcademyError } from "../../core/academy/academy-error";
import { rollUp, type AcademyRollup, type ClusterInput } from "../../core/academy/rollup";
import { buildAcademyReport } from "../../core/documents/academy-report";
import type { LockedYear } from "../../core/lock/locked-year";
import { parseReviewRecord, type ReviewRecord } from "../../core/review/record";
import { RuleSetError, type RuleSet } from "../../core/review/rules";
import { academyTitle, buildAcademySheets, coverageWords } from "../../core/sheets/academy-layout";
import { periodFigureText } from "../../core/sheets/period-layout";
import { shortPrint } from "../../core/lock/fingerprint";
import { formatRate, isoDateOf, parseVietnameseDate } from "../../core/text/format";
import { writeSheet } from "../../excel/sheet-writer";
import { GHI_DE, str, type Command, type Io } from "../command";
import { UserError } from "../errors";
import { docxBytes } from "../io/docx";
import { displayName, lockedInputs } from "../io/files";
import { readLockedYear } from "../io/locked-year";
import { keptLines, planOutputs, type OutputPlan } from "../io/outputs";
import { RECORD_FILE, readProvenRecord } from "../review/review-record";
import { ruleSets } from "../review/review-inputs";
import { readInputFile, SMALL_JSON_BYTES } from "../io/disk";

/** Record files as given; a folder gives every ket-qua-binh-xet.json in it and in its subfolders (two levels). */
export function recordInputs(args: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const s = statSync(path);
      if (s.isDirectory() && depth < 2) walk(path, depth + 1);
      else if (s.isFile() && name === RECORD_FILE) found.push(resolve(path));
    }
  };
  for (const arg of args) {
    if (!existsSync(arg)) throw new UserError(`Không tìm thấy biên bản bình xét "${arg}".`);
    if (statSync(arg).isDirectory()) {
      const before = found.length;
      walk(arg, 0);
      if (found.length === before)
        throw new UserError(`Thư mục "${arg}" và các thư mục con không có biên bản bình xét (${RECORD_FILE}).`);
    } else if (extname(arg).toLowerCase() === ".json") found.push(resolve(arg));
    else throw new UserError(`"${arg}" không phải biên bản bình xét (.json do lệnh binh-xet ghi).`);
  }
  return [...new Set(found)];
}

/**
 * Each record matched to its cluster's locked year and proven against it as `xac-minh --binh-xet` proves it (its
 * code, the locked year it names, its result derived again from its tally); a stray or second record is refused.
 * The record names its cluster and year inside, so it is read once to find its year, then proven.
 */
function attachRecords(
  years: { year: LockedYear; file: string }[],
  files: string[],
  sets: readonly RuleSet[],
): { inputs: ClusterInput[]; prints: Record<string, string> } {
  const records = new Map<string, { file: string; record: ReviewRecord; print: string }>();
  for (const file of files) {
    const shown = displayName(file);
    const named = recordNamed(file);
    if (!named) throw new UserError(`${shown}: không phải biên bản bình xét do cum-thi-dua ghi.`);
    const found = years.find(({ year }) => year.definition.id === named.cluster && year.definition.year === named.year);
    if (!found)
      throw new UserError(
        `${shown}: biên bản bình xét của cụm "${named.cluster}" năm ${named.year}, không thuộc ` +
          `Cụm nào trong các bảng đã khóa đã đưa vào.`,
      );
    const id = found.year.definition.id;
    const earlier = records.get(id);
    if (earlier)
      throw new UserError(
        `${found.year.definition.name} có hai biên bản bình xét: ${displayName(earlier.file)} và ${shown}. ` +
          `Hãy giữ lại một.`,
      );
    const { record, fingerprint } = readProvenRecord(found.year, found.file, shown, sets);
    records.set(id, { file, record, print: fingerprint });
  }
  return {
    inputs: years.map(({ year }) => ({ year, review: records.get(year.definition.id)?.record })),
    prints: Object.fromEntries([...records].map(([id, r]) => [id, r.print])),
  };
}

/** The cluster and year a record file says it belongs to, read with the size-checked reader; undefined if none. */
function recordNamed(file: string): { cluster: string; year: number } | undefined {
  try {
    const saved = JSON.parse(new TextDecoder().decode(readInputFile(file, SMALL_JSON_BYTES, displayName(file)))) as {
      record?: unknown;
    };
    const record = saved?.record ? parseReviewRecord(JSON.stringify(saved.record)) : undefined;
    return record && { cluster: record.cluster, year: record.year };
  } catch (e) {
    if (e instanceof UserError) throw e;
    return undefined;
  }
}

export function renderAcademy(r: AcademyRollup): string {
  const n = r.clusters.length;
  const out = [`${academyTitle(r)} — ${n} Cụm, ${r.schools.counted}/${r.schools.members} trường được tính`, ""];
  for (const t of r.targets) {
    if (t.total)
      out.push(
        `  ${t.name}: ${periodFigureText(t.kind, t.total.achieved)} ${t.unit} ` +
          `(đăng ký ${periodFigureText(t.kind, t.total.registered)}, ${formatRate(t.total.completion)}; ` +
          `${coverageWords(t, r.clusters)})`,
      );
    else
      out.push(
        `  ${t.name}: ${r.clusters
          .map((c, k) => (t.byCluster[k] ? `${c.label}: ${periodFigureText(t.kind, t.byCluster[k].achieved)}` : ""))
          .filter(Boolean)
          .join("; ")} — ${t.notSummedWhy}`,
      );
  }
  if (r.sentence) out.push("", r.sentence);
  out.push("", "Các Cụm:");
  for (const c of r.clusters)
    out.push(
      `  ${c.name}: Cụm trưởng ${c.head?.name ?? "—"}; dẫn đầu ${c.leaders.map((l) => l.name).join(", ") || "—"}` +
        `${c.leadersFrom === "ranking" ? " (xếp hạng 1)" : ""}; ${c.counted.length}/${c.members} trường được tính; ` +
        `mã kiểm tra ${shortPrint(c.fingerprint)}`,
    );
  if (r.review) {
    out.push("", `Đề nghị khen thưởng (${r.review.ruleSet.name}):`);
    for (const a of r.review.awards)
      out.push(`  ${a.name}: ${a.schools.map((s) => s.schoolName).join(", ") || "không có"}`);
    out.push("  Cờ thi đua của Chính phủ:");
    for (const l of r.review.govFlag.lines) out.push(`    ${l}`);
    for (const o of r.review.govFlag.outcomes) out.push(`    - ${o.line}`);
    if (r.review.withoutRecord.length) out.push(`  Chưa có biên bản bình xét: ${r.review.withoutRecord.join("; ")}.`);
  }
  return out.join("\n");
}

export async function writeAcademyOutputs(
  r: AcademyRollup,
  out: { xlsx: string; json?: string; docx?: string },
  date: Date,
  plan: OutputPlan,
  io: Io,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Tổng hợp toàn Học viện năm ${r.year}`;
  for (const spec of buildAcademySheets(r)) await writeSheet(wb, spec);
  const workbook = new Uint8Array(await wb.xlsx.writeBuffer());
  const report = out.docx ? await docxBytes(buildAcademyReport(r, date)) : undefined;
  const json = JSON.stringify(r, null, 2) + "\n";
  plan.write(out.xlsx, workbook);
  const written = [displayName(resolve(out.xlsx))];
  if (out.json) {
    plan.write(out.json, json, io);
    if (out.json !== "-") written.push(displayName(resolve(out.json)));
  }
  if (out.docx && report) {
    plan.write(out.docx, report);
    written.push(displayName(resolve(out.docx)));
  }
  const say = plan.messages(io);
  say(`\nĐã ghi: ${written.join(", ")}.`);
  for (const line of keptLines(plan)) say(line);
}

export const tongHopHocVien: Command = {
  name: "tong-hop-hoc-vien",
  summary: "Tổng hợp toàn Học viện: số liệu đã khóa và đề nghị khen thưởng của mọi Cụm trong một năm.",
  usage:
    "tong-hop-hoc-vien <bảng đã khóa hoặc thư mục>... --ra <tệp.xlsx> [--json <tệp|->] " +
    "[--bao-cao <tệp.docx>] [--binh-xet <biên bản hoặc thư mục>]... [--quy-tac <tệp.json>] [--ngay dd/mm/yyyy]",
  options: [
    { name: "ra", flag: "--ra <tệp.xlsx>", type: "string", help: "Bảng tổng hợp toàn Học viện sẽ tạo." },
    {
      name: "json",
      flag: "--json <tệp|->",
      type: "string",
      help: "Ghi thêm bản JSON cho máy đọc (- : in ra màn hình).",
    },
    { name: "bao-cao", flag: "--bao-cao <tệp.docx>", type: "string", help: "Ghi thêm Báo cáo tổng hợp (.docx)." },
    {
      name: "binh-xet",
      flag: "--binh-xet <tệp|thư mục>",
      type: "string",
      multiple: true,
      help:
        "Biên bản bình xét (ket-qua-binh-xet.json) của các Cụm, hoặc thư mục chứa chúng; lặp lại cho " +
        "nhiều tệp hay thư mục.",
    },
    {
      name: "ngay",
      flag: "--ngay <dd/mm/yyyy>",
      type: "string",
      help:
        "Ngày Hội đồng Học viện xét, chọn quy tắc áp dụng (mặc định: ngày họp bình xét muộn nhất " +
        "của các Cụm); cũng là ngày ghi trên báo cáo.",
    },
    {
      name: "quy-tac",
      flag: "--quy-tac <tệp.json>",
      type: "string",
      help:
        "Quy tắc bình xét (như binh-xet --quy-tac): dùng để tính lại kết quả từng biên bản và để giới hạn " +
        "đề nghị Cờ thi đua của Chính phủ, thay cho quy tắc mặc định.",
    },
    GHI_DE,
  ],
  positionals: true,
  details:
    "Mỗi bảng đã khóa (tong-hop-da-khoa.xlsx do lệnh khoa ghi) được đối chiếu với mã kiểm tra của " +
    "chính nó; bảng chưa khóa, bị sửa hay không phải bảng đã khóa bị từ chối, nêu tên tệp, và không " +
    "tệp nào được ghi. Cùng một Cụm đưa vào hai lần, các Cụm khác năm, một trường thuộc hai Cụm đều bị " +
    "từ chối. Số đếm được cộng trên mọi Cụm (chỉ tiêu ghép theo mã và đơn vị tính); tỷ lệ, Đạt/Không " +
    "đạt liệt kê theo Cụm. Với --binh-xet: biên bản của từng Cụm được đối chiếu với mã kiểm tra của nó " +
    "và số liệu đã khóa, kết quả được tính lại từ kết quả kiểm phiếu; đề nghị Cờ thi đua của Chính " +
    "phủ được xếp theo tỷ lệ phiếu, rồi điểm đã khóa, " +
    "và giới hạn theo tỷ lệ áp dụng vào ngày xét trên tổng số đơn vị dẫn đầu các Cụm.",
  async run(v, positionals, io) {
    const xlsx = str(v.ra);
    if (!xlsx) throw new UserError("Cần --ra <tệp.xlsx> để ghi bảng tổng hợp toàn Học viện.", 2);
    const json = str(v.json);
    const docx = str(v["bao-cao"]);
    const dateText = str(v.ngay);
    const date = dateText === undefined ? undefined : parseVietnameseDate(dateText);
    if (dateText !== undefined && !date)
      throw new UserError(`Ngày "${dateText}" không hợp lệ; hãy viết dạng ngày/tháng/năm, ví dụ 15/12/2026.`, 2);
    const files = lockedInputs(positionals);
    const recordOption = (v["binh-xet"] as string[] | undefined) ?? [];
    const recordFiles = recordInputs(recordOption);
    const rulesFile = str(v["quy-tac"]);
    const plan = planOutputs(
      [
        { path: xlsx, option: "--ra" },
        ...(json ? [{ path: json, option: "--json", stdout: true }] : []),
        ...(docx ? [{ path: docx, option: "--bao-cao" }] : []),
      ],
      [...files, ...recordFiles, ...(rulesFile ? [rulesFile] : [])],
      { replace: v["ghi-de"] === true },
    );
    const sets = ruleSets(rulesFile);
    const years: { year: LockedYear; file: string }[] = [];
    for (const file of files) years.push({ year: await readLockedYear(file), file });
    const { inputs, prints } = attachRecords(years, recordFiles, sets);
    let rollup: AcademyRollup;
    try {
      rollup = rollUp(inputs, { date: date && isoDateOf(date), ruleSets: sets, reviewPrints: prints });
    } catch (e) {
      if (e instanceof AcademyError) throw new UserError(e.message);
      if (e instanceof RuleSetError) throw new UserError(e.message);
      throw e;
    }
    plan.messages(io)(renderAcademy(rollup));
    await writeAcademyOutputs(rollup, { xlsx, json, docx }, date ?? new Date(), plan, io);
    return 0;
  },
};
