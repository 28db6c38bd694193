/** Input files for the commands: files and folders of .xlsx, read without ever writing to them. */
import { readdirSync, statSync, type Stats } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import type { ClusterSummary } from "../../core/figures/aggregate";
import type { ClusterDefinition } from "../../core/definition/definition";
import type { Problem } from "../../core/problem";
import { judge, type SchoolReport, type Verdict } from "../../core/pipeline";
import type { Stage } from "../../core/figures/validate";
import { readSchoolWorkbook, type WorkbookReport } from "../../excel/reader";
import { MAX_FILE_BYTES } from "../../excel/zip-guard";
import { matchKey } from "../../core/text/text";
import { UserError } from "../errors";
import { fsError, fsMessage, kindOf, readInputFile } from "./disk";
import { planOutputs, shownPath, type OutputPlan, type OutputPolicyOptions, type OutputRequest } from "./outputs";
import { passwordProtectedSheets } from "../../excel/sheet-protection";
import { SUMMARY_SHEET } from "../../core/sheets/summary-layout";
import { META_SHEET } from "../../core/sheets/template-meta";

/** An entry of a folder that is not read, and why; listed in the printed output and the JSON, never dropped. */
export interface SkippedEntry {
  path: string;
  reason: string;
  /** Could be a school's submission in a form that cannot be read: the command then exits 1. */
  refused: boolean;
  /** The school the file name points to, when one does. */
  school?: string;
}

export interface Inputs {
  files: string[];
  skipped: SkippedEntry[];
  /** Files named on the command line (not found in a folder). */
  named: string[];
}

const OTHER_FORMATS: Record<string, string> = {
  ".xls": "tệp Excel 97–2003 (.xls) không đọc được; hãy mở bằng Excel và lưu lại dạng Excel Workbook (.xlsx)",
  ".xlsm": "tệp Excel có macro (.xlsm) không được đọc; hãy lưu lại dạng Excel Workbook (.xlsx)",
  ".xlsb": "tệp Excel nhị phân (.xlsb) không đọc được; hãy lưu lại dạng Excel Workbook (.xlsx)",
  ".ods": "tệp LibreOffice (.ods) không đọc được; hãy chọn Lưu thành › Excel 2007-365 (.xlsx)",
  ".csv": "tệp .csv không có trang thông tin nhận dạng nên không biết của trường nào; hãy nhập số liệu vào mẫu .xlsx",
  ".numbers": "tệp Numbers không đọc được; hãy xuất ra Excel (.xlsx)",
};

/** The school a file name points to ("2023-DLK.xls", "Dak Lak.ods"), when exactly one does. */
function schoolHint(def: ClusterDefinition | undefined, name: string): string | undefined {
  if (!def) return undefined;
  const tokens = new Set(name.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const key = matchKey(name);
  const hits = def.schools.filter((s) => tokens.has(s.code.toLowerCase()) || key.includes(matchKey(s.province)));
  return hits.length === 1 ? hits[0]!.code : undefined;
}

function classify(
  def: ClusterDefinition | undefined,
  dir: string,
  name: string,
): { file?: string; skipped?: SkippedEntry } {
  const path = join(dir, name);
  const ext = extname(name).toLowerCase();
  if (name.startsWith("~$") || name.startsWith(".~lock"))
    return {
      skipped: {
        path,
        reason: "tệp khóa tạm do Excel/LibreOffice tạo khi đang mở một tệp; không phải số liệu",
        refused: false,
      },
    };
  // macOS writes "._name" beside every file copied to a USB stick: metadata, never a workbook.
  if (name.startsWith("._"))
    return { skipped: { path, reason: "tệp phụ do macOS tạo khi chép sang USB; không phải số liệu", refused: false } };
  if (name.startsWith("."))
    return {
      skipped: {
        path,
        reason: "tệp ẩn; nếu là số liệu của trường, hãy đổi tên bỏ dấu chấm đầu",
        refused: ext === ".xlsx",
        school: schoolHint(def, name),
      },
    };
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    return { skipped: { path, reason: fsMessage(e, path) ?? String(e), refused: true, school: schoolHint(def, name) } };
  }
  if (s.isDirectory())
    return {
      skipped: { path, reason: "thư mục con (chỉ đọc các tệp nằm ngay trong thư mục đã chỉ ra)", refused: false },
    };
  if (ext === ".xlsx")
    return s.isFile()
      ? { file: path }
      : { skipped: { path, reason: `là ${kindOf(s)}, không phải tệp`, refused: true, school: schoolHint(def, name) } };
  const other = OTHER_FORMATS[ext];
  if (other) return { skipped: { path, reason: other, refused: true, school: schoolHint(def, name) } };
  return { skipped: { path, reason: `không phải tệp .xlsx (đuôi "${ext || "không có"}")`, refused: false } };
}

