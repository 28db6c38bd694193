/**
 * The one output policy of the command line: every command that writes (tao-mau, tong-hop, giao-uoc, bao-cao,
 * khoa, binh-xet, nam-moi, tong-ket-giai-doan, and later ones) declares its outputs here, before it reads
 * anything, and writes only through the plan it gets back.
 *
 * - An output that names an input (same path, another spelling, a symlink or a hard link to it; for a folder of
 *   documents: any input inside it) is refused, exit 2.
 * - Two outputs on one path (or a file output inside a folder output) are refused, exit 2.
 * - An output that exists is replaced only with --ghi-de, and the earlier one is kept beside it as
 *   `name.truoc-‹ngày giờ›.ext` (a folder: `name.truoc-‹ngày giờ›`); without --ghi-de the command stops before
 *   reading anything, exit 1.
 * - A file is written whole or not at all (temporary file, flushed, renamed: `writeOutput` in ./disk.ts).
 * - A folder of documents is written whole into a temporary folder beside it, then swapped in, so no document of
 *   an earlier run survives in it.
 * - `-` (where the command allows it, `--json -`) is standard output.
 *
 * API: `planOutputs(requests, inputs, { replace, now })` → `OutputPlan` with `write(path, data)`,
 * `writeFolder(dir, files)`, `kept` (earlier outputs kept, to print) and `toStdout` (whether data goes to
 * standard output, so the command prints its messages to standard error). `inputsFor` (./files.ts) lists a
 * command's school files and plans its outputs in one step.
 */
import {
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  type Stats,
} from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep, isAbsolute } from "node:path";
import { randomBytes } from "node:crypto";
import type { Io } from "../command";
import { UserError } from "../errors";
import { fsError, kindOf, writeOutput } from "./disk";

export interface OutputRequest {
  path: string;
  /** The option that named it, for messages ("--ra", "--json"). */
  option: string;
  /** A folder of documents written whole and swapped in, rather than one file. */
  folder?: boolean;
  /** "-" means standard output (--json -). */
  stdout?: boolean;
}

export interface OutputPolicyOptions {
  /** --ghi-de: an existing output may be replaced (the earlier one is kept). */
  replace: boolean;
  now?: Date;
  /** The refusal when outputs exist and --ghi-de is missing, for commands whose outputs are evidence. */
  existing?: (shown: string[]) => string;
}

/** "20231120-093000": for the name an earlier output keeps when it is set aside. */
export function stampForName(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}` +
    `${p(d.getMinutes())}${p(d.getSeconds())}`
  );
}

/** A path as the user typed it: relative to the working folder when inside it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The real path of something that may not exist yet: its nearest existing folder's real path plus the rest. */
function realTarget(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    const parent = dirname(full);
    return parent === full ? full : join(realTarget(parent), basename(full));
  }
}

const inside = (dir: string, path: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/** Where an earlier output is kept: beside it, with .truoc-‹stamp› before the extension; never over anything. */
function keptName(path: string, now: Date, folder: boolean): string {
  const ext = folder ? "" : extname(path);
  const stem = ext ? path.slice(0, -ext.length) : path;
  let candidate = `${stem}.truoc-${stampForName(now)}${ext}`;
  for (let i = 2; existsSync(candidate); i++) candidate = `${stem}.truoc-${stampForName(now)}-${i}${ext}`;
  return candidate;
}

export class OutputPlan {
  /** Earlier outputs kept beside the new ones, as shown to the user. */
  readonly kept: string[] = [];

  constructor(
    private readonly requests: readonly OutputRequest[],
    private readonly options: OutputPolicyOptions,
  ) {}

  /** Whether a data output goes to standard output: the command's messages then go to standard error. */
  get toStdout(): boolean {
    return this.requests.some((r) => r.stdout && r.path === "-");
  }

  /** The channel for the command's messages: standard error when data goes to standard output. */
  messages(io: Io): (s: string) => void {
    return this.toStdout ? io.err : io.out;
  }

  private request(path: string, folder: boolean): OutputRequest {
    const want = realTarget(path);
    const r = this.requests.find((q) => !!q.folder === folder && q.path !== "-" && realTarget(q.path) === want);
    // A write the command did not declare would escape every check above: a programming error, not the user's.
    if (!r) throw new Error(`output not planned: ${path}`);
    return r;
  }

  private setAside(path: string, folder: boolean): void {
    const kept = keptName(path, this.options.now ?? new Date(), folder);
    try {
      if (folder) renameSync(path, kept);
      else copyFileSync(path, kept, constants.COPYFILE_EXCL);
    } catch (e) {
      throw fsError(e, path, "ghi");
    }
    this.kept.push(shownPath(kept));
  }

  /** One file, or standard output for "-"; an earlier file is kept first (only planned with --ghi-de). */
  write(path: string, data: Uint8Array | string, io?: Io): void {
    if (path === "-") {
      if (!io || !this.toStdout) throw new Error("standard output not planned");
      io.out((typeof data === "string" ? data : new TextDecoder().decode(data)).replace(/\n$/, ""));
      return;
    }
    this.request(path, false);
    if (statOf(path)?.isFile()) this.setAside(path, false);
    writeOutput(path, data);
  }

  /**
   * A folder of documents, whole: written into a temporary folder beside it, then swapped in (the earlier
   * folder, if any, kept beside it), so nothing of an earlier run stays mixed with this one.
   */
  writeFolder(dir: string, files: readonly { name: string; data: Uint8Array | string }[]): void {
    this.request(dir, true);
    const full = resolve(dir);
    const parent = dirname(full);
    try {
      mkdirSync(parent, { recursive: true });
    } catch (e) {
      throw fsError(e, dirname(dir), "ghi");
    }
    const temp = join(parent, `.${basename(full)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      mkdirSync(temp);
      for (const f of files) writeOutput(join(temp, f.name), f.data);
      const s = statOf(full);
      if (s && readdirSync(full).length) this.setAside(full, true);
      else if (s) rmdirSync(full);
      renameSync(temp, full);
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      throw e instanceof UserError ? e : fsError(e, dir, "ghi");
    }
  }
}

