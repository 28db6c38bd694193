/** Offline sign-off: `khoa` locks the year into a password-protected summary, `xac-minh` checks files against it. */
import { randomInt } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildYearReport } from "../core/documents/documents";
import { describeChange, diffFigures, shortPrint } from "../core/lock/fingerprint";
import { freezeYear, thawYear, type FrozenYear } from "../core/lock/freeze";
import { formatDateTime } from "../core/text/format";
import { buildLockSheet, buildSnapshotSheet, buildTextSheet, DEFINITION_SHEET, LOCK_SHEET, readLockSheet, readSnapshotSheet, SNAPSHOT_SHEET, type OfflineLock } from "../core/sheets/lock-layout";
import { formatProblem, hasErrors } from "../core/problem";
import { docxBytes } from "./docx";
import { loadWorkbook, worksheetGrid } from "../excel/reader";
import { buildSummaryWorkbook } from "../excel/summary";
import { CUM, str, type Command } from "./command";
import type { SchoolFigures } from "../core/figures/validate";
import type { SchoolReport } from "../core/pipeline";
import { schoolSheetName } from "../core/sheets/school-layout";
import { definitionFromOption } from "./definitions";
import type { ClusterDefinition } from "../core/definition/definition";
import { UserError } from "./errors";
import { sha256 } from "./hash";
import { verifyRecordFile } from "./review-record";
import { collectInputs, displayName, readAll, writeOutput } from "./files";


/** 14 characters without look-alikes (0/O, 1/l/I), easy to read aloud and type. */
function newPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 14 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/**
 * The locked summary workbook: the summary sheets, the lock record, and two
 * hidden sheets with the figures and the year's definition, so the workbook
 * alone can be verified and read back years later (tong-ket-giai-doan).
 */
/** Figures already checked and kept as data (samples, the bench) frozen as the lock freezes files. */
export function freezeFigures(def: ClusterDefinition, figures: readonly SchoolFigures[]): FrozenYear {
  const reports: SchoolReport[] = figures.map((f) => {
    const school = def.schools.find((s) => s.code === f.school)!;
    return { school, sheet: schoolSheetName(school), figures: f, problems: [], blank: false, cells: new Map() };
  });
  return freezeYear(def, reports, sha256);
}

