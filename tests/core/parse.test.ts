import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Target } from "../../src/core/definition/definition";
import { formatNumber } from "../../src/core/text/format";
import { formatFigure, parseCell, parseVietnameseNumber } from "../../src/core/figures/parse";

const count: Target = { code: "LOP", name: "Số lớp", unit: "lớp", kind: "count" };
const percent: Target = { code: "TL", name: "Tỷ lệ", unit: "%", kind: "percent" };
const yesno: Target = { code: "CHUAN", name: "Đạt chuẩn", unit: "", kind: "yesno" };
const level: Target = { code: "MUC", name: "Mức chuẩn", unit: "", kind: "level", levels: ["Mức 1", "Mức 2"] };

const value = (t: Target, v: unknown, percentFormatted?: boolean) => {
  const r = parseCell(t, { value: v, percentFormatted });
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
const reason = (t: Target, v: unknown) => {
  const r = parseCell(t, { value: v });
  if (r.ok) throw new Error(`accepted ${String(v)} as ${String(r.value)}`);
  return r.reason;
};

describe("numbers", () => {
  it("reads numbers and Vietnamese number text", () => {
    expect(value(count, 261)).toBe(261);
    expect(value(count, "19.082")).toBe(19082);
    expect(value(count, "1.234,5")).toBe(1234.5);
    expect(value(count, "  42 ")).toBe(42);
    expect(value(count, "\u00a019.082\u00a0")).toBe(19082);
    expect(value(count, "19 082")).toBe(19082);
    expect(value(count, "1.234.567")).toBe(1234567);
    expect(value(count, "-3")).toBe(-3);
  });
  it("treats empty cells as no value", () => {
    expect(value(count, "")).toBeNull();
    expect(value(count, "   ")).toBeNull();
    expect(value(count, null)).toBeNull();
    expect(value(count, undefined)).toBeNull();
  });
  it("refuses a dot that cannot group thousands instead of guessing", () => {
    expect(reason(count, "19.08")).toMatch(/dấu chấm chỉ để tách hàng nghìn/);
    expect(reason(count, "1,234.5")).toMatch(/không đúng cách viết số/);
  });
  it("refuses text, dates, booleans and error values with what to enter instead", () => {
    const notANumber = /"mười" không phải là số; hãy nhập một số, ví dụ 19\.082/;
    expect(reason(count, "mười")).toMatch(notANumber);
    expect(reason(count, new Date())).toMatch(/ngày tháng/);
    expect(reason(count, true)).toMatch(/TRUE/);
    expect(reason(count, NaN)).toMatch(/giá trị lỗi/);
    expect(reason(count, Infinity)).toMatch(/giá trị lỗi/);
    expect(reason(count, { error: "#DIV/0!" })).toMatch(/không đọc được/);
    expect(reason(count, "12%")).toMatch(/không dùng dấu %/);
  });
  it("reports a formula without a cached result", () => {
    const r = parseCell(count, { value: null, formula: "SUM(A1:A3)" });
    expect(r.ok).toBe(false);
  });
});

describe("percentages", () => {
  it("reads a fraction from a percent-formatted cell", () => {
    expect(value(percent, 0.955, true)).toBe(95.5);
    expect(value(percent, 1, true)).toBe(100);
  });
  it("reads percent units from plain cells and text", () => {
    expect(value(percent, 95.5)).toBe(95.5);
    expect(value(percent, "95,5%")).toBe(95.5);
    expect(value(percent, "95,5 %")).toBe(95.5);
    expect(value(percent, "95,5")).toBe(95.5);
  });
});

describe("yes / no", () => {
  it("accepts the usual spellings, composed or decomposed", () => {
    expect(value(yesno, "Đạt")).toBe(true);
    expect(value(yesno, "đạt")).toBe(true);
    expect(value(yesno, "ĐẠT")).toBe(true);
    expect(value(yesno, "Đạt".normalize("NFD"))).toBe(true);
    expect(value(yesno, "Không đạt")).toBe(false);
    expect(value(yesno, "không  đạt".normalize("NFD"))).toBe(false);
    expect(value(yesno, "Chưa đạt")).toBe(false);
    expect(value(yesno, true)).toBe(true);
  });
  it("refuses anything else", () => {
    expect(reason(yesno, "Tốt")).toMatch(/hãy chọn "Đạt" hoặc "Không đạt"/);
    expect(reason(yesno, 1)).toMatch(/hãy chọn/);
  });
});

describe("levels", () => {
  it("accepts a level label or its number when unambiguous", () => {
    expect(value(level, "mức 2")).toBe("Mức 2");
    expect(value(level, 1)).toBe("Mức 1");
    expect(reason(level, "Mức 3")).toMatch(/"Mức 1", "Mức 2"/);
  });
});

describe("properties", () => {
  it("parsing a formatted number gives it back", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const n = whole + (Math.sign(whole || 1) * cents) / 100;
        const parsed = parseVietnameseNumber(formatNumber(n, 2));
        expect(parsed.ok && parsed.value).toBeCloseTo(n, 6);
      }),
    );
  });
  it("a figure formatted for people parses back to itself", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => {
        expect(value(count, formatFigure(count, n))).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (tenths) => {
        const p = tenths / 10;
        expect(value(percent, formatFigure(percent, p))).toBe(p);
      }),
    );
  });
  it("never throws, whatever the cell holds", () => {
    const anything = fc.oneof(
      fc.string(),
      fc.string({ unit: "grapheme" }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.date(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constant(NaN),
      fc.constant(Number.MAX_VALUE),
      fc.constant(-Infinity),
      fc.object(),
      fc.array(fc.anything()),
    );
    fc.assert(
      fc.property(anything, fc.boolean(), fc.constantFrom(count, percent, yesno, level), (v, pf, t) => {
        const r = parseCell(t, { value: v, percentFormatted: pf });
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe("grouped integers", () => {
  it("reads dots in threes and nothing else", () => {
    expect(parseVietnameseNumber("1.234.567")).toEqual({ ok: true, value: 1234567, percentSign: false });
    expect(parseVietnameseNumber("999.000")).toEqual({ ok: true, value: 999000, percentSign: false });
    for (const bad of ["1234.567", ".123", "1.23", "1.2345", "12.345.67", "1..234", "1.23a"])
      expect(parseVietnameseNumber(bad).ok, bad).toBe(false);
  });
});
