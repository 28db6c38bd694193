/**
 * The one way the add-on calls Google's APIs (Sheets, Docs, Drive). Google
 * answers a burst with 429 (60 write requests a minute per user, and every
 * trigger runs on the head school's account) and sometimes with 500 or 503;
 * each call here is tried again after an exponential, jittered wait
 * (Utilities.sleep), as long as the execution's six minutes allow, and then
 * given up with a Vietnamese message naming what Google refused. What the
 * action had already done is for the caller to add (GoogleBusyError.with).
 * Rules and sources: docs/platform.md.
 */
import { UserError } from "../../core/user-error";
import { newWriteId } from "./write-id";

/** Statuses worth another try: quota (429), internal error (500), unavailable (503). */
const RETRYABLE = [429, 500, 503];

/** When this execution began: the bundle loads anew for every run, so module time is run time. */
const started = Date.now();
/** Apps Script ends a run at 6 minutes; retries stop a minute before, leaving time to report and finish. */
export const RUN_BUDGET_MS = 5 * 60_000;
const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 32_000;
/** 1 + 2 + 4 + 8 + 16 + 32 s of waiting: past the minute after which Google refills the quota. */
const MAX_TRIES = 7;

/** The HTTP status of a failed call: the advanced services give it in details.code, older runtimes only in the text. */
export function statusOf(e: unknown): number | undefined {
  const details = (e as { details?: { code?: unknown } } | undefined)?.details;
  if (details && typeof details.code === "number") return details.code;
  const text = String((e as Error | undefined)?.message ?? e);
  if (/quota exceeded|rate limit exceeded|too many requests/i.test(text)) return 429;
  if (/internal error encountered|backend error/i.test(text)) return 500;
  if (/service is currently unavailable|service unavailable/i.test(text)) return 503;
  return undefined;
}

const REASON: Record<number, string> = {
  429: "tài khoản đang chạy đã dùng hết số lần ghi Google cho phép trong một phút",
  500: "máy chủ Google báo lỗi nội bộ",
  503: "dịch vụ của Google tạm thời không phản hồi",
};

/** Google kept refusing a call; the message says which, and the caller adds what was and was not done. */
export class GoogleBusyError extends UserError {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly tries: number,
    readonly detail = "",
  ) {
    super(
      `Google chưa nhận ${what}: ${REASON[status] ?? `lỗi ${status}`} (đã thử ${tries} lần).${detail ? ` ${detail}` : ""}`,
    );
    this.name = "GoogleBusyError";
  }
  /** The same refusal, saying what the action had done and what to do. */
  with(detail: string): GoogleBusyError {
    return new GoogleBusyError(this.what, this.status, this.tries, detail);
  }
}

export interface RetryOptions {
  /** Runs before each new try: a write whose answer was lost may have landed (audit rows check their ids). */
  beforeRetry?: () => void;
}

/** Runs call, trying again on 429/500/503 with exponential backoff and jitter, within the run's time budget. */
export function callGoogle<T>(what: string, call: () => T, options: RetryOptions = {}): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return call();
    } catch (e) {
      const status = statusOf(e);
      if (status === undefined || !RETRYABLE.includes(status)) throw e;
      // Jitter spreads the retries of executions that were refused together (every edit trigger is the head's).
      const wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (attempt - 1)) + Math.floor(Math.random() * 1_000);
      if (attempt >= MAX_TRIES || Date.now() - started + wait > RUN_BUDGET_MS)
        throw new GoogleBusyError(what, status, attempt);
      Utilities.sleep(wait);
      options.beforeRetry?.();
    }
  }
}

type Sheet = GoogleAppsScript.Sheets.Schema.Spreadsheet;
type ValueRange = GoogleAppsScript.Sheets.Schema.BatchGetValuesResponse;
type SheetsRequest = GoogleAppsScript.Sheets.Schema.Request;

/** spreadsheets.get with a field mask. */
export function sheetsGet(spreadsheetId: string, fields: string): Sheet {
  return callGoogle("yêu cầu đọc cấu trúc bảng tính", () => Sheets!.Spreadsheets!.get(spreadsheetId, { fields }));
}

/** values.batchGet, unformatted values, dates as the text the cell shows. */
export function sheetsBatchGet(spreadsheetId: string, ranges: string[]): ValueRange {
  return callGoogle("yêu cầu đọc số liệu", () =>
    Sheets!.Spreadsheets!.Values!.batchGet(spreadsheetId, {
      ranges,
      valueRenderOption: "UNFORMATTED_VALUE",
      dateTimeRenderOption: "FORMATTED_STRING",
    }),
  );
}

