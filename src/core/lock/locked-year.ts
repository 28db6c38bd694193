/**
 * The one reader of a locked year (`khoa`'s tong-hop-da-khoa.xlsx): every command that reads a locked year
 * (xac-minh, tong-ket-giai-doan, lich-su, binh-xet, nam-moi, and anything later) goes through it, so they all
 * accept and refuse the same workbooks.
 *
 * API:
 * - `checkLockedWorkbook(book, sha256, given?)`: `book` is the workbook as grids (every sheet by name, which
 *   sheets are password-protected, when the file was made), from an adapter (src/excel/locked-workbook.ts
 *   offline). Returns `{ ok: false, problem }` when nothing can be read back (not a locked workbook, the kept
 *   figures unreadable), else `{ ok: true, year, findings, definitionNotes }`: the year as the kept figures
 *   give it, under the definition kept in the workbook, and every way the workbook differs from what the
 *   lock wrote (the snapshot against the lock's code, every displayed sheet rebuilt from the snapshot and
 *   compared cell by cell, protection, the kept definition against its code, sheets added).
 *   `definitionNotes` names how a definition given by the user (`--cum`) differs from the kept one: a note,
 *   never a refusal.
 * - `lockedYearRefusal(result)`: the sentence that refuses a year with findings (undefined for an intact one),
 *   for the commands that only work on an intact year.
 * - `verifyHint(fingerprint)`: the verification command printed by `khoa` and written on the lock sheet.
 */
import { checkDefinition, type ClusterDefinition } from "../definition/definition";
import { definitionDifferences } from "../definition/differences";
import { cellText } from "../figures/parse";
import type { SchoolFigures } from "../figures/validate";
import type { Verdict } from "../pipeline";
import { a1 } from "../problem";
import {
  buildLockSheet,
  buildSnapshotSheet,
  buildTextSheet,
  DEFINITION_SHEET,
  LOCK_SHEET,
  readLockSheet,
  readSnapshotSheet,
  SNAPSHOT_SHEET,
  type OfflineLock,
} from "../sheets/lock-layout";
import type { SheetSpec } from "../sheets/sheet-spec";
import { buildSummarySheets, COVERAGE_SHEET } from "../sheets/summary-layout";
import { formatDateTime } from "../text/format";
import { shortPrint } from "./fingerprint";
import { thawYear, type FrozenYear } from "./freeze";

export type Grid = readonly (readonly unknown[])[];
export type Sha256 = (text: string) => string;

/** The name of the locked workbook `khoa` writes. */
export const LOCKED_XLSX = "tong-hop-da-khoa.xlsx";

/** How to check a lock against the code of the signed report: printed by khoa and written on the lock sheet. */
export function verifyHint(fingerprint: string): string {
  return (
    `Để kiểm tra bảng này với mã in trong báo cáo đã ký: cum-thi-dua xac-minh ` +
    `${LOCKED_XLSX} <thư mục tệp các trường> --ma ${shortPrint(fingerprint)}`
  );
}

/** A locked workbook as an adapter reads it: nothing but grids and facts about the file. */
export interface LockedWorkbook {
  /** File (or Sheet) name, for messages. */
  source: string;
  /** Every sheet, by name, in the workbook's order. */
  sheets: ReadonlyMap<string, Grid>;
  /** Sheet name → whether it is protected with a password. */
  protectedSheets: ReadonlyMap<string, boolean>;
  /** When the file says it was made. */
  created?: Date;
}

export type LockRecord = OfflineLock & { cluster: string; year: number };

export interface LockedYear {
  /** File (or Sheet) name, for messages. */
  source: string;
  /** The definition the year was locked under (kept in the workbook). */
  definition: ClusterDefinition;
  figures: SchoolFigures[];
  /** The summary and ranking recomputed from the locked figures, as the lock computed them. */
  verdict: Verdict;
  /** The cluster fingerprint the kept figures give (equal to the lock's code when the year is intact). */
  fingerprint: string;
  lockedAt: string;
  /** The awards the year's review meeting proposed (its record beside the locked year), when there is one. */
  awards?: YearAwards;
}

/** Award name → school codes, in the meeting's order. */
export type YearAwards = { name: string; schools: string[] }[];

