/**
 * The fake Apps Script runtime: services as globals, a call counter on every
 * service method, the authorization limits of simple triggers, and the built
 * Code.js loaded into a fresh node:vm context for each execution, as Apps
 * Script loads the whole script for every run.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import vm from "node:vm";
import { FakeDrive } from "./documents";
import { formattedDate, serialNumber } from "./locale";
import { sheetsApi } from "./sheets-api";
import { FakeRange, FakeSheet, FakeSpreadsheet, FakeUser, notModeled, spreadsheetApp } from "./spreadsheet";

interface BatchGetOptions {
  ranges: string[];
  valueRenderOption?: string;
  dateTimeRenderOption?: string;
}

/** dist/gas/Code.js of this checkout, found from here whether run from tests/ or bundled into dist/bench/. */
function findCodeJs(): string {
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "dist", "gas", "Code.js");
    dir = dirname(dir);
  }
  throw new Error("package.json not found above " + import.meta.dirname);
}
export const CODE_JS = findCodeJs();

export type AuthMode = "NONE" | "LIMITED" | "FULL";
/** What Google answers a user who may not open the spreadsheet, and so may not run its script. */
export const NO_ACCESS_MESSAGE = "You do not have permission to access the requested document.";
export const EMAIL_SCOPE = "https://www.googleapis.com/auth/userinfo.email";
export const SCRIPTAPP_SCOPE = "https://www.googleapis.com/auth/script.scriptapp";

export class CallLog {
  counts = new Map<string, number>();
  total = 0;
  /** The largest request body sent to an advanced service, in bytes of JSON: Google recommends at most 2 MB for the Sheets API. */
  largestRequest = 0;
  /** The largest body by call ("Sheets.Spreadsheets.batchUpdate"), for the bench's table per action. */
  largestBy = new Map<string, number>();
  hit(name: string) {
    this.total++;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  reset() {
    this.counts.clear();
    this.total = 0;
    this.largestRequest = 0;
    this.largestBy.clear();
  }
  count(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.counts) if (k.startsWith(prefix)) n += v;
    return n;
  }
}

/** The REST name of a call in Google's error text: "Sheets.Spreadsheets.Values.append" → "sheets.spreadsheets.values.append". */
const apiName = (label: string) => label.toLowerCase();

export class FakeMenu {
  items: ({ label: string; fn: string } | "---" | FakeMenu)[] = [];
  constructor(
    readonly env: FakeEnv,
    readonly name: string,
  ) {}
  addItem(label: string, fn: string) {
    this.items.push({ label, fn });
    return this;
  }
  addSeparator() {
    this.items.push("---");
    return this;
  }
  addSubMenu(m: FakeMenu) {
    this.items.push(m);
    return this;
  }
  addToUi() {
    this.env.ui.menus = this.env.ui.menus.filter((m) => m.name !== this.name);
    this.env.ui.menus.push(this);
  }
}

export class FakeUi {
  menus: FakeMenu[] = [];
  alerts: { title?: string; message: string }[] = [];
  dialogs: { title: string; html: string }[] = [];
  /** Answers the next alert/prompt gives, in order; OK / YES when none is queued. */
  answers: (string | { button: string; text: string })[] = [];
  readonly Button = { OK: "OK", CANCEL: "CANCEL", YES: "YES", NO: "NO", CLOSE: "CLOSE" };
  readonly ButtonSet = { OK: "OK", OK_CANCEL: "OK_CANCEL", YES_NO: "YES_NO", YES_NO_CANCEL: "YES_NO_CANCEL" };
  constructor(readonly env: FakeEnv) {}
  createMenu(name: string) {
    return new FakeMenu(this.env, name);
  }
  createAddonMenu() {
    return new FakeMenu(this.env, "Tiện ích");
  }
  alert(a: string, b?: string, buttons?: string) {
    const message = b === undefined ? a : b;
    this.alerts.push({ title: b === undefined ? undefined : a, message });
    const next = this.answers.shift();
    if (typeof next === "string") return next;
    return buttons === "YES_NO" || buttons === "YES_NO_CANCEL" ? "YES" : "OK";
  }
  prompt(a: string, b?: string) {
    this.alerts.push({ title: b === undefined ? undefined : a, message: b ?? a });
    const next = this.answers.shift();
    const answer = typeof next === "object" ? next : { button: next ?? "OK", text: "" };
    return { getResponseText: () => answer.text, getSelectedButton: () => answer.button };
  }
  showModalDialog(html: string | { getContent(): string }, title: string) {
    this.dialogs.push({ title, html: typeof html === "string" ? html : html.getContent() });
  }
  showModelessDialog(html: string | { getContent(): string }, title: string) {
    this.showModalDialog(html, title);
  }
}

