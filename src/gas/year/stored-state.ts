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
import {
  deleteChunked,
  documentProperties,
  planChunked,
  putProperties,
  readChunked,
  writeChunked,
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

export function saveDefinition(def: ClusterDefinition, props?: Record<string, string>): void {
  writeChunked(DEFINITION, JSON.stringify(def), "định nghĩa cụm", props);
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

export function saveState(state: YearState): void {
  putProperties({ [STATE_KEY]: JSON.stringify(state) });
}

// --- the locked figures --------------------------------------------------------

const SNAPSHOT = "ban_khoa_";

export function saveSnapshot(text: string, props?: Record<string, string>): void {
  writeChunked(SNAPSHOT, text, "bản số liệu khóa cuối năm", props);
}

export function loadSnapshot(props?: Record<string, string>): string | undefined {
  return readChunked(SNAPSHOT, props);
}

/** The snapshot leaves the live Sheet with its year (it is kept in the year's archive). */
export function forgetSnapshot(): void {
  deleteChunked(SNAPSHOT);
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