/**
 * The files to read, and every folder entry that is not read with its
 * reason. Only names and stat are looked at here; nothing is opened.
 */
export function collectInputs(args: string[], exclude: string[] = [], def?: ClusterDefinition): Inputs {
  if (args.length === 0) throw new UserError("Chưa chỉ ra tệp hoặc thư mục nào để đọc.", 2);
  const skip = new Set(exclude.map((p) => resolve(p)));
  const files: string[] = [];
  const skipped: SkippedEntry[] = [];
  const named: string[] = [];
  for (const arg of args) {
    let s: Stats;
    try {
      s = statSync(arg);
    } catch (e) {
      throw fsError(e, arg);
    }
    if (s.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(arg);
      } catch (e) {
        throw fsError(e, arg);
      }
      const before = files.length;
      for (const n of names.sort((a, b) => a.localeCompare(b, "vi"))) {
        const c = classify(def, arg, n);
        if (c.file && !skip.has(resolve(c.file))) files.push(c.file);
        if (c.skipped) skipped.push(c.skipped);
      }
      if (files.length === before && !skipped.some((k) => k.refused))
        throw new UserError(`Thư mục "${arg}" không có tệp .xlsx nào.`);
    } else if (s.isFile()) {
      files.push(arg);
      named.push(resolve(arg));
    } else
      throw new UserError(
        `"${arg}" là ${kindOf(s)}, không phải tệp hay thư mục. Hãy chỉ ra tệp .xlsx hoặc thư mục chứa chúng.`,
      );
  }
  return { files: [...new Set(files.map((p) => resolve(p)))].filter((p) => !skip.has(p)), skipped, named };
}

const sameFile = (a: string, b: string) => {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
};

/**
 * Whether the file is a summary this program wrote earlier (its sheets, or its JSON), looked at without trusting it.
 */
function isEarlierSummary(path: string): boolean {
  try {
    const bytes = readInputFile(path, MAX_FILE_BYTES);
    if (path.toLowerCase().endsWith(".json")) {
      const data = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      return typeof data === "object" && data !== null && "cluster" in data && Array.isArray(data.schools);
    }
    const sheets = passwordProtectedSheets(bytes);
    return sheets.has(SUMMARY_SHEET) && !sheets.has(META_SHEET);
  } catch {
    return false;
  }
}

/**
 * An output that sits in a folder being read (the summary of the last run)
 * may replace an earlier summary and is then not read as an input. Anything
 * else stays an input, and the output policy refuses to write over it.
 */
function setAsideEarlierOutputs(inputs: Inputs, outputs: { path: string }[]): void {
  for (const o of outputs) {
    const hit = inputs.files.find(
      (f) => !inputs.named.includes(f) && (resolve(f) === resolve(o.path) || sameFile(f, o.path)),
    );
    if (hit && isEarlierSummary(hit)) inputs.files = inputs.files.filter((f) => f !== hit);
  }
}

/** The skipped entries as lines for the terminal; empty when there are none. */
export function renderSkipped(skipped: SkippedEntry[], def: ClusterDefinition): string[] {
  if (!skipped.length) return [];
  const name = new Map(def.schools.map((s) => [s.code, s.name]));
  return [
    "",
    "Các mục trong thư mục không được đọc:",
    ...skipped.map(
      (k) => `  - ${displayName(k.path)}: ${k.reason}${k.school ? ` (có thể là tệp của ${name.get(k.school)})` : ""}.`,
    ),
  ];
}

/** School code -> names of the skipped files that point to it, for the "Chưa nộp" line. */
export function unreadBySchool(skipped: SkippedEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of skipped)
    if (k.school && k.refused) out.set(k.school, [...(out.get(k.school) ?? []), basename(k.path)]);
  return out;
}

/** The skipped entries for the JSON summary. */
export function skippedJson(
  skipped: SkippedEntry[],
): { path: string; reason: string; refused: boolean; school?: string }[] {
  return skipped.map((k) => ({
    path: displayName(k.path),
    reason: k.reason,
    refused: k.refused,
    ...(k.school ? { school: k.school } : {}),
  }));
}

