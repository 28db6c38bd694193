#!/usr/bin/env node
/**
 * Fuzzes the offline path for a bounded time, three families of input in turn, each for a third of the time:
 *  - school workbooks: a filled school workbook, mutated, beside valid files, read by `kiem-tra` and `tong-hop`;
 *  - Bình xét tallies: a filled Kiểm phiếu workbook (made by `binh-xet --mau-phieu` on a locked year), mutated,
 *    read by `binh-xet --phieu`;
 *  - cluster registers (JSON), mutated as text or as a value, read by `nam-moi`, `tong-ket-giai-doan` and `lich-su`.
 * Workbooks are mutated in their XML parts or raw bytes (fast-check). Every run must end with exit 0 or 1 (never 3,
 * never a thrown error, never "Lỗi ngoài dự kiến"), and no input may change. A failing case is kept on disk and its
 * seed printed.
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
import ExcelJS from "exceljs";
import fc from "fast-check";
import JSZip from "jszip";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "30" }, seed: { type: "string" } } });
const seconds = Number(values.seconds);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const root = new URL("..", import.meta.url).pathname;
const { run } = await import(join(root, "dist", "cli", "cum-thi-dua.mjs"));
const DEF = join(root, "sheets-templates", "cum-7-tay-nguyen-2020.json");
const DEF_2025 = join(root, "sheets-templates", "nam-trung-bo-tay-nguyen-2025.json");
const REGISTER = join(root, "sheets-templates", "register", "nam-trung-bo-tay-nguyen.json");

const quiet = () => {
  const lines = [];
  return { io: { out: (s) => lines.push(s), err: (s) => lines.push(s) }, text: () => lines.join("\n") };
};

const codes = [];

/** Runs one command in process: exit 0 or 1, no thrown error, no unexpected-error message; returns the exit code. */
async function runChecked(args) {
  const q = quiet();
  let code;
  try {
    code = await run(args, q.io);
  } catch (e) {
    throw new Error(`${args[0]} threw: ${e?.stack ?? e}`);
  }
  codes.push(code);
  if (code !== 0 && code !== 1) throw new Error(`${args.join(" ")} exited ${code}:\n${q.text()}`);
  if (/Lỗi ngoài dự kiến|\n\s+at .*:\d+:\d+/.test(q.text()))
    throw new Error(`${args[0]} printed an unexpected error:\n${q.text()}`);
  return { code, text: q.text() };
}

const sha = (f) => createHash("sha256").update(readFileSync(f)).digest("hex");
const hashes = (dir) =>
  Object.fromEntries(readdirSync(dir, { recursive: true }).map((f) => [f, safeSha(join(dir, f))]));
const safeSha = (f) => {
  try {
    return sha(f);
  } catch (e) {
    if (e.code === "EISDIR") return "dir";
    throw e;
  }
};

// Fixtures, made once: the demo's filled 2020 cluster and its locked 2021–2025 years, a filled tally on 2025.
const work = mkdtempSync(join(tmpdir(), "fuzz-offline-"));
const demo = quiet();
if ((await run(["chay-thu", "--thu-muc", join(work, "demo")], demo.io)) !== 0)
  throw new Error("chay-thu failed:\n" + demo.text());
const filled = join(work, "demo", "cum-7-tay-nguyen-2020", "da-dien");
const fixtures = join(work, "fixtures");
mkdirSync(join(fixtures, "khoa"), { recursive: true });
for (const year of [2024, 2025]) {
  mkdirSync(join(fixtures, "khoa", String(year)));
  const from = join(work, "demo", "lich-su-cum", "khoa", String(year), "tong-hop-da-khoa.xlsx");
  copyFileSync(from, join(fixtures, "khoa", String(year), "tong-hop-da-khoa.xlsx"));
}
const locked2025 = join(fixtures, "khoa", "2025", "tong-hop-da-khoa.xlsx");
const template = join(work, "mau", "kiem-phieu.xlsx");
await runChecked(["binh-xet", locked2025, "--cum", DEF_2025, "--mau-phieu", template, "--ngay", "20/11/2025"]);
const tally = join(fixtures, "kiem-phieu.xlsx");
await fillTally(template, tally);
copyFileSync(REGISTER, join(fixtures, "so-dang-ky.json"));
const fixtureHashes = JSON.stringify(hashes(fixtures));

