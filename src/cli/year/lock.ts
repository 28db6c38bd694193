/** Offline sign-off: `khoa` locks the year into a password-protected summary, `xac-minh` checks files against it. */
import { randomInt } from "node:crypto";
import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import type ExcelJS from "exceljs";
import { buildYearReport } from "../../core/documents/documents";
import { describeChange, diffFigures, shortPrint } from "../../core/lock/fingerprint";
import { freezeYear, thawYear, type FrozenYear } from "../../core/lock/freeze";
import { formatDateTime } from "../../core/text/format";
import { MAX_FILE_BYTES } from "../../excel/zip-guard";
import { passwordProtectedSheets } from "../../excel/sheet-protection";
import {
  buildLockSheet,
  buildSnapshotSheet,
  buildTextSheet,
  DEFINITION_SHEET,
  LOCK_SHEET,
  readLockSheet,
  readSnapshotSheet,
  SNAPSHOT_SHEET,
  type OfflineLock,
} from "../../core/sheets/lock-layout";
import { formatProblem, hasErrors } from "../../core/problem";
import { docxBytes } from "../io/docx";
import { loadWorkbook, worksheetGrid } from "../../excel/reader";
import { buildSummaryWorkbook } from "../../excel/summary";
import { CUM, str, type Command } from "../command";
import type { SchoolFigures } from "../../core/figures/validate";
import type { SchoolReport } from "../../core/pipeline";
import { schoolSheetName } from "../../core/sheets/school-layout";
import { definitionFromOption } from "../io/definitions";
import { UserError } from "../errors";
import { collectInputs, displayName, inputsFor, readAll, renderSkipped, writeOutput } from "../io/files";
import { sha256 } from "../io/hash";
import { verifyRecordFile } from "../review/review-record";
import { fsError, readInputFile } from "../io/disk";
import { a1 } from "../../core/problem";
import { cellText } from "../../core/figures/parse";
import { matchKey } from "../../core/text/text";
import { buildSummarySheets, COVERAGE_SHEET } from "../../core/sheets/summary-layout";
import type { SheetSpec } from "../../core/sheets/sheet-spec";
import { checkDefinition, type ClusterDefinition } from "../../core/definition/definition";

/** 14 characters without look-alikes (0/O, 1/l/I), easy to read aloud and type. */
function newPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 14 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

const LOCKED_XLSX = "tong-hop-da-khoa.xlsx";
const LOCKED_DOCX = "bao-cao-tong-ket.docx";

/** How to check a lock against the code of the signed report: printed by khoa and written on the lock sheet. */
export function verifyHint(fingerprint: string): string {
  return (
    `Để kiểm tra bảng này với mã in trong báo cáo đã ký: cum-thi-dua xac-minh ` +
    `${LOCKED_XLSX} <thư mục tệp các trường> --ma ${shortPrint(fingerprint)}`
  );
}