export interface Progress {
  tick(done: number): void;
  end(): void;
}

/** A one-line progress bar on the terminal when there are many files; silent when piped. */
export function progress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (total < 5 || !stream.isTTY) return { tick() {}, end() {} };
  const width = 30;
  return {
    tick(done) {
      const filled = Math.round((done / total) * width);
      stream.write(`\rĐang đọc tệp [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${done}/${total}`);
    },
    end() {
      stream.write("\r" + " ".repeat(width + 30) + "\r");
    },
  };
}

/** A path as the user typed it: relative to the working folder when inside it. */
export const displayName = shownPath;

export async function readAll(
  def: ClusterDefinition,
  files: string[],
  stage: Stage = "report",
): Promise<WorkbookReport[]> {
  const bar = progress(files.length);
  const reports: WorkbookReport[] = [];
  for (const [i, path] of files.entries()) {
    const shown = displayName(path);
    let bytes: Uint8Array | undefined;
    try {
      bytes = readInputFile(path, MAX_FILE_BYTES, shown);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      reports.push({ file: shown, problems: [{ severity: "error", file: shown, message: e.message }] });
    }
    if (bytes) reports.push(await readSchoolWorkbook(def, bytes, shown, stage));
    bar.tick(i + 1);
  }
  bar.end();
  return reports;
}

/**
 * Files -> the cluster's verdict through the one pipeline: what tong-hop,
 * bao-cao, khoa and the demo all start from. A file that names no school of
 * this cluster is a stray problem.
 */
export function summariseReports(def: ClusterDefinition, reports: readonly WorkbookReport[]): Verdict {
  const members: SchoolReport[] = [];
  const stray: Problem[] = [];
  for (const r of reports) {
    if (r.report) members.push(r.report);
    else stray.push(...r.problems);
  }
  return judge(def, members, stray);
}

/** A file left out of the totals (invalid, or for no school of the cluster): the command exits 1. */
export function hasRefusedFiles(summary: ClusterSummary, skipped: SkippedEntry[] = []): boolean {
  return (
    summary.schools.some((s) => s.status === "invalid") || summary.stray.length > 0 || skipped.some((k) => k.refused)
  );
}

/**
 * The school files listed and the outputs planned against them and the command's other inputs (the definition,
 * a register), before any input is read: what every writing command that reads school files starts with.
 */
export function inputsFor(
  def: ClusterDefinition,
  args: string[],
  outputs: OutputRequest[],
  otherInputs: (string | undefined)[],
  options: OutputPolicyOptions & { allowNoInputs?: boolean },
): { inputs: Inputs; plan: OutputPlan } {
  const inputs: Inputs =
    options.allowNoInputs && !args.length ? { files: [], skipped: [], named: [] } : collectInputs(args, [], def);
  setAsideEarlierOutputs(
    inputs,
    outputs.filter((o) => o.path !== "-"),
  );
  const plan = planOutputs(
    outputs,
    [
      ...inputs.files,
      ...inputs.skipped.map((k) => k.path),
      ...otherInputs.filter((p): p is string => typeof p === "string"),
    ],
    options,
  );
  return { inputs, plan };
}

/**
 * Locked years to read: files as given; a folder gives its .xlsx files and those of its direct subfolders (one
 * folder per locked year, as `khoa --ra <năm>` makes them).
 */
export function lockedInputs(args: string[]): string[] {
  if (!args.length) throw new UserError("Chưa chỉ ra bảng đã khóa hoặc thư mục nào.", 2);
  const entries = (dir: string) => {
    try {
      return readdirSync(dir).sort((a, b) => a.localeCompare(b, "vi"));
    } catch (e) {
      throw fsError(e, dir);
    }
  };
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const expanded = args.flatMap((arg) => {
    if (!isDir(arg)) return [arg];
    const withFiles = [
      arg,
      ...entries(arg)
        .map((n) => join(arg, n))
        .filter(isDir),
    ].filter((d) =>
      entries(d).some((n) => extname(n).toLowerCase() === ".xlsx" && !n.startsWith(".") && !n.startsWith("~$")),
    );
    if (!withFiles.length) throw new UserError(`Thư mục "${arg}" và các thư mục con không có tệp .xlsx nào.`);
    return withFiles;
  });
  return collectInputs(expanded).files;
}
