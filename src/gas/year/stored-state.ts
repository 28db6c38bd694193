/**
 * What the add-on keeps in document properties, read back through a schema.
 * Any editor of the Sheet can rewrite those properties, so nothing stored is
 * trusted as it is: an entry that is broken or shaped wrongly is refused with
 * a Vietnamese message and written to the execution log, never applied.
 */
import * as v from "valibot";
import { DefinitionError, loadDefinition, type ClusterDefinition } from "../../core/definition/definition";
import { initialState, type YearState } from "../../core/lock/lifecycle";
import { UserError } from "../../core/user-error";
import type { SheetSpec } from "../../core/sheets/sheet-spec";
import { sha256Text } from "../../core/lock/sha256";
import { readSheets } from "../google/sheet-io";
import {
  deleteChunked,
  documentProperties,
  commitChunked,
  planChunked,
  putProperties,
  readChunked,
  type ChunkedWrite,
} from "../google/store";

/** A stored entry that failed its check: the message says what and what to do. */
export class BrokenStoreError extends UserError {
  constructor(what: string, why: string, todo: string) {
    super(
      `${what} lưu trong bảng tính bị hỏng hoặc đã bị sửa ngoài Thi đua (${why}); Thi đua không dùng dữ liệu này và chưa thay đổi gì. ${todo}`,
    );
    this.name = "BrokenStoreError";
  }
}

function refuse(what: string, why: string, todo: string): never {
  const error = new BrokenStoreError(what, why, todo);
  // The execution log keeps the refusal for the owner (Apps Script › Executions).
  console.error(error.message);
  throw error;
}

function parseJson(text: string, what: string, todo: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return refuse(what, "không đọc được nội dung", todo);
  }
}

const issueText = (issues: readonly v.BaseIssue<unknown>[]) =>
  issues
    .slice(0, 3)
    .map((i) => `${v.getDotPath(i) ?? "gốc"}: ${i.expected ? `cần ${i.expected}` : i.message}`)
    .join("; ");

// --- the cluster definition ------------------------------------------------

const DEFINITION = "cau_hinh_";
const DEFINITION_TODO =
  "Trường Cụm trưởng hãy chạy Thi đua › Thiết lập / cập nhật bảng tính để lưu lại định nghĩa từ trang Cấu hình.";

/** Saves the definition, with other small entries (who installed the triggers) in the same write. */
export function saveDefinition(
  def: ClusterDefinition,
  props?: Record<string, string>,
  with_: Record<string, string> = {},
): void {
  const write = planChunked(DEFINITION, JSON.stringify(def), "định nghĩa cụm", props ?? documentProperties());
  commitChunked({ ...write, next: { ...with_, ...write.next } });
}

/** The stored definition, or undefined before set-up; checked by the same rules as Cấu hình. */
export function storedDefinition(props?: Record<string, string>): ClusterDefinition | undefined {
  const text = readChunked(DEFINITION, props);
  if (text === undefined) return undefined;
  const data = parseJson(text, "Định nghĩa cụm", DEFINITION_TODO);
  try {
    return loadDefinition(data);
  } catch (e) {
    if (e instanceof DefinitionError)
      return refuse("Định nghĩa cụm", e.problems.slice(0, 3).join(" "), DEFINITION_TODO);
    throw e;
  }
}

// --- the year's state --------------------------------------------------------

const STATE_KEY = "trang_thai_nam";
const STATE_TODO =
  "Trường Cụm trưởng hãy đối chiếu trang Nhật ký (các lần ký giao ước, xác nhận, khóa) trước khi làm tiếp.";
const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "mã SHA-256"));
const stamp = v.pipe(v.string(), v.maxLength(40));
const email = v.pipe(v.string(), v.maxLength(320));
const YearStateSchema = v.strictObject({
  phase: v.picklist(["registration", "reporting", "locked"]),
  pledgedAt: v.optional(stamp),
  confirmed: v.record(
    v.pipe(v.string(), v.maxLength(40)),
    v.strictObject({ by: email, at: stamp, fingerprint: hex64 }),
  ),
  lock: v.optional(v.strictObject({ by: email, at: stamp, fingerprint: hex64, unconfirmed: v.array(v.string()) })),
});

