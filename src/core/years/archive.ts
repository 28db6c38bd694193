/**
 * A locked year kept apart from the live Sheet when the next year opens: what
 * the archive spreadsheet holds and how the live Sheet lists the archives.
 * The archive carries the sheets a locked workbook offline carries (Tổng
 * hợp, Tình trạng nộp, Xếp hạng, "Khóa số liệu", the hidden snapshot and
 * definition), so the one locked-year reader (lock/locked-year.ts) checks a
 * year from either.
 */
import type { ClusterDefinition } from "../definition/definition";
import { cellText } from "../figures/parse";
import type { FrozenYear } from "../lock/freeze";
import { shortPrint } from "../lock/fingerprint";
import { lockSheets } from "../lock/locked-year";
import { buildTextSheet, type OfflineLock } from "../sheets/lock-layout";
import { range, rectangular, type CellValue, type SheetSpec } from "../sheets/sheet-spec";

/** The live Sheet's list of archived years. */
export const YEARS_SHEET = "Các năm";
/** The review meeting's saved record, beside the locked figures in the archive. */
export const ARCHIVED_REVIEW_SHEET = "_binh_xet";

export const coverSheetName = (year: number): string => `Năm ${year}`;

export interface ArchivedYearRow {
  year: number;
  head: string;
  /** The cluster's lock code, in full. */
  fingerprint: string;
  url: string;
  archivedAt: string;
  by: string;
}

/** The column of "Các năm" that holds the archive's link (0-based). */
export const YEARS_URL_COLUMN = 4;
const YEARS_HEADERS = ["Năm", "Cụm trưởng", "Mã kiểm tra", "Mã kiểm tra đầy đủ", "Bản lưu", "Lưu lúc", "Người lưu"];

export function buildYearsSheet(rows: ArchivedYearRow[]): SheetSpec {
  const sorted = [...rows].sort((a, b) => a.year - b.year);
  return {
    name: YEARS_SHEET,
    grid: [
      YEARS_HEADERS,
      ...sorted.map((r) => [r.year, r.head, shortPrint(r.fingerprint), r.fingerprint, r.url, r.archivedAt, r.by]),
    ],
    merges: [],
    styles: [
      { range: range(0, 0, 1, YEARS_HEADERS.length), bold: true, fill: "#DCE6F1", border: true },
      ...(sorted.length ? [{ range: range(1, 0, sorted.length, YEARS_HEADERS.length), border: true }] : []),
    ],
    widths: [8, 40, 16, 66, 60, 17, 28],
    frozenRows: 1,
    inputs: [],
    colourScales: [],
  };
}

/** The rows of "Các năm" as written; rows that do not read as a year and a link are left out. */
export function readYearsSheet(grid: readonly (readonly unknown[])[]): ArchivedYearRow[] {
  const out: ArchivedYearRow[] = [];
  for (const r of grid.slice(1)) {
    const year = Number(r[0]);
    const url = cellText(r[YEARS_URL_COLUMN]);
    if (!Number.isInteger(year) || year < 1900 || !url) continue;
    out.push({
      year,
      head: cellText(r[1]),
      fingerprint: cellText(r[3]),
      url,
      archivedAt: cellText(r[5]),
      by: cellText(r[6]),
    });
  }
  return out;
}

/** The spreadsheet id in a Google Sheets link, as the archive's link is written. */
export function spreadsheetIdOf(url: string): string | undefined {
  return /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(url)?.[1];
}

export const spreadsheetUrl = (id: string): string => `https://docs.google.com/spreadsheets/d/${id}/edit`;

export interface ArchiveCover {
  def: ClusterDefinition;
  fingerprint: string;
  lockedAt: string;
  lockedBy: string;
  archivedAt: string;
  archivedBy: string;
  liveUrl: string;
  /** The review record's code, when the meeting's record is kept. */
  reviewPrint?: string;
}

