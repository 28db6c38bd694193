import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Builds dist/ once before the suite: the tests run the files that would ship, never a stale copy. */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "..", "scripts", "build.mjs")], { stdio: "inherit" });
}