/** "20231120-0930": for the name an earlier locked record keeps when it is moved aside. */
function stampForName(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}` +
    `${p(d.getMinutes())}${p(d.getSeconds())}`
  );
}

/** Moves an earlier locked record aside ("tong-hop-da-khoa.truoc-20231120-093000.xlsx"), never deleting it. */
function keepEarlier(path: string, now: Date): string | undefined {
  if (!existsSync(path)) return undefined;
  const kept = path.replace(/(\.[^.]+)$/, `.truoc-${stampForName(now)}$1`);
  try {
    renameSync(path, kept);
  } catch (e) {
    throw fsError(e, path, "ghi");
  }
  return kept;
}

/** Figures already checked and kept as data (samples, the bench) frozen as the lock freezes files. */
export function freezeFigures(def: ClusterDefinition, figures: readonly SchoolFigures[]): FrozenYear {
  const reports: SchoolReport[] = figures.map((f) => {
    const school = def.schools.find((s) => s.code === f.school)!;
    return { school, sheet: schoolSheetName(school), figures: f, problems: [], blank: false, cells: new Map() };
  });
  return freezeYear(def, reports, sha256);
}

/**
 * The locked summary workbook: the summary sheets, the lock record, and two
 * hidden sheets with the figures and the year's definition, so the workbook
 * alone can be verified and read back years later (tong-ket-giai-doan).
 */
export async function lockedWorkbook(
  def: ClusterDefinition,
  year: FrozenYear,
  missing: string[],
  password: string,
  now: Date,
): Promise<Uint8Array> {
  const definitionText = JSON.stringify(def);
  const lock: OfflineLock = {
    at: formatDateTime(now),
    by: "cum-thi-dua (ngoại tuyến)",
    fingerprint: year.fingerprint,
    schoolPrints: year.schoolPrints,
    unconfirmed: missing,
    definitionPrint: sha256(definitionText),
  };
  const sheets = lockSheets(def, lock, year.snapshot, definitionText);
  const wb = await buildSummaryWorkbook(
    year.verdict.summary,
    year.verdict.ranking,
    { madeAt: now, madeBy: lock.by },
    { password, sheets },
  );
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export const khoa: Command = {
  name: "khoa",
  summary: "Khóa số liệu cuối năm: bảng tổng hợp bảo vệ bằng mật khẩu, mã kiểm tra toàn vẹn, báo cáo tổng kết.",
  usage:
    "khoa <tệp.xlsx hoặc thư mục>... --ra <thư mục> [--mat-khau <mật khẩu>] " +
    "[--cho-phep-thieu <MÃ,MÃ>] [--ghi-de] [--cum <tệp.json>]",
  options: [
    { name: "ra", flag: "--ra <thư mục>", type: "string", help: `Nơi ghi ${LOCKED_XLSX} và ${LOCKED_DOCX}.` },
    {
      name: "mat-khau",
      flag: "--mat-khau <mật khẩu>",
      type: "string",
      help: "Mật khẩu bảo vệ các trang; không có thì chương trình tạo và in ra một lần.",
    },
    {
      name: "cho-phep-thieu",
      flag: "--cho-phep-thieu <MÃ,MÃ>",
      type: "string",
      help: "Vẫn khóa khi các trường này chưa có số liệu hợp lệ (phải ghi đúng tên các trường còn thiếu).",
    },
    {
      name: "ghi-de",
      flag: "--ghi-de",
      type: "boolean",
      help: "Khóa lại khi thư mục đã có bản khóa trước; bản trước được giữ bên cạnh với tên có thêm .truoc-<ngày giờ>.",
    },
    CUM,
  ],
  positionals: true,
  details:
    "Mọi trường phải có tệp hợp lệ, hoặc được ghi rõ trong --cho-phep-thieu. Bản " +
    "khóa đã có không bao giờ bị thay nếu không có --ghi-de. Mã thoát 0 khi đã khóa, " +
    "1 khi từ chối.",
  async run(v, positionals, io) {
    const def = definitionFromOption(str(v.cum));
    const out = str(v.ra);
    if (!out) throw new UserError("Cần --ra <thư mục> để ghi các tệp đã khóa.", 2);
    const given = str(v["mat-khau"]);
    if (given !== undefined && given.trim() === "")
      throw new UserError(
        "Mật khẩu không được để trống: bảng khóa không có " +
          "mật khẩu thì ai cũng sửa được. " +
          "Hãy bỏ --mat-khau để chương trình tạo mật khẩu, hoặc ghi một mật khẩu.",
        2,
      );
    const xlsx = join(out, LOCKED_XLSX);
    const docx = join(out, LOCKED_DOCX);
    const inputs = inputsFor(
      def,
      positionals,
      [
        { path: xlsx, option: "--ra" },
        { path: docx, option: "--ra" },
      ],
      str(v.cum),
    );
    const replace = v["ghi-de"] === true;
    const earlier = [xlsx, docx].filter((p) => existsSync(p));
    if (earlier.length && !replace)
      throw new UserError(
        `Thư mục ${out} đã có bản khóa trước (` +
          `${earlier.map((p) => displayName(p)).join(", ")}). Bản khóa là bằng chứng nên ` +
          `không bị thay; hãy chọn thư mục khác, hoặc thêm --ghi-de (bản trước được giữ ` +
          `bên cạnh).`,
      );
    const refused = inputs.skipped.filter((k) => k.refused);
    if (refused.length) {
      for (const line of renderSkipped(refused, def)) io.out(line);
      throw new UserError(
        `Không khóa được: ${refused.length} tệp trong thư mục không đọc được (xem trên). ` +
          `Hãy lưu lại dạng .xlsx hoặc bỏ ra khỏi thư mục rồi chạy lại.`,
      );
    }
    const reports = await readAll(def, inputs.files);
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
      if (codes.has(code))
        throw new UserError(`Có hai tệp cho ${r.school!.name}: ${codes.get(code)} và ${r.file}. Hãy giữ lại một tệp.`);
      codes.set(code, r.file);
    }
    const missing = def.schools.filter((s) => !codes.has(s.code)).map((s) => s.code);
    const allowedKeys = new Set(
      (str(v["cho-phep-thieu"]) ?? "")
        .split(/[,\s]+/)
        .filter(Boolean)
        .map(matchKey),
    );
    const missingKeys = new Set(missing.map(matchKey));
    const exact = allowedKeys.size === missingKeys.size && [...missingKeys].every((m) => allowedKeys.has(m));
    if (missing.length && !exact)
      throw new UserError(
        `Còn ${missing.length} trường chưa có số liệu: ${missing.join(", ")}. Hãy bổ ` +
          `sung, hoặc khóa có ghi rõ: --cho-phep-thieu ${missing.join(",")}.`,
      );
    if (!missing.length && allowedKeys.size)
      throw new UserError(
        `Mọi trường đã có số liệu; --cho-phep-thieu ${str(v["cho-phep-thieu"])} không ` +
          `đúng với trường nào còn thiếu. Hãy bỏ tùy chọn này.`,
        2,
      );

    const now = new Date();
    // One verdict, frozen: the workbook, its lock sheet, the snapshot and the report all print from it.
    const year = freezeYear(
      def,
      reports.map((r) => r.report!),
      sha256,
    );
    const { fingerprint } = year;
    const { summary, ranking } = year.verdict;
    const password = given ?? newPassword();
    const xlsxBytes = await lockedWorkbook(def, year, missing, password, now);
    const docxData = await docxBytes(
      buildYearReport({
        summary,
        ranking,
        date: now,
        fingerprint: shortPrint(fingerprint),
        verifyHint: `${verifyHint(fingerprint)}.`,
      }),
    );
    const kept = earlier.map((p) => keepEarlier(p, now)).filter((p): p is string => !!p);
    writeOutput(xlsx, xlsxBytes);
    writeOutput(docx, docxData);
    io.out(`Đã khóa số liệu năm ${def.year} của ${codes.size}/${def.schools.length} trường.`);
    io.out(`Mã kiểm tra toàn cụm: ${shortPrint(fingerprint)} (đầy đủ: ${fingerprint}).`);
    io.out(`Đã ghi: ${displayName(xlsx)}, ${displayName(docx)}.`);
    if (kept.length) io.out(`Bản khóa trước được giữ lại: ${kept.map((p) => displayName(p)).join(", ")}.`);
    io.out(verifyHint(fingerprint));
    if (!given) io.out(`Mật khẩu bảo vệ các trang (chỉ in một lần, hãy lưu lại): ${password}`);
    return 0;
  },
};

/**
 * The lock record with how to verify it, the hidden snapshot, and (locks made since it was kept) the hidden definition.
 */
function lockSheets(
  def: ClusterDefinition,
  lock: OfflineLock,
  snapshot: string,
  definitionText: string | undefined,
): SheetSpec[] {
  const sheet = buildLockSheet(def, lock);
  sheet.grid.push([null, null, null, null], [verifyHint(lock.fingerprint), null, null, null]);
  return [
    sheet,
    buildSnapshotSheet(snapshot),
    ...(definitionText !== undefined ? [buildTextSheet(DEFINITION_SHEET, definitionText)] : []),
  ];
}

export interface LockedYear {
  lock: OfflineLock & { cluster: string; year: number };
  /** The year back from the figures kept at the lock. */
  year: FrozenYear;
  /** Whether the kept figures still give the fingerprint recorded at the lock. */
  intact: boolean;
}

/** A locked workbook read back, with its bytes and workbook for checking every sheet. */
/**
 * The definition the year was locked under, when the workbook keeps it intact
 * (its text still gives the code on the lock sheet): checks run against it, so
 * a definition changed since the lock is said to be different, not taken for
 * a forged workbook. undefined for a workbook that keeps none.
 */
function keptDefinition(
  wb: ExcelJS.Workbook,
  lockGrid: readonly (readonly unknown[])[],
  given: ClusterDefinition,
): ClusterDefinition | undefined {
  const ws = wb.getWorksheet(DEFINITION_SHEET);
  const print = readLockSheet(given, lockGrid)?.definitionPrint;
  if (!ws || !print) return undefined;
  const text = readSnapshotSheet(worksheetGrid(ws).values);
  if (sha256(text) !== print) return undefined;
  try {
    const checked = checkDefinition(JSON.parse(text));
    return checked.ok ? checked.definition : undefined;
  } catch {
    return undefined;
  }
}

async function loadLocked(
  given: ClusterDefinition,
  lockedFile: string,
): Promise<
  LockedYear & {
    bytes: Uint8Array;
    wb: ExcelJS.Workbook;
    shown: string;
    def: ClusterDefinition;
    changedDefinition: boolean;
  }
> {
  const shown = displayName(lockedFile);
  const bytes = readInputFile(lockedFile, MAX_FILE_BYTES, shown);
  const loaded = await loadWorkbook(bytes, shown);
  if (!loaded.wb) throw new UserError(loaded.problems.map((p) => formatProblem(p)).join("\n"));
  const wb = loaded.wb;
  const lockWs = wb.getWorksheet(LOCK_SHEET);
  const snapWs = wb.getWorksheet(SNAPSHOT_SHEET);
  const lockGrid = lockWs ? worksheetGrid(lockWs).values : undefined;
  const kept = lockGrid ? keptDefinition(wb, lockGrid, given) : undefined;
  const def = kept && kept.id === given.id && kept.year === given.year ? kept : given;
  const changedDefinition = def !== given && JSON.stringify(def) !== JSON.stringify(given);
  const lock = lockGrid ? readLockSheet(def, lockGrid) : undefined;
  if (!lock || !snapWs)
    throw new UserError(
      `${shown} không phải bảng tổng hợp đã khóa, hoặc trang "` +
        `${!lock ? LOCK_SHEET : SNAPSHOT_SHEET}" đã bị xóa: không còn gì để so.`,
    );
  if (lock.cluster !== def.id || lock.year !== def.year)
    throw new UserError(
      `Bảng đã khóa là của cụm "${lock.cluster}" năm ${lock.year}, không phải ${def.id}` +
        ` năm ${def.year}; hãy dùng --cum đúng cụm.`,
    );
  let year: FrozenYear;
  try {
    year = thawYear(def, readSnapshotSheet(worksheetGrid(snapWs).values), sha256);
  } catch {
    throw new UserError(
      `${shown} › ${SNAPSHOT_SHEET}: bản số liệu lưu khi khóa bị hỏng hoặc đã bị sửa, không đọc được.`,
    );
  }
  return { lock, year, intact: year.fingerprint === lock.fingerprint, bytes, wb, shown, def, changedDefinition };
}