/** The year's state; the first state of a year when nothing is stored. Schools named must be the cluster's when def is given. */
export function loadState(props?: Record<string, string>, def?: ClusterDefinition): YearState {
  const raw = (props ?? documentProperties())[STATE_KEY];
  if (!raw) return initialState();
  const r = v.safeParse(YearStateSchema, parseJson(raw, "Trạng thái năm học", STATE_TODO));
  if (!r.success) return refuse("Trạng thái năm học", issueText(r.issues), STATE_TODO);
  const state = r.output as YearState;
  if (state.phase === "locked" && !state.lock)
    return refuse("Trạng thái năm học", "đã khóa nhưng không có mã kiểm tra", STATE_TODO);
  if (def) {
    const stranger = Object.keys(state.confirmed).find((c) => !def.schools.some((s) => s.code === c));
    if (stranger)
      return refuse("Trạng thái năm học", `xác nhận của trường "${stranger}" không có trong cụm`, STATE_TODO);
  }
  return state;
}

/** Saves the state, with other small entries (the lock's snapshot pointer) in the same write. */
export function saveState(state: YearState, with_: Record<string, string> = {}): void {
  putProperties({ ...with_, ...stateEntry(state) });
}

/** The state as its stored entry, for a write that carries other entries with it. */
export const stateEntry = (state: YearState): Record<string, string> => ({ [STATE_KEY]: JSON.stringify(state) });

// --- the locked figures --------------------------------------------------------

/**
 * The figures frozen at the lock grow with the cluster (750 KB at 120
 * schools × 300 targets), past what document properties hold (500 KB for
 * everything). They live in a hidden sheet the add-on makes and protects
 * with the others, one cell per 40.000 characters (a cell holds 50.000);
 * the properties keep only a small pointer: the sheet, the number of cells
 * and the text's SHA-256, checked before the text is used. Locks made
 * before kept the text itself in properties, and still read.
 */
export const SNAPSHOT_SHEET = "Bản khóa";
const SNAPSHOT_POINTER = "ban_khoa_tro";
const LEGACY_SNAPSHOT = "ban_khoa_";
const CELL_CHARS = 40_000;
const SNAPSHOT_TODO =
  "Hãy đối chiếu với Nhật ký và tệp PDF báo cáo đã ký; trường Cụm trưởng có thể mở khóa rồi khóa lại để lưu lại bản số liệu.";
const PointerSchema = v.strictObject({
  sheet: v.literal(SNAPSHOT_SHEET),
  cells: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)),
  sha256: hex64,
});

/** The hidden sheet holding the snapshot: a title row, then the text cut into cells. */
export function snapshotSheetSpec(text: string): SheetSpec {
  const cells: string[] = [];
  for (let i = 0; i < text.length; i += CELL_CHARS) cells.push(text.slice(i, i + CELL_CHARS));
  return {
    name: SNAPSHOT_SHEET,
    grid: [["Bản số liệu khóa cuối năm do Thi đua ghi; không sửa trang này."], ...cells.map((c) => [c])],
    merges: [],
    styles: [],
    widths: [100],
    frozenRows: 0,
    inputs: [],
    colourScales: [],
    hidden: true,
  };
}

/** The pointer to keep beside the state once the snapshot sheet is written. */
export function snapshotPointer(text: string): Record<string, string> {
  const cells = Math.max(1, Math.ceil(text.length / CELL_CHARS));
  return { [SNAPSHOT_POINTER]: JSON.stringify({ sheet: SNAPSHOT_SHEET, cells, sha256: sha256Text(text) }) };
}

/** Whether chunks of a snapshot kept in properties by an older version remain (to be removed at the next lock). */
export function hasLegacySnapshot(props?: Record<string, string>): boolean {
  return readChunked(LEGACY_SNAPSHOT, props) !== undefined;
}

export function deleteLegacySnapshot(props?: Record<string, string>): void {
  deleteChunked(LEGACY_SNAPSHOT, props);
}

