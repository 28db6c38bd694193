import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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

/** The command line run as if the clock showed `instant` (ISO) when it started: a lock made on a past day. */
export function cliAt(instant: string, args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      pathToFileURL(join(ROOT, "tests", "helpers", "clock.mjs")).href,
      join(ROOT, "bin", "cum-thi-dua.js"),
      ...args,
    ],
    { cwd, encoding: "utf8", env: { ...process.env, CUM_THI_DUA_DEBUG: "", CUM_THI_DUA_TEST_NOW: instant } },
  );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
