/**
 * Work a school's editor asks for but may not do: the Nhật ký rows and the
 * protection changes of its own confirmation or import. Both sit behind
 * head-only protections, so they wait in document properties until code
 * running with the head school's rights applies them: the time-driven
 * trigger flushPending (installed by set-up) or the head's next action.
 *
 * The queue is chunked and bounded: room for the new rows is checked before
 * the school's figures are written, so a full queue refuses the action whole
 * instead of writing figures whose Nhật ký rows would be lost.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { UserError } from "../../core/user-error";
import { appendAudit, type AuditEntry } from "./audit";
import { triggerActs } from "../context";
import { clearQueue, loadQueue, loadState, planQueue, queueText, storedDefinition } from "../year/stored-state";
import { applyProtections } from "../year/year-state";
import { commitChunked, documentProperties, forgetDocumentProperties, utf8Bytes } from "../google/store";

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
      at: now.toISOString(),
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

/**
 * Applies what is waiting, each Nhật ký row with the time of the action, in
 * one write; the caller holds the lock and the head's rights. A queue that
 * fails its check is not applied: its raw text goes to Nhật ký for the head
 * to read, and the queue starts afresh.
 */
export function applyPending(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  applyProtections: () => void,
  props?: Record<string, string>,
): number {
  const all = props ?? documentProperties();
  const loaded = loadQueue(all);
  if (!loaded.ok) {
    appendAudit(ss, [
      {
        action: "Việc chờ bị từ chối",
        who: "(không rõ)",
        detail: `${loaded.message} Nội dung gốc: ${loaded.raw.slice(0, 40_000)}`,
      },
    ]);
    clearQueue(all);
    return 0;
  }
  const q = loaded.queue;
  if (!q.audit.length && !q.protections) return 0;
  if (q.protections) applyProtections();
  appendAudit(
    ss,
    q.audit.map((e) => ({ ...e, at: new Date(e.at) })),
  );
  clearQueue(all);
  return q.audit.length;
}

export function hasPending(props?: Record<string, string>): boolean {
  const loaded = loadQueue(props);
  return !loaded.ok || loaded.queue.audit.length > 0 || loaded.queue.protections;
}

export const FLUSH_HANDLER = "flushPending";

/** Time-driven trigger (installed by set-up, runs with the installer's rights): applies what schools left waiting. */
export function flushPending(): void {
  const def = storedDefinition();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  // A trigger of last year's head does nothing: the new head's trigger applies the queue.
  if (def && triggerActs(def, ss)) applyPendingNow(ss, def);
}

/** Applies the queue under the lock when there is one; a busy sheet leaves it for the next run. */
export function applyPendingNow(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, def: ClusterDefinition): void {
  if (!hasPending()) return;
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(30_000)) return;
  forgetDocumentProperties();
  try {
    // Read again under the lock: a school may have queued more since.
    applyPending(ss, () => applyProtections(ss, def, loadState(undefined, def)));
  } finally {
    lock.releaseLock();
  }
}
