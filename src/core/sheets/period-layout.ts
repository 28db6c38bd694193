/**
 * The period review workbook: totals by target and year, schools as reported
 * and regrouped under today's successors, heads and deputies, ranks, and the
 * locked years it was read from. One layout for every adapter.
 */
import type { Aggregate } from "../figures/aggregate";
import type { TargetKind } from "../definition/definition";
import { formatNumber, formatPercent, yearSpan } from "../text/format";
import { vnDay } from "../register/register";
import { reportedLabel, regroupedLabel, type PeriodReview, type PeriodTarget } from "../period/period";
import { shortPrint } from "../lock/fingerprint";
import { range, type CellValue, type SheetSpec } from "./sheet-spec";
import { NO_TOTAL } from "../figures/total-text";

const NOT_SUMMED = "không cộng";

/**
 * A yearly cluster figure: counts as numbers, percentages as the mean, yes/no
 * as "8/10 Đạt", levels by count; a year where nothing was counted reads as a
 * gap, never 0.
 */
export function periodFigure(kind: TargetKind, a: Aggregate | undefined): CellValue {
  if (!a || a.of === 0) return NO_TOTAL;
  switch (a.method) {
    case "sum":
      return a.sum;
    case "mean":
      return a.mean === null ? NO_TOTAL : kind === "percent" ? formatPercent(a.mean) : formatNumber(a.mean);
    case "countYes":
      return `${a.yes}/${a.of} Đạt`;
    case "distribution":
      return Object.entries(a.counts)
        .map(([k, n]) => `${k}: ${n}`)
        .join("; ");
  }
}

/** The same figure as text for documents and the terminal: "19.082", "95,5 %", "8/10 Đạt". */
export function periodFigureText(kind: TargetKind, a: Aggregate | undefined): string {
  const v = periodFigure(kind, a);
  return typeof v === "number" ? formatNumber(v) : String(v);
}

/**
 * A titled table: `rows` data rows under the header; `numbers` the columns of counts, shown with thousands separators.
 * The Academy's roll-up (academy-layout.ts) lays its sheets out the same way.
 */
export function titledTable(
  name: string,
  grid: CellValue[][],
  headerRow: number,
  widths: number[],
  opts: { rows?: number; numbers?: [number, number] } = {},
): SheetSpec {
  const cols = Math.max(...grid.map((r) => r.length));
  const rows = Math.max(1, opts.rows ?? grid.length - headerRow - 1);
  const styles: SheetSpec["styles"] = [
    { range: range(0, 0, 1, 1), bold: true, fontSize: 13 },
    { range: range(headerRow, 0, 1, cols), bold: true, fill: "#DCE6F1", border: true, wrap: true, align: "center" },
    { range: range(headerRow + 1, 0, rows, cols), border: true, wrap: true },
  ];
  if (opts.numbers)
    styles.push({ range: range(headerRow + 1, opts.numbers[0], rows, opts.numbers[1]), numberFormat: "#,##0" });
  return {
    name,
    grid,
    merges: [],
    styles,
    widths,
    frozenRows: headerRow + 1,
    inputs: [],
    colourScales: [],
    landscape: cols > 7,
  };
}

/** The period review's sheets, by what they hold. */
export const PERIOD_SHEETS = {
  totals: "Tổng kết giai đoạn",
  reported: "Theo trường (đã báo cáo)",
  regrouped: "Theo trường hiện nay",
  roles: "Cụm trưởng, Cụm phó",
  ranks: "Xếp hạng theo năm",
  awards: "Danh hiệu theo năm",
  sources: "Nguồn số liệu",
} as const;

/** The period review as JSON, beside its sheets, for whoever compares it with the offline one. */
export const PERIOD_JSON_SHEET = "_tong_ket_giai_doan";
/** One school's years, from the menu's "Lịch sử cụm". */
export const HISTORY_SHEET = "Lịch sử cụm";

/**
 * The sheets about the cluster over several years rather than one: each is
 * rebuilt at any time from the locked years it names, so a year's archive
 * does not keep them and the live Sheet keeps them, for the head alone,
 * until the next review replaces them.
 */
export const MULTI_YEAR_SHEETS: readonly string[] = [...Object.values(PERIOD_SHEETS), PERIOD_JSON_SHEET, HISTORY_SHEET];

const unitOf = (t: PeriodTarget) => (t.kind === "percent" ? "% (trung bình)" : t.unit || "—");

