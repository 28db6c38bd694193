import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDefinition } from "../../src/core/definition/definition";
import { templateBuffer } from "../../src/excel/template";
import { cli } from "../helpers/cli";
import { rawDefinition, ROOT, sampleDefinition, sampleSubmissions } from "../helpers/samples";
import { blankTemplate, fill, FULL_2023 } from "../helpers/workbooks";

const tmp = () => mkdtempSync(join(tmpdir(), "cli-"));
const DEF_2020 = join(ROOT, "sheets-templates", "cum-7-tay-nguyen-2020.json");

async function filled2020(dir: string): Promise<void> {
  const def = sampleDefinition("cum-7-tay-nguyen-2020");
  for (const s of sampleSubmissions(def))
    writeFileSync(
      join(dir, `${s.school}.xlsx`),
      await templateBuffer(
        def,
        def.schools.find((x) => x.code === s.school)!,
        s.figures,
      ),
    );
}

describe("tao-mau", () => {
  it("writes one school's template, or every school's", () => {
    const dir = tmp();
    const one = cli(["tao-mau", "--truong", "dlk", "--ra", join(dir, "dlk.xlsx")]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Đã tạo .*dlk\.xlsx cho Trường Chính trị tỉnh Đắk Lắk, năm 2023/);
    const all = cli(["tao-mau", "--tat-ca", "--thu-muc", join(dir, "tat-ca"), "--cum", DEF_2020]);
    expect(all.code).toBe(0);
    expect(readdirSync(join(dir, "tat-ca")).sort()).toEqual([
      "mau-2020-DLK.xlsx",
      "mau-2020-DNO.xlsx",
      "mau-2020-GLA.xlsx",
      "mau-2020-KTU.xlsx",
      "mau-2020-LDO.xlsx",
    ]);
  });
  it("names the valid codes when the school is unknown, and asks for what is missing", () => {
    const r = cli(["tao-mau", "--truong", "HUE", "--ra", join(tmp(), "x.xlsx")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Mã trường "HUE" không có .* Các mã hợp lệ: QNA, QNG, BDI/);
    expect(cli(["tao-mau", "--tat-ca"]).stderr).toMatch(/cần --thu-muc/);
    expect(cli(["tao-mau", "--tat-ca"]).code).toBe(2);
  });
  it("reports a malformed definition file in Vietnamese", () => {
    const bad = join(tmp(), "cum.json");
    writeFileSync(bad, JSON.stringify({ ...rawDefinition("cum-7-tay-nguyen-2020"), headingStyle: "kingdom" }));
    const r = cli(["tao-mau", "--tat-ca", "--thu-muc", tmp(), "--cum", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mục "headingStyle".*"kingdom" không hợp lệ/);
  });
});

describe("kiem-tra", () => {
  it("exits 0 and says so when every file is valid", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "dlk.xlsx"), await fill(await blankTemplate(sampleDefinition(), "DLK"), FULL_2023));
    const r = cli(["kiem-tra", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dlk\.xlsx: hợp lệ — Trường Chính trị tỉnh Đắk Lắk/);
    expect(r.stdout).toMatch(/Đã kiểm tra 1 tệp: 1 hợp lệ, 0 có lỗi/);
  });
  it("accepts an empty Thực hiện at registration time with --dang-ky", async () => {
    const file = join(tmp(), "dk.xlsx");
    writeFileSync(
      file,
      await fill(
        await blankTemplate(sampleDefinition(), "DLK"),
        Object.fromEntries(Object.entries(FULL_2023).map(([k, v]) => [k, { registered: v.registered }])),
      ),
    );
    expect(cli(["kiem-tra", file]).code).toBe(1);
    expect(cli(["kiem-tra", file, "--dang-ky"]).code).toBe(0);
  });
  it("never calls a template with nothing typed ready to send, and tong-hop counts it as not handed in", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "dlk.xlsx"), await blankTemplate(sampleDefinition(), "DLK"));
    const check = cli(["kiem-tra", dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).not.toMatch(/hợp lệ — /);
    expect(check.stdout).toMatch(/Trường Chính trị tỉnh Đắk Lắk chưa nhập số liệu nào/);
    expect(check.stdout).toMatch(/1 chưa điền số liệu nào/);
    const total = cli(["tong-hop", dir, "--ra", join(dir, "ra", "th.xlsx")]);
    expect(total.stdout).toMatch(/Trường Chính trị tỉnh Đắk Lắk: Chưa nộp/);
    // No school counted: the report sentence leaves a visible gap, never "0 lớp".
    expect(total.stdout).toMatch(/bồi dưỡng — lớp với — học viên/);
    expect(total.stdout).not.toMatch(/\b0 lớp/);
  });
});