export type LockedYearCheck =
  | { ok: false; problem: string }
  | {
      ok: true;
      year: LockedYear;
      /** The lock record as the lock sheet states it. */
      lock: LockRecord;
      /** Full hex fingerprint per school code, from the kept figures. */
      schoolPrints: Record<string, string>;
      /** Every way the workbook differs from what the lock wrote; empty for an intact year. */
      findings: string[];
      /** How the definition the user gave differs from the kept one (empty when none was given or they agree). */
      definitionNotes: string[];
      /** The definition came from the user because the workbook keeps none (locked before it was kept). */
      definitionGiven: boolean;
    };

const refuse = (source: string, text: string): LockedYearCheck => ({ ok: false, problem: `${source}: ${text}` });

/** The kept definition, checked against its code on the lock sheet. */
function keptDefinition(
  grid: Grid | undefined,
  print: string | undefined,
  sha256: Sha256,
): { definition?: ClusterDefinition; intact: boolean } {
  if (!grid) return { intact: false };
  const text = readSnapshotSheet(grid);
  const intact = !!print && sha256(text) === print;
  try {
    const checked = checkDefinition(JSON.parse(text));
    return { ...(checked.ok ? { definition: checked.definition } : {}), intact };
  } catch {
    return { intact };
  }
}

/** "20/11/2023 09:30" (Vietnam time, as formatDateTime writes it) back to the instant. */
function parseLockTime(text: string): Date | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]) - 7, Number(m[5])));
  return formatDateTime(d) === text ? d : undefined;
}

const quote = (v: unknown) => {
  const t = cellText(v);
  return t.length > 60 ? `"${t.slice(0, 57)}…"` : `"${t}"`;
};

/** Every cell where a displayed sheet differs from what the snapshot rebuilds. */
function diffSheet(file: string, expected: SheetSpec, actual: Grid): string[] {
  const out: string[] = [];
  const rows = Math.max(expected.grid.length, actual.length);
  for (let r = 0; r < rows; r++) {
    const width = Math.max(expected.grid[r]?.length ?? 0, actual[r]?.length ?? 0);
    for (let c = 0; c < width; c++) {
      const want = cellText(expected.grid[r]?.[c] ?? null);
      const got = cellText(actual[r]?.[c] ?? null);
      if (want !== got)
        out.push(
          `${file} › ${expected.name}!${a1(r, c)}: theo số liệu lưu khi khóa là ${quote(want)}, ` +
            `trong bảng là ${quote(got)}.`,
        );
    }
  }
  return out;
}

/**
 * Tình trạng nộp: who sent which file and its remarks are not in the
 * snapshot, but each school's status is; compared school by school, since
 * remarks take a varying number of rows.
 */
function diffCoverage(file: string, expected: SheetSpec, actual: Grid): string[] {
  const statuses = (grid: Grid) => {
    const out = new Map<string, { status: string; row: number }>();
    grid.forEach((r, i) => {
      const code = cellText(r[1]);
      if (i >= 2 && code && cellText(r[0]) !== "" && !out.has(code)) out.set(code, { status: cellText(r[3]), row: i });
    });
    return out;
  };
  const want = statuses(expected.grid);
  const got = statuses(actual);
  const out: string[] = [];
  for (const [code, w] of want) {
    const g = got.get(code);
    if (!g) out.push(`${file} › ${expected.name}: thiếu hàng của trường ${code}.`);
    else if (g.status !== w.status)
      out.push(
        `${file} › ${expected.name}!${a1(g.row, 3)}: theo số liệu lưu khi khóa là ` +
          `${quote(w.status)}, trong bảng là ${quote(g.status)}.`,
      );
  }
  return out;
}

/**
 * The lock record with how to verify it, the hidden snapshot, and (locks made since it was kept) the hidden
 * definition: what `khoa` adds to the summary sheets, and what the check rebuilds.
 */
export function lockSheets(
  def: ClusterDefinition,
  lock: OfflineLock,
  snapshot: string,
  definitionText: string | undefined,
): SheetSpec[] {
  const sheet = buildLockSheet(def, lock);
  sheet.grid.push([null, null, null, null], [verifyHint(lock.fingerprint), null, null, null]);
  return [
    sheet,
    buildSnapshotSheet(snapshot),
    ...(definitionText !== undefined ? [buildTextSheet(DEFINITION_SHEET, definitionText)] : []),
  ];
}

