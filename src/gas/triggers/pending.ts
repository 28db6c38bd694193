/**
 * Applying what schools left waiting for the head (see queue.ts): their
 * Nhật ký rows, and the protections and status blocks of the year's state,
 * by the time-driven trigger flushPending (installed by set-up), the head's
 * next action, or the edit trigger of an add-on.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { appendAudit } from "./audit";
import { clearQueue, loadQueue, loadState, storedDefinition } from "../year/stored-state";
import { applyYearState } from "../year/status";
import { documentProperties, forgetDocumentProperties } from "../google/store";
import { triggerActs } from "./trigger-creators";

/**
 * Applies what is waiting, each Nhật ký row with the time of the action, in
 * one write; the caller holds the lock and the head's rights. A queue that
 * fails its check is not applied: its raw text goes to Nhật ký for the head
 * to read, and the queue starts afresh.
 */
export function applyPending(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  applyState: () => void,
  props?: Record<string, string>,
): number {
  const all = props ?? documentProperties();
  const loaded = loadQueue(all);
  if (!loaded.ok) {
    appendAudit(
      ss,
      [
        {
          action: "Việc chờ bị từ chối",
          who: "(không rõ)",
          detail: `${loaded.message} Nội dung gốc: ${loaded.raw.slice(0, 40_000)}`,
        },
      ],
      new Date(),
      { queueWhenRefused: false },
    );
    clearQueue(all);
    return 0;
  }
  const q = loaded.queue;
  if (!q.audit.length && !q.protections) return 0;
  if (q.protections) applyState();
  // The queue is cleared only once its rows are in Nhật ký; a run that wrote them but could not clear the queue
  // left them there, so their ids are checked first and none is written twice.
  appendAudit(
    ss,
    q.audit.map((e) => ({ ...e, at: new Date(e.at) })),
    new Date(),
    { checkFirst: true, queueWhenRefused: false },
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
  // A trigger of last year's head does nothing: the new head's trigger applies the queue. Whose rights the run
  // has is asked of Google, never taken from an event: a dialog's google.script.run may call this function too.
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
    applyPending(ss, () => applyYearState(ss, def, loadState(undefined, def)));
  } finally {
    lock.releaseLock();
  }
}
