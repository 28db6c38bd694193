/**
 * The values a large write sends apart (values.batchUpdate, RAW): packed in
 * order into calls of at most the budget, a sheet's rows carried on into
 * the next call as a range of their own, as few calls as the bytes allow.
 */
import { describe, expect, it } from "vitest";
import { packValues } from "../../src/gas/google/sheet-batch";

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x), "utf8");

describe("packValues", () => {
  const rows = (n: number, text: string) => Array.from({ length: n }, (_, i) => [text, i, i % 3 ? null : true]);
  const blocks = [
    { title: "Xếp hạng", top: 0, left: 0, rows: rows(40, "Trường Tiểu học Đắk Lắk") },
    { title: "Tỉnh 1", top: 5, left: 1, rows: rows(7, "Chỉ tiêu") },
    { title: "O'Brien", top: 0, left: 0, rows: rows(30, "đủ") },
  ];
  const budget = 1_000;
  const calls = packValues(blocks, budget);

  it("keeps every call within the budget and as few calls as the bytes allow", () => {
    for (const data of calls) expect(bytes({ valueInputOption: "RAW", data })).toBeLessThanOrEqual(budget);
    const total = bytes(blocks.map((b) => b.rows));
    expect(calls.length).toBeGreaterThan(2);
    // Each call but the last is filled: no more calls than the rows' bytes need, with a range's overhead each.
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(total / (budget - 200)));
  });

  it("writes every row once, in order, each range exactly as tall and wide as its values", () => {
    const written = new Map<string, unknown[][]>();
    for (const { range, values } of calls.flat()) {
      const m = /^'((?:[^']|'')+)'!([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range)!;
      const title = m[1]!.replace(/''/g, "'");
      const block = blocks.find((b) => b.title === title)!;
      expect(m[2]).toBe(String.fromCharCode(65 + block.left));
      expect(m[4]).toBe(String.fromCharCode(65 + block.left + 2));
      const start = Number(m[3]) - 1 - block.top;
      expect(start).toBe((written.get(title) ?? []).length);
      expect(Number(m[5]) - Number(m[3]) + 1).toBe(values.length);
      written.set(title, [...(written.get(title) ?? []), ...values]);
    }
    for (const b of blocks) expect(written.get(b.title)).toEqual(b.rows);
  });
});