/** Every way the workbook differs from what the lock wrote, given the year its snapshot gives back. */
function findingsOf(book: LockedWorkbook, def: ClusterDefinition, lock: LockRecord, year: FrozenYear): string[] {
  const shown = book.source;
  const findings: string[] = [];
  if (year.fingerprint !== lock.fingerprint)
    findings.push(
      `${shown} › ${LOCK_SHEET}: mã kiểm tra toàn cụm ghi ${shortPrint(lock.fingerprint)}, nhưng bản số ` +
        `liệu lưu khi khóa cho mã ${shortPrint(year.fingerprint)}: bảng đã khóa đã bị sửa.`,
    );
  const madeAt = parseLockTime(lock.at);
  if (!madeAt) findings.push(`${shown} › ${LOCK_SHEET}: thời điểm khóa "${lock.at}" không đọc được; trang đã bị sửa.`);
  else if (book.created && Math.abs(book.created.getTime() - madeAt.getTime()) >= 60_000)
    findings.push(
      `${shown} › ${LOCK_SHEET}: thời điểm khóa ghi "${lock.at}", nhưng tệp được lập ` +
        `lúc ${formatDateTime(book.created)}: ngày khóa đã bị sửa.`,
    );
  const { summary, ranking } = year.verdict;
  const missing = def.schools.filter((s) => !(s.code in year.schoolPrints)).map((s) => s.code);
  const expected = [
    ...buildSummarySheets(summary, ranking, { madeAt: madeAt ?? new Date(0), madeBy: lock.by }),
    ...lockSheets(
      def,
      {
        at: lock.at,
        by: lock.by,
        fingerprint: year.fingerprint,
        schoolPrints: year.schoolPrints,
        unconfirmed: missing,
        ...(lock.definitionPrint ? { definitionPrint: lock.definitionPrint } : {}),
      },
      year.snapshot,
      lock.definitionPrint ? "" : undefined,
    ),
  ];
  for (const spec of expected) {
    const grid = book.sheets.get(spec.name);
    if (!grid) {
      findings.push(`${shown}: thiếu trang "${spec.name}" (đã bị xóa sau khi khóa).`);
      continue;
    }
    if (book.protectedSheets.get(spec.name) !== true)
      findings.push(`${shown} › ${spec.name}: trang đã bị gỡ bảo vệ bằng mật khẩu sau khi khóa.`);
    if (spec.name === COVERAGE_SHEET) findings.push(...diffCoverage(shown, spec, grid));
    // The hidden snapshot and definition are checked through their codes, not cell by cell.
    else if (spec.name !== SNAPSHOT_SHEET && spec.name !== DEFINITION_SHEET)
      findings.push(...diffSheet(shown, spec, grid));
  }
  for (const name of book.sheets.keys())
    if (!expected.some((e) => e.name === name))
      findings.push(`${shown}: có trang lạ "${name}" không do lệnh khoa tạo.`);
  return findings;
}

/**
 * Reads a locked year back and checks it as a whole. The definition is the one kept in the workbook; `given`
 * (the user's --cum) is used only for a workbook locked before the definition was kept, and otherwise only
 * compared with the kept one.
 */
