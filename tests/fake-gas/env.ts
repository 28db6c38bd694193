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
import { FakeSheet, FakeSpreadsheet, FakeUser, spreadsheetApp } from "./spreadsheet";

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
export const EMAIL_SCOPE = "https://www.googleapis.com/auth/userinfo.email";
export const SCRIPTAPP_SCOPE = "https://www.googleapis.com/auth/script.scriptapp";

export class CallLog {
  counts = new Map<string, number>();
  total = 0;
  hit(name: string) {
    this.total++;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  reset() {
    this.counts.clear();
    this.total = 0;
  }
  count(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.counts) if (k.startsWith(prefix)) n += v;
    return n;
  }
}

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
  showModalDialog(html: any, title: string) {
    this.dialogs.push({ title, html: typeof html?.getContent === "function" ? html.getContent() : String(html) });
  }
  showModelessDialog(html: any, title: string) {
    this.showModalDialog(html, title);
  }
}

class FakeProperties {
  store = new Map<string, string>();
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
    for (const v of Object.values(props)) if (String(v).length > 9 * 1024) throw new Error(`Argument too large: value`);
    if (deleteAllOthers) this.store.clear();
    for (const [k, v] of Object.entries(props)) this.store.set(k, String(v));
    const size = [...this.store].reduce((n, [k, v]) => n + k.length + v.length, 0);
    if (size > 500 * 1024) throw new Error("You have exceeded the property storage quota. Please remove some properties and try again.");
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

class FakeLock {
  held = false;
  constructor(readonly env: FakeEnv) {}
  tryLock(_ms: number) {
    if (this.env.lockHeldElsewhere) return false;
    this.held = true;
    return true;
  }
  waitLock(ms: number) {
    if (!this.tryLock(ms)) throw new Error("Lock timeout: another process was holding the lock for too long.");
  }
  releaseLock() {
    this.held = false;
  }
  hasLock() {
    return this.held;
  }
}

export interface Trigger {
  handler: string;
  event: string;
  owner: string;
}

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

export class FakeEnv {
  log = new CallLog();
  spreadsheet: FakeSpreadsheet;
  ui: FakeUi;
  properties = new FakeProperties();
  lock: FakeLock;
  lockHeldElsewhere = false;
  triggers: Trigger[] = [];
  /** Scopes each user declined under granular consent (PLATFORM §9): their services fail, their e-mail reads "". */
  declinedScopes = new Map<string, Set<string>>();
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
    this.drive.register(this.spreadsheet.id, "Thi đua cụm", "application/vnd.google-apps.spreadsheet", this.drive.folder);
    this.code = readFileSync(CODE_JS, "utf8");
  }

  actingUser(): string {
    return this.runAs ?? this.activeUser;
  }
  sameDomain(email: string): boolean {
    return email.endsWith("@" + this.domain);
  }
  assertEditor(): void {
    const u = this.actingUser();
    if (u !== this.spreadsheet.owner && !this.spreadsheet.editors.has(u)) throw new Error("You do not have permission to access the requested document.");
  }
  sheet(name: string): FakeSheet {
    const s = this.spreadsheet.sheets.find((x) => x.name === name);
    if (!s) throw new Error(`no sheet ${name}`);
    return s;
  }

