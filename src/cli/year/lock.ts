/** Offline sign-off: `khoa` locks the year into a password-protected summary, `xac-minh` checks files against it. */
import { randomInt } from "node:crypto";
import { join } from "node:path";
import { buildYearReport } from "../../core/documents/documents";
import { describeChange, diffFigures, shortPrint } from "../../core/lock/fingerprint";
import { freezeYear, type FrozenYear } from "../../core/lock/freeze";
import { LOCKED_XLSX, lockSheets, verifyHint } from "../../core/lock/locked-year";
import { formatDateTime } from "../../core/text/format";
import type { OfflineLock } from "../../core/sheets/lock-layout";
import { formatProblem, hasErrors } from "../../core/problem";
import { docxBytes } from "../io/docx";
import { lockedSummaryBytes } from "../../excel/summary";
import { CUM, CUM_LOCKED, str, type Command } from "../command";
import type { SchoolFigures } from "../../core/figures/validate";
import type { SchoolReport } from "../../core/pipeline";
import { schoolSheetName } from "../../core/sheets/school-layout";
import { definitionFromOption, loadDefinitionFile } from "../io/definitions";
import { UserError } from "../errors";
import { collectInputs, displayName, inputsFor, readAll, renderSkipped } from "../io/files";
import { checkLockedFile, definitionNoteLines } from "../io/locked-year";
import { keptLines } from "../io/outputs";
import { sha256 } from "../io/hash";
import { proveRecordFile } from "../review/review-record";
import { registerFor, ruleSets } from "../review/review-inputs";
import { matchKey } from "../../core/text/text";
import type { ClusterDefinition } from "../../core/definition/definition";

/** 14 characters without look-alikes (0/O, 1/l/I), easy to read aloud and type. */
function newPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 14 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

const LOCKED_DOCX = "bao-cao-tong-ket.docx";

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
  return lockedSummaryBytes(
    year.verdict.summary,
    year.verdict.ranking,
    { madeAt: now, madeBy: lock.by },
    { password, sheets },
  );
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
    const { inputs, plan } = inputsFor(
      def,
      positionals,
      [
        { path: xlsx, option: "--ra" },
        { path: docx, option: "--ra" },
      ],
      [str(v.cum)],
      {
        replace: v["ghi-de"] === true,
        existing: (shown) =>
          `Thư mục ${out} đã có bản khóa trước (${shown.join(", ")}). Bản khóa là bằng chứng nên không bị thay; ` +
          `hãy chọn thư mục khác, hoặc thêm --ghi-de (bản trước được giữ bên cạnh).`,
      },
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
    // Both files at once, the report first: its 40 MB of XML at 60 × 200 is deflated in Node's thread pool
    // while the workbook is built here, rather than each waiting for zlib in turn.
    const report = docxBytes(
      buildYearReport({
        summary,
        ranking,
        date: now,
        fingerprint: shortPrint(fingerprint),
        verifyHint: `${verifyHint(fingerprint)}.`,
      }),
    );
    const [docxData, xlsxBytes] = await Promise.all([report, lockedWorkbook(def, year, missing, password, now)]);
    plan.write(xlsx, xlsxBytes);
    plan.write(docx, docxData);
    io.out(`Đã khóa số liệu năm ${def.year} của ${codes.size}/${def.schools.length} trường.`);
    io.out(`Mã kiểm tra toàn cụm: ${shortPrint(fingerprint)} (đầy đủ: ${fingerprint}).`);
    io.out(`Đã ghi: ${displayName(xlsx)}, ${displayName(docx)}.`);
    for (const line of keptLines(plan, "Bản khóa trước")) io.out(line);
    io.out(verifyHint(fingerprint));
    if (!given) io.out(`Mật khẩu bảo vệ các trang (chỉ in một lần, hãy lưu lại): ${password}`);
    return 0;
  },
};

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
    "báo cáo hoặc biên bản bình xét>] [--binh-xet <ket-qua-binh-xet.json> [--quy-tac <tệp.json>]] " +
    "[--cum <tệp.json>]",
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
      help:
        "Kiểm tra thêm biên bản bình xét (ket-qua-binh-xet.json) lập trên năm đã khóa này: mã của biên bản, và " +
        "kết quả tính lại từ kết quả kiểm phiếu trong biên bản, bảng xếp hạng đã khóa và quy tắc ngày họp. Với " +
        "--ma <mã in trong biên bản họp bình xét>, chứng minh biên bản đúng là bản đã ký.",
    },
    {
      name: "quy-tac",
      flag: "--quy-tac <tệp.json>",
      type: "string",
      help: "Quy tắc bình xét riêng của Cụm, nếu Hội nghị đã dùng (như binh-xet --quy-tac).",
    },
    {
      name: "so-dang-ky",
      flag: "--so-dang-ky <tệp.json>",
      type: "string",
      help: "Sổ đăng ký cụm, nếu không nằm cạnh bảng đã khóa hay kèm theo chương trình (như binh-xet).",
    },
    CUM_LOCKED,
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
    const cum = str(v.cum);
    const given = cum ? loadDefinitionFile(cum) : undefined;
    const [lockedFile, ...rest] = positionals;
    if (!lockedFile) throw new UserError("Cần bảng tổng hợp đã khóa (và các tệp của trường nếu muốn so).", 2);
    const code = str(v.ma) === undefined ? undefined : readCode(str(v.ma)!);
    const review = str(v["binh-xet"]);
    const check = await checkLockedFile(lockedFile, given);
    const { year, lock, schoolPrints } = check;
    const def = year.definition;
    const shown = year.source;
    for (const line of definitionNoteLines(shown, check.definitionNotes)) io.out(line);
    if (check.definitionGiven)
      io.out(`${shown}: bảng khóa không lưu định nghĩa cụm (khóa bằng phiên bản cũ); đối chiếu theo --cum ${cum}.`);
    const locked = year.figures;
    const lockedPrints = new Map(Object.entries(schoolPrints));
    const fingerprint = year.fingerprint;
    const findings: string[] = [];

    // The review record, when given, first: the code may be the one printed in its signed minutes.
    const reviewProof = review
      ? proveRecordFile({
          def,
          file: review,
          lockFingerprint: lock.fingerprint,
          ranking: year.verdict.ranking,
          register: registerFor(def, [cum ?? lockedFile, lockedFile], str(v["so-dang-ky"])),
          sets: ruleSets(str(v["quy-tac"])),
          code,
        })
      : undefined;
    // 1. Against the code of the signed report (or of the signed review minutes, whose record names the lock's full
    //    code): the only check a forger cannot satisfy by recomputing.
    if (code && !fingerprint.startsWith(code) && !reviewProof?.codeProven)
      findings.push(
        `${shown}: số liệu trong bảng đã khóa cho mã ${shortPrint(fingerprint)}, không ` +
          `phải mã ${code.slice(0, 12)} in trong báo cáo đã ký. Bảng đã bị sửa (kể cả khi ` +
          `mọi trang tự khớp với nhau) hoặc là bản khóa của lần khác.`,
      );
    // 2. The workbook against itself: the snapshot, every displayed sheet, protection, the kept definition.
    findings.push(...check.findings);
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
    for (const line of reviewProof?.lines ?? []) io.out(line);
    const total = findings.length + differences + (reviewProof && !reviewProof.ok ? 1 : 0);
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
