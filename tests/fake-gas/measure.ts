/**
 * Service calls of set-up and Tổng hợp on a synthetic cluster, run on the
 * built Code.js against the fake. Used by a test and by npm run bench.
 */
import { buildConfigSheet } from "../../src/core/sheets/config-layout";
import { COL, schoolSheetName } from "../../src/core/sheets/school-layout";
import { rectangular } from "../../src/core/sheets/sheet-spec";
import { syntheticCluster } from "../../src/cli/bench-core";
import { FakeEnv } from "./env";

export interface CallFigures {
  schools: number;
  targets: number;
  setup: number;
  tongHop: number;
  tongHopMs: number;
  heaviest: [string, number][];
}

export function measureCalls(schools: number, targets: number): CallFigures {
  const def = syntheticCluster(schools, targets);
  const owner = "chu.so@vi-du.vn";
  const env = new FakeEnv({ owner, editors: def.schools.flatMap((s) => s.editors), activeUser: owner });
  // Start from a spreadsheet whose Cấu hình already holds the definition, as a head school would prepare it.
  const config = env.spreadsheet.insertSheetRaw("Cấu hình");
  const grid = rectangular(buildConfigSheet(def).grid).map((r) => r.map((v) => (v === null ? "" : v)));
  config.maxCols = Math.max(config.maxCols, grid[0]!.length);
  // As text, the way set-up writes Cấu hình: the fake parses strings typed into General cells.
  config.getRange(1, 1, grid.length, grid[0]!.length).setNumberFormat("@").setValues(grid);

  env.log.reset();
  env.run("menuSetup");
  const setup = env.log.total;

  // Every school fills every figure (straight into the fake: not counted).
  for (const [i, s] of def.schools.entries()) {
    const sheet = env.sheet(schoolSheetName(s));
    const values = sheet.getDataRangeRaw().getValues();
    values.forEach((row, r) => {
      const t = def.targets.find((x) => x.code === row[COL.code]);
      if (!t) return;
      const v = t.kind === "yesno" ? "Đạt" : t.kind === "percent" ? 0.9 : 10 + ((i + r) % 7);
      sheet.getRange(r + 1, COL.registered + 1, 1, 2).setValues([[v, v]]);
    });
  }
  env.log.reset();
  const t0 = performance.now();
  env.run("menuTongHop");
  const tongHopMs = performance.now() - t0;
  const tongHop = env.log.total;
  const heaviest = [...env.log.counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return { schools, targets, setup, tongHop, tongHopMs, heaviest };
}