/** A locked summary workbook read back: its lock record and the year it froze, checked against the fingerprint. */
export async function readLockedYear(def: ClusterDefinition, lockedFile: string): Promise<LockedYear> {
  const { lock, year, intact } = await loadLocked(def, lockedFile);
  return { lock, year, intact };
}

/** "20/11/2023 09:30" (Vietnam time, as formatDateTime writes it) back to the instant. */
function parseLockTime(text: string): Date | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]) - 7, Number(m[5])));
  return formatDateTime(d) === text ? d : undefined;
}

const quote = (v: unknown) => {
  const t = cellText(v);
  return t.length > 60 ? `"${t.slice(0, 57)}…"` : `"${t}"`;
};

/** Every cell where a displayed sheet differs from what the snapshot rebuilds. */
function diffSheet(file: string, expected: SheetSpec, ws: ExcelJS.Worksheet): string[] {
  const actual = worksheetGrid(ws).values;
  const out: string[] = [];
  const rows = Math.max(expected.grid.length, actual.length);
  for (let r = 0; r < rows; r++) {
    const width = Math.max(expected.grid[r]?.length ?? 0, actual[r]?.length ?? 0);
    for (let c = 0; c < width; c++) {
      const want = cellText(expected.grid[r]?.[c] ?? null);
      const got = cellText(actual[r]?.[c] ?? null);
      if (want !== got)
        out.push(
          `${file} › ${ws.name}!${a1(r, c)}: theo số liệu lưu khi khóa là ${quote(want)}, trong bảng là ${quote(got)}.`,
        );
    }
  }
  return out;
}

