/**
 * Work a school's editor asks for but may not do: the Nhật ký rows and the
 * protection changes of its own confirmation. Both sit behind head-only
 * protections, so they wait in document properties until code running with
 * the head school's rights applies them: the time-driven trigger
 * flushPending (installed by set-up, every 5 minutes) or the head's next action.
 */
import { appendAudit, type AuditEntry } from "./audit";

const KEY = "viec_cho";

interface Pending {
  audit: (Omit<AuditEntry, "oldValue" | "newValue"> & { oldValue?: string; newValue?: string; at: string })[];
  protections: boolean;
}

function load(): Pending {
  const raw = PropertiesService.getDocumentProperties().getProperty(KEY);
  return raw ? (JSON.parse(raw) as Pending) : { audit: [], protections: false };
}

export function queueForHead(entries: AuditEntry[], protections: boolean, now = new Date()): void {
  const p = load();
  for (const e of entries) p.audit.push({ ...e, oldValue: e.oldValue === undefined ? undefined : String(e.oldValue), newValue: e.newValue === undefined ? undefined : String(e.newValue), at: now.toISOString() });
  p.protections = p.protections || protections;
  PropertiesService.getDocumentProperties().setProperty(KEY, JSON.stringify(p));
}

/** Applies what is waiting, each Nhật ký row with the time of the action; the caller holds the lock and the head's rights. */
export function applyPending(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, applyProtections: () => void): number {
  const p = load();
  if (!p.audit.length && !p.protections) return 0;
  if (p.protections) applyProtections();
  for (const e of p.audit) appendAudit(ss, [e], new Date(e.at));
  PropertiesService.getDocumentProperties().deleteProperty(KEY);
  return p.audit.length;
}

export function hasPending(): boolean {
  const p = load();
  return p.audit.length > 0 || p.protections;
}
