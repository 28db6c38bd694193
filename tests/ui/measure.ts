/** Bench: how long the dialogs take in Chromium to read a school's workbook and to build a template. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDefinition } from "../../src/core/definition/definition";
import { templateBuffer } from "../../src/excel/template";
import { FakeEnv } from "../fake-gas/env";
import { openDialog, startHarness } from "./harness";
import rawDefinition from "../../sheets-templates/nam-trung-bo-tay-nguyen-2023.json";

export async function measureDialogs(runs = 5): Promise<{ parseMs: number[]; templateMs: number[] }> {
  const def = loadDefinition(rawDefinition);
  const owner = "chu.so@vi-du.vn";
  const env = new FakeEnv({ owner, editors: def.schools.flatMap((s) => s.editors), activeUser: owner });
  env.ui.answers.push("YES");
  env.run("menuSetup");
  const dir = mkdtempSync(join(tmpdir(), "bench-ui-"));
  const file = join(dir, "mau.xlsx");
  writeFileSync(file, await templateBuffer(def, def.schools[0]!));
  const h = await startHarness();
  const parseMs: number[] = [];
  const templateMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const imp = await openDialog(h, env, "dialog-nhap", owner);
      await imp.page.locator("#tep").waitFor();
      let t0 = performance.now();
      await imp.page.locator("#tep").setInputFiles(file);
      await imp.page.locator("#xem-truoc h2").waitFor();
      parseMs.push(performance.now() - t0);
      await imp.page.context().close();

      const dl = await openDialog(h, env, "dialog-tai-mau", owner);
      await dl.page.getByRole("button", { name: "Tải mẫu" }).waitFor();
      t0 = performance.now();
      const button = dl.page.getByRole("button", { name: "Tải mẫu" });
      await Promise.all([dl.page.waitForEvent("download"), button.click()]);
      templateMs.push(performance.now() - t0);
      await dl.page.context().close();
    }
  } finally {
    await h.close();
  }
  return { parseMs, templateMs };
}
