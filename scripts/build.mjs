// Builds every artefact: the command line (Node), the Apps Script bundle, the dialogs.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });

await build({
  entryPoints: ["src/cli/index.ts"],
  outfile: "dist/cli/cum-thi-dua.mjs",
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
  entryPoints: { core: "src/cli/bench-core.ts", files: "src/cli/bench-files.ts" },
  outdir: "dist/bench",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
