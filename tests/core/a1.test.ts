import { describe, expect, it } from "vitest";
import { a1, parseA1 } from "../../src/core/problem";

describe("an A1 address read back into a block", () => {
  it.each([
    ["E7", { row: 6, col: 4, rows: 1, cols: 1 }],
    ["E7:F9", { row: 6, col: 4, rows: 3, cols: 2 }],
    ["AA10", { row: 9, col: 26, rows: 1, cols: 1 }],
    ["A1:ZZ1000", { row: 0, col: 0, rows: 1000, cols: 702 }],
  ])("%s", (address, block) => {
    expect(parseA1(address)).toEqual(block);
  });
  it.each(["E:E", "17:17", "F9:E7", "E0", "'KTU'!E7", "e7", ""])("%j is left to the caller", (address) => {
    expect(parseA1(address)).toBeUndefined();
  });
  it("reads what a1 writes", () => {
    for (const [r, c] of [
      [0, 0],
      [15, 25],
      [99, 27],
      [4999, 701],
    ] as const)
      expect(parseA1(a1(r, c))).toEqual({ row: r, col: c, rows: 1, cols: 1 });
  });
});
