import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeBadCorpus, type BadCase } from "../helpers/bad-corpus";
import { cli } from "../helpers/cli";
import { sampleDefinition } from "../helpers/samples";
import { blankTemplate, fill, FULL_2023 } from "../helpers/workbooks";

const dir = mkdtempSync(join(tmpdir(), "bad-corpus-"));
let cases: BadCase[] = [];
const hashes = new Map<string, string>();
const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

beforeAll(async () => {
  cases = await writeBadCorpus(sampleDefinition(), sampleDefinition("cum-7-tay-nguyen-2020"), dir);
  for (const c of cases) hashes.set(c.file, sha(join(dir, c.file)));
}, 120_000);

describe("bad input: every broken file gets a clear Vietnamese problem and stays untouched", () => {
  it("kiem-tra reports each case, exits 1, and modifies no file", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) {
      const r = cli(["kiem-tra", join(dir, c.file)]);
      expect(r.code, `${c.file} (${c.what})\n${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout, `${c.file} (${c.what})`).toMatch(c.expect);
      expect(r.stdout).toContain(c.file);
      expect(r.stderr).not.toMatch(/at .*\.(m?js|ts):\d+/);
      expect(r.stdout, `${c.file}: an invisible character reached the message`).not.toMatch(
        /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/,
      );
      expect(sha(join(dir, c.file)), `${c.file} was modified`).toBe(hashes.get(c.file));
    }
    // One command line run per case, forty and more of them: a loaded machine needs minutes, not the default minute.
  }, 600_000);
  it("the packed bomb is small on disk: the guard reads the zip directory, not the content", () => {
    expect(statSync(join(dir, "bom-giai-nen.xlsx")).size).toBeLessThan(1024 * 1024);
  });
  it("tong-hop over the whole corpus still writes a summary and lists every file", () => {
    const out = join(dir, "ra", "tong-hop.xlsx");
    const json = join(dir, "ra", "tong-hop.json");
    const r = cli(["tong-hop", dir, "--ra", out, "--json", json]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(json, "utf8"));
    const dlk = summary.schools.find((s: { code: string }) => s.code === "DLK");
    expect(dlk.status).toBe("invalid");
    expect(summary.covered).toBe(0);
    const mentioned = JSON.stringify(summary);
    for (const c of cases) expect(mentioned, c.file).toContain(c.file);
  });
  it("kiem-tra --truong refuses another school's file", async () => {
    const file = join(dir, "cua-truong-khac.xlsx");
    writeFileSync(file, await fill(await blankTemplate(sampleDefinition(), "GLA"), FULL_2023));
    const r = cli(["kiem-tra", file, "--truong", "DLK"]);
    expect(r.code).toBe(1);
    const otherSchoolHead = /Tệp là mẫu của Trường Chính trị tỉnh Gia Lai, /.source;
    const otherSchoolTail = /không phải của Trường Chính trị tỉnh Đắk Lắk/.source;
    const otherSchool = new RegExp(otherSchoolHead + otherSchoolTail);
    expect(r.stdout).toMatch(otherSchool);
  });
});