/** The board's work on the template: everyone present, ballots = schools present, 4 votes to each item's first. */
async function fillTally(from, to) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(from);
  const ws = wb.getWorksheet("Kiểm phiếu");
  let table = "";
  let present = 0;
  const firstOf = new Set();
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const a = row.getCell(1).value;
    if (a === "Chủ trì") row.getCell(2).value = "Nguyễn Văn Chủ Trì";
    if (a === "Thư ký") row.getCell(2).value = "Trần Thị Thư Ký";
    if (a === "Ban kiểm phiếu") row.getCell(2).value = "Lê Văn Một; Lê Văn Hai";
    if (a === "Mã trường") table = "present";
    else if (a === "Mã mục" && row.getCell(3).value === "Phát ra") table = "ballots";
    else if (a === "Mã mục" && row.getCell(3).value === "Mã trường") table = "votes";
    else if (!a) table = "";
    else if (table === "present") present++;
    else if (table === "ballots") [present, present, present, 0].forEach((n, i) => (row.getCell(3 + i).value = n));
    else if (table === "votes") {
      row.getCell(6).value = firstOf.has(String(a)) ? 1 : 4;
      firstOf.add(String(a));
    }
  }
  await wb.xlsx.writeFile(to);
}

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

/** Mutations of one xlsx file: a splice into one of its XML parts, or flipped bytes and a cut. */
async function workbookMutator(bytes) {
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((n) => n.endsWith(".xml") || n.endsWith(".rels"));
  const texts = Object.fromEntries(await Promise.all(parts.map(async (n) => [n, await zip.file(n).async("string")])));
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
  return {
    arbitrary: fc.oneof(xmlMutation, xmlMutation, byteMutation),
    async apply(m) {
      if (m.kind === "bytes") {
        const b = new Uint8Array(bytes);
        for (const f of m.flips) b[f.at % b.length] = f.value;
        return m.cut === undefined ? b : b.subarray(0, m.cut % b.length);
      }
      const xml = texts[m.part];
      const at = m.at % (xml.length + 1);
      const copy = await JSZip.loadAsync(bytes);
      copy.file(m.part, xml.slice(0, at) + m.insert + xml.slice(at + m.length));
      return copy.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    },
  };
}

