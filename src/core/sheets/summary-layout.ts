/**
 * The Tổng hợp sheets (totals, coverage, ranking) as SheetSpecs, shared by
 * the Google Sheet and the summary workbook.
 */
import { schoolFigure, type ClusterSummary, type SchoolStatus, type TargetSummary } from "../figures/aggregate";
import { formatDateTime, SCORE_NUMBER_FORMAT } from "../text/format";
import { figureToCell, numberFormatFor, targetLines } from "./school-layout";
import { formatFigure } from "../figures/parse";
import { aggregateCell } from "../figures/total-text";
import { problemPlace } from "../problem";
import { explainScore, type Ranking } from "../figures/score";
import { range, safeSheetName, type CellRange, type CellStyle, type CellValue, type SheetSpec } from "./sheet-spec";

export const SUMMARY_SHEET = "Tổng hợp";
export const COVERAGE_SHEET = "Tình trạng nộp";
export const RANKING_SHEET = "Xếp hạng";

const HEADER_FILL = "#DCE6F1";
const GROUP_FILL = "#F2F2F2";
const MISSING_FILL = "#EEEEEE";
const INVALID_FILL = "#FDE9E7";

export const STATUS_LABEL: Record<SchoolStatus["status"], string> = {
  valid: "Hợp lệ",
  invalid: "Có lỗi — chưa tính",
  missing: "Chưa nộp",
};

export interface SummaryStamp {
  madeAt: Date;
  madeBy?: string;
}

function aggregateNote(ts: TargetSummary): string {
  const a = ts.achieved;
  if (a.method === "mean" && a.mean !== null)
    return (
      `Trung bình của ${a.of} trường; thấp nhất ${formatFigure(ts.target, a.min)}, cao ` +
      `nhất ${formatFigure(ts.target, a.max)}`
    );
  if (a.method === "sum") return `Tổng của ${a.of} trường`;
  return a.of ? `Trên ${a.of} trường báo cáo` : "";
}

function coverageLine(summary: ClusterSummary): string {
  const total = summary.schools.length;
  const missing = summary.schools.filter((s) => s.status === "missing").length;
  const invalid = summary.schools.filter((s) => s.status === "invalid").length;
  const parts = [`Số liệu tính trên ${summary.covered.length}/${total} trường`];
  if (invalid) parts.push(`${invalid} trường có lỗi chưa được tính`);
  if (missing) parts.push(`${missing} trường chưa nộp`);
  return parts.join("; ") + ` (xem trang "${COVERAGE_SHEET}").`;
}

export function stampLine(stamp: SummaryStamp): string {
  return `Lập lúc ${formatDateTime(stamp.madeAt)}${stamp.madeBy ? ` bởi ${stamp.madeBy}` : ""}.`;
}

/** Header rows of the totals sheet, for readers that need to find the school columns. */
export const SUMMARY_HEADER_ROW = 4;
export const SUMMARY_FIRST_SCHOOL_COL = 7;