export async function lockedWorkbook(def: ClusterDefinition, year: FrozenYear, missing: string[], password: string, now: Date): Promise<Uint8Array> {
  const definitionText = JSON.stringify(def);
  const lock: OfflineLock = { at: formatDateTime(now), by: "cum-thi-dua (ngoại tuyến)", fingerprint: year.fingerprint, schoolPrints: year.schoolPrints, unconfirmed: missing, definitionPrint: sha256(definitionText) };
  const sheets = [buildLockSheet(def, lock), buildSnapshotSheet(year.snapshot), buildTextSheet(DEFINITION_SHEET, definitionText)];
  const wb = await buildSummaryWorkbook(year.verdict.summary, year.verdict.ranking, { madeAt: now, madeBy: lock.by }, { password, sheets });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export const khoa: Command = {
  name: "khoa",
  summary: "Khóa số liệu cuối năm: bảng tổng hợp bảo vệ bằng mật khẩu, mã kiểm tra toàn vẹn, báo cáo tổng kết.",
  usage: "khoa <tệp.xlsx hoặc thư mục>... --ra <thư mục> [--mat-khau <mật khẩu>] [--cho-phep-thieu <MÃ,MÃ>] [--cum <tệp.json>]",
  options: [
    { name: "ra", flag: "--ra <thư mục>", type: "string", help: "Nơi ghi tong-hop-da-khoa.xlsx và bao-cao-tong-ket.docx." },
    { name: "mat-khau", flag: "--mat-khau <mật khẩu>", type: "string", help: "Mật khẩu bảo vệ các trang; không có thì chương trình tạo và in ra một lần." },
    { name: "cho-phep-thieu", flag: "--cho-phep-thieu <MÃ,MÃ>", type: "string", help: "Vẫn khóa khi các trường này chưa có số liệu hợp lệ (phải ghi đúng tên các trường còn thiếu)." },
    CUM,
  ],
  positionals: true,
  details: "Mọi trường phải có tệp hợp lệ, hoặc được ghi rõ trong --cho-phep-thieu. Mã thoát 0 khi đã khóa, 1 khi từ chối.",
  async run(v, positionals, io) {
    const def = definitionFromOption(str(v.cum));
    const out = str(v.ra);
    if (!out) throw new UserError("Cần --ra <thư mục> để ghi các tệp đã khóa.", 2);
    const reports = await readAll(def, collectInputs(positionals));
    const problems = reports.flatMap((r) => r.problems.filter((p) => p.severity === "error"));
    if (problems.length) {
      for (const p of problems) io.out(formatProblem(p));
      throw new UserError(`Không khóa được: ${problems.length} lỗi trong các tệp trên. Hãy sửa rồi chạy lại.`);
    }
    const codes = new Map<string, string>();
    for (const r of reports) {
      // A file with no figures typed is no hand-in: its school counts as missing.
      if (r.report?.blank) continue;
      const code = r.school!.code;
      if (codes.has(code)) throw new UserError(`Có hai tệp cho ${r.school!.name}: ${codes.get(code)} và ${r.file}. Hãy giữ lại một tệp.`);
      codes.set(code, r.file);
    }
    const missing = def.schools.filter((s) => !codes.has(s.code)).map((s) => s.code);
    const allowed = (str(v["cho-phep-thieu"]) ?? "").split(/[,\s]+/).filter(Boolean).map((c) => c.toUpperCase());
    if (missing.length && !(missing.length === allowed.length && missing.every((m) => allowed.includes(m))))
      throw new UserError(`Còn ${missing.length} trường chưa có số liệu: ${missing.join(", ")}. Hãy bổ sung, hoặc khóa có ghi rõ: --cho-phep-thieu ${missing.join(",")}.`);

    const now = new Date();
    // One verdict, frozen: the workbook, its lock sheet, the snapshot and the report all print from it.
    const year = freezeYear(def, reports.map((r) => r.report!), sha256);
    const { fingerprint } = year;
    const { summary, ranking } = year.verdict;
    const password = str(v["mat-khau"]) ?? newPassword();
    const bytes = await lockedWorkbook(def, year, missing, password, now);
    const xlsx = join(out, "tong-hop-da-khoa.xlsx");
    const docx = join(out, "bao-cao-tong-ket.docx");
    writeOutput(xlsx, bytes);
    writeOutput(docx, await docxBytes(buildYearReport({ summary, ranking, date: now, fingerprint: shortPrint(fingerprint) })));
    io.out(`Đã khóa số liệu năm ${def.year} của ${codes.size}/${def.schools.length} trường.`);
    io.out(`Mã kiểm tra toàn cụm: ${shortPrint(fingerprint)} (đầy đủ: ${fingerprint}).`);
    io.out(`Đã ghi: ${displayName(xlsx)}, ${displayName(docx)}.`);
    if (!str(v["mat-khau"])) io.out(`Mật khẩu bảo vệ các trang (chỉ in một lần, hãy lưu lại): ${password}`);
    return 0;
  },
};

export interface LockedYear {
  lock: OfflineLock & { cluster: string; year: number };
  /** The year back from the figures kept at the lock. */
  year: FrozenYear;
  /** Whether the kept figures still give the fingerprint recorded at the lock. */
  intact: boolean;
}

/** A locked summary workbook read back: its lock record and the year it froze, checked against the fingerprint. */
export async function readLockedYear(def: ClusterDefinition, lockedFile: string): Promise<LockedYear> {
  if (!existsSync(lockedFile)) throw new UserError(`Không tìm thấy "${lockedFile}".`);
  const loaded = await loadWorkbook(new Uint8Array(readFileSync(lockedFile)), displayName(lockedFile));
  if (!loaded.wb) throw new UserError(loaded.problems.map((p) => formatProblem(p)).join("\n"));
  const lockWs = loaded.wb.getWorksheet(LOCK_SHEET);
  const snapWs = loaded.wb.getWorksheet(SNAPSHOT_SHEET);
  const lock = lockWs ? readLockSheet(def, worksheetGrid(lockWs).values) : undefined;
  if (!lock || !snapWs) throw new UserError(`${lockedFile} không phải bảng tổng hợp đã khóa (thiếu trang "${LOCK_SHEET}").`);
  if (lock.cluster !== def.id || lock.year !== def.year) throw new UserError(`Bảng đã khóa là của cụm "${lock.cluster}" năm ${lock.year}, không phải ${def.id} năm ${def.year}; hãy dùng --cum đúng cụm.`);
  const year = thawYear(def, readSnapshotSheet(worksheetGrid(snapWs).values), sha256);
  return { lock, year, intact: year.fingerprint === lock.fingerprint };
}

export const xacMinh: Command = {
  name: "xac-minh",
  summary: "Kiểm tra các tệp của trường còn khớp với số liệu đã khóa không, chỉ rõ từng ô khác.",
  usage: "xac-minh <tong-hop-da-khoa.xlsx> [<tệp.xlsx hoặc thư mục>...] [--binh-xet <ket-qua-binh-xet.json>] [--cum <tệp.json>]",
  options: [{ name: "binh-xet", flag: "--binh-xet <tệp.json>", type: "string", help: "Kiểm tra thêm biên bản bình xét (ket-qua-binh-xet.json) lập trên năm đã khóa này." }, CUM],
  positionals: true,
  details: "Cần các tệp của trường, hoặc --binh-xet, hoặc cả hai. Mã thoát 0 khi mọi tệp khớp, 1 khi có khác biệt, bảng đã khóa hoặc biên bản bình xét bị sửa.",
  async run(v, positionals, io) {
    const def = definitionFromOption(str(v.cum));
    const [lockedFile, ...rest] = positionals;
    const review = str(v["binh-xet"]);
    if (!lockedFile || (!rest.length && !review)) throw new UserError("Cần bảng tổng hợp đã khóa và các tệp của trường (hoặc --binh-xet <ket-qua-binh-xet.json>).", 2);
    const { lock, year, intact } = await readLockedYear(def, lockedFile);
    const locked = year.figures;
    const lockedPrints = year.schoolPrints;
    if (!intact) {
      io.out(`${lockedFile}: bản số liệu lưu khi khóa không khớp mã kiểm tra ${shortPrint(lock.fingerprint)}: bảng đã khóa đã bị sửa.`);
      return 1;
    }
    const reviewCheck = review ? verifyRecordFile(def, review, lock.fingerprint) : undefined;
    if (reviewCheck) io.out(reviewCheck.line);
    if (!rest.length) return reviewCheck!.ok ? 0 : 1;
    const reports = await readAll(def, collectInputs(rest, [lockedFile]));
    let differences = 0;
    for (const r of reports) {
      if (!r.school || hasErrors(r.problems) || !r.figures) {
        for (const p of r.problems) io.out(formatProblem(p));
        differences++;
        continue;
      }
      const before = locked.find((f) => f.school === r.school!.code);
      if (!before) {
        io.out(`${r.file}: ${r.school.name} không có trong số liệu đã khóa.`);
        differences++;
        continue;
      }
      const diffs = diffFigures(def, before, r.figures);
      for (const d of diffs) {
        const field = d.field === "registered" ? "Đăng ký" : d.field === "achieved" ? "Thực hiện" : "Ghi chú";
        io.out(`${r.file} › ${r.sheet}!${r.report?.cells.get(d.target)?.[d.field] ?? "?"}: chỉ tiêu ${d.target}, cột ${field}: ${describeChange(d)}.`);
      }
      differences += diffs.length;
      if (!diffs.length) io.out(`${r.file}: khớp với số liệu đã khóa (${r.school.name}, mã ${shortPrint(lockedPrints[r.school.code]!)}).`);
    }
    io.out(differences ? `\nCó ${differences} điểm khác so với số liệu đã khóa lúc ${lock.at}.` : `\nMọi tệp khớp với số liệu đã khóa lúc ${lock.at} (mã ${shortPrint(lock.fingerprint)}).`);
    return differences || (reviewCheck && !reviewCheck.ok) ? 1 : 0;
  },
};
