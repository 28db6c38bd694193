/**
 * The head school's Apps Script quotas over a stated day of work. Every
 * installable trigger runs on the account that installed it (the head's):
 * onEditLog for every figure any school types, flushPending every five
 * minutes. A consumer (gmail.com) account has 90 minutes of trigger
 * runtime a day; the Sheets API takes 60 write requests a minute per user
 * (sources in docs/platform.md). The cost of each run is measured on the
 * built Code.js (service calls, write requests); its time is estimated
 * from those calls with the figures below, which are assumptions, not
 * measurements of Google.
 */

/** What one trigger run costs, as measured on the fake. */
export interface RunCost {
  calls: number;
  writes: number;
}

/** A day of typical work for each school, and the busiest hour of the year. */
export interface WorkDay {
  editsPerSchool: number;
  importsPerSchool: number;
  confirmationsPerSchool: number;
  /** In the last hour before a deadline: the share of schools typing at once, and their pace. */
  peakShareTyping: number;
  peakEditsPerMinute: number;
}

export const TYPICAL_DAY: WorkDay = {
  editsPerSchool: 30,
  importsPerSchool: 1,
  confirmationsPerSchool: 1,
  peakShareTyping: 1 / 3,
  peakEditsPerMinute: 3,
};

/** Assumed: loading the 225 KB script and starting a trigger run; one service call's round trip. */
export const START_SECONDS = 1;
export const CALL_SECONDS = 0.1;
/** Five-minute flushes in a day (a bound script; an add-on's trigger runs at most hourly). */
export const FLUSHES_PER_DAY = (24 * 60) / 5;

export interface HeadQuota {
  schools: number;
  triggerMinutesPerDay: number;
  peakWritesPerMinute: number;
  runsPerDay: number;
}

const seconds = (run: RunCost) => START_SECONDS + run.calls * CALL_SECONDS;

/**
 * The head's trigger minutes a day and writes a minute at the peak:
 * one onEditLog per edit; flushes with work after each import and
 * confirmation, idle ones otherwise.
 */
export function headQuota(
  schools: number,
  costs: { editLog: RunCost; flushIdle: RunCost; flushAfterImport: RunCost; flushAfterConfirm: RunCost },
  day: WorkDay = TYPICAL_DAY,
): HeadQuota {
  const edits = schools * day.editsPerSchool;
  const imports = schools * day.importsPerSchool;
  const confirms = schools * day.confirmationsPerSchool;
  const busyFlushes = Math.min(FLUSHES_PER_DAY, imports + confirms);
  const idleFlushes = FLUSHES_PER_DAY - busyFlushes;
  const busySeconds =
    (busyFlushes * (imports * seconds(costs.flushAfterImport) + confirms * seconds(costs.flushAfterConfirm))) /
    Math.max(1, imports + confirms);
  const total = edits * seconds(costs.editLog) + busySeconds + idleFlushes * seconds(costs.flushIdle);
  const typing = Math.ceil(schools * day.peakShareTyping);
  const peak = typing * day.peakEditsPerMinute * costs.editLog.writes + costs.flushAfterImport.writes / 5;
  return {
    schools,
    triggerMinutesPerDay: total / 60,
    peakWritesPerMinute: peak,
    runsPerDay: edits + FLUSHES_PER_DAY,
  };
}