  private requireAuth(service: string): void {
    if (this.authMode !== "FULL")
      throw new Error(`You do not have permission to call ${service}. Required permissions: https://www.googleapis.com/auth/spreadsheets`);
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
          this.log.hit(label);
          const result = value.apply(target, args.map((a) => this.unwrap(a)));
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
            if (authNeeded) env.requireAuth(`${name}.${String(prop)}`);
            if (env.authMode === "NONE" && name !== "SpreadsheetApp.getUi") {
              if (!(name === "SpreadsheetApp" && prop === "getUi")) throw new Error(`You do not have permission to call ${name}.${String(prop)}`);
            }
            env.log.hit(`${name}.${String(prop)}`);
            const result = value.apply(target, args.map((a) => env.unwrap(a)));
            return env.counted(result, result?.constructor?.name?.replace(/^Fake/, "") ?? name);
          };
        },
      });
    const ssApp = spreadsheetApp(this);
    return {
      SpreadsheetApp: service("SpreadsheetApp", ssApp),
      PropertiesService: service("PropertiesService", { getDocumentProperties: () => env.properties, getScriptProperties: () => env.properties }),
      LockService: service("LockService", { getDocumentLock: () => env.lock, getScriptLock: () => env.lock }),
      Session: service("Session", {
        getActiveUser: () => new FakeUser((env.authMode === "FULL" || env.sameDomain(env.activeUser)) && !env.declined(env.activeUser, EMAIL_SCOPE) ? env.activeUser : ""),
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
        computeDigest: (_alg: string, value: string) => [...createHash("sha256").update(value, "utf8").digest()].map((b) => (b > 127 ? b - 256 : b)),
        DigestAlgorithm: { SHA_256: "SHA_256" },
        Charset: { UTF_8: "UTF_8" },
        sleep: () => undefined,
      }),
      ScriptApp: service(
        "ScriptApp",
        {
          ...this.scopeChecks(),
          AuthMode: { NONE: "NONE", LIMITED: "LIMITED", FULL: "FULL" },
          EventType: { ON_EDIT: "ON_EDIT" },
          getProjectTriggers: () =>
            env.ownTriggers().map((t) => ({ getHandlerFunction: () => t.handler, getEventType: () => t.event, getUniqueId: () => t.handler + t.event })),
          newTrigger: (handler: string) => (env.requireScope(SCRIPTAPP_SCOPE, "ScriptApp.newTrigger"), {
            forSpreadsheet: () => ({
              onEdit: () => ({
                create: () => {
                  env.triggers.push({ handler, event: "ON_EDIT", owner: env.actingUser() });
                  return {};
                },
              }),
            }),
            timeBased: () => ({
              everyMinutes: (n: number) => {
                if (![1, 5, 10, 15, 30].includes(n)) throw new Error("The value passed to everyMinutes must be 1, 5, 10, 15 or 30.");
                return {
                  create: () => {
                    env.triggers.push({ handler, event: `CLOCK_${n}MIN`, owner: env.actingUser() });
                    return {};
                  },
                };
              },
            }),
          }),
        },
        true,
      ),
      Sheets: service(
        "Sheets",
        {
          Spreadsheets: {
            Values: {
              batchGet: (id: string, opts: { ranges: string[] }) => env.batchGet(id, opts.ranges),
            },
          },
        },
        true,
      ),
      Docs: service("Docs", this.drive.docsService(), true),
      DocumentApp: service("DocumentApp", this.drive.documentApp(), true),
      DriveApp: service("DriveApp", this.drive.driveApp(), true),
      HtmlService: service("HtmlService", {
        createHtmlOutput: (html = "") => {
          let content = html;
          const out = { setWidth: () => out, setHeight: () => out, setTitle: () => out, getContent: () => content, append: (s: string) => ((content += s), out) };
          return out;
        },
      }),
      Logger: { log: () => undefined },
      console: { log: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined },
    };
  }

  declined(user: string, scope: string): boolean {
    return this.declinedScopes.get(user)?.has(scope) ?? false;
  }

  /** Triggers are per user: a user lists only the ones they created (PLATFORM §2, ScriptApp.getProjectTriggers). */
  ownTriggers(): Trigger[] {
    this.requireScope(SCRIPTAPP_SCOPE, "ScriptApp.getProjectTriggers");
    return this.triggers.filter((t) => t.owner === this.actingUser());
  }

  requireScope(scope: string, call: string): void {
    if (this.declined(this.activeUser, scope)) throw new Error(`Specified permissions are not sufficient to call ${call}. Required permissions: ${scope}`);
  }

  /** ScriptApp's granular-consent calls (PLATFORM §9): requireScopes ends the run with Google's prompt when one is missing. */
  private scopeChecks() {
    return {
      requireScopes: (_mode: string, scopes: string[]) => {
        const missing = scopes.filter((s) => this.declined(this.activeUser, s));
        if (missing.length) throw new Error(`Authorization is required to perform that action. (${missing.join(", ")})`);
      },
    };
  }

  /** Sheets advanced service: values of several A1 ranges in one request, trailing blanks dropped as the API does. */
  private batchGet(id: string, ranges: string[]) {
    if (id !== this.spreadsheet.id) throw new Error("Requested entity was not found.");
    this.assertEditor();
    return {
      spreadsheetId: id,
      valueRanges: ranges.map((a1) => {
        const m = /^'((?:[^']|'')+)'!(.+)$/.exec(a1) ?? /^([^!]+)!(.+)$/.exec(a1);
        const sheet = m ? this.spreadsheet.sheets.find((s) => s.name === m[1]!.replace(/''/g, "'")) : undefined;
        if (!sheet) throw new Error(`Unable to parse range: ${a1}`);
        const range = sheet.getRange(m![2]!);
        const values = range.getValues() as unknown[][];
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
   * Runs an entry point of the built Code.js as Apps Script would: a new
   * global scope, the whole file loaded, then the named function called.
   */
  run(fn: string, opts: { as?: string; auth?: AuthMode; event?: unknown; args?: unknown[]; runAs?: string } = {}): unknown {
    const previous = { active: this.activeUser, auth: this.authMode, runAs: this.runAs };
    if (opts.as) this.activeUser = opts.as.toLowerCase();
    this.authMode = opts.auth ?? "FULL";
    this.runAs = opts.runAs?.toLowerCase() ?? null;
    const context = vm.createContext({ ...this.globals() });
    try {
      vm.runInContext(this.code, context, { filename: "Code.js" });
      const target = (context as Record<string, unknown>)[fn];
      if (typeof target !== "function") throw new Error(`${fn} is not a top-level function of Code.js`);
      const args = opts.args ?? (opts.event !== undefined ? [this.counted(opts.event, "Event")] : []);
      return (target as (...a: unknown[]) => unknown)(...args);
    } finally {
      this.lock.held = false;
      this.activeUser = previous.active;
      this.authMode = previous.auth;
      this.runAs = previous.runAs;
    }
  }

  /** An edit event as Sheets passes it to onEdit: the edited range, values, the source. */
  editEvent(sheetName: string, a1: string, oldValue?: unknown, user = this.activeUser): Record<string, unknown> {
    const range = this.counted(this.sheet(sheetName).getRange(a1), "Range");
    const single = (range as any).getNumRows() === 1 && (range as any).getNumColumns() === 1;
    this.log.reset();
    return {
      range,
      source: this.counted(this.spreadsheet, "Spreadsheet"),
      value: single ? (range as any).getValue() : undefined,
      oldValue: single ? oldValue : undefined,
      user: new FakeUser(user),
      authMode: this.authMode,
    };
  }
}
