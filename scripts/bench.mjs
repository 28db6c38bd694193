// Prints speed, size and memory figures. Never asserts: targets are read by people.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { benchCore } from "../dist/bench/core.mjs";
import { writeSchoolFiles } from "../dist/bench/files.mjs";
import { measureActionsDetailed, measureCalls, measureLock, measureYears, pledgePayload } from "../dist/bench/gas.mjs";
import { CALL_SECONDS, headQuota, START_SECONDS, TYPICAL_DAY } from "../dist/bench/quota.mjs";
import { benchDocuments } from "../dist/bench/docs.mjs";
import { benchPeriodCore, writeLockedYears } from "../dist/bench/period.mjs";
import { benchAcademyCore, lockNational } from "../dist/bench/academy.mjs";

/** Numbers as Vietnamese readers write them: 1.530 and 15,07. */
const vn = (n, digits = 0) =>
  n.toLocaleString("vi-VN", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The middle item by the given measure (a run keeps its peak memory with its wall time). */
function median(xs, by = (x) => x) {
  const s = [...xs].sort((a, b) => by(a) - by(b));
  return s[Math.floor(s.length / 2)];
}
/**
 * Median wall time of fn. Each run starts from a collected heap, as each
 * Apps Script execution and each command-line run starts from a fresh one;
 * a short pause after the collection lets V8 finish sweeping on its helper
 * thread, which a fresh heap never has pending (without it the sweep competes
 * with the timed run on this 2-core machine and the median rises by ~4 ms).
 */
export async function time(fn, runs) {
  // Steady state: let the JIT compile the hot paths before measuring.
  for (let i = 0; i < 5; i++) fn();
  const xs = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    await sleep(20);
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const rows = [];
for (const [schools, targets, runs] of [
  [10, 7, 200],
  [100, 200, 25],
]) {
  const run = benchCore(schools, targets);
  const ms = await time(run, runs);
  rows.push({
    "phép đo": `core: kiểm tra + tổng hợp + chấm điểm, ${schools} trường × ${targets} chỉ tiêu`,
    "trung vị (ms)": vn(ms, 2),
    "mục tiêu": schools === 100 ? "< 20 ms" : "",
  });
}
// tong-hop over 100 generated school files, against exceljs alone loading the same files.
// Both run as fresh processes, as a user runs them; /usr/bin/time gives wall time and peak memory.
const dir = mkdtempSync(join(tmpdir(), "bench-files-"));
const filesDir = join(dir, "nop");
writeFileSync(join(dir, "cum.json"), await writeSchoolFiles(filesDir, 100, 7));
function measure(args) {
  const report = join(dir, "time.txt");
  const r = spawnSync("/usr/bin/time", ["-o", report, "-f", "%e %M", process.execPath, ...args], { stdio: "ignore" });
  if (r.status !== 0) throw new Error(`bench command failed: ${args.join(" ")}`);
  const [wall, kb] = readFileSync(report, "utf8").trim().split(" ");
  return { wall: Number(wall), mb: Number(kb) / 1024 };
}
// The two commands alternate, five runs each, and each gives its median run:
// on a shared host the load drifts, and drift should hit both sides alike.
const loadArgs = [
  "--input-type=module",
  "-e",
  `import { loadAllWithExcelJs } from ${JSON.stringify(new URL("../dist/bench/files.mjs", import.meta.url).href)}; await loadAllWithExcelJs(${JSON.stringify(filesDir)});`,
];
const tongHopArgs = [
  "bin/cum-thi-dua.js",
  "tong-hop",
  filesDir,
  "--ra",
  join(dir, "tong-hop.xlsx"),
  "--cum",
  join(dir, "cum.json"),
  // Each run replaces the last one's output, as a clerk re-running it would.
  "--ghi-de",
];
const loadRuns = [];
const tongHopRuns = [];
for (let i = 0; i < 5; i++) {
  loadRuns.push(measure(loadArgs));
  tongHopRuns.push(measure(tongHopArgs));
}
const loadOnly = median(loadRuns, (r) => r.wall);
const tongHop = median(tongHopRuns, (r) => r.wall);
rows.push({
  "phép đo": "exceljs chỉ nạp 100 tệp trường (7 chỉ tiêu)",
  "trung vị (ms)": vn(loadOnly.wall * 1000),
  "mục tiêu": "",
  "bộ nhớ đỉnh (MB)": vn(loadOnly.mb),
});
rows.push({
  "phép đo": "cum-thi-dua tong-hop 100 tệp (đọc, kiểm tra, tổng hợp, ghi .xlsx)",
  "trung vị (ms)": vn(tongHop.wall * 1000),
  "mục tiêu": `≤ 1,3 × nạp (${vn(tongHop.wall / loadOnly.wall, 2)} ×)`,
  "bộ nhớ đỉnh (MB)": vn(tongHop.mb),
});

// The period review: 6 locked years × 10 schools, the core alone and the whole command (read, verify, write .xlsx, .json, .docx).
rows.push({
  "phép đo": "core: tổng kết giai đoạn, 6 năm × 10 trường × 7 chỉ tiêu",
  "trung vị (ms)": vn(await time(benchPeriodCore(6, 10, 7), 50), 2),
  "mục tiêu": "",
});
const lockedDir = join(dir, "khoa");
const period = await writeLockedYears(lockedDir, 6, 10, 7);
const periodArgs = [
  "bin/cum-thi-dua.js",
  "tong-ket-giai-doan",
  lockedDir,
  "--tu",
  String(period.from),
  "--den",
  String(period.to),
  "--ra",
  join(dir, "giai-doan.xlsx"),
  "--json",
  join(dir, "giai-doan.json"),
  "--bao-cao",
  join(dir, "giai-doan.docx"),
  "--ghi-de",
];
const periodRun = median(
  [0, 1, 2].map(() => measure(periodArgs)),
  (r) => r.wall,
);
rows.push({
  "phép đo": "cum-thi-dua tong-ket-giai-doan 6 năm đã khóa × 10 trường (đọc, đối chiếu mã, ghi .xlsx, .json, .docx)",
  "trung vị (ms)": vn(periodRun.wall * 1000),
  "mục tiêu": "",
  "bộ nhớ đỉnh (MB)": vn(periodRun.mb),
});

// The document commands against exceljs alone loading the same school files, as fresh processes:
// the target is at most 2 × the load's time and under 500 MB at 60 schools × 200 targets.
for (const [schools, targets] of [
  [10, 7],
  [60, 200],
]) {
  const sizeDir = join(dir, `van-ban-${schools}x${targets}`);
  const nop = join(sizeDir, "nop");
  const cum = join(sizeDir, "cum.json");
  writeFileSync(cum, await writeSchoolFiles(nop, schools, targets), { flag: "wx" });
  const files = JSON.stringify(new URL("../dist/bench/files.mjs", import.meta.url).href);
  const load = [
    "--input-type=module",
    "-e",
    `import { loadAllWithExcelJs } from ${files}; await loadAllWithExcelJs(${JSON.stringify(nop)});`,
  ];
  // Each run writes to a path of its own: no command is asked to replace an earlier output.
  const commands = {
    "giao-uoc": (i) => ["giao-uoc", "--ra", join(sizeDir, `giao-uoc-${i}.docx`), "--cum", cum, nop],
    "bao-cao": (i) => ["bao-cao", "--ra", join(sizeDir, `bao-cao-${i}.docx`), "--cum", cum, nop],
    khoa: (i) => ["khoa", "--ra", join(sizeDir, `khoa-${i}`), "--mat-khau", "thu-tai", "--cum", cum, nop],
  };
  const what = {
    "giao-uoc": "đọc, kiểm tra, ghi .docx",
    "bao-cao": "đọc, tổng hợp, ghi .docx",
    khoa: "đọc, khóa, ghi .xlsx có mật khẩu và .docx",
  };
  const runs = { load: [], ...Object.fromEntries(Object.keys(commands).map((c) => [c, []])) };
  for (let i = 0; i < 3; i++) {
    runs.load.push(measure(load));
    for (const [name, args] of Object.entries(commands)) runs[name].push(measure(["bin/cum-thi-dua.js", ...args(i)]));
  }
  const loaded = median(runs.load, (r) => r.wall);
  rows.push({
    "phép đo": `exceljs chỉ nạp ${schools} tệp trường (${targets} chỉ tiêu)`,
    "trung vị (ms)": vn(loaded.wall * 1000),
    "mục tiêu": "",
    "bộ nhớ đỉnh (MB)": vn(loaded.mb),
  });
  for (const name of Object.keys(commands)) {
    const r = median(runs[name], (x) => x.wall);
    rows.push({
      "phép đo": `cum-thi-dua ${name} ${schools} tệp × ${targets} chỉ tiêu (${what[name]})`,
      "trung vị (ms)": vn(r.wall * 1000),
      "mục tiêu": `≤ 2 × nạp (${vn(r.wall / loaded.wall, 2)} ×), < 500 MB`,
      "bộ nhớ đỉnh (MB)": vn(r.mb),
    });
  }
}

// The Academy's roll-up: the six bundled clusters of 2026 (34 schools) with their review records.
rows.push({
  "phép đo": "core: tổng hợp toàn Học viện, 6 Cụm × 34 trường, kèm biên bản bình xét",
  "trung vị (ms)": vn(await time(benchAcademyCore(), 50), 2),
  "mục tiêu": "",
});
const nationalDir = join(dir, "cac-cum");
await lockNational(nationalDir);
const academyRun = median(
  [0, 1, 2].map(() =>
    measure([
      "bin/cum-thi-dua.js",
      "tong-hop-hoc-vien",
      nationalDir,
      "--binh-xet",
      nationalDir,
      "--ra",
      join(dir, "hoc-vien.xlsx"),
      "--json",
      join(dir, "hoc-vien.json"),
      "--bao-cao",
      join(dir, "hoc-vien.docx"),
      "--ghi-de",
    ]),
  ),
  (r) => r.wall,
);
rows.push({
  "phép đo": "cum-thi-dua tong-hop-hoc-vien 6 Cụm đã khóa (đọc, đối chiếu mã, biên bản, ghi .xlsx, .json, .docx)",
  "trung vị (ms)": vn(academyRun.wall * 1000),
  "mục tiêu": "",
  "bộ nhớ đỉnh (MB)": vn(academyRun.mb),
});
rmSync(dir, { recursive: true, force: true });

for (const [schools, targets] of [
  [10, 7],
  [60, 7],
  [60, 200],
]) {
  const build = benchDocuments(schools, targets);
  await build();
  const xs = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    bytes = await build();
    xs.push(performance.now() - t0);
  }
  rows.push({
    "phép đo": `văn bản: giao ước + báo cáo tổng kết (.docx), ${schools} trường × ${targets} chỉ tiêu`,
    "trung vị (ms)": vn(median(xs)),
    "mục tiêu": "",
    "bộ nhớ đỉnh (MB)": `${vn(bytes / 1024)} KB tệp`,
  });
}

console.table(rows);

// Apps Script: service calls of the built Code.js on the in-memory fake.
const size = (await import("node:fs")).statSync(new URL("../dist/gas/Code.js", import.meta.url)).size;
const gasRows = [];
for (const [schools, targets] of [
  [10, 7],
  [60, 200],
  [120, 300],
]) {
  const m = measureCalls(schools, targets);
  gasRows.push({
    cụm: `${schools} trường × ${targets} chỉ tiêu`,
    "lệnh gọi: Thiết lập": vn(m.setup),
    "lệnh gọi: Tổng hợp": vn(m.tongHop),
    "mục tiêu": "≤ 30 mỗi thao tác",
    "yêu cầu lớn nhất (MB): Thiết lập / Tổng hợp": `${vn(m.setupBytes / 1e6, 2)} / ${vn(m.tongHopBytes / 1e6, 2)} (Google khuyên ≤ 2)`,
    "Tổng hợp trên bản giả (ms)": vn(m.tongHopMs),
  });
}
console.table(gasRows);
// Every menu action and trigger, as a year runs them; the goal is at most 30 calls each and no request over 2 MB.
const sizes = [
  [10, 7],
  [60, 200],
  [120, 300],
];
const perAction = sizes.map(([s, t]) => new Map(measureActionsDetailed(s, t).map((a) => [a.action, a])));
console.table(
  [...perAction[0].keys()].map((action) => ({
    "thao tác": action,
    ...Object.fromEntries(
      sizes.flatMap(([s, t], i) => {
        const a = perAction[i].get(action);
        return [
          [`lệnh gọi, ${s}×${t}`, vn(a.calls)],
          [`lệnh ghi, ${s}×${t}`, vn(a.writes)],
          [`yêu cầu lớn nhất (KB), ${s}×${t}`, vn(a.largestBytes / 1024)],
        ];
      }),
    ),
  })),
);
// The head's account carries every school's edits: its trigger minutes a day and its peak writes a minute.
const big = perAction[1];
const cost = (label) => ({ calls: big.get(label).calls, writes: big.get(label).writes });
const costs = {
  editLog: cost("onEditLog (một ô)"),
  flushIdle: cost("flushPending (không có việc)"),
  flushAfterImport: cost("flushPending (sau một lần nhập của trường)"),
  flushAfterConfirm: cost("flushPending (sau một xác nhận)"),
};
console.log(
  `Một ngày làm việc giả định cho mỗi trường: ${TYPICAL_DAY.editsPerSchool} lần sửa ô, ${TYPICAL_DAY.importsPerSchool} lần nhập từ Excel, ${TYPICAL_DAY.confirmationsPerSchool} lần xác nhận; giờ cao điểm: ${vn(TYPICAL_DAY.peakShareTyping * 100)} % số trường cùng gõ, mỗi trường ${TYPICAL_DAY.peakEditsPerMinute} ô một phút. Thời gian một lần chạy trigger ước tính ${vn(START_SECONDS)} s khởi động + ${vn(CALL_SECONDS, 1)} s mỗi lệnh gọi (giả định, không phải số đo của Google).`,
);
console.table(
  [10, 60].map((schools) => {
    const q = headQuota(schools, costs);
    return {
      cụm: `${schools} trường`,
      "lần chạy trigger / ngày": vn(q.runsPerDay),
      "phút chạy trigger / ngày (tài khoản thường: 90)": vn(q.triggerMinutesPerDay, 1),
      "lệnh ghi / phút lúc cao điểm (giới hạn 60)": vn(q.peakWritesPerMinute, 1),
    };
  }),
);
// The lock at sizes where its snapshot passes the 500 KB property store.
for (const [s, t] of [
  [80, 300],
  [120, 300],
]) {
  const l = measureLock(s, t);
  console.log(
    `Khóa số liệu cuối năm ${s} trường × ${t} chỉ tiêu: ${l.locked ? "thành công" : `bị từ chối (${l.message})`}, ${l.verified ? "Kiểm tra toàn vẹn khớp" : "Kiểm tra toàn vẹn KHÔNG khớp"}; bản khóa ${vn(l.snapshotBytes / 1024)} KB trong trang ẩn; ${vn(l.calls)} lệnh gọi, yêu cầu lớn nhất ${vn(l.largestBytes / 1e6, 2)} MB`,
  );
}
// The actions across years (after the lock): calls and the largest request body, against ≤ 30 calls and Google's 2 MB.
const years = sizes.map(([s, t]) => measureYears(s, t));
console.table(
  years[0].map(({ action }, k) => ({
    "thao tác (các năm)": action,
    ...Object.fromEntries(
      sizes.flatMap(([s, t], i) => [
        [`lệnh gọi, ${s} × ${t}`, vn(years[i][k].calls)],
        [`yêu cầu lớn nhất (MB), ${s} × ${t}`, vn(years[i][k].bytes / 1e6, 2)],
      ]),
    ),
  })),
);
// A document goes in Docs API parts of at most 2 MB each.
for (const [s, t] of sizes) {
  const p = pledgePayload(s, t);
  console.log(
    `Giao ước ${s} trường × ${t} chỉ tiêu: ${vn(p.requests)} yêu cầu Docs, ${vn(p.bytes / 1024 / 1024, 1)} MB JSON, gửi thành ${vn(p.parts)} lệnh batchUpdate, lệnh lớn nhất ${vn(p.largest / 1e6, 2)} MB`,
  );
}
console.log(`Code.js (Apps Script): ${vn(size / 1024, 1)} KB (mục tiêu < 380 KB, không chứa exceljs)`);

// Dialogs: their size, and their time in Chromium (Debian's /usr/bin/chromium), when it is installed.
const { statSync, existsSync } = await import("node:fs");
const kb = (f) => vn(statSync(new URL(`../dist/gas/${f}`, import.meta.url)).size / 1024, 0);
console.log(
  `Hộp thoại: dialog-tai-mau.html ${kb("dialog-tai-mau.html")} KB, dialog-nhap.html ${kb("dialog-nhap.html")} KB (đã gồm exceljs bản trình duyệt)`,
);
if (existsSync("/usr/bin/chromium")) {
  const { measureDialogs } = await import("../dist/bench/ui.mjs");
  const { parseMs, templateMs } = await measureDialogs(5);
  console.table([
    {
      "phép đo": "hộp thoại Nhập từ Excel: chọn tệp → bảng xem trước (đọc tệp trong trình duyệt)",
      "trung vị (ms)": vn(median(parseMs)),
    },
    {
      "phép đo": "hộp thoại Tải mẫu Excel: bấm → tệp tải về (dựng mẫu trong trình duyệt)",
      "trung vị (ms)": vn(median(templateMs)),
    },
  ]);
} else console.log("Không có /usr/bin/chromium: bỏ qua số đo hộp thoại.");