/** Limits of the Properties service; a test may lower them. */
export interface PropertyLimits {
  valueBytes: number;
  storeBytes: number;
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

class FakeProperties implements GoogleAppsScript.Properties.Properties {
  store = new Map<string, string>();
  constructor(readonly limits: PropertyLimits) {}
  getProperty(k: string) {
    return this.store.get(k) ?? null;
  }
  getProperties() {
    return Object.fromEntries(this.store);
  }
  getKeys() {
    return [...this.store.keys()];
  }
  setProperty(k: string, v: string) {
    return this.setProperties({ [k]: v });
  }
  setProperties(props: Record<string, string>, deleteAllOthers = false) {
    // 9 KB per value, 500 KB per store: https://developers.google.com/apps-script/guides/services/quotas ; counted in UTF-8 bytes, key and value together (measured by the community, UNCONFIRMED).
    for (const [k, v] of Object.entries(props))
      if (bytes(k) + bytes(String(v)) > this.limits.valueBytes) throw new Error("Argument too large: value");
    const next = new Map(deleteAllOthers ? [] : this.store);
    for (const [k, v] of Object.entries(props)) next.set(k, String(v));
    const size = [...next].reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);
    if (size > this.limits.storeBytes)
      throw new Error("You have exceeded the property storage quota. Please remove some properties and try again.");
    this.store = next;
    return this;
  }
  deleteProperty(k: string) {
    this.store.delete(k);
    return this;
  }
  deleteAllProperties() {
    this.store.clear();
    return this;
  }
}

/**
 * The document lock, shared by every execution. A lock is taken only by
 * tryLock/waitLock and released when its execution ends:
 * https://developers.google.com/apps-script/reference/lock/lock
 */
class FakeLock implements GoogleAppsScript.Lock.Lock {
  /** The execution holding the lock, or null. */
  holder: number | null = null;
  constructor(readonly env: FakeEnv) {}
  tryLock(_ms: number) {
    if (this.holder !== null && this.holder !== this.env.execution) return false;
    this.holder = this.env.execution;
    return true;
  }
  waitLock(ms: number) {
    // The text is from community code: https://developers.google.com/apps-script/reference/lock/lock#waitlocktimeoutinmillis
    if (!this.tryLock(ms)) throw new Error("Lock timeout: another process was holding the lock for too long.");
  }
  releaseLock() {
    if (this.holder === this.env.execution) this.holder = null;
  }
  hasLock() {
    return this.holder === this.env.execution;
  }
}

export interface Trigger {
  handler: string;
  event: string;
  owner: string;
  id: string;
  /** The spreadsheet an edit trigger was made for; a time-driven trigger has none. */
  source?: string;
}

/** Execution time limits: 6 minutes, 30 seconds for a simple trigger (https://developers.google.com/apps-script/guides/services/quotas); each service call costs msPerCall of virtual time. */
export interface TimeBudget {
  msPerCall: number;
  limitMs: number;
  simpleTriggerLimitMs: number;
}

/** A failure Google gives instead of an answer: a status, and whether the write happened all the same. */
export interface InjectedFailure {
  status: 429 | 500 | 503 | 504;
  /** The write was applied but its answer lost (a 500/503 after the fact): a retry must not write it twice. */
  landed?: boolean;
}

/**
 * Google's per-minute write quotas, off unless a test switches them on: the
 * Sheets API allows 60 write requests per minute per user per project
 * (https://developers.google.com/workspace/sheets/api/limits), the Docs API
 * likewise (https://developers.google.com/workspace/docs/api/limits).
 */
export interface Quotas {
  on: boolean;
  writesPerMinute: number;
}

/** Google's answers as an advanced service throws them: "API call to … failed with error: …". */
const FAILURE_TEXT: Record<InjectedFailure["status"], string> = {
  // The text of the quota answer is Google's as reported by users (UNCONFIRMED beyond the quota names on the limits page).
  429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
  500: "Internal error encountered.",
  503: "The service is currently unavailable.",
  // A gateway's timeout, which the product does not retry (not among #20's 429/500/503); the text is gRPC's
  // DEADLINE_EXCEEDED as Google APIs word it (UNCONFIRMED for the Sheets API).
  504: "Deadline expired before operation could complete.",
};

/** Calls that write, by service: what the write quota counts (https://developers.google.com/workspace/sheets/api/limits: "calls to any method that changes a spreadsheet"). */
/** A trigger as ScriptApp lists it. */
const listed = (t: Trigger) => ({
  getHandlerFunction: () => t.handler,
  getEventType: () => t.event,
  getUniqueId: () => t.id,
});

const WRITES = new Set([
  "Sheets.Spreadsheets.batchUpdate",
  "Sheets.Spreadsheets.Values.append",
  "Sheets.Spreadsheets.Values.update",
  "Sheets.Spreadsheets.Values.batchUpdate",
  "Docs.Documents.batchUpdate",
]);

/**
 * Google refuses a request body over 10.485.760 bytes ("Request payload size exceeds the limit: 10485760 bytes."),
 * reported by users, not documented (UNCONFIRMED, community): https://github.com/googleworkspace/dotnet-samples/issues/23
 */
export const PAYLOAD_LIMIT_BYTES = 10_485_760;

function pad(n: number, w = 2) {
  return String(n).padStart(w, "0");
}

export interface EnvOptions {
  owner: string;
  editors: string[];
  activeUser?: string;
  /** Domain of the owner: the same-domain rules of protections and of getActiveUser. */
  domain?: string;
}

/** The simple triggers Sheets calls by name. */
const SIMPLE_TRIGGERS = new Set(["onOpen", "onEdit", "onInstall", "onSelectionChange"]);

