/**
 * Work a school's editor asks for but may not do: the Nhật ký rows and the
 * protection changes of its own confirmation or import. Both sit behind
 * head-only protections, so they wait in document properties until code
 * running with the head school's rights applies them (pending.ts). Rows
 * Google keeps refusing wait here too.
 *
 * The queue is chunked and bounded: room for the new rows is checked before
 * the school's figures are written, so a full queue refuses the action whole
 * instead of writing figures whose Nhật ký rows would be lost.
 */
import { UserError } from "../../core/user-error";
import type { AuditEntry } from "./audit";
import { newWriteId } from "../google/write-id";
import { loadQueue, planQueue, queueText } from "../year/stored-state";
import { commitChunked, documentProperties, utf8Bytes } from "../google/store";

/** What the queue may hold between two runs of the trigger: a few full imports of the largest cluster. */
export const QUEUE_BYTES = 150 * 1024;

const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/**
 * Checks that entries (and a protection rebuild) fit in the queue, and
 * returns the write that queues them; the caller makes it after its own
 * writes succeed, under the document lock it already holds.
 */
export function reserveForHead(entries: AuditEntry[], protections: boolean, now = new Date()): () => void {
  const props = documentProperties();
  const loaded = loadQueue(props);
  if (!loaded.ok)
    throw new UserError(`${loaded.message} Hãy đợi trường Cụm trưởng xử lý rồi thử lại; chưa có gì được ghi.`);
  const q = loaded.queue;
  for (const e of entries)
    q.audit.push({
      action: e.action,
      who: e.who,
      sheet: e.sheet,
      cell: e.cell,
      oldValue: text(e.oldValue),
      newValue: text(e.newValue),
      detail: e.detail,
      at: (e.at ?? now).toISOString(),
      id: e.id ?? newWriteId(),
    });
  q.protections = q.protections || protections;
  const bytes = utf8Bytes(queueText(q));
  if (bytes > QUEUE_BYTES)
    throw new UserError(
      `Đang có nhiều thay đổi chờ trường Cụm trưởng ghi vào Nhật ký (${Math.ceil(bytes / 1024)} KB, tối đa ${QUEUE_BYTES / 1024} KB). Chưa có gì được ghi; hãy thử lại sau 5 phút, khi các thay đổi trước đã được ghi.`,
    );
  const write = planQueue(q, props);
  return () => commitChunked(write);
}
