#!/usr/bin/env node
// Thin launcher: the command line is built into dist/ by `npm run build` (run by `npm ci` through "prepare").
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/cum-thi-dua.mjs", import.meta.url);
if (!existsSync(built)) {
  process.stderr.write("Chưa có bản dựng của cum-thi-dua. Hãy chạy: npm run build\n");
  process.exit(2);
}
// `cum-thi-dua … | head` closes the pipe early: stop quietly instead of printing Node's stack.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
const { run } = await import(built.href);
process.exitCode = await run(process.argv.slice(2));