/**
 * The snapshot text, from its sheet (checked against the pointer) or, for an
 * older lock, from properties; grids holds the sheet's cells when the run read them already.
 */
export function loadSnapshot(
  spreadsheetId: string,
  props?: Record<string, string>,
  grids?: Map<string, unknown[][]>,
): string | undefined {
  const all = props ?? documentProperties();
  const raw = all[SNAPSHOT_POINTER];
  if (!raw) return readChunked(LEGACY_SNAPSHOT, all);
  const r = v.safeParse(PointerSchema, parseJson(raw, "Chỉ dẫn tới bản số liệu khóa", SNAPSHOT_TODO));
  if (!r.success) return refuse("Chỉ dẫn tới bản số liệu khóa", issueText(r.issues), SNAPSHOT_TODO);
  const { cells, sha256 } = r.output;
  const grid = (grids ?? readSheets(spreadsheetId, [SNAPSHOT_SHEET], "A:A")).get(SNAPSHOT_SHEET) ?? [];
  const text = grid
    .slice(1, 1 + cells)
    .map((row) => String(row[0] ?? ""))
    .join("");
  if (sha256Text(text) !== sha256)
    return refuse(`Trang "${SNAPSHOT_SHEET}"`, "nội dung không khớp mã SHA-256 ghi lúc khóa", SNAPSHOT_TODO);
  return text;
}

/**
 * The snapshot leaves the live Sheet with its year (kept in the year's
 * archive): an older lock's text is removed, and the pointer returned
 * emptied (read as no snapshot) for the write that moves the year on.
 */
export function forgottenSnapshot(): Record<string, string> {
  deleteLegacySnapshot();
  return { [SNAPSHOT_POINTER]: "" };
}

// --- the head's queue -----------------------------------------------------------

const QUEUE = "viec_cho_";
const QUEUE_TODO = "Các việc này không được áp dụng; nội dung gốc được ghi vào Nhật ký để trường Cụm trưởng đối chiếu.";

const QueuedEntry = v.strictObject({
  action: v.pipe(v.string(), v.maxLength(200)),
  who: email,
  sheet: v.optional(v.pipe(v.string(), v.maxLength(200))),
  cell: v.optional(v.pipe(v.string(), v.maxLength(20))),
  oldValue: v.optional(v.string()),
  newValue: v.optional(v.string()),
  detail: v.optional(v.string()),
  at: v.pipe(v.string(), v.isoTimestamp()),
  id: v.optional(v.pipe(v.string(), v.maxLength(40))),
});
const QueueSchema = v.strictObject({ audit: v.array(QueuedEntry), protections: v.boolean() });
export type Queue = v.InferOutput<typeof QueueSchema>;
export type QueuedAudit = Queue["audit"][number];

export function emptyQueue(): Queue {
  return { audit: [], protections: false };
}

/** The queue as stored text, to size a write before it is made. */
export const queueText = (q: Queue): string => JSON.stringify(q);

/** The queue; a broken one comes back as its raw text so the caller can file it and start afresh. */
export function loadQueue(
  props?: Record<string, string>,
): { ok: true; queue: Queue } | { ok: false; raw: string; message: string } {
  const text = readChunked(QUEUE, props);
  if (text === undefined) return { ok: true, queue: emptyQueue() };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const r = v.safeParse(QueueSchema, data);
  if (r.success) return { ok: true, queue: r.output };
  const error = new BrokenStoreError(
    "Danh sách việc chờ trường Cụm trưởng",
    data === undefined ? "không đọc được nội dung" : issueText(r.issues),
    QUEUE_TODO,
  );
  console.error(error.message);
  return { ok: false, raw: text, message: error.message };
}

/** The write that stores q, checked against the store's limit, made by the caller once its other checks pass. */
export function planQueue(q: Queue, props: Record<string, string>): ChunkedWrite {
  return planChunked(QUEUE, queueText(q), "danh sách việc chờ trường Cụm trưởng", props);
}

export function clearQueue(props?: Record<string, string>): void {
  deleteChunked(QUEUE, props);
}
