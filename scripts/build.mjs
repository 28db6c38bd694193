// Builds every artefact: the command line (Node), the Apps Script bundle, the dialogs.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import vm from "node:vm";

mkdirSync("dist", { recursive: true });

rmSync("dist/cli", { recursive: true, force: true });
await build({
  entryPoints: { "cum-thi-dua": "src/cli/index.ts" },
  outdir: "dist/cli",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});

// Benchmark helpers, built like the CLI so the bench measures the shipped code.
await build({
  entryPoints: {
    core: "bench/core.ts",
    files: "bench/files.ts",
    docs: "bench/docs.ts",
    period: "bench/period.ts",
    quota: "bench/quota.ts",
    academy: "bench/academy.ts",
    gas: "tests/fake-gas/measure.ts",
    ui: "tests/ui/measure.ts",
  },
  outdir: "dist/bench",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});

// Apps Script: one ES2020 file. esbuild wraps the modules in an IIFE; every
// export of src/gas/main.ts then gets a top-level function declaration,
// the only form menus, triggers and google.script.run can call by name.
const GLOBAL = "Cum";
const gas = await build({
  entryPoints: ["src/gas/main.ts"],
  bundle: true,
  write: false,
  format: "iife",
  globalName: GLOBAL,
  target: "es2020",
  platform: "neutral",
  mainFields: ["module", "main"],
  charset: "utf8",
  legalComments: "none",
  // Every execution, onEdit included, parses the whole file: drop the white space, keep the names
  // so that stack traces in the Apps Script log still read.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  logLevel: "warning",
});
const body = gas.outputFiles[0].text;
// Loading the bundle with no services defined also proves top-level code calls none.
const sandbox = {};
vm.runInNewContext(body + `;this.${GLOBAL}=${GLOBAL};`, sandbox);
const entries = Object.keys(sandbox[GLOBAL])
  .filter((k) => typeof sandbox[GLOBAL][k] === "function")
  .sort();
// The handlers never read \`this\`: each wrapper passes its arguments on, and nothing more.
const wrappers = entries.map((name) => `function ${name}(...a){return ${GLOBAL}.${name}(...a)}`).join("\n");
// clasp pushes everything in dist/gas: start it empty so nothing stale goes up.
rmSync("dist/gas", { recursive: true, force: true });
mkdirSync("dist/gas", { recursive: true });
writeFileSync("dist/gas/Code.js", `// Built by scripts/build.mjs from src/gas: do not edit.\n${body}\n${wrappers}\n`);
copyFileSync("appsscript.json", "dist/gas/appsscript.json");
// Outside dist/gas: clasp pushes that folder, and this list is only for the tests.
writeFileSync("dist/gas-entry-points.json", JSON.stringify(entries, null, 2) + "\n");

// Dialogs: one self-contained HTML file each, script inlined, exceljs's browser build included.
// Nothing is fetched at run time; HtmlService serves the file as it is.
const page = readFileSync("src/ui/page.html", "utf8");
for (const [entry, name] of [
  ["src/ui/download.ts", "dialog-tai-mau"],
  ["src/ui/import.ts", "dialog-nhap"],
]) {
  const ui = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    charset: "utf8",
    legalComments: "none",
    alias: { exceljs: "exceljs/dist/exceljs.bare.min.js" },
    logLevel: "warning",
  });
  // A "</script" inside the code would end the inline script early.
  const js = ui.outputFiles[0].text.replace(/<\/script/gi, "<\\/script");
  writeFileSync(
    `dist/gas/${name}.html`,
    page.replace("/*SCRIPT*/", () => js),
  );
}
