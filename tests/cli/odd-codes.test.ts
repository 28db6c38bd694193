/**
 * Codes are user data: a school coded "__proto__" and a target coded
 * "constructor" go through templates, checking, the summary, the lock and
 * its verification like any other code.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { rawDefinition } from "../helpers/samples";
import { fill } from "../helpers/workbooks";

it("__proto__ and constructor behave like any other code from template to xac-minh", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ma-la-"));
  const raw = rawDefinition("cum-7-tay-nguyen-2020") as {
    schools: { code: string }[];
    targets: { code: string; kind: string; levels?: string[] }[];
  };
  const oldTarget = raw.targets[0]!.code;
  const text = JSON.stringify(raw)
    .split(`"${raw.schools[0]!.code}"`)
    .join('"__proto__"')
    .split(`"${oldTarget}"`)
    .join('"constructor"');
  const def = join(dir, "cum.json");
  writeFileSync(def, text);
  const codes = (JSON.parse(text) as typeof raw).schools.map((s) => s.code);
  const targets = (JSON.parse(text) as typeof raw).targets;
  const nop = join(dir, "nop");
  expect(cli(["tao-mau", "--tat-ca", "--thu-muc", nop, "--cum", def]).code).toBe(0);
  for (const code of codes) {
    const file = join(nop, `mau-2020-${code}.xlsx`);
    const value = (t: (typeof targets)[number], i: number) =>
      t.kind === "percent" ? 0.9 : t.kind === "yesno" ? "Đạt" : t.kind === "level" ? t.levels![0]! : i + 1;
    const cells = Object.fromEntries(
      targets.map((t, i) => [t.code, { registered: value(t, i), achieved: value(t, i) }]),
    );
    writeFileSync(file, await fill(new Uint8Array(readFileSync(file)), cells));
  }
  const json = join(dir, "th.json");
  const r = cli(["tong-hop", nop, "--ra", join(dir, "th.xlsx"), "--json", json, "--cum", def]);
  const summary = JSON.parse(readFileSync(json, "utf8"));
  expect(summary.schools.find((s: { code: string }) => s.code === "__proto__")).toMatchObject({
    status: expect.any(String),
  });
  const constructorTarget = summary.targets.find((t: { code: string }) => t.code === "constructor");
  expect(Object.keys(constructorTarget.bySchool)).toContain("__proto__");
  expect(r.stdout + r.stderr).not.toMatch(/Lỗi ngoài dự kiến|\[object|function/);
  const out = join(dir, "khoa");
  const k = cli(["khoa", nop, "--ra", out, "--cum", def]);
  expect(k.code, k.stdout + k.stderr).toBe(0);
  const code = /Mã kiểm tra toàn cụm: ([0-9a-f]{12})/.exec(k.stdout)![1]!;
  const v = cli(["xac-minh", join(out, "tong-hop-da-khoa.xlsx"), nop, "--cum", def, "--ma", code]);
  expect(v.code, v.stdout).toBe(0);
  expect(v.stdout).toMatch(/mau-2020-__proto__\.xlsx: khớp với số liệu đã khóa/);
}, 120_000);
