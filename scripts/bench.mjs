// Prints speed, size and memory figures. Never asserts: targets are read by people.
import { performance } from "node:perf_hooks";
import { benchCore } from "../dist/bench/core.mjs";

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
/**
 * Median wall time of fn. Each run starts from a collected heap, as each
 * Apps Script execution and each command-line run starts from a fresh one.
 */
export function time(fn, runs) {
  fn();
  const xs = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
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
  const ms = time(run, runs);
  rows.push({ "phép đo": `core: kiểm tra + tổng hợp + chấm điểm, ${schools} trường × ${targets} chỉ tiêu`, "trung vị (ms)": ms.toFixed(2), "mục tiêu": schools === 100 ? "< 20 ms" : "" });
}
console.table(rows);