/** Mutations of a JSON file: a splice into its text, or one value (found by its place in a walk) replaced or removed. */
function jsonMutator(text) {
  const paths = [];
  const walk = (v, path) => {
    paths.push(path);
    if (v && typeof v === "object") for (const k of Object.keys(v)) walk(v[k], [...path, k]);
  };
  walk(JSON.parse(text), []);
  const jsonValue = fc.oneof(
    nasty,
    fc.constantFrom(null, true, 0, -1, 1e308, 2026, 1.5, [], {}, "", "1900-01-01", "2025-13-45", "DNG", "GLA"),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const arbitrary = fc.oneof(
    fc.record({ kind: fc.constant("text"), at: fc.nat(), length: fc.nat({ max: 200 }), insert: nasty }),
    fc.record({ kind: fc.constant("value"), path: fc.nat(), value: jsonValue }),
    fc.record({ kind: fc.constant("value"), path: fc.nat(), value: jsonValue }),
    fc.record({ kind: fc.constant("remove"), path: fc.nat() }),
  );
  return {
    arbitrary,
    apply(m) {
      if (m.kind === "text") {
        const at = m.at % (text.length + 1);
        return text.slice(0, at) + m.insert + text.slice(at + m.length);
      }
      const doc = JSON.parse(text);
      const path = paths[m.path % paths.length];
      if (path.length === 0) return m.kind === "remove" ? "" : JSON.stringify(m.value);
      const parent = path.slice(0, -1).reduce((o, k) => o[k], doc);
      const key = path.at(-1);
      if (m.kind === "value") parent[key] = m.value;
      else if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return JSON.stringify(doc, null, 2);
    },
  };
}

/** Fails when any file under dir differs from its hashes before the run. */
function unchanged(dir, before) {
  const after = JSON.stringify(hashes(dir));
  if (after !== before) throw new Error(`an input changed in ${dir}`);
  if (JSON.stringify(hashes(fixtures)) !== fixtureHashes) throw new Error(`a fixture changed in ${fixtures}`);
}

let cases = 0;
const families = [
  {
    name: "workbooks",
    label: "mutated school workbooks",
    commands: 2,
    valid: readFileSync(join(filled, "2020-DLK.xlsx")),
    mutator: await workbookMutator(readFileSync(join(filled, "2020-DLK.xlsx"))),
    async check(dir, out, bytes) {
      for (const f of readdirSync(filled)) if (f !== "2020-DLK.xlsx") copyFileSync(join(filled, f), join(dir, f));
      writeFileSync(join(dir, "2020-DLK.xlsx"), bytes);
      const before = JSON.stringify(hashes(dir));
      await runChecked(["kiem-tra", join(dir, "2020-DLK.xlsx"), "--cum", DEF]);
      await runChecked(["tong-hop", dir, "--ra", join(out, "th.xlsx"), "--json", join(out, "th.json"), "--cum", DEF]);
      JSON.parse(readFileSync(join(out, "th.json"), "utf8"));
      unchanged(dir, before);
    },
  },
  {
    name: "tallies",
    label: "mutated Bình xét tallies",
    commands: 1,
    valid: readFileSync(tally),
    mutator: await workbookMutator(readFileSync(tally)),
    async check(dir, out, bytes) {
      writeFileSync(join(dir, "kiem-phieu.xlsx"), bytes);
      const before = JSON.stringify(hashes(dir));
      await runChecked(["binh-xet", locked2025, "--phieu", join(dir, "kiem-phieu.xlsx"), "--ra", out]);
      unchanged(dir, before);
    },
  },
  {
    name: "registers",
    label: "mutated cluster registers",
    commands: 3,
    valid: readFileSync(REGISTER, "utf8"),
    mutator: jsonMutator(readFileSync(REGISTER, "utf8")),
    async check(dir, out, text) {
      const register = join(dir, "so-dang-ky.json");
      writeFileSync(register, text);
      const before = JSON.stringify(hashes(dir));
      const years = [join(fixtures, "khoa", "2024"), join(fixtures, "khoa", "2025")];
      await runChecked([
        "nam-moi",
        "--cum",
        DEF_2025,
        "--nam",
        "2026",
        "--ra",
        join(out, "n.json"),
        "--so-dang-ky",
        register,
      ]);
      await runChecked([
        "tong-ket-giai-doan",
        ...years,
        "--tu",
        "2024",
        "--den",
        "2025",
        "--ra",
        join(out, "t.xlsx"),
        "--so-dang-ky",
        register,
      ]);
      await runChecked(["lich-su", ...years, "--truong", "GLA", "--so-dang-ky", register]);
      unchanged(dir, before);
    },
  },
];

// The unmutated inputs must pass, or the fuzz would only ever test refusals.
for (const f of families) {
  codes.length = 0;
  const dir = join(work, `valid-${f.name}`);
  mkdirSync(dir);
  await f.check(dir, join(work, `valid-${f.name}-out`), f.valid);
  if (codes.some((c) => c !== 0)) throw new Error(`the unmutated ${f.name} input was refused (exit ${codes})`);
}

const started = Date.now();
const counts = {};
let failure;
for (const [i, f] of families.entries()) {
  counts[f.name] = 0;
  // Each family gets an equal share of what is left, so a slow fixture step does not starve the last one.
  const budget = (started + seconds * 1000 - Date.now()) / (families.length - i);
  const result = await fc.check(
    fc.asyncProperty(f.mutator.arbitrary, async (m) => {
      counts[f.name]++;
      cases++;
      const dir = join(work, `case-${cases}`);
      const out = join(work, `out-${cases}`);
      mkdirSync(dir);
      try {
        await f.check(dir, out, await f.mutator.apply(m));
      } catch (e) {
        failure ??= { family: f.name, m, message: e.message, dir };
        throw e;
      }
      rmSync(dir, { recursive: true });
      rmSync(out, { recursive: true, force: true });
    }),
    {
      seed,
      numRuns: 1_000_000,
      interruptAfterTimeLimit: Math.max(1, budget),
      markInterruptAsFailure: false,
      endOnFailure: true,
    },
  );
  if (result.failed) break;
}
const took = ((Date.now() - started) / 1000).toFixed(1);
const summary = families.map((f) => `${counts[f.name] ?? 0} ${f.label} (${(counts[f.name] ?? 0) * f.commands} runs)`);
if (failure) {
  console.error(`fuzz-offline: FAILED on ${failure.family} (${took} s), seed ${seed}. Kept: ${failure.dir}`);
  console.error(summary.join(", "));
  console.error(JSON.stringify(failure.m).slice(0, 500));
  console.error(failure.message.slice(0, 4000));
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log(`fuzz-offline: ${summary.join(", ")} in ${took} s, seed ${seed}: no crash, no exit 3, no input written.`);
