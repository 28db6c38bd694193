import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./samples";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built command line as a user would: through bin/, in a child process. */
export function cli(args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "cum-thi-dua.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CUM_THI_DUA_DEBUG: "" },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