export function buildPeriodSheets(review: PeriodReview): SheetSpec[] {
  const { years } = review;
  const title = `TỔNG KẾT GIAI ĐOẠN ${yearSpan(review.from, review.to)}`;
  const yearHeads = years.map(String);

  const totals: CellValue[][] = [
    [title, null],
    [review.clusterName, null],
    ["STT", "Chỉ tiêu", "Đơn vị tính", ...yearHeads, "Cả giai đoạn"],
  ];
  review.targets.forEach((t, i) => {
    totals.push([
      i + 1,
      t.name,
      unitOf(t),
      ...t.byYear.map((y) => periodFigure(t.kind, y?.achieved)),
      t.summed ? t.periodAchieved : NOT_SUMMED,
    ]);
  });
  if (review.sentence) totals.push([null], [review.sentence]);
  totals.push(
    [null],
    ["Số đếm được cộng qua các năm; tỷ lệ, Đạt/Không đạt và mức được liệt kê theo từng năm, không cộng."],
  );

  const reported: CellValue[][] = [
    [`${title} — THEO TRƯỜNG, NHƯ ĐÃ BÁO CÁO`],
    ["Mỗi năm ghi dưới tên trường lúc đó; trường đã sáp nhập giữ dòng riêng."],
    ["Mã", "Trường", "Chỉ tiêu", ...yearHeads],
  ];
  for (const r of review.reported)
    for (const t of review.targets)
      reported.push([r.code, reportedLabel(r), t.name, ...r.achieved.map((a) => (a ? cellOf(t, a[t.code]) : "—"))]);

  const summed = review.targets.filter((t) => t.summed);
  const regrouped: CellValue[][] = [
    [`${title} — THEO TRƯỜNG HIỆN NAY (ngày ${vnDay(review.asOf)})`],
    ["Số liệu của trường đã sáp nhập được cộng vào trường kế thừa; mỗi trường chỉ được tính một lần."],
    ["Mã", "Trường", "Chỉ tiêu", ...yearHeads, "Cả giai đoạn"],
  ];
  for (const g of review.regrouped)
    for (const t of summed) {
      const line = g.counts[t.code]!;
      regrouped.push([g.code, regroupedLabel(g), t.name, ...line.byYear.map((v) => v ?? "—"), line.total]);
    }

  const roles: CellValue[][] = [
    [`${title} — CỤM TRƯỞNG, CỤM PHÓ`],
    [null],
    ["Năm", "Cụm trưởng", "Cụm phó", "Số trường", "Sáp nhập trong năm"],
  ];
  for (const rec of review.records)
    roles.push([
      rec.year,
      rec.head?.name ?? "—",
      rec.deputies.map((d) => d.name).join("; ") || "—",
      rec.members,
      rec.merges.map((m) => `${m.predecessor.name} → ${m.successor.name} (${vnDay(m.date)})`).join("; ") || "—",
    ]);

  const ranks: CellValue[][] = [
    [`${title} — XẾP HẠNG THEO NĂM`],
    ["Hạng theo tổng điểm của từng năm; không cộng điểm qua các năm."],
    ["Năm", "Hạng", "Trường", "Tổng điểm", "Điểm tối đa"],
  ];
  for (const rec of review.records) for (const r of rec.ranked) ranks.push([rec.year, r.rank, r.name, r.total, r.max]);

  const awards: CellValue[][] = [
    [`${title} — DANH HIỆU ĐỀ NGHỊ THEO NĂM`],
    ["Theo biên bản bình xét (ket-qua-binh-xet.json) đặt cạnh bảng đã khóa của từng năm."],
    ["Năm", "Danh hiệu đề nghị", "Trường"],
  ];
  for (const rec of review.records) {
    if (!rec.awards) awards.push([rec.year, "(không có biên bản bình xét cạnh bảng đã khóa)", "—"]);
    else for (const a of rec.awards) awards.push([rec.year, a.name, a.schools.map((x) => x.name).join("; ")]);
  }

  const sources: CellValue[][] = [
    [`${title} — CÁC NĂM ĐÃ KHÓA ĐÃ ĐỌC`],
    [null],
    ["Năm", "Tệp", "Khóa lúc", "Mã kiểm tra"],
  ];
  for (const rec of review.records) sources.push([rec.year, rec.source, rec.lockedAt, shortPrint(rec.fingerprint)]);

  return [
    titledTable(PERIOD_SHEETS.totals, totals, 2, [6, 50, 14, ...years.map(() => 12), 14], {
      rows: review.targets.length,
      numbers: [3, years.length + 1],
    }),
    titledTable(PERIOD_SHEETS.reported, reported, 2, [8, 50, 40, ...years.map(() => 11)], {
      numbers: [3, years.length],
    }),
    titledTable(PERIOD_SHEETS.regrouped, regrouped, 2, [8, 50, 40, ...years.map(() => 11), 14], {
      numbers: [3, years.length + 1],
    }),
    titledTable(PERIOD_SHEETS.roles, roles, 2, [8, 40, 60, 10, 60]),
    titledTable(PERIOD_SHEETS.ranks, ranks, 2, [8, 8, 45, 12, 12]),
    titledTable(PERIOD_SHEETS.awards, awards, 2, [8, 50, 60]),
    titledTable(PERIOD_SHEETS.sources, sources, 2, [8, 50, 20, 16]),
  ];
}

function cellOf(t: PeriodTarget, v: unknown): CellValue {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return t.kind === "percent" ? formatPercent(v) : v;
  if (typeof v === "boolean") return v ? "Đạt" : "Không đạt";
  return String(v);
}
