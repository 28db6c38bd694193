/** What a command of the command line is, and the options several commands share. */
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

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

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
