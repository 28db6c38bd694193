/**
 * The only place the command line touches the disk for school data: inputs
 * are checked with stat before a byte is read (a FIFO would hang, a 600 MB
 * file would be read whole), and outputs go to a temporary file in the same
 * folder and are renamed into place. Which outputs may be written at all is
 * the output policy's (./outputs.ts).
 */
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { UserError } from "../errors";

/** A Node file-system error turned into a sentence a clerk can act on; undefined for anything else. */
export function fsMessage(e: unknown, path: string, doing: "đọc" | "ghi" = "đọc"): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string") return undefined;
  const p = `"${path}"`;
  switch (code) {
    case "ENOENT":
      return `Không tìm thấy ${p}. Hãy kiểm tra lại tên và đường dẫn.`;
    case "EACCES":
    case "EPERM":
      return `Không có quyền ${doing} ${p}. Hãy kiểm tra quyền truy cập của tệp hoặc thư mục, hoặc chọn nơi khác.`;
    case "EISDIR":
      return `${p} là một thư mục, ở đây cần một tệp.`;
    case "ENOTDIR":
      return `Đường dẫn ${p} đi qua một tệp như thể đó là thư mục. Hãy kiểm tra lại đường dẫn.`;
    case "ELOOP":
      return `${p} là liên kết (symlink) vòng quanh, không trỏ tới tệp thật nào. Hãy sửa hoặc xóa liên kết đó.`;
    case "ENOSPC":
    case "EDQUOT":
      return `Đĩa đầy khi ghi ${p}; tệp cũ cùng tên (nếu có) vẫn còn nguyên. Hãy giải phóng chỗ trống rồi chạy lại.`;
    case "EROFS":
      return `Không ghi được ${p}: ổ đĩa chỉ cho đọc. Hãy chọn nơi ghi khác.`;
    case "ENAMETOOLONG":
      return `Tên ${p} quá dài. Hãy dùng tên ngắn hơn.`;
    case "EMFILE":
    case "ENFILE":
      return `Máy đang mở quá nhiều tệp nên không ${doing} được ${p}. Hãy đóng bớt chương trình rồi chạy lại.`;
    case "EBUSY":
      return `${p} đang bị chương trình khác giữ. Hãy đóng tệp (Excel, LibreOffice) rồi chạy lại.`;
    default:
      return `Không ${doing} được ${p} (lỗi hệ thống ${code}).`;
  }
}

export function fsError(e: unknown, path: string, doing: "đọc" | "ghi" = "đọc"): Error {
  const message = fsMessage(e, path, doing);
  return message ? new UserError(message) : (e as Error);
}

/** What a path is, said in Vietnamese, for the refusal of anything that is not a regular file. */
export function kindOf(s: Stats): string {
  if (s.isDirectory()) return "một thư mục";
  if (s.isFIFO()) return "một đường ống (FIFO)";
  if (s.isCharacterDevice() || s.isBlockDevice()) return "một thiết bị";
  if (s.isSocket()) return "một socket";
  return "không phải tệp thường";
}

/**
 * JSON written or edited by people (cluster definitions, rules, review records): a few dozen KB; far more is the wrong
 * file.
 */
export const SMALL_JSON_BYTES = 2 * 1024 * 1024;

const mb = (n: number) => String(Math.round(n / 1024 / 1024)).replace(".", ",");

/**
 * Reads a regular file of at most maxBytes. Opened non-blocking so a FIFO
 * returns at once, then fstat on the open descriptor decides before reading:
 * what was checked is what is read.
 */
export function readInputFile(path: string, maxBytes: number, shown = path): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw fsError(e, shown);
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw new UserError(`"${shown}" là ${kindOf(s)}, không phải tệp. Hãy chỉ ra một tệp.`);
    if (s.size > maxBytes)
      throw new UserError(
        `"${shown}" lớn ${mb(s.size)} MB, vượt giới hạn ${mb(maxBytes)} MB nên không ` +
          `được đọc. Hãy kiểm tra đúng tệp chưa.`,
      );
    const out = new Uint8Array(s.size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(fd, out, at, out.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === out.length ? out : out.subarray(0, at);
  } catch (e) {
    throw e instanceof UserError ? e : fsError(e, shown);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes an output whole or not at all: into a temporary file in the same
 * folder, flushed to disk, then renamed over the target, so a crash, a full
 * disk or Ctrl-C leaves the earlier file as it was.
 */
export function writeOutput(path: string, data: Uint8Array | string): void {
  const full = resolve(path);
  const dir = dirname(full);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    // mkdir says EEXIST when a part of the folder path is a file.
    const code = (e as NodeJS.ErrnoException).code;
    throw fsError(code === "EEXIST" ? Object.assign(new Error(), { code: "ENOTDIR" }) : e, dirname(path), "ghi");
  }
  try {
    const s = statSync(full);
    if (!s.isFile()) throw new UserError(`"${path}" là ${kindOf(s)}, không phải tệp; hãy chỉ ra tên tệp sẽ ghi.`, 2);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  const temp = join(dir, `.${basename(full)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o644);
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, full);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Nothing was created, or it is already gone.
    }
    throw fsError(e, path, "ghi");
  }
}
