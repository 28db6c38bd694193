import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatLongDate,
  formatNumber,
  formatPercent,
  formatRate,
  formatScore,
  isoDateOf,
  parseIsoDate,
  parseVietnameseDate,
  vietnameseDateToIso,
} from "../../src/core/text/format";

describe("Vietnamese number format", () => {
  it("groups thousands with dots and uses a decimal comma", () => {
    expect(formatNumber(19082)).toBe("19.082");
    expect(formatNumber(1234.5)).toBe("1.234,5");
    expect(formatNumber(1234567.891, 2)).toBe("1.234.567,89");
    expect(formatNumber(261)).toBe("261");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(-1500)).toBe("-1.500");
    expect(formatNumber(-0.001)).toBe("0");
  });
  it("writes percentages with a space before the sign", () => {
    expect(formatPercent(95.5)).toBe("95,5 %");
    expect(formatPercent(100)).toBe("100 %");
    expect(formatPercent(103.2258)).toBe("103,2 %");
  });
});

describe("dates in Vietnam's time zone", () => {
  it("prints dd/mm/yyyy whatever the machine's zone", () => {
    // 17:30 UTC on 9 March is already 10 March in Vietnam.
    const d = new Date(Date.UTC(2023, 2, 9, 17, 30));
    expect(formatDate(d)).toBe("10/03/2023");
    expect(formatDateTime(d)).toBe("10/03/2023 00:30");
  });
  it("writes the long form of the place-and-date line with leading zeros where Decree 30 asks", () => {
    expect(formatLongDate(parseIsoDate("2023-03-10")!)).toBe("ngày 10 tháng 3 năm 2023");
    expect(formatLongDate(parseIsoDate("2023-02-05")!)).toBe("ngày 05 tháng 02 năm 2023");
    expect(formatLongDate(parseIsoDate("2023-11-20")!)).toBe("ngày 20 tháng 11 năm 2023");
  });
  it("rejects impossible ISO dates", () => {
    expect(parseIsoDate("2023-02-30")).toBeUndefined();
    expect(parseIsoDate("10/03/2023")).toBeUndefined();
  });
});

describe("one formatter per concept", () => {
  it("prints every score of a table with two decimals", () => {
    expect(["75.8", "79.31", "100", "0"].map((x) => formatScore(Number(x)))).toEqual([
      "75,80",
      "79,31",
      "100,00",
      "0,00",
    ]);
    expect(formatScore(1234.5)).toBe("1.234,50");
  });
  it("prints a completion rate with one decimal, or a dash when there is none", () => {
    expect(formatRate(100)).toBe("100,0 %");
    expect(formatRate(95.55)).toBe("95,6 %");
    expect(formatRate(null)).toBe("—");
  });
  it("reads a Vietnamese date, and refuses a day that does not exist", () => {
    expect(isoDateOf(parseVietnameseDate("10/03/2023")!)).toBe("2023-03-10");
    expect(isoDateOf(parseVietnameseDate("1/7/2025")!)).toBe("2025-07-01");
    expect(parseVietnameseDate("31/02/2023")).toBeUndefined();
    expect(parseVietnameseDate("2023-03-10")).toBeUndefined();
    expect(vietnameseDateToIso(" 05/06/2024 ")).toBe("2024-06-05");
  });
});