export function buildTotalsSheet(summary: ClusterSummary, stamp: SummaryStamp): SheetSpec {
  const def = summary.definition;
  const schools = summary.schools;
  const width = SUMMARY_FIRST_SCHOOL_COL + schools.length * 2 + 1;
  const noteCol = width - 1;
  const blank = (): CellValue[] => Array<CellValue>(width).fill(null);
  const grid: CellValue[][] = [];
  const styles: CellStyle[] = [];
  const merges: CellRange[] = [];
  const line = (text: string, style: Omit<CellStyle, "range">) => {
    const r = blank();
    r[0] = text;
    styles.push({ range: range(grid.length, 0, 1, Math.min(width, 12)), ...style });
    merges.push(range(grid.length, 0, 1, Math.min(width, 12)));
    grid.push(r);
  };
  line(`TỔNG HỢP KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA NĂM ${def.year}`, { bold: true, fontSize: 13 });
  line(def.name, { italic: true });
  line(coverageLine(summary), {});
  line(stampLine(stamp), { italic: true, color: "#555555" });

  // One header row, no merged cells: Google Sheets pays a call per merge, and a flat header sorts and filters.
  const header = blank();
  ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Toàn cụm\nĐăng ký", "Toàn cụm\nThực hiện", "Tỷ lệ hoàn thành"].forEach(
    (t, i) => (header[i] = t),
  );
  schools.forEach((s, i) => {
    const c = SUMMARY_FIRST_SCHOOL_COL + i * 2;
    const name = s.school.shortName ?? s.school.province;
    const note = s.status === "valid" ? "" : ` (${STATUS_LABEL[s.status].toLocaleLowerCase("vi")})`;
    header[c] = `${name}${note}\nĐăng ký`;
    header[c + 1] = `${name}${note}\nThực hiện`;
    if (s.status !== "valid")
      styles.push({
        range: range(SUMMARY_HEADER_ROW, c, 1, 2),
        fill: s.status === "missing" ? MISSING_FILL : INVALID_FILL,
      });
  });
  header[noteCol] = "Ghi chú";
  grid.push(header);
  styles.push({
    range: range(SUMMARY_HEADER_ROW, 0, 1, width),
    bold: true,
    align: "center",
    valign: "middle",
    wrap: true,
    fill: HEADER_FILL,
    border: true,
  });

  const byCode = new Map(summary.targets.map((t) => [t.target.code, t]));
  const firstDataRow = grid.length;
  const completionRows: number[] = [];
  for (const l of targetLines(def)) {
    const r = grid.length;
    const row = blank();
    if ("group" in l) {
      row[0] = l.group.label;
      row[2] = l.group.name;
      grid.push(row);
      styles.push({ range: range(r, 0, 1, width), bold: true, fill: GROUP_FILL, border: true });
      continue;
    }
    const ts = byCode.get(l.row.target.code)!;
    const t = ts.target;
    row[0] = l.row.number;
    row[1] = t.code;
    row[2] = t.name;
    row[3] = t.kind === "percent" ? "%" : t.unit;
    row[4] = aggregateCell(ts, ts.registered);
    row[5] = aggregateCell(ts, ts.achieved);
    row[6] = ts.completion === null ? null : ts.completion / 100;
    schools.forEach((s, i) => {
      const f = ts.perSchool[i];
      const c = SUMMARY_FIRST_SCHOOL_COL + i * 2;
      row[c] = f ? figureToCell(t, f.registered) : null;
      row[c + 1] = f ? figureToCell(t, f.achieved) : null;
    });
    row[noteCol] = aggregateNote(ts);
    grid.push(row);
    completionRows.push(r);
    styles.push({ range: range(r, 0, 1, width), border: true, valign: "middle" });
    styles.push({ range: range(r, 2, 1, 1), wrap: true });
    const fmt = numberFormatFor(t);
    if (fmt) {
      styles.push({ range: range(r, 4, 1, 2), numberFormat: fmt });
      styles.push({ range: range(r, SUMMARY_FIRST_SCHOOL_COL, 1, schools.length * 2), numberFormat: fmt });
    }
    styles.push({ range: range(r, 6, 1, 1), numberFormat: "0.0%" });
  }
  const dataRows = grid.length - firstDataRow;
  schools.forEach((s, i) => {
    if (s.status !== "valid" && dataRows > 0)
      styles.push({
        range: range(firstDataRow, SUMMARY_FIRST_SCHOOL_COL + i * 2, dataRows, 2),
        fill: s.status === "missing" ? MISSING_FILL : INVALID_FILL,
      });
  });

  return {
    name: SUMMARY_SHEET,
    grid,
    merges,
    styles,
    widths: [5, 14, 40, 11, 12, 12, 11, ...schools.flatMap(() => [11, 11]), 40],
    frozenRows: SUMMARY_HEADER_ROW + 1,
    inputs: [],
    colourScales: dataRows > 0 ? [{ range: range(firstDataRow, 6, dataRows, 1), min: 0, mid: 1, max: 1.2 }] : [],
    landscape: true,
    printTitleColumns: 3,
  };
}

export function buildCoverageSheet(summary: ClusterSummary): SheetSpec {
  const headers = ["STT", "Mã trường", "Tên trường", "Tình trạng", "Nguồn số liệu", "Vị trí", "Nội dung cần sửa"];
  const grid: CellValue[][] = [
    [`TÌNH TRẠNG NỘP SỐ LIỆU NĂM ${summary.definition.year}`, null, null, null, null, null, null],
    headers,
  ];
  const styles: CellStyle[] = [
    { range: range(0, 0, 1, 7), bold: true, fontSize: 13 },
    { range: range(1, 0, 1, 7), bold: true, fill: HEADER_FILL, border: true, align: "center", wrap: true },
  ];
  summary.schools.forEach((s, i) => {
    const problems = s.problems.length ? s.problems : [null];
    problems.forEach((p, j) => {
      const r = grid.length;
      grid.push([
        j === 0 ? i + 1 : null,
        j === 0 ? s.school.code : null,
        j === 0 ? s.school.name : null,
        j === 0 ? STATUS_LABEL[s.status] : null,
        j === 0 ? (s.source ?? null) : null,
        p ? problemPlace(p) || null : null,
        p
          ? (p.severity === "warning" ? "Lưu ý: " : "") + p.message
          : s.status === "missing"
            ? "Chưa có số liệu của trường."
            : null,
      ]);
      styles.push({ range: range(r, 0, 1, 7), border: true, wrap: true, valign: "top" });
      if (j === 0 && s.status !== "valid")
        styles.push({
          range: range(r, 3, 1, 1),
          fill: s.status === "missing" ? MISSING_FILL : INVALID_FILL,
          bold: true,
        });
    });
  });
  for (const p of summary.stray) {
    const r = grid.length;
    grid.push([
      null,
      p.school ?? null,
      "(không thuộc cụm hoặc trùng lặp)",
      "Bị loại",
      p.file ?? null,
      problemPlace(p) || null,
      p.message,
    ]);
    styles.push({ range: range(r, 0, 1, 7), border: true, wrap: true, valign: "top" });
  }
  return {
    name: COVERAGE_SHEET,
    grid,
    merges: [range(0, 0, 1, 7)],
    styles,
    widths: [5, 10, 32, 18, 24, 22, 70],
    frozenRows: 2,
    inputs: [],
    colourScales: [],
    landscape: true,
  };
}