/**
 * Tình trạng nộp: who sent which file and its remarks are not in the
 * snapshot, but each school's status is; compared school by school, since
 * remarks take a varying number of rows.
 */
function diffCoverage(file: string, expected: SheetSpec, ws: ExcelJS.Worksheet): string[] {
  const statuses = (grid: readonly (readonly unknown[])[]) => {
    const out = new Map<string, { status: string; row: number }>();
    grid.forEach((r, i) => {
      const code = cellText(r[1]);
      if (i >= 2 && code && cellText(r[0]) !== "" && !out.has(code)) out.set(code, { status: cellText(r[3]), row: i });
    });
    return out;
  };
  const want = statuses(expected.grid);
  const got = statuses(worksheetGrid(ws).values);
  const out: string[] = [];
  for (const [code, w] of want) {
    const g = got.get(code);
    if (!g) out.push(`${file} › ${ws.name}: thiếu hàng của trường ${code}.`);
    else if (g.status !== w.status)
      out.push(
        `${file} › ${ws.name}!${a1(g.row, 3)}: theo số liệu lưu khi khóa là ` +
          `${quote(w.status)}, trong bảng là ${quote(g.status)}.`,
      );
  }
  return out;
}

/** The code given to --ma: the 12 characters printed in the report, or all 64. */
function readCode(text: string): string {
  const code = text.trim().toLowerCase();
  if (!/^[0-9a-f]{12}$|^[0-9a-f]{64}$/.test(code))
    throw new UserError(
      `Mã "${text}" không đúng dạng: cần 12 ký tự (như in trong báo cáo tổng kết) hoặc 64 ký tự, chỉ gồm 0–9 và a–f.`,
      2,
    );
  return code;
}