describe("tong-hop", () => {
  it("reproduces the published 2020 totals in the workbook and in JSON", async () => {
    const dir = tmp();
    await filled2020(dir);
    const out = join(dir, "ra", "tong-hop.xlsx");
    const r = cli(["tong-hop", dir, "--ra", out, "--json", "-", "--cum", DEF_2020]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.cluster).toEqual({
      id: "cum-7-tay-nguyen-2020",
      name: "Cụm thi đua số 7 các Trường Chính trị khu vực Tây Nguyên",
      year: 2020,
    });
    const t = (code: string) => json.targets.find((x: { code: string }) => x.code === code);
    expect(t("LOP").achieved).toEqual({ sum: 261 });
    expect(t("HOCVIEN").achieved).toEqual({ sum: 19082 });
    expect(t("DETAI_TINH").achieved.sum + t("DETAI_TRUONG").achieved.sum).toBe(13);
    expect(t("HOITHAO").achieved).toEqual({ sum: 23 });
    expect(t("HTTNV").achieved).toEqual({ mean: 92.76, min: 90.5, max: 95.8 });
    expect(t("CHUAN").achieved).toEqual({ yes: 4, of: 5 });
    expect(t("LOP").bySchool.DLK).toEqual({ registered: 60, achieved: 66 });
    expect(json.schools.map((s: { status: string }) => s.status)).toEqual([
      "valid",
      "valid",
      "valid",
      "valid",
      "valid",
    ]);
    expect(r.stderr).toMatch(/261 lớp với 19\.082 học viên/);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe("PK");
  });
  it("never chooses silently: two files for one school, an outsider, a missing school", async () => {
    const dir = tmp();
    await filled2020(dir);
    const def = sampleDefinition("cum-7-tay-nguyen-2020");
    writeFileSync(join(dir, "KTU-ban-sua.xlsx"), readFileSync(join(dir, "KTU.xlsx")));
    const raw = rawDefinition("cum-7-tay-nguyen-2020") as { schools: Record<string, unknown>[] };
    raw.schools.push({
      ...raw.schools[1],
      code: "HUE",
      name: "Trường Chính trị tỉnh Thừa Thiên Huế",
      province: "Thừa Thiên Huế",
      role: "member",
      editors: [],
    });
    const withHue = loadDefinition(raw);
    writeFileSync(
      join(dir, "HUE.xlsx"),
      await templateBuffer(withHue, withHue.schools.at(-1)!, sampleSubmissions(def)[0]!.figures),
    );
    const { rmSync } = await import("node:fs");
    rmSync(join(dir, "LDO.xlsx"));
    const json = join(dir, "tong-hop.json");
    const r = cli(["tong-hop", dir, "--ra", join(dir, "tong-hop.xlsx"), "--json", json, "--cum", DEF_2020]);
    expect(r.code).toBe(1);
    const s = JSON.parse(readFileSync(json, "utf8"));
    const status = Object.fromEntries(s.schools.map((x: { code: string; status: string }) => [x.code, x.status]));
    expect(status).toEqual({ DNO: "valid", KTU: "invalid", GLA: "valid", DLK: "valid", LDO: "missing" });
    expect(JSON.stringify(s.schools.find((x: { code: string }) => x.code === "KTU").problems)).toMatch(
      /hai bản số liệu cho cùng một trường \([^)]*KTU(-ban-sua)?\.xlsx và [^)]*KTU(-ban-sua)?\.xlsx\)/,
    );
    expect(s.stray).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/HUE\.xlsx$/),
        message: expect.stringMatching(/Mã trường "HUE" trong tệp không thuộc/),
      }),
    ]);
    expect(s.covered).toBe(3);
    expect(r.stdout).toMatch(/Trường Chính trị tỉnh Lâm Đồng: Chưa nộp/);
  });
  it("does not read its own output when it sits in the input folder", async () => {
    const dir = tmp();
    await filled2020(dir);
    expect(cli(["tong-hop", dir, "--ra", join(dir, "tong-hop.xlsx"), "--cum", DEF_2020]).code).toBe(0);
    expect(cli(["tong-hop", dir, "--ra", join(dir, "tong-hop.xlsx"), "--cum", DEF_2020, "--ghi-de"]).code).toBe(0);
  });
});

describe("npx", () => {
  it("runs the command through npx in the project", () => {
    // npx in the package's own folder runs its "prepare" script, which rebuilds dist/ under every other test file
    // that is running the built command line or Code.js at that moment: the suite built dist/ once already.
    const r = spawnSync("npx", ["--no-install", "cum-thi-dua", "--help"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, npm_config_ignore_scripts: "true" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Cách dùng: cum-thi-dua/);
  });
});

mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
