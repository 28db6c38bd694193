/**
 * cum-thi-dua: the offline command line. Commands are Vietnamese words
 * without diacritics so they are easy to type on any keyboard.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "./errors";
import { fsMessage } from "./io/disk";
import { singleValues, type Command } from "./command";
import { COMMANDS } from "./year/commands";

const PROGRAM = "cum-thi-dua";

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `${PROGRAM} — quản lý số liệu Cụm thi đua các Trường Chính trị khi làm việc ngoại tuyến bằng Excel.`,
    "",
    `Cách dùng: ${PROGRAM} <lệnh> [tùy chọn]`,
    "",
    "Các lệnh:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    `Xem hướng dẫn của từng lệnh: ${PROGRAM} <lệnh> --help`,
  ].join("\n");
}

function commandHelp(c: Command): string {
  const lines = [`${PROGRAM} ${c.name} — ${c.summary}`, "", `Cách dùng: ${PROGRAM} ${c.usage}`];
  if (c.options.length) {
    lines.push("", "Tùy chọn:");
    const width = Math.max(...c.options.map((o) => o.flag.length));
    for (const o of c.options) lines.push(`  ${o.flag.padEnd(width)}  ${o.help}`);
  }
  lines.push(`  ${"--help".padEnd(Math.max(6, ...c.options.map((o) => o.flag.length)))}  In hướng dẫn này.`);
  if (c.details) lines.push("", c.details);
  return lines.join("\n");
}

function translateArgError(e: Error, c: Command): string {
  const m = e.message;
  const unknown = /Unknown option '([^']+)'/.exec(m);
  if (unknown) return `Tùy chọn không hợp lệ: ${unknown[1]}.`;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(m);
  if (missing) return `Tùy chọn ${missing[1]} cần một giá trị.`;
  const positional = /Unexpected argument '([^']+)'/.exec(m);
  if (positional) return `Lệnh ${c.name} không nhận tham số "${positional[1]}".`;
  return m;
}

export async function run(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(s + "\n"),
    err: (s) => process.stderr.write(s + "\n"),
  },
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(mainHelp());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Không có lệnh "${name}".\n\n${mainHelp()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(command));
    return 0;
  }
  const options: ParseArgsConfig["options"] = {};
  // Every option is collected as a list, so a single-valued one given twice is refused rather than the last kept.
  for (const o of command.options) options[o.name] = { type: o.type, multiple: true };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: command.positionals, strict: true }) as typeof parsed;
  } catch (e) {
    io.err(`${translateArgError(e as Error, command)}\n\n${commandHelp(command)}`);
    return 2;
  }
  try {
    return await command.run(singleValues(command, parsed.values), parsed.positionals, io);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`Lỗi: ${e.message}`);
      return e.exitCode;
    }
    // A file-system failure that escaped its own translation still names the path, never a stack trace.
    const path = (e as NodeJS.ErrnoException).path;
    const fs = typeof path === "string" ? fsMessage(e, path) : undefined;
    if (fs) {
      io.err(`Lỗi: ${fs}`);
      return 1;
    }
    io.err(
      `Lỗi ngoài dự kiến: ${(e as Error).message}\nHãy gửi thông báo này cho người quản trị cùng các tệp đã dùng.`,
    );
    if (process.env.CUM_THI_DUA_DEBUG) io.err(String((e as Error).stack));
    return 3;
  }
}
