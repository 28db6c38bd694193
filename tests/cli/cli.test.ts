import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";

describe("command line", () => {
  it("prints Vietnamese help and lists the commands", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Cách dùng: cum-thi-dua <lệnh>/);
    expect(r.stdout).toMatch(/chay-thu/);
  });
  it("has --help on every command", () => {
    const commands = [...cli(["--help"]).stdout.matchAll(/^ {2}([a-z-]+) {2}/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) {
      const r = cli([c, "--help"]);
      expect(r.code, c).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Cách dùng: cum-thi-dua ${c}`));
    }
    // One process per command, each starting Node: longer than one command.
  }, 180_000);
  it("refuses an unknown command or option without a stack trace", () => {
    const a = cli(["tong-hopp"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/Không có lệnh "tong-hopp"/);
    const b = cli(["chay-thu", "--xyz"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/Tùy chọn không hợp lệ: --xyz/);
    expect(a.stderr + b.stderr).not.toMatch(/at .*\.(m?js|ts):\d+/);
  });
  it("runs the demo on the sample clusters: files, one broken school, the 2020 totals", () => {
    const out = mkdtempSync(join(tmpdir(), "demo-"));
    const r = cli(["chay-thu", "--thu-muc", out]);
    expect(r.code, r.stderr).toBe(0);
    const clusterYearHead = /Cụm thi đua các Trường Chính trị khu /.source;
    const clusterYear = new RegExp(clusterYearHead + /vực Nam Trung bộ và Tây Nguyên — năm 2023/.source);
    expect(r.stdout).toMatch(clusterYear);
    expect(r.stdout).toMatch(/2023-QNG\.xlsx › Quảng Ngãi!F18: .*"ba mươi hai" không phải là số/);
    expect(r.stdout).toMatch(/Số liệu tính trên 9\/10 trường hợp lệ/);
    expect(r.stdout).toMatch(/Số liệu tính trên 5\/5 trường hợp lệ/);
    expect(r.stdout).toContain(
      "quản lý, đào tạo, bồi dưỡng 261 lớp với 19.082 học viên; triển khai " +
        "nghiên cứu 13 đề tài khoa học với 2 đề tài cấp tỉnh, 11 đề tài cấp " +
        "trường",
    );
    expect(r.stdout).toMatch(/Xếp hạng thi đua:\n\s+1\. Trường Chính trị tỉnh/);
    for (const id of ["nam-trung-bo-tay-nguyen-2023", "cum-7-tay-nguyen-2020"]) {
      expect(existsSync(join(out, id, "tong-hop.xlsx"))).toBe(true);
      expect(JSON.parse(readFileSync(join(out, id, "tong-hop.json"), "utf8")).cluster.id).toBe(id);
    }
    expect(readdirSync(join(out, "nam-trung-bo-tay-nguyen-2023", "mau-trong"))).toHaveLength(10);
    // The cluster's years: 2021–2025 locked and reviewed, 2026 opened from 2025 with the successors as members.
    expect(readdirSync(join(out, "lich-su-cum", "khoa"))).toEqual(["2021", "2022", "2023", "2024", "2025"]);
    const periodSentenceHead = /^Trong 5 năm \(2021–2025\), các trường trong Cụm thi đua .* đã /.source;
    const periodSentence = new RegExp(
      periodSentenceHead + /quản lý, đào tạo, bồi dưỡng [\d.]+ lớp với [\d.]+ học viên/.source,
      "m",
    );
    expect(r.stdout).toMatch(periodSentence);
    const y2026 = JSON.parse(readFileSync(join(out, "lich-su-cum", "nam-trung-bo-tay-nguyen-2026.json"), "utf8"));
    expect(y2026.schools.map((s: { code: string }) => s.code).sort()).toEqual([
      "DLK",
      "DNG",
      "GLA",
      "KHH",
      "LDO",
      "QNG",
    ]);
    expect(existsSync(join(out, "lich-su-cum", "bao-cao-tong-ket-2021-2025.docx"))).toBe(true);
    // The Academy's roll-up over the six clusters of 2026, with their review records.
    expect(r.stdout).toMatch(/^Năm 2026, 34 trường chính trị trong 6 Cụm thi đua đã quản lý, đào tạo, bồi dưỡng /m);
    expect(r.stdout).toMatch(/tối đa 20 % của 6 đơn vị dẫn đầu các Cụm = 1,2, làm tròn xuống 1 đơn vị/);
    const academy = join(out, "hoc-vien-2026");
    expect(readdirSync(join(academy, "cac-cum"))).toHaveLength(6);
    for (const f of [
      "tong-hop-hoc-vien-2026.xlsx",
      "tong-hop-hoc-vien-2026.json",
      "bao-cao-tong-hop-hoc-vien-2026.docx",
    ])
      expect(existsSync(join(academy, f)), f).toBe(true);
    rmSync(out, { recursive: true, force: true });
    // Five locked years, then six clusters locked and rolled up: longer than one command.
  }, 300_000);
});
