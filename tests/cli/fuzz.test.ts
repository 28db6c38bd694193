import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../helpers/samples";

/** Keeps the fuzz script working: a few seconds with a fixed seed; CI runs it longer on its own. */
it("fuzz-offline survives a short fixed-seed run over workbooks, tallies and registers", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "fuzz-offline.mjs"), "--seconds", "6", "--seed", "42"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  expect(r.stdout).toMatch(/no crash, no exit 3, no input written/);
  // Each family got its share of the time and ran at least one mutated case.
  for (const family of ["school workbooks", "Bình xét tallies", "cluster registers"])
    expect(r.stdout).toMatch(new RegExp(`[1-9]\\d* mutated ${family}`));
}, 150_000);