export class FakeEnv {
  log = new CallLog();
  spreadsheet: FakeSpreadsheet;
  ui: FakeUi;
  limits: PropertyLimits = { valueBytes: 9 * 1024, storeBytes: 500 * 1024 };
  properties = new FakeProperties(this.limits);
  lock: FakeLock;
  /** The running execution (0 outside any run); the lock and the clock belong to it. */
  execution = 0;
  private executions = 0;
  time: TimeBudget = { msPerCall: 20, limitMs: 6 * 60_000, simpleTriggerLimitMs: 30_000 };
  private elapsedMs = 0;
  /** When the next executions start on the virtual clock (ms since 1970); the real time when unset. */
  startAt: number | undefined;
  private runStartMs = 0;
  quotas: Quotas = { on: false, writesPerMinute: 60 };
  /** Every write request that counted against the quota: by whom, when (virtual ms). */
  writes: { user: string; at: number; call: string }[] = [];
  /** Failures to give, in order, on the next calls of each label ("Sheets.Spreadsheets.batchUpdate"); null answers. */
  failures = new Map<string, (InjectedFailure | null)[]>();
  /** How many times each failure was given, by label. */
  failed = new Map<string, number>();
  private limitMs = Number.POSITIVE_INFINITY;
  /** Users whose e-mail Google hides from the script (another domain's policy, a declined scope). */
  hiddenEmails = new Set<string>();
  triggers: Trigger[] = [];
  /** Scopes each user declined under granular consent (https://workspaceupdates.googleblog.com/2025/01/granular-oauth-consent-in-google-apps-script.html): their services fail, their e-mail reads "". */
  declinedScopes = new Map<string, Set<string>>();
  /** NONE for a script bound to the spreadsheet; an add-on's source otherwise. */
  installationSource: "NONE" | "APPS_MARKETPLACE_DOMAIN_ADD_ON" | "WEB_STORE_ADD_ON" = "NONE";
  activeUser: string;
  authMode: AuthMode = "FULL";
  /** Who the code runs as: the active user, or the trigger's owner for installable triggers. */
  runAs: string | null = null;
  readonly domain: string;
  drive: FakeDrive;
  private proxies = new WeakMap<object, any>();
  private raw = new WeakMap<object, object>();
  private code: string;

  constructor(opts: EnvOptions) {
    this.activeUser = (opts.activeUser ?? opts.owner).toLowerCase();
    this.domain = opts.domain ?? opts.owner.split("@")[1]!;
    this.spreadsheet = new FakeSpreadsheet(this, opts.owner.toLowerCase(), opts.editors);
    this.ui = new FakeUi(this);
    this.lock = new FakeLock(this);
    this.drive = new FakeDrive(this);
    this.drive.register(
      this.spreadsheet.id,
      "Thi đua cụm",
      "application/vnd.google-apps.spreadsheet",
      this.drive.folder,
    );
    this.code = readFileSync(CODE_JS, "utf8");
  }

