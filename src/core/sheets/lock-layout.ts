/**
 * The sheets a locked summary workbook adds: "Khóa số liệu" (who locked,
 * when, the cluster fingerprint and each school's) and a hidden sheet that
 * keeps the locked figures, so a later check can name every changed cell.
 */
import type { ClusterDefinition } from "../definition/definition";
import { shortPrint } from "../lock/fingerprint";
import { range, type CellValue, type SheetSpec } from "./sheet-spec";
import { cellText } from "../figures/parse";

export const LOCK_SHEET = "Khóa số liệu";
export const SNAPSHOT_SHEET = "_ban_khoa";
/** The year's definition as locked, so a locked workbook reads alone years later (the period review). */
export const DEFINITION_SHEET = "_dinh_nghia";
/** Excel keeps at most 32.767 characters in a cell. */
const CELL_CHUNK = 30_000;

export interface OfflineLock {
  at: string;
  by: string;
  fingerprint: string;
  schoolPrints: Record<string, string>;
  unconfirmed: string[];
  /** SHA-256 of the definition text kept in DEFINITION_SHEET. */
  definitionPrint?: string;
}

export function buildLockSheet(def: ClusterDefinition, lock: OfflineLock): SheetSpec {
  const grid: CellValue[][] = [
    [`KHÓA SỐ LIỆU THI ĐUA NĂM ${def.year}`, null, null, null],
    [def.name, null, null, null],
    ["Khóa lúc", lock.at, null, null],
    ["Người khóa", lock.by, null, null],
    ["Mã kiểm tra toàn cụm", shortPrint(lock.fingerprint), lock.fingerprint, null],
    ["Mã cụm", def.id, "Năm", def.year],
    lock.definitionPrint ? ["Mã kiểm tra định nghĩa", shortPrint(lock.definitionPrint), lock.definitionPrint, null] : [null, null, null, null],
    ["Mã trường", "Tên trường", "Mã kiểm tra", "Mã kiểm tra đầy đủ"],
  ];
  for (const s of def.schools) {
    const print = Object.prototype.hasOwnProperty.call(lock.schoolPrints, s.code) ? lock.schoolPrints[s.code] : undefined;
    grid.push([s.code, s.name, print ? shortPrint(print) : "(không có số liệu)", print ?? null]);
  }
  if (lock.unconfirmed.length) grid.push([null, null, null, null], [`Khóa khi còn thiếu: ${lock.unconfirmed.join(", ")}`, null, null, null]);
  return {
    name: LOCK_SHEET,
    grid,
    merges: [],
    styles: [
      { range: range(0, 0, 1, 1), bold: true, fontSize: 13 },
      { range: range(4, 1, 1, 1), bold: true },
      { range: range(7, 0, 1, 4), bold: true, fill: "#DCE6F1", border: true },
      { range: range(8, 0, def.schools.length, 4), border: true },
    ],
    widths: [22, 40, 16, 70],
    frozenRows: 0,
    inputs: [],
    colourScales: [],
    editable: [],
  };
}

/** A long text kept in a hidden sheet, cut into cells Excel accepts. */
export function buildTextSheet(name: string, text: string): SheetSpec {
  const grid: CellValue[][] = [];
  for (let i = 0; i < text.length; i += CELL_CHUNK) grid.push([text.slice(i, i + CELL_CHUNK)]);
  return { name, grid, merges: [], styles: [], widths: [20], frozenRows: 0, inputs: [], colourScales: [], editable: [], hidden: true };
}

export function buildSnapshotSheet(snapshot: string): SheetSpec {
  return buildTextSheet(SNAPSHOT_SHEET, snapshot);
}

export function readSnapshotSheet(grid: readonly (readonly unknown[])[]): string {
  return grid.map((r) => (typeof r[0] === "string" ? r[0] : "")).join("");
}

/** The lock record back from the "Khóa số liệu" sheet; undefined when the sheet is not one. */
export function readLockSheet(def: ClusterDefinition, grid: readonly (readonly unknown[])[]): (OfflineLock & { cluster: string; year: number }) | undefined {
  const row = (label: string) => grid.find((r) => cellText(r[0]) === label);
  const fp = row("Mã kiểm tra toàn cụm");
  const ids = row("Mã cụm");
  if (!fp || !ids) return undefined;
  const schoolPrints = Object.create(null) as Record<string, string>;
  for (const r of grid) if (def.schools.some((s) => s.code === r[0]) && typeof r[3] === "string" && r[3]) schoolPrints[r[0] as string] = r[3];
  const definitionPrint = cellText(row("Mã kiểm tra định nghĩa")?.[2]) || undefined;
  return { at: cellText(row("Khóa lúc")?.[1]), by: cellText(row("Người khóa")?.[1]), fingerprint: cellText(fp[2]), schoolPrints, unconfirmed: [], definitionPrint, cluster: cellText(ids[1]), year: Number(ids[3]) };
}