export function checkLockedWorkbook(book: LockedWorkbook, sha256: Sha256, given?: ClusterDefinition): LockedYearCheck {
  const source = book.source;
  const lockGrid = book.sheets.get(LOCK_SHEET);
  if (!lockGrid)
    return refuse(
      source,
      `chưa được khóa (không có trang "${LOCK_SHEET}"). Chỉ đọc được bảng tổng hợp đã khóa bằng lệnh khoa ` +
        `(${LOCKED_XLSX}): hãy khóa năm đó bằng lệnh khoa rồi dùng tệp ${LOCKED_XLSX}.`,
    );
  const snapshotGrid = book.sheets.get(SNAPSHOT_SHEET);
  if (!snapshotGrid)
    return refuse(source, `thiếu trang ẩn "${SNAPSHOT_SHEET}" giữ số liệu lúc khóa: không còn gì để đối chiếu.`);
  // The lock sheet names its cluster and year without a definition; the definition then names the schools.
  const ids = lockGrid.find((r) => cellText(r[0]) === "Mã cụm");
  const printRow = lockGrid.find((r) => cellText(r[0]) === "Mã kiểm tra định nghĩa");
  if (!ids || !lockGrid.some((r) => cellText(r[0]) === "Mã kiểm tra toàn cụm"))
    return refuse(source, `trang "${LOCK_SHEET}" không đọc được (thiếu mã cụm hoặc mã kiểm tra); bảng đã bị sửa.`);
  const cluster = cellText(ids[1]);
  const yearNumber = Number(ids[3]);
  const definitionPrint = cellText(printRow?.[2]) || undefined;
  const kept = keptDefinition(book.sheets.get(DEFINITION_SHEET), definitionPrint, sha256);
  const givenFits = given && given.id === cluster && given.year === yearNumber;
  let def: ClusterDefinition;
  let definitionGiven = false;
  if (kept.definition && (kept.intact || !givenFits)) def = kept.definition;
  else if (givenFits) {
    def = given;
    definitionGiven = true;
  } else if (!book.sheets.has(DEFINITION_SHEET) && !definitionPrint)
    return refuse(
      source,
      `bảng khóa năm ${yearNumber} không lưu định nghĩa cụm (khóa bằng phiên bản cũ); hãy chỉ ra định nghĩa ` +
        `cụm năm đó bằng --cum <tệp.json> (mã cụm "${cluster}", năm ${yearNumber}), hoặc khóa lại năm đó.`,
    );
  else
    return refuse(
      source,
      `định nghĩa cụm lưu khi khóa đã bị sửa hoặc hỏng, không đọc được; không dùng được năm ` +
        `${Number.isFinite(yearNumber) ? yearNumber : "này"}. Hãy dùng bản đã khóa gốc.`,
    );
  const lock = readLockSheet(def, lockGrid)!;
  let year: FrozenYear;
  try {
    year = thawYear(def, readSnapshotSheet(snapshotGrid), sha256);
  } catch {
    return refuse(
      source,
      `bản số liệu lưu khi khóa (trang ẩn "${SNAPSHOT_SHEET}") đã bị sửa sau khi khóa hoặc bị hỏng, không đọc ` +
        `được; ` +
        `không dùng được năm ${def.year}. Hãy dùng bản đã khóa gốc.`,
    );
  }
  const findings: string[] = [];
  if (lock.cluster !== def.id || lock.year !== def.year)
    findings.push(
      `${source} › ${LOCK_SHEET}: trang ghi cụm "${lock.cluster}" năm ${lock.year}, nhưng định nghĩa lưu khi ` +
        `khóa là của cụm "${def.id}" năm ${def.year}: bảng đã bị sửa.`,
    );
  if (definitionPrint && !kept.intact)
    findings.push(
      `${source} › ${DEFINITION_SHEET}: định nghĩa cụm lưu khi khóa không khớp mã kiểm tra định nghĩa ` +
        `${shortPrint(definitionPrint)}: trang đã bị sửa.`,
    );
  findings.push(...findingsOf(book, def, lock, year));
  const definitionNotes = given && !definitionGiven ? definitionDifferences(def, given) : [];
  return {
    ok: true,
    year: {
      source,
      definition: def,
      figures: year.figures,
      verdict: year.verdict,
      fingerprint: year.fingerprint,
      lockedAt: lock.at,
    },
    lock,
    schoolPrints: year.schoolPrints,
    findings,
    definitionNotes,
    definitionGiven,
  };
}

/** How many findings a refusal lists before pointing to xac-minh for the rest. */
const LISTED = 10;

/** The refusal of a year that is not exactly as locked, naming the file and what differs; undefined when intact. */
export function lockedYearRefusal(check: LockedYearCheck): string | undefined {
  if (!check.ok) return check.problem;
  if (!check.findings.length) return undefined;
  const { year, findings, lock } = check;
  const more = findings.length - LISTED;
  return [
    `${year.source}: bảng đã khóa năm ${year.definition.year} (mã kiểm tra ${shortPrint(lock.fingerprint)}) đã bị ` +
      `sửa sau khi khóa; không dùng được năm ${year.definition.year}. Hãy dùng bản đã khóa gốc. Những chỗ khác với ` +
      `lúc khóa:`,
    ...findings.slice(0, LISTED).map((f) => `  - ${f}`),
    ...(more > 0 ? [`  - … và ${more} điểm khác (xem đủ bằng lệnh xac-minh ${year.source}).`] : []),
  ].join("\n");
}