/**
 * Checks every output against the inputs and each other, and that nothing is replaced without --ghi-de:
 * all before anything is read or written.
 */
export function planOutputs(
  requests: readonly OutputRequest[],
  inputs: readonly string[],
  options: OutputPolicyOptions,
): OutputPlan {
  const inputKeys = new Map<string, string>();
  const inputReal: [string, string][] = [];
  for (const i of inputs) {
    const real = realTarget(i);
    inputKeys.set(real, i);
    inputReal.push([real, i]);
    const s = statOf(i);
    if (s) inputKeys.set(`${s.dev}:${s.ino}`, i);
  }
  const seen: { real: string; folder: boolean; label: string; id?: string }[] = [];
  const existing: string[] = [];
  let stdout = 0;
  for (const o of requests) {
    if (o.path === "-" && o.stdout) {
      if (++stdout > 1) throw new UserError(`Chỉ một kết quả được in ra màn hình (-); ${o.option} - trùng.`, 2);
      continue;
    }
    if (o.path === "-")
      throw new UserError(`${o.option} "-": kết quả này không in ra màn hình được; hãy chỉ ra tên tệp sẽ ghi.`, 2);
    if (o.path.trim() === "") throw new UserError(`${o.option} cần một tên ${o.folder ? "thư mục" : "tệp"}.`, 2);
    const s = statOf(o.path);
    if (s && o.folder && !s.isDirectory())
      throw new UserError(
        `${o.option} "${o.path}" là ${s.isFile() ? "một tệp" : kindOf(s)}; ở đây cần một thư mục.`,
        2,
      );
    if (s && !o.folder && s.isDirectory())
      throw new UserError(`${o.option} "${o.path}" là một thư mục; hãy chỉ ra tên tệp sẽ ghi.`, 2);
    // Renaming over a device or FIFO would replace it; only a regular file may be replaced.
    if (s && !o.folder && !s.isFile())
      throw new UserError(`${o.option} "${o.path}" là ${kindOf(s)}, không phải tệp; hãy chỉ ra tên tệp sẽ ghi.`, 2);
    const real = realTarget(o.path);
    const id = s && !o.folder ? `${s.dev}:${s.ino}` : undefined;
    const input = inputKeys.get(real) ?? (id ? inputKeys.get(id) : undefined);
    if (input)
      throw new UserError(
        `${o.option} "${o.path}" chính là tệp đầu vào "${input}" (cùng tệp, có thể qua tên khác hoặc liên kết). ` +
          `Các tệp đầu vào không bao giờ bị ghi đè; hãy chọn tên tệp khác.`,
        2,
      );
    if (o.folder) {
      const held = inputReal.find(([r]) => inside(real, r));
      if (held)
        throw new UserError(
          `${o.option} "${o.path}" chứa tệp đầu vào "${held[1]}". Thư mục kết quả được thay cả thư mục (bản trước ` +
            `được giữ bên cạnh), nên không được chứa tệp đầu vào; hãy chọn thư mục khác.`,
          2,
        );
    }
    const label = `${o.option} "${o.path}"`;
    for (const other of seen) {
      const clash =
        other.real === real ||
        (id !== undefined && other.id === id) ||
        (other.folder && inside(other.real, real)) ||
        (o.folder && inside(real, other.real));
      if (clash) throw new UserError(`${label} trùng với ${other.label}; mỗi kết quả cần một chỗ riêng.`, 2);
    }
    seen.push({ real, folder: !!o.folder, label, ...(id ? { id } : {}) });
    if (s && (!o.folder || readdirSync(o.path).length)) existing.push(shownPath(o.path));
  }
  if (existing.length && !options.replace)
    throw new UserError(
      options.existing?.(existing) ??
        `Đã có ${existing.map((p) => `"${p}"`).join(", ")}; không ghi đè khi không có --ghi-de. Hãy chọn nơi ghi ` +
          `khác, hoặc thêm --ghi-de (bản trước được giữ bên cạnh, tên có thêm .truoc-<ngày giờ>).`,
    );
  return new OutputPlan(requests, options);
}

/** The line that says where earlier outputs were kept; empty when none were. */
export function keptLines(plan: OutputPlan, what = "Bản trước"): string[] {
  return plan.kept.length ? [`${what} được giữ lại: ${plan.kept.join(", ")}.`] : [];
}