  actingUser(): string {
    return this.runAs ?? this.activeUser;
  }
  /** Another execution holds the document lock (true) or nobody does (false). */
  set lockHeldElsewhere(held: boolean) {
    this.lock.holder = held ? -1 : null;
  }
  get lockHeldElsewhere(): boolean {
    return this.lock.holder === -1;
  }
  /** The clock of the fake: when the execution started plus the virtual time it spent (calls and sleeps). */
  now(): Date {
    return new Date((this.execution ? this.runStartMs : (this.startAt ?? Date.now())) + this.elapsedMs);
  }
  /** Makes the next calls of label fail as Google would, in order; a null lets that call through. */
  fail(label: string, ...failures: (InjectedFailure | null)[]): void {
    this.failures.set(label, [...(this.failures.get(label) ?? []), ...failures]);
  }
  /**
   * Utilities.sleep: the execution's clock moves on, counting towards its
   * time limit; at most 5 minutes a call
   * (https://developers.google.com/apps-script/reference/utilities/utilities#sleepmilliseconds).
   */
  sleep(ms: number): void {
    if (!(ms >= 0) || ms > 300_000) throw new Error(`Invalid argument: milliseconds (${ms})`);
    this.elapsedMs += ms;
    if (this.elapsedMs > this.limitMs) throw new Error("Exceeded maximum execution time");
  }
  /**
   * Google's answer to an advanced-service call before it is made: an
   * injected failure, or 429 when the user passed the per-minute write
   * quota. Returns what to do after the call (a failure that landed).
   */
  private gate(label: string, call: string): (() => void) | undefined {
    const queued = this.failures.get(label);
    const injected = queued?.shift();
    const error = (status: InjectedFailure["status"]) =>
      new Error(`GoogleJsonResponseException: API call to ${call} failed with error: ${FAILURE_TEXT[status]}`);
    if (injected) {
      this.failed.set(label, (this.failed.get(label) ?? 0) + 1);
      if (!injected.landed) throw error(injected.status);
      return () => {
        throw error(injected.status);
      };
    }
    if (!WRITES.has(label)) return undefined;
    const user = this.actingUser();
    const at = this.now().getTime();
    if (this.quotas.on) {
      const service = label.split(".")[0];
      const recent = this.writes.filter(
        (w) => w.user === user && w.call.split(".")[0] === service && w.at > at - 60_000 && w.at <= at,
      ).length;
      if (recent >= this.quotas.writesPerMinute) {
        this.failed.set(label, (this.failed.get(label) ?? 0) + 1);
        throw error(429);
      }
    }
    this.writes.push({ user, at, call: label });
    return undefined;
  }
  /** A personal Google account rather than a Workspace domain. */
  consumerAccount(email: string): boolean {
    return email.endsWith("@gmail.com");
  }
  /**
   * The e-mail getActiveUser gives: blank where the script runs without the
   * user's authorization (simple triggers) unless the user shares the
   * script's domain, and blank for users whose e-mail is hidden:
   * https://developers.google.com/apps-script/reference/base/session#getactiveuser
   */
  visibleEmail(email: string): string {
    // A declined e-mail scope under granular consent hides it too: https://workspaceupdates.googleblog.com/2025/01/granular-oauth-consent-in-google-apps-script.html
    if (this.hiddenEmails.has(email) || this.declined(email, EMAIL_SCOPE)) return "";
    return this.authMode === "FULL" || (this.sameDomain(email) && !this.consumerAccount(email)) ? email : "";
  }
  private interleaved = new Map<string, () => void>();
  /**
   * Runs fn — another execution, as a second user would start it — the next
   * time the running code makes the call named label ("Range.setValues"):
   * two executions overlapping, made deterministic.
   */
  interleave(label: string, fn: () => void): void {
    this.interleaved.set(label, fn);
  }
  cut(label: string): void {
    const fn = this.interleaved.get(label);
    if (!fn) return;
    this.interleaved.delete(label);
    fn();
  }
  /** Advances the execution's clock by one service call; past the limit the run ends as Apps Script ends it. */
  tick(): void {
    this.elapsedMs += this.time.msPerCall;
    if (this.elapsedMs > this.limitMs) throw new Error("Exceeded maximum execution time");
  }
  sameDomain(email: string): boolean {
    return email.endsWith("@" + this.domain);
  }
  assertEditor(): void {
    const u = this.actingUser();
    if (u !== this.spreadsheet.owner && !this.spreadsheet.editors.has(u)) throw new Error(NO_ACCESS_MESSAGE);
  }
  /** Reading a file needs only view access (a Drive permission with role reader): https://developers.google.com/workspace/drive/api/guides/ref-roles */
  assertReader(): void {
    if (!this.spreadsheet.readers.has(this.actingUser())) this.assertEditor();
  }
  /** Other spreadsheets (those the add-on makes), each seen through an env whose `spreadsheet` is that one. */
  private others = new Map<string, FakeEnv>();
  /**
   * A new spreadsheet owned by the acting user, with the one blank sheet
   * Google gives a new file. Its env shares everything with this one (the
   * user, the clock, the call log) except the spreadsheet.
   */
  addSpreadsheet(name: string, id: string): FakeSpreadsheet {
    const sub = Object.create(this) as FakeEnv;
    const ss = new FakeSpreadsheet(sub, this.actingUser(), [], id);
    ss.name = name;
    ss.locale = "vi_VN";
    Object.defineProperty(sub, "spreadsheet", { value: ss });
    this.others.set(id, sub);
    return ss;
  }
  /** The env of the spreadsheet with this id; Google's "not found" for one that does not exist. */
  spreadsheetEnv(id: string): FakeEnv {
    if (id === this.spreadsheet.id) return this;
    const other = this.others.get(id);
    if (!other) throw new Error("Requested entity was not found.");
    return other;
  }
  /** A spreadsheet the add-on made, by id, for tests to look into. */
  otherSpreadsheet(id: string): FakeSpreadsheet {
    return this.spreadsheetEnv(id).spreadsheet;
  }
  get otherSpreadsheets(): FakeSpreadsheet[] {
    return [...this.others.values()].map((e) => e.spreadsheet);
  }
  sheet(name: string): FakeSheet {
    const s = this.spreadsheet.sheets.find((x) => x.name === name);
    if (!s) throw new Error(`no sheet ${name}`);
    return s;
  }

  private requireAuth(service: string): void {
    if (this.authMode !== "FULL")
      throw new Error(
        `You do not have permission to call ${service}. Required permissions: https://www.googleapis.com/auth/spreadsheets`,
      );
  }

