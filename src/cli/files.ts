/** Input files for the commands: files and folders of .xlsx, read without ever writing to them. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import type { ClusterSummary } from "../core/figures/aggregate";
import type { ClusterDefinition } from "../core/definition/definition";
import type { Problem } from "../core/problem";
import { judge, type SchoolReport, type Verdict } from "../core/pipeline";
import type { Stage } from "../core/figures/validate";
import { readSchoolWorkbook, type WorkbookReport } from "../excel/reader";
import { UserError } from "./errors";

/** Excel's lock files ("~$tên.xlsx") sit next to open workbooks and are not workbooks. */
const isLockFile = (name: string) => name.startsWith("~$") || name.startsWith(".~lock");

export function collectInputs(args: string[], exclude: string[] = []): string[] {
  if (args.length === 0) throw new UserError("Chưa chỉ ra tệp hoặc thư mục nào để đọc.", 2);
  const skip = new Set(exclude.map((p) => resolve(p)));
  const out: string[] = [];
  for (const arg of args) {
    if (!existsSync(arg)) throw new UserError(`Không tìm thấy "${arg}".`);
    if (statSync(arg).isDirectory()) {
      const files = readdirSync(arg)
        .filter((n) => extname(n).toLowerCase() === ".xlsx" && !isLockFile(n))
        .sort((a, b) => a.localeCompare(b, "vi"))
        .map((n) => join(arg, n));
      if (files.length === 0) throw new UserError(`Thư mục "${arg}" không có tệp .xlsx nào.`);
      out.push(...files);
    } else out.push(arg);
  }
  return [...new Set(out.map((p) => resolve(p)))].filter((p) => !skip.has(p));
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
export function displayName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export async function readAll(def: ClusterDefinition, files: string[], stage: Stage = "report"): Promise<WorkbookReport[]> {
  const bar = progress(files.length);
  const reports: WorkbookReport[] = [];
  for (const [i, path] of files.entries()) {
    const bytes = new Uint8Array(readFileSync(path));
    reports.push(await readSchoolWorkbook(def, bytes, displayName(path), stage));
    bar.tick(i + 1);
  }
  bar.end();
  return reports;
}

/** Writes an output file, making its folder; inputs are never written. */
export function writeOutput(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, data);
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
export function hasRefusedFiles(summary: ClusterSummary): boolean {
  return summary.schools.some((s) => s.status === "invalid") || summary.stray.length > 0;
}
