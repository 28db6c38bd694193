/**
 * A full disk in the middle of writing: the earlier output stays whole and
 * no temporary file is left. The disk is made full by failing the write
 * call, the only way to fill a disk in a test without privileges.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

const full = vi.hoisted(() => ({ on: false }));
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  return {
    ...fs,
    writeSync: (...args: Parameters<typeof fs.writeSync>) => {
      if (full.on) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return (fs.writeSync as (...a: unknown[]) => number)(...args);
    },
  };
});

const { writeOutput } = await import("../../src/cli/io/disk");

describe("writeOutput on a full disk", () => {
  it("leaves the earlier file whole, removes its temporary file and says what to do in Vietnamese", () => {
    const dir = mkdtempSync(join(tmpdir(), "day-dia-"));
    const out = join(dir, "tong-hop.json");
    writeFileSync(out, "bản trước");
    full.on = true;
    expect(() => writeOutput(out, "bản mới")).toThrow(
      /Đĩa đầy khi ghi ".*tong-hop\.json"; tệp cũ cùng tên \(nếu có\) vẫn còn nguyên/,
    );
    full.on = false;
    expect(readFileSync(out, "utf8")).toBe("bản trước");
    expect(readdirSync(dir)).toEqual(["tong-hop.json"]);
    writeOutput(out, "bản mới");
    expect(readFileSync(out, "utf8")).toBe("bản mới");
  });
});