/** The archive's first sheet: which year, its lock code, and that it is a read-only copy. */
export function buildArchiveCover(c: ArchiveCover): SheetSpec {
  const head = c.def.schools.find((s) => s.role === "head");
  const grid: CellValue[][] = [
    [`BẢN LƯU NĂM THI ĐUA ${c.def.year}`, null],
    [c.def.name, null],
    ["Cụm trưởng", head?.name ?? "—"],
    ["Số trường", c.def.schools.length],
    ["Mã kiểm tra toàn cụm", shortPrint(c.fingerprint)],
    ["Mã kiểm tra đầy đủ", c.fingerprint],
    ["Khóa lúc", c.lockedAt],
    ["Người khóa", c.lockedBy],
    ["Lưu lúc", c.archivedAt],
    ["Người lưu", c.archivedBy],
    ["Bảng tính dùng chung", c.liveUrl],
    ...(c.reviewPrint ? [["Mã kiểm tra biên bản bình xét", c.reviewPrint] as CellValue[]] : []),
    [null, null],
    ["Bản lưu chỉ đọc của mọi trang năm này. Tổng kết giai đoạn đối chiếu mã kiểm tra trước khi dùng năm này.", null],
  ];
  return {
    name: coverSheetName(c.def.year),
    grid,
    merges: [range(grid.length - 1, 0, 1, 2)],
    styles: [
      { range: range(0, 0, 1, 1), bold: true, fontSize: 13 },
      { range: range(4, 1, 1, 1), bold: true },
      { range: range(grid.length - 1, 0, 1, 2), italic: true, wrap: true },
    ],
    widths: [30, 80],
    frozenRows: 0,
    inputs: [],
    colourScales: [],
  };
}

/**
 * A sheet of the year as it stood, for the archive: the values read from the
 * live sheet in the layout the product gave it (formats, merges, widths), no
 * input rules. A sheet the product did not make keeps its values only.
 */
export function archivedSheet(name: string, values: readonly (readonly unknown[])[], layout?: SheetSpec): SheetSpec {
  const width = Math.max(1, layout ? (rectangular(layout.grid)[0]?.length ?? 1) : 1, ...values.map((r) => r.length));
  const height = Math.max(1, layout?.grid.length ?? 0, values.length);
  const grid: CellValue[][] = Array.from({ length: height }, (_, i) =>
    Array.from({ length: width }, (_, j) => {
      const v = values[i]?.[j];
      return v === undefined || v === "" ? null : (v as CellValue);
    }),
  );
  return {
    name,
    grid,
    merges: layout?.merges ?? [],
    styles: layout?.styles ?? [],
    widths: layout?.widths ?? [],
    frozenRows: layout?.frozenRows ?? 0,
    inputs: [],
    colourScales: layout?.colourScales ?? [],
    hidden: layout?.hidden,
  };
}

/**
 * The lock record, the snapshot and the definition exactly as `khoa` writes
 * them (lock/locked-year.ts `lockSheets`), so the one locked-year reader
 * checks an archive as it checks a locked workbook.
 */
export function lockedYearSheets(
  def: ClusterDefinition,
  year: FrozenYear,
  lock: { at: string; by: string },
  sha256: (text: string) => string,
): SheetSpec[] {
  const definitionText = JSON.stringify(def);
  const record: OfflineLock = {
    at: lock.at,
    by: lock.by,
    fingerprint: year.fingerprint,
    schoolPrints: year.schoolPrints,
    // As the reader rebuilds it: the schools the lock kept no figures for.
    unconfirmed: def.schools.filter((s) => !(s.code in year.schoolPrints)).map((s) => s.code),
    definitionPrint: sha256(definitionText),
  };
  return lockSheets(def, record, year.snapshot, definitionText);
}

export const archivedReviewSheet = (text: string): SheetSpec => buildTextSheet(ARCHIVED_REVIEW_SHEET, text);