  /** Wraps a fake object so that every method call is counted, and results are wrapped too. */
  counted<T>(obj: T, name: string): T {
    if (obj === null || typeof obj !== "object") return obj;
    if (Array.isArray(obj)) return obj.map((x) => this.counted(x, name)) as T;
    if (!(obj.constructor && obj.constructor.name.startsWith("Fake")) && name !== "global") return obj;
    const cached = this.proxies.get(obj as object);
    if (cached) return cached;
    const proxy = new Proxy(obj as object, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function" || typeof prop === "symbol") return value;
        const label = `${name === "global" ? "" : name + "."}${String(prop)}`;
        return (...args: unknown[]) => {
          this.tick();
          this.log.hit(label);
          this.cut(label);
          const result = value.apply(
            target,
            args.map((a) => this.unwrap(a)),
          );
          return this.counted(result, result?.constructor?.name?.replace(/^Fake/, "") ?? name);
        };
      },
    });
    this.proxies.set(obj as object, proxy);
    this.raw.set(proxy, obj as object);
    return proxy as T;
  }
  unwrap(a: unknown): unknown {
    if (a && typeof a === "object") {
      if (Array.isArray(a)) return a.map((x) => this.unwrap(x));
      return this.raw.get(a) ?? a;
    }
    return a;
  }

  globals(): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the service proxies below need the env, not their own `this`
    const env = this;
    const service = (name: string, obj: object, authNeeded = false) =>
      new Proxy(obj, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value !== "function" || typeof prop === "symbol") return value;
          return (...args: unknown[]) => {
            // Whether it needs authorization is UNCONFIRMED; the product falls back safely when it does.
            const free = name === "ScriptApp" && prop === "getInstallationSource" && env.authMode !== "NONE";
            if (authNeeded && !free) env.requireAuth(`${name}.${String(prop)}`);
            if (env.authMode === "NONE" && name !== "SpreadsheetApp.getUi") {
              if (!(name === "SpreadsheetApp" && prop === "getUi"))
                throw new Error(`You do not have permission to call ${name}.${String(prop)}`);
            }
            env.tick();
            env.log.hit(`${name}.${String(prop)}`);
            env.cut(`${name}.${String(prop)}`);
            const result = value.apply(
              target,
              args.map((a) => env.unwrap(a)),
            );
            return env.counted(result, result?.constructor?.name?.replace(/^Fake/, "") ?? name);
          };
        },
      });
    const ssApp = spreadsheetApp(this);
    return {
      SpreadsheetApp: service("SpreadsheetApp", ssApp),
      PropertiesService: service("PropertiesService", {
        getDocumentProperties: () => env.properties,
        getScriptProperties: () => env.properties,
        // Per user: https://developers.google.com/apps-script/guides/properties
        getUserProperties: () => env.userProperties(env.actingUser()),
      }),
      LockService: service("LockService", { getDocumentLock: () => env.lock, getScriptLock: () => env.lock }),
      Session: service("Session", {
        getActiveUser: () => new FakeUser(env.visibleEmail(env.activeUser)),
        getEffectiveUser: () => new FakeUser(env.actingUser()),
        getScriptTimeZone: () => "Asia/Ho_Chi_Minh",
      }),
      Utilities: service("Utilities", {
        formatDate: (d: Date, _tz: string, pattern: string) => {
          const v = new Date(d.getTime() + 7 * 3600_000);
          return pattern
            .replace("yyyy", String(v.getUTCFullYear()))
            .replace("MM", pad(v.getUTCMonth() + 1))
            .replace("dd", pad(v.getUTCDate()))
            .replace("HH", pad(v.getUTCHours()))
            .replace("mm", pad(v.getUTCMinutes()))
            .replace("ss", pad(v.getUTCSeconds()));
        },
        computeDigest: (_alg: string, value: string) =>
          [...createHash("sha256").update(value, "utf8").digest()].map((b) => (b > 127 ? b - 256 : b)),
        DigestAlgorithm: { SHA_256: "SHA_256" },
        Charset: { UTF_8: "UTF_8" },
        sleep: (ms: number) => env.sleep(ms),
      }),
      ScriptApp: service(
        "ScriptApp",
        {
          ...this.scopeChecks(),
          AuthMode: { NONE: "NONE", LIMITED: "LIMITED", FULL: "FULL" },
          EventType: { ON_EDIT: "ON_EDIT" },
          // Only the triggers the current user created are listed: https://developers.google.com/apps-script/reference/script/script-app#getprojecttriggers
          getProjectTriggers: () => env.ownTriggers().map(listed),
          // The user's triggers of this script for one spreadsheet only: https://developers.google.com/apps-script/reference/script/script-app#getusertriggersspreadsheet
          getUserTriggers: (ss: { id?: string }) =>
            env
              .ownTriggers()
              .filter((t) => t.source !== undefined && t.source === ss.id)
              .map(listed),
          deleteTrigger: (trigger: { getUniqueId(): string }) => {
            const t = env.triggers.find((x) => x.id === trigger.getUniqueId());
            // A user can delete only the triggers they created: https://developers.google.com/apps-script/guides/triggers/installable
            if (!t || t.owner !== env.actingUser()) throw new Error("Trigger not found.");
            env.triggers = env.triggers.filter((x) => x !== t);
          },
          newTrigger: (handler: string) => (
            env.requireScope(SCRIPTAPP_SCOPE, "ScriptApp.newTrigger"),
            {
              forSpreadsheet: (ss: { id?: string }) => ({
                onEdit: () => ({
                  create: () => env.addTrigger(handler, "ON_EDIT", ss.id),
                }),
              }),
              timeBased: () => ({
                everyMinutes: (n: number) => {
                  if (![1, 5, 10, 15, 30].includes(n))
                    throw new Error("The value passed to everyMinutes must be 1, 5, 10, 15 or 30.");
                  return {
                    create: () => env.addTrigger(handler, `CLOCK_${n}MIN`),
                  };
                },
              }),
            }
          ),
        },
        true,
      ),
      Sheets: service(
        "Sheets",
        {
          Spreadsheets: {
            Values: this.countedApi("Sheets.Spreadsheets.Values", {
              batchGet: (id: string, opts: BatchGetOptions) => env.spreadsheetEnv(id).batchGet(id, opts),
              append: (
                resource: { values: unknown[][] },
                id: string,
                range: string,
                opts: { valueInputOption: string; insertDataOption?: string },
              ) => env.spreadsheetEnv(id).append(resource.values, id, range, opts),
              batchUpdate: (
                resource: { valueInputOption?: string; data?: { range: string; values?: unknown[][] }[] },
                id: string,
              ) => env.spreadsheetEnv(id).valuesBatchUpdate(resource, id),
            }),
            ...this.countedApi("Sheets.Spreadsheets", {
              get: (id: string, opts?: { fields?: string }) => sheetsApi(env.spreadsheetEnv(id)).get(id, opts),
              batchUpdate: (resource: { requests?: GoogleAppsScript.Sheets.Schema.Request[] }, id: string) =>
                sheetsApi(env.spreadsheetEnv(id)).batchUpdate(resource, id),
            }),
          },
        },
        true,
      ),
      Docs: { Documents: this.countedApi("Docs.Documents", this.drive.docsService().Documents) },
      Drive: {
        Files: this.countedApi("Drive.Files", this.drive.driveService().Files),
        Permissions: this.countedApi("Drive.Permissions", this.drive.driveService().Permissions),
      },
      DocumentApp: service("DocumentApp", this.drive.documentApp(), true),
      DriveApp: service("DriveApp", this.drive.driveApp(), true),
      HtmlService: service("HtmlService", {
        createHtmlOutput: (html = "") => {
          let content = html;
          const out = {
            setWidth: () => out,
            setHeight: () => out,
            setTitle: () => out,
            getContent: () => content,
            append: (s: string) => ((content += s), out),
          };
          return out;
        },
      }),
      Logger: { log: () => undefined },
      console: { log: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined },
    };
  }

  /** Nested advanced-service methods, counted like the services' own (the proxy sees only the top level). */
  countedApi<T extends Record<string, (...a: never[]) => unknown>>(name: string, api: T): T {
    const out: Record<string, unknown> = {};
    for (const [k, fn] of Object.entries(api))
      out[k] = (...args: never[]) => {
        const label = `${name}.${k}`;
        this.requireAuthFor(label);
        this.tick();
        this.log.hit(label);
        if (k === "batchUpdate" || k === "append" || k === "update") {
          const bytes = Buffer.byteLength(JSON.stringify(args[0]), "utf8");
          this.log.largestRequest = Math.max(this.log.largestRequest, bytes);
          this.log.largestBy.set(label, Math.max(this.log.largestBy.get(label) ?? 0, bytes));
          if (bytes > PAYLOAD_LIMIT_BYTES)
            throw new Error(
              `GoogleJsonResponseException: API call to ${label} failed with error: Request payload size exceeds the limit: ${PAYLOAD_LIMIT_BYTES} bytes.`,
            );
        }
        this.cut(label);
        const after = this.gate(label, apiName(label));
        const result = fn(...args);
        after?.();
        return result;
      };
    return out as T;
  }
  requireAuthFor(call: string): void {
    this.requireAuth(call);
  }

  private users = new Map<string, FakeProperties>();
  userProperties(user: string): FakeProperties {
    let p = this.users.get(user);
    if (!p) this.users.set(user, (p = new FakeProperties(this.limits)));
    return p;
  }

  /** An installable trigger, keyed by its creator: https://developers.google.com/apps-script/guides/triggers/installable */
  addTrigger(handler: string, event: string, source?: string): { getUniqueId(): string } {
    // 20 triggers per user per script: https://developers.google.com/apps-script/guides/services/quotas
    if (this.triggers.filter((t) => t.owner === this.actingUser()).length >= 20)
      throw new Error(
        "This script has too many triggers. Triggers must be deleted from the script before more can be added.",
      );
    const id = `trigger-${this.triggers.length + 1}-${handler}`;
    this.triggers.push({ handler, event, owner: this.actingUser(), id, source });
    return { getUniqueId: () => id };
  }

  /**
   * Fires every installable trigger of a handler as Google does: once per
   * trigger, each running as its creator in FULL mode, with triggerUid in
   * the event. Returns how many ran.
   */
  fireTriggers(handler: string, event?: Record<string, unknown>, as = this.activeUser): number {
    const mine = this.triggers.filter((t) => t.handler === handler);
    for (const t of mine)
      this.run(handler, {
        as,
        runAs: t.owner,
        event: event ? { ...event, triggerUid: t.id } : { triggerUid: t.id, authMode: "FULL" },
      });
    return mine.length;
  }

  declined(user: string, scope: string): boolean {
    return this.declinedScopes.get(user)?.has(scope) ?? false;
  }

  /** Triggers are per user: a user lists only the ones they created (https://developers.google.com/apps-script/reference/script/script-app#getprojecttriggers). */
  ownTriggers(): Trigger[] {
    this.requireScope(SCRIPTAPP_SCOPE, "ScriptApp.getProjectTriggers");
    return this.triggers.filter((t) => t.owner === this.actingUser());
  }

  requireScope(scope: string, call: string): void {
    if (this.declined(this.activeUser, scope))
      throw new Error(`Specified permissions are not sufficient to call ${call}. Required permissions: ${scope}`);
  }

  /** ScriptApp's granular-consent calls (https://developers.google.com/apps-script/reference/script/script-app#requirescopesauthmode,-oauthscopes): requireScopes ends the run with Google's prompt when one is missing. */
  private scopeChecks() {
    return {
      InstallationSource: {
        APPS_MARKETPLACE_DOMAIN_ADD_ON: "APPS_MARKETPLACE_DOMAIN_ADD_ON",
        NONE: "NONE",
        WEB_STORE_ADD_ON: "WEB_STORE_ADD_ON",
      },
      getInstallationSource: () => this.installationSource,
      requireScopes: (_mode: string, scopes: string[]) => {
        const missing = scopes.filter((s) => this.declined(this.activeUser, s));
        if (missing.length)
          throw new Error(`Authorization is required to perform that action. (${missing.join(", ")})`);
      },
    };
  }

  /** Sheets advanced service: values of several A1 ranges in one request, trailing blanks dropped as the API does. */
  private batchGet(id: string, opts: BatchGetOptions) {
    if (id !== this.spreadsheet.id) throw new Error("Requested entity was not found.");
    this.assertReader();
    // Only unformatted values are modelled; dates follow dateTimeRenderOption, SERIAL_NUMBER by default: https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption
    if (opts.valueRenderOption !== "UNFORMATTED_VALUE")
      notModeled(`batchGet with valueRenderOption ${opts.valueRenderOption}`);
    const dates = opts.dateTimeRenderOption ?? "SERIAL_NUMBER";
    const ranges = opts.ranges;
    return {
      spreadsheetId: id,
      valueRanges: ranges.map((a1) => {
        const m = /^'((?:[^']|'')+)'!(.+)$/.exec(a1) ?? /^([^!]+)!(.+)$/.exec(a1);
        const sheet = m ? this.spreadsheet.sheets.find((s) => s.name === m[1]!.replace(/''/g, "'")) : undefined;
        if (!sheet) throw new Error(`Unable to parse range: ${a1}`);
        const range = sheet.getRange(m![2]!);
        const values = (range.getValues() as unknown[][]).map((r) =>
          r.map((v) =>
            v instanceof Date
              ? dates === "SERIAL_NUMBER"
                ? serialNumber(v)
                : formattedDate(v, this.spreadsheet.locale)
              : v,
          ),
        );
        const trimmed = values.map((r) => {
          let end = r.length;
          while (end > 0 && (r[end - 1] === "" || r[end - 1] === null)) end--;
          return r.slice(0, end);
        });
        let last = trimmed.length;
        while (last > 0 && trimmed[last - 1]!.length === 0) last--;
        return { range: a1, majorDimension: "ROWS", ...(last ? { values: trimmed.slice(0, last) } : {}) };
      }),
    };
  }

  /**
   * Sheets API values.append: the rows go after the table's last row in one
   * step on Google's side, so two writers never take the same row. RAW
   * stores strings as they are: no formula, no parsing (ValueInputOption).
   */
  append(
    values: unknown[][],
    id: string,
    range: string,
    opts: { valueInputOption: string; insertDataOption?: string },
  ) {
    if (id !== this.spreadsheet.id) throw new Error("Requested entity was not found.");
    this.assertEditor();
    if (opts.valueInputOption !== "RAW") throw new Error("This fake models values.append with RAW input only.");
    const m = /^'((?:[^']|'')+)'!/.exec(range) ?? /^([^!]+)!/.exec(range);
    const sheet = m ? this.spreadsheet.sheets.find((s) => s.name === m[1]!.replace(/''/g, "'")) : undefined;
    if (!sheet) throw new Error(`Unable to parse range: ${range}`);
    const start = sheet.lastRowRaw() + 1;
    const width = Math.max(...values.map((r) => r.length));
    sheet.assertCanEdit(start, 1, values.length, width);
    if (start + values.length - 1 > sheet.maxRows) sheet.maxRows = start + values.length - 1;
    values.forEach((row, i) => row.forEach((v, j) => (sheet.cell(start + i, j + 1, true).v = v)));
    return { spreadsheetId: id, updates: { updatedRows: values.length } };
  }

  /**
   * Sheets API values.batchUpdate
   * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate), RAW
   * input only: a value is stored as given, never parsed; null skips a cell and "" empties it
   * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange). Each
   * range must be a whole A1 rectangle inside the grid, holding its values. Ranges are applied one by one: that
   * Google applies the call whole is not documented, so a refused range leaves the earlier ones written (strict).
   */
  valuesBatchUpdate(
    resource: { valueInputOption?: string; data?: { range: string; values?: unknown[][] }[] },
    id: string,
  ) {
    if (id !== this.spreadsheet.id) throw new Error("Requested entity was not found.");
    this.assertEditor();
    const fail = (why: string) =>
      new Error(
        `GoogleJsonResponseException: API call to sheets.spreadsheets.values.batchUpdate failed with error: ${why}`,
      );
    if (resource.valueInputOption !== "RAW") throw fail("This fake models values.batchUpdate with RAW input only.");
    const data = resource.data ?? [];
    if (!data.length) throw fail("Must specify at least one range.");
    for (const { range: a1, values = [] } of data) {
      const m = /^'((?:[^']|'')+)'!([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(a1);
      const sheet = m ? this.spreadsheet.sheets.find((s) => s.name === m[1]!.replace(/''/g, "'")) : undefined;
      if (!m || !sheet) throw fail(`Unable to parse range: ${a1}`);
      const col = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
      const row = Number(m[3]);
      const left = col(m[2]!);
      const rows = Number(m[5]) - row + 1;
      const cols = col(m[4]!) - left + 1;
      if (rows < 1 || cols < 1) throw fail(`Unable to parse range: ${a1}`);
      if (row + rows - 1 > sheet.maxRows || left + cols - 1 > sheet.maxCols)
        throw fail(`Range (${a1}) exceeds grid limits. Max rows: ${sheet.maxRows}, max columns: ${sheet.maxCols}`);
      if (values.length > rows || values.some((r) => r.length > cols))
        throw fail(`Requested writing within range [${a1}], but tried writing beyond it.`);
      sheet.assertCanEdit(row, left, rows, cols);
      values.forEach((r, i) =>
        r.forEach((v, j) => {
          if (v === null) return;
          if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")
            throw fail(`Invalid value at [${a1}] row ${i}: ${JSON.stringify(v)}`);
          Object.assign(sheet.cell(row + i, left + j, true), { v, formula: undefined });
        }),
      );
    }
    return { spreadsheetId: id, totalUpdatedCells: data.reduce((n, d) => n + (d.values ?? []).flat().length, 0) };
  }

  /**
   * Runs an entry point of the built Code.js as Apps Script would: a new
   * global scope, the whole file loaded, then the named function called.
   */
  run(
    fn: string,
    opts: { as?: string; auth?: AuthMode; event?: unknown; args?: unknown[]; runAs?: string } = {},
  ): unknown {
    const previous = {
      active: this.activeUser,
      auth: this.authMode,
      runAs: this.runAs,
      execution: this.execution,
      elapsed: this.elapsedMs,
      start: this.runStartMs,
      limit: this.limitMs,
    };
    if (opts.as) this.activeUser = opts.as.toLowerCase();
    this.authMode = opts.auth ?? "FULL";
    this.runAs = opts.runAs?.toLowerCase() ?? null;
    this.execution = ++this.executions;
    this.elapsedMs = 0;
    this.runStartMs = this.startAt ?? Date.now();
    this.limitMs = SIMPLE_TRIGGERS.has(fn) ? this.time.simpleTriggerLimitMs : this.time.limitMs;
    const context = vm.createContext({ ...this.globals() });
    // The script's own clock is the execution's virtual one (calls and sleeps move it on). new Date() stays real,
    // unless the test set the clock (startAt): then every time the script reads is the virtual one.
    const now = () => this.now().getTime();
    (vm.runInContext("Date", context) as DateConstructor).now = now;
    if (this.startAt !== undefined) {
      (context as Record<string, unknown>).virtualNow = now;
      vm.runInContext(
        "Date = (function (Real) { function D(...a) { if (!new.target) return new Real(virtualNow()).toString(); return a.length ? new Real(...a) : new Real(virtualNow()); } D.prototype = Real.prototype; D.now = virtualNow; D.UTC = Real.UTC; D.parse = Real.parse; return D; })(Date);",
        context,
      );
    }
    try {
      // A bound script runs only for users who can edit its file: https://developers.google.com/apps-script/guides/bound
      if (this.runAs === null) this.assertEditor();
      vm.runInContext(this.code, context, { filename: "Code.js" });
      const target = (context as Record<string, unknown>)[fn];
      if (typeof target !== "function") throw new Error(`${fn} is not a top-level function of Code.js`);
      const args = opts.args ?? (opts.event !== undefined ? [this.counted(opts.event, "Event")] : []);
      return (target as (...a: unknown[]) => unknown)(...args);
    } finally {
      // Locks are released when the execution ends: https://developers.google.com/apps-script/reference/lock/lock
      if (this.lock.holder === this.execution) this.lock.holder = null;
      this.activeUser = previous.active;
      this.authMode = previous.auth;
      this.runAs = previous.runAs;
      this.execution = previous.execution;
      this.elapsedMs = previous.elapsed;
      this.runStartMs = previous.start;
      this.limitMs = previous.limit;
    }
  }

  /** An edit event as Sheets passes it to onEdit: the edited range, values, the source. */
  editEvent(sheetName: string, a1: string, oldValue?: unknown, user = this.activeUser): Record<string, unknown> {
    const raw = this.sheet(sheetName).getRange(a1) as unknown as FakeRange;
    // value and oldValue come only with a one-cell edit: https://developers.google.com/apps-script/guides/triggers/events
    const single = raw.getNumRows() === 1 && raw.getNumColumns() === 1;
    const value = single ? raw.getValue() : undefined;
    this.log.reset();
    return {
      range: this.counted(raw, "Range"),
      source: this.counted(this.spreadsheet, "Spreadsheet"),
      value,
      oldValue: single ? oldValue : undefined,
      // e.user of another domain's editor is blank under a simple trigger and UNCONFIRMED under an installable one: blank in both: https://developers.google.com/apps-script/guides/triggers/events
      user: new FakeUser(this.hiddenEmails.has(user) || !this.sameDomain(user) ? "" : user),
      authMode: this.authMode,
    };
  }
}
