/**
 * What a command of the command line is, and the one option handling every command uses: the options several
 * commands share, reading a required value, a year, the definition. main.ts refuses a single-valued option
 * given twice before any command runs.
 */
import { parseVietnameseDate } from "../core/text/format";
import { UserError } from "./errors";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface OptionSpec {
  name: string;
  flag: string;
  type: "string" | "boolean";
  multiple?: boolean;
  help: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec[];
  positionals: boolean;
  details?: string;
  run: (values: Record<string, unknown>, positionals: string[], io: Io) => Promise<number>;
}

export const CUM: OptionSpec = {
  name: "cum",
  flag: "--cum <tệp.json>",
  type: "string",
  help: "Tệp định nghĩa cụm (mặc định: cụm mẫu Nam Trung bộ và Tây Nguyên năm 2023).",
};
export const STAGE: OptionSpec = {
  name: "dang-ky",
  flag: "--dang-ky",
  type: "boolean",
  help: "Giai đoạn đăng ký đầu năm: chỉ bắt buộc cột Đăng ký, cột Thực hiện có thể để trống.",
};

/** For commands that read a locked year: the definition is the one kept in the workbook; --cum is only compared. */
export const CUM_LOCKED: OptionSpec = {
  name: "cum",
  flag: "--cum <tệp.json>",
  type: "string",
  help:
    "Không bắt buộc: bảng đã khóa giữ định nghĩa cụm của năm và mọi đối chiếu theo định nghĩa đó; tệp đưa vào " +
    "khác định nghĩa lúc khóa thì các điểm khác được in ra (chỉ cần cho bảng khóa bằng phiên bản cũ).",
};
export const GHI_DE: OptionSpec = {
  name: "ghi-de",
  flag: "--ghi-de",
  type: "boolean",
  help: "Cho phép thay tệp kết quả đã có; bản trước được giữ bên cạnh với tên có thêm .truoc-<ngày giờ>.",
};
export const SO_DANG_KY: OptionSpec = {
  name: "so-dang-ky",
  flag: "--so-dang-ky <tệp.json>",
  type: "string",
  help: "Sổ đăng ký cụm (mặc định: sổ kèm theo mang mã cụm của các năm).",
};

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A value the command cannot run without; refused with the command's own sentence (exit 2). */
export function required(v: unknown, message: string): string {
  const text = str(v);
  if (text === undefined || text.trim() === "") throw new UserError(message, 2);
  return text;
}

/** A year typed as four digits ("2026"). */
export function yearOption(v: unknown, flag: string): number {
  const text = (str(v) ?? "").trim();
  if (!/^\d{4}$/.test(text))
    throw new UserError(`${flag} "${str(v) ?? ""}" không phải một năm; hãy ghi bốn chữ số, ví dụ ${flag} 2026.`, 2);
  return Number(text);
}

/**
 * Options as parsed: a single-valued option given more than once is refused (never silently the last), for
 * every command alike.
 */
export function singleValues(command: Command, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const spec = command.options.find((o) => o.name === name);
    if (!spec || spec.multiple || !Array.isArray(value)) {
      out[name] = value;
      continue;
    }
    const distinct = spec.type === "boolean" ? 1 : value.length;
    if (distinct > 1)
      throw new UserError(
        `Tùy chọn --${name} chỉ được ghi một lần, ở đây có ${value.length} lần ` +
          `(${value.map((x) => `"${String(x)}"`).join(", ")}). Hãy giữ lại một.`,
        2,
      );
    out[name] = value[0];
  }
  return out;
}

export const NGAY: OptionSpec = {
  name: "ngay",
  flag: "--ngay <dd/mm/yyyy>",
  type: "string",
  help: "Ngày ghi trên văn bản (mặc định: hôm nay).",
};

export function dateOption(v: unknown): Date {
  const text = str(v);
  if (!text) return new Date();
  const d = parseVietnameseDate(text);
  if (!d) throw new UserError(`Ngày "${text}" không hợp lệ; hãy viết dạng ngày/tháng/năm, ví dụ 20/11/2023.`, 2);
  return d;
}