export function buildRankingSheet(summary: ClusterSummary, ranking: Ranking): SheetSpec {
  const def = summary.definition;
  const nameOf = new Map(def.schools.map((s) => [s.code, s.name]));
  const targetByCode = new Map(summary.targets.map((ts) => [ts.target.code, ts]));
  const groups = def.groups ?? [];
  const width = Math.max(5 + groups.length, 5);
  const blank = (): CellValue[] => Array<CellValue>(width).fill(null);
  const grid: CellValue[][] = [];
  const styles: CellStyle[] = [];
  const put = (cells: CellValue[], style?: Omit<CellStyle, "range">) => {
    const r = blank();
    cells.forEach((c, i) => (r[i] = c));
    if (style) styles.push({ range: range(grid.length, 0, 1, width), ...style });
    grid.push(r);
  };
  put([`KẾT QUẢ CHẤM ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM ${def.year}`], { bold: true, fontSize: 13 });
  if (!ranking.scored) {
    put(["Định nghĩa cụm chưa có cách chấm điểm cho chỉ tiêu nào; chưa xếp hạng."], { italic: true });
    return {
      name: RANKING_SHEET,
      grid,
      merges: [],
      styles,
      widths: [8, 10, 40, 12, 12],
      frozenRows: 1,
      inputs: [],
      colourScales: [],
    };
  }
  put(["Hạng", "Mã trường", "Tên trường", "Tổng điểm", "Điểm tối đa", ...groups.map((g) => g.name)], {
    bold: true,
    fill: HEADER_FILL,
    border: true,
    wrap: true,
    align: "center",
  });
  const firstRanked = grid.length;
  for (const s of ranking.ranked)
    put(
      [
        s.rank,
        s.school,
        nameOf.get(s.school) ?? s.school,
        s.total,
        s.max,
        ...groups.map((g) => s.groups.find((x) => x.code === g.code)?.score ?? null),
      ],
      { border: true },
    );
  // Every score with the same decimals, as the documents print them.
  if (ranking.ranked.length)
    styles.push({
      range: range(firstRanked, 3, ranking.ranked.length, 2 + groups.length),
      numberFormat: SCORE_NUMBER_FORMAT,
    });
  for (const u of ranking.unranked)
    put([null, u.school, nameOf.get(u.school) ?? u.school, `Không xếp hạng: ${u.reason}`], {
      border: true,
      italic: true,
      color: "#777777",
    });
  put([]);
  put(["GIẢI TRÌNH ĐIỂM TỪNG CHỈ TIÊU"], { bold: true });
  put(["Mã trường", "Mã chỉ tiêu", "Chỉ tiêu", "Điểm", "Tối đa", "Giải trình"], {
    bold: true,
    fill: HEADER_FILL,
    border: true,
    align: "center",
  });
  const firstLine = grid.length;
  for (const s of ranking.ranked)
    for (const l of s.lines) {
      const ts = targetByCode.get(l.target)!;
      put(
        [
          s.school,
          l.target,
          ts.target.name,
          l.score,
          l.max,
          explainScore(ts.target, l, schoolFigure(summary, ts, s.school)),
        ],
        { border: true, wrap: true, valign: "top" },
      );
    }
  if (grid.length > firstLine)
    styles.push({ range: range(firstLine, 3, grid.length - firstLine, 2), numberFormat: SCORE_NUMBER_FORMAT });
  const widths = [10, 12, 40, 10, 10, ...groups.map(() => 16)];
  widths[5] = Math.max(widths[5] ?? 0, 80);
  return {
    name: safeSheetName(RANKING_SHEET),
    grid,
    merges: [],
    styles,
    widths,
    frozenRows: 2,
    inputs: [],
    colourScales: [],
    landscape: true,
  };
}

export function buildSummarySheets(summary: ClusterSummary, ranking: Ranking, stamp: SummaryStamp): SheetSpec[] {
  return [buildTotalsSheet(summary, stamp), buildCoverageSheet(summary), buildRankingSheet(summary, ranking)];
}