/**
 * spreadsheets.batchUpdate: applied whole or not at all. An error may come
 * back for a write that landed; before trying again, landed() (when given)
 * says whether it did, and then it is not sent twice.
 */
export function sheetsBatchUpdate(
  spreadsheetId: string,
  requests: SheetsRequest[],
  what: string,
  landed?: () => boolean,
): void {
  let sent = false;
  callGoogle(what, () => {
    if (sent && landed?.()) return;
    sent = true;
    Sheets!.Spreadsheets!.batchUpdate({ requests }, spreadsheetId);
  });
}

/** One range of values.batchUpdate, in A1 notation with its sheet. */
export interface ValuesData {
  range: string;
  values: unknown[][];
}

/**
 * values.batchUpdate with RAW input: strings stored as they are (no formula,
 * no number, no date), numbers and booleans as such, null skips a cell.
 * Trying again writes the same cells again, so a lost answer costs nothing.
 */
export function sheetsValuesBatchUpdate(spreadsheetId: string, data: ValuesData[], what: string): void {
  callGoogle(what, () => Sheets!.Spreadsheets!.Values!.batchUpdate({ valueInputOption: "RAW", data }, spreadsheetId));
}

/** values.append as RAW text; rows() is read at each try, so a retry can leave out rows that already landed. */
export function sheetsAppend(
  spreadsheetId: string,
  range: string,
  rows: () => unknown[][],
  what: string,
  options: RetryOptions = {},
): void {
  callGoogle(
    what,
    () => {
      const values = rows();
      if (values.length)
        Sheets!.Spreadsheets!.Values!.append({ values }, spreadsheetId, range, {
          valueInputOption: "RAW",
          insertDataOption: "INSERT_ROWS",
        });
    },
    options,
  );
}

/** Docs documents.batchUpdate. */
export function docsBatchUpdate(docId: string, requests: unknown[], what: string): void {
  callGoogle(what, () =>
    Docs!.Documents!.batchUpdate({ requests } as GoogleAppsScript.Docs.Schema.BatchUpdateDocumentRequest, docId),
  );
}

/** Drive v3 files.get. */
export function driveGet(fileId: string, fields: string): GoogleAppsScript.Drive_v3.Drive.V3.Schema.File {
  return callGoogle("yêu cầu đọc thư mục văn bản", () => Drive!.Files!.get(fileId, { fields }));
}

/** The app property that names one creation (Drive keeps app properties private to the app that set them). */
const CREATION_KEY = "cum_thi_dua_lan_tao";

/**
 * Drive v3 files.create, with content when given. A create Google answered
 * with an error may have made the file: each carries an identity of its own
 * in its app properties, and a retry first looks for it (files.list finds
 * only what the app made), so a folder or a document is never made twice.
 */
export function driveCreate(
  file: GoogleAppsScript.Drive_v3.Drive.V3.Schema.File,
  what: string,
  blob?: GoogleAppsScript.Base.Blob,
  fields = "id,name,mimeType",
): GoogleAppsScript.Drive_v3.Drive.V3.Schema.File {
  const identity = newWriteId();
  const named = { ...file, appProperties: { ...file.appProperties, [CREATION_KEY]: identity } };
  let sent = false;
  return callGoogle(what, () => {
    if (sent) {
      // Not "and trashed = false": a file made in a folder since trashed is trashed too, and still this create's.
      const q = `appProperties has { key='${CREATION_KEY}' and value='${identity}' }`;
      const made = Drive!.Files!.list({ q, fields: `files(${fields})` }).files ?? [];
      if (made.length) return made[0]!;
    }
    sent = true;
    // No content: null in its place, as the advanced service takes optional arguments only third.
    return Drive!.Files!.create(named, blob ?? (null as unknown as GoogleAppsScript.Base.Blob), { fields });
  });
}

/** Drive v3 files.delete. */
export function driveRemove(fileId: string, what: string): void {
  callGoogle(what, () => Drive!.Files!.remove(fileId));
}

/** Drive v3 permissions.create: lets one user view a file the add-on made, without a notification e-mail. */
export function driveShareToView(fileId: string, email: string, what: string): void {
  callGoogle(what, () =>
    Drive!.Permissions!.create({ role: "reader", type: "user", emailAddress: email }, fileId, {
      sendNotificationEmail: false,
    }),
  );
}