export const xacMinh: Command = {
  name: "xac-minh",
  summary: "Kiểm tra bảng đã khóa và các tệp của trường còn khớp với số liệu đã khóa không, chỉ rõ từng ô khác.",
  usage:
    "xac-minh <tong-hop-da-khoa.xlsx> [tệp.xlsx hoặc thư mục...] [--ma <mã in trong " +
    "báo cáo>] [--binh-xet <ket-qua-binh-xet.json>] [--cum <tệp.json>]",
  options: [
    {
      name: "ma",
      flag: "--ma <mã>",
      type: "string",
      help: "Mã kiểm tra in trong báo cáo tổng kết đã ký (12 ký tự hoặc đầy đủ).",
    },
    {
      name: "binh-xet",
      flag: "--binh-xet <tệp.json>",
      type: "string",
      help: "Kiểm tra thêm biên bản bình xét (ket-qua-binh-xet.json) lập trên năm đã khóa này.",
    },
    CUM,
  ],
  positionals: true,
  details:
    "Không có --ma: kiểm tra bảng đã khóa tự khớp với bản số liệu lưu ẩn bên trong " +
    "(mọi trang, mọi ô, bảo vệ bằng mật khẩu) và các tệp của trường khớp với bản đó. " +
    "Người sửa cả bản lưu ẩn lẫn các trang vẫn có thể qua được bước này; chỉ --ma, " +
    "so với mã in trên báo cáo đã ký, chứng minh số liệu đúng là số đã khóa.\nMã " +
    "thoát 0 khi mọi thứ khớp, 1 khi có khác biệt, bảng đã khóa hoặc biên bản bình " +
    "xét bị sửa.",
  async run(v, positionals, io) {
    const given = definitionFromOption(str(v.cum));
    const [lockedFile, ...rest] = positionals;
    if (!lockedFile) throw new UserError("Cần bảng tổng hợp đã khóa (và các tệp của trường nếu muốn so).", 2);
    const code = str(v.ma) === undefined ? undefined : readCode(str(v.ma)!);
    const review = str(v["binh-xet"]);
    const { lock, year, bytes, wb, shown, def, changedDefinition } = await loadLocked(given, lockedFile);
    if (changedDefinition)
      io.out(
        `${shown}: định nghĩa cụm đưa vào khác định nghĩa lưu lúc khóa (chỉ tiêu, trường ` +
          `hoặc cách chấm đã đổi); mọi đối chiếu dưới đây theo định nghĩa lúc khóa.`,
      );
    const locked = year.figures;
    const lockedPrints = new Map(Object.entries(year.schoolPrints));
    const fingerprint = year.fingerprint;
    const findings: string[] = [];

    // 1. Against the code of the signed report: the only check a forger cannot satisfy by recomputing.
    if (code && !fingerprint.startsWith(code))
      findings.push(
        `${shown}: số liệu trong bảng đã khóa cho mã ${shortPrint(fingerprint)}, không ` +
          `phải mã ${code.slice(0, 12)} in trong báo cáo đã ký. Bảng đã bị sửa (kể cả khi ` +
          `mọi trang tự khớp với nhau) hoặc là bản khóa của lần khác.`,
      );
    if (fingerprint !== lock.fingerprint)
      findings.push(
        `${shown} › ${LOCK_SHEET}: mã kiểm tra toàn cụm ghi ` +
          `${shortPrint(lock.fingerprint)}, nhưng bản số liệu lưu khi khóa cho mã ` +
          `${shortPrint(fingerprint)}: bảng đã khóa đã bị sửa.`,
      );

    // 2. Every displayed sheet against what the snapshot rebuilds.
    const madeAt = parseLockTime(lock.at);
    if (!madeAt)
      findings.push(`${shown} › ${LOCK_SHEET}: thời điểm khóa "${lock.at}" không đọc được; trang đã bị sửa.`);
    else if (wb.created && Math.abs(wb.created.getTime() - madeAt.getTime()) >= 60_000)
      findings.push(
        `${shown} › ${LOCK_SHEET}: thời điểm khóa ghi "${lock.at}", nhưng tệp được lập ` +
          `lúc ${formatDateTime(wb.created)}: ngày khóa đã bị sửa.`,
      );
    const { summary, ranking } = year.verdict;
    const missing = def.schools.filter((s) => !lockedPrints.has(s.code)).map((s) => s.code);
    const expected = [
      ...buildSummarySheets(summary, ranking, { madeAt: madeAt ?? new Date(0), madeBy: lock.by }),
      ...lockSheets(
        def,
        {
          at: lock.at,
          by: lock.by,
          fingerprint,
          schoolPrints: year.schoolPrints,
          unconfirmed: missing,
          ...(lock.definitionPrint ? { definitionPrint: lock.definitionPrint } : {}),
        },
        year.snapshot,
        lock.definitionPrint ? "" : undefined,
      ),
    ];
    const definitionWs = wb.getWorksheet(DEFINITION_SHEET);
    if (
      lock.definitionPrint &&
      definitionWs &&
      sha256(readSnapshotSheet(worksheetGrid(definitionWs).values)) !== lock.definitionPrint
    )
      findings.push(
        `${shown} › ${DEFINITION_SHEET}: định nghĩa cụm lưu khi khóa không khớp mã kiểm ` +
          `tra định nghĩa ${shortPrint(lock.definitionPrint)}: trang đã bị sửa.`,
      );
    const protectedSheets = passwordProtectedSheets(bytes);
    for (const spec of expected) {
      const ws = wb.getWorksheet(spec.name);
      if (!ws) {
        findings.push(`${shown}: thiếu trang "${spec.name}" (đã bị xóa sau khi khóa).`);
        continue;
      }
      if (protectedSheets.get(spec.name) !== true)
        findings.push(`${shown} › ${spec.name}: trang đã bị gỡ bảo vệ bằng mật khẩu sau khi khóa.`);
      if (spec.name === COVERAGE_SHEET) findings.push(...diffCoverage(shown, spec, ws));
      // The hidden snapshot and definition are checked through their codes above, not cell by cell.
      else if (spec.name !== SNAPSHOT_SHEET && spec.name !== DEFINITION_SHEET)
        findings.push(...diffSheet(shown, spec, ws));
    }
    for (const ws of wb.worksheets)
      if (!expected.some((e) => e.name === ws.name))
        findings.push(`${shown}: có trang lạ "${ws.name}" không do lệnh khoa tạo.`);
    for (const f of findings) io.out(f);
    if (!findings.length)
      io.out(
        `${shown}: mọi trang khớp với bản số liệu lưu bên trong` +
          `${code ? ` và với mã ${code.slice(0, 12)} của báo cáo đã ký` : ""}.`,
      );

    // 3. The school files against the snapshot.
    let differences = 0;
    if (rest.length) {
      const inputs = collectInputs(rest, [lockedFile], def);
      for (const line of renderSkipped(inputs.skipped, def)) io.out(line);
      differences += inputs.skipped.filter((k) => k.refused).length;
      const reports = await readAll(def, inputs.files);
      const seen = new Set<string>();
      for (const r of reports) {
        if (!r.school || hasErrors(r.problems) || !r.figures) {
          for (const p of r.problems) io.out(formatProblem(p));
          differences++;
          continue;
        }
        seen.add(r.school.code);
        const before = locked.find((f) => f.school === r.school!.code);
        if (!before) {
          io.out(`${r.file}: ${r.school.name} không có trong số liệu đã khóa.`);
          differences++;
          continue;
        }
        const diffs = diffFigures(def, before, r.figures);
        for (const d of diffs) {
          const field = d.field === "registered" ? "Đăng ký" : d.field === "achieved" ? "Thực hiện" : "Ghi chú";
          io.out(
            `${r.file} › ${r.sheet}!${r.report?.cells.get(d.target)?.[d.field] ?? "?"}: chỉ ` +
              `tiêu ${d.target}, cột ${field}: ${describeChange(d)}.`,
          );
        }
        differences += diffs.length;
        if (!diffs.length)
          io.out(
            `${r.file}: khớp với số liệu đã khóa (${r.school.name}, mã ` +
              `${shortPrint(lockedPrints.get(r.school.code)!)}).`,
          );
      }
      for (const f of locked)
        if (!seen.has(f.school)) {
          const name = def.schools.find((s) => s.code === f.school)?.name ?? f.school;
          io.out(
            `Thiếu tệp của ${name}: số liệu của trường này đã được khóa (mã ` +
              `${shortPrint(lockedPrints.get(f.school)!)}) nhưng không có trong các tệp đưa ` +
              `vào.`,
          );
          differences++;
        }
    } else io.out("Không kèm tệp của trường: chỉ kiểm tra bảng đã khóa.");
    const reviewCheck = review ? verifyRecordFile(def, review, lock.fingerprint) : undefined;
    if (reviewCheck) io.out(reviewCheck.line);
    const total = findings.length + differences + (reviewCheck && !reviewCheck.ok ? 1 : 0);
    io.out(
      total
        ? `\nCó ${total} điểm khác so với số liệu đã khóa lúc ${lock.at}.`
        : `\nMọi tệp khớp với số liệu đã khóa lúc ${lock.at} (mã ${shortPrint(fingerprint)}).`,
    );
    if (!code)
      io.out(
        `Lưu ý: không có --ma thì chỉ biết bảng tự khớp với bản lưu ẩn của nó; hãy thêm ` +
          `--ma <mã in trong báo cáo đã ký> để chứng minh đây đúng là số đã khóa.`,
      );
    return total ? 1 : 0;
  },
};
