#!/usr/bin/env node
/**
 * Fuzzes the offline path for a bounded time: fast-check mutates a filled
 * school workbook (its XML parts, or its raw bytes), puts it in a folder
 * beside valid files and runs `kiem-tra` and `tong-hop` on it in process.
 * Every run must end with exit 0 or 1 (never 3, never a thrown error), and
 * no input may change. A failing case is kept on disk and its seed printed.
 *
 *   node scripts/fuzz-offline.mjs [--seconds 30] [--seed N]
 *
 * Needs the built command line (npm run build). A run that loops forever
 * cannot be interrupted from inside Node: call it under `timeout`.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import fc from "fast-check";
import JSZip from "jszip";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "30" }, seed: { type: "string" } } });
const seconds = Number(values.seconds);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const root = new URL("..", import.meta.url).pathname;
const { run } = await import(join(root, "dist", "cli", "cum-thi-dua.mjs"));
const DEF = join(root, "sheets-templates", "cum-7-tay-nguyen-2020.json");

const quiet = () => {
  const lines = [];
  return { io: { out: (s) => lines.push(s), err: (s) => lines.push(s) }, text: () => lines.join("\n") };
};

// Valid files to start from: the demo's filled 2020 cluster.
const work = mkdtempSync(join(tmpdir(), "fuzz-offline-"));
const demo = quiet();
if ((await run(["chay-thu", "--thu-muc", join(work, "demo")], demo.io)) !== 0)
  throw new Error("chay-thu failed:\n" + demo.text());
const filled = join(work, "demo", "cum-7-tay-nguyen-2020", "da-dien");
const victim = readFileSync(join(filled, "2020-DLK.xlsx"));
const zip = await JSZip.loadAsync(victim);
const parts = Object.keys(zip.files).filter((n) => n.endsWith(".xml") || n.endsWith(".rels"));
const texts = Object.fromEntries(await Promise.all(parts.map(async (n) => [n, await zip.file(n).async("string")])));

const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "1e308",
    "-1e308",
    "NaN",
    "Infinity",
    "-0",
    "0.750",
    "0,5",
    "19.08",
    "__proto__",
    "constructor",
    "\u202e",
    "\u200b",
    "<",
    "&",
    '"',
    "</c>",
    "<v>",
    't="s"',
    "9".repeat(400),
  ),
  fc.integer().map(String),
  fc.double().map(String),
);
const xmlMutation = fc.record({
  kind: fc.constant("xml"),
  part: fc.constantFrom(...parts),
  at: fc.nat(),
  length: fc.nat({ max: 200 }),
  insert: nasty,
});
const byteMutation = fc.record({
  kind: fc.constant("bytes"),
  flips: fc.array(fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 8 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});
const mutation = fc.oneof(xmlMutation, xmlMutation, byteMutation);

async function mutate(m) {
  if (m.kind === "bytes") {
    const b = new Uint8Array(victim);
    for (const f of m.flips) b[f.at % b.length] = f.value;
    return m.cut === undefined ? b : b.subarray(0, m.cut % b.length);
  }
  const xml = texts[m.part];
  const at = m.at % (xml.length + 1);
  const copy = await JSZip.loadAsync(victim);
  copy.file(m.part, xml.slice(0, at) + m.insert + xml.slice(at + m.length));
  return copy.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

const sha = (f) => createHash("sha256").update(readFileSync(f)).digest("hex");
let runs = 0;
let failure;

async function check(m) {
  runs++;
  const dir = join(work, `case-${runs}`);
  mkdirSync(dir);
  for (const f of readdirSync(filled)) if (f !== "2020-DLK.xlsx") copyFileSync(join(filled, f), join(dir, f));
  writeFileSync(join(dir, "2020-DLK.xlsx"), await mutate(m));
  const before = Object.fromEntries(readdirSync(dir).map((f) => [f, sha(join(dir, f))]));
  const out = join(work, `out-${runs}`);
  for (const args of [
    ["kiem-tra", join(dir, "2020-DLK.xlsx"), "--cum", DEF],
    ["tong-hop", dir, "--ra", join(out, "th.xlsx"), "--json", join(out, "th.json"), "--cum", DEF],
  ]) {
    const q = quiet();
    let code;
    try {
      code = await run(args, q.io);
    } catch (e) {
      throw new Error(`${args[0]} threw: ${e?.stack ?? e}`);
    }
    if (code !== 0 && code !== 1) throw new Error(`${args[0]} exited ${code}:\n${q.text()}`);
    if (/Lỗi ngoài dự kiến|\n\s+at .*:\d+:\d+/.test(q.text()))
      throw new Error(`${args[0]} printed an unexpected error:\n${q.text()}`);
  }
  JSON.parse(readFileSync(join(out, "th.json"), "utf8"));
  const after = Object.fromEntries(readdirSync(dir).map((f) => [f, sha(join(dir, f))]));
  if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`an input changed in ${dir}`);
  rmSync(dir, { recursive: true });
  rmSync(out, { recursive: true, force: true });
}

const started = Date.now();
const result = await fc.check(
  fc.asyncProperty(mutation, async (m) => {
    try {
      await check(m);
    } catch (e) {
      failure ??= { m, message: e.message };
      throw e;
    }
  }),
  {
    seed,
    numRuns: 1_000_000,
    interruptAfterTimeLimit: seconds * 1000,
    markInterruptAsFailure: false,
    endOnFailure: true,
  },
);
const took = ((Date.now() - started) / 1000).toFixed(1);
if (result.failed) {
  console.error(`fuzz-offline: FAILED after ${runs} runs (${took} s), seed ${seed}. Kept: ${work}`);
  console.error(JSON.stringify(failure.m).slice(0, 500));
  console.error(failure.message.slice(0, 4000));
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log(
  `fuzz-offline: ${runs} mutated workbooks, ${runs * 2} runs in ${took} s, seed ` +
    `${seed}: no crash, no exit 3, no input written.`,
);
