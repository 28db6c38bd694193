/**
 * Every role at every stage of the year doing every action, on the built
 * Code.js against the fake that follows Google's rules. Each cell states the
 * outcome a user must meet: the action done (with its Nhật ký row once the
 * head's trigger has run), a Vietnamese refusal that says who may do it, or
 * Google itself refusing (a protected cell; a file the user cannot open).
 * Whatever the outcome, nothing English reaches the user and a refusal
 * leaves the figures, the year's state and Nhật ký as they were.
 */
import { describe, expect, it } from "vitest";
import { loadDefinition, type ClusterDefinition } from "../../src/core/definition/definition";
import { buildConfigSheet } from "../../src/core/sheets/config-layout";
import { COL, SCHOOL_HEADER_ROW, schoolSheetName } from "../../src/core/sheets/school-layout";
import { rectangular } from "../../src/core/sheets/sheet-spec";
import { cloneEnv } from "../fake-gas/clone";
import { FakeEnv, NO_ACCESS_MESSAGE } from "../fake-gas/env";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { rawDefinition } from "../helpers/samples";
import { CHECKBOX_A1, GOOD, importAs, OWNER, phoneEdit, rowOfCode, statusOf, typeFigures, writeAs } from "./helpers";

/** Quảng Nam's second editor works in another Google domain, whose policy hides the e-mail from scripts. */
const FOREIGN = "vanphong@quangnam-giaoduc.example";
const def: ClusterDefinition = (() => {
  const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: { code: string; editors: string[] }[] };
  raw.schools.find((s) => s.code === "QNA")!.editors.push(FOREIGN);
  return loadDefinition(raw);
})();
const editor = (code: string) => def.schools.find((s) => s.code === code)!.editors[0]!;

const ROLES = ["owner", "head", "deputy", "school", "foreign", "stranger"] as const;
type Role = (typeof ROLES)[number];
const EMAIL: Record<Role, string> = {
  owner: OWNER,
  head: editor("DLK"),
  deputy: editor("KTU"),
  school: editor("GLA"),
  foreign: FOREIGN,
  stranger: "nguoi.la@mien-khac.example",
};
/** The school whose figures each role works on: its own, or Gia Lai for the head school's people. */
const SCHOOL: Record<Role, string> = {
  owner: "GLA",
  head: "GLA",
  deputy: "KTU",
  school: "GLA",
  foreign: "QNA",
  stranger: "GLA",
};
const sheetOf = (code: string) => schoolSheetName(def.schools.find((s) => s.code === code)!);
/** Whose checkbox each role ticks: its own school's, or Kon Tum's for the head school's people (as they confirm it). */
const TICKS: Record<Role, string> = { ...SCHOOL, owner: "KTU", head: "KTU" };
const confirmedOf = (env: FakeEnv) =>
  (JSON.parse(env.properties.getProperty("trang_thai_nam") ?? '{"confirmed":{}}') as { confirmed: object })
    .confirmed as Record<string, unknown>;

const STAGES = ["registration", "pledged", "confirmed", "locked", "unlocked"] as const;
type Stage = (typeof STAGES)[number];

/** Set-up by the owner from a prepared Cấu hình, then every school types its figures. */
function registration(): FakeEnv {
  const env = new FakeEnv({ owner: OWNER, editors: def.schools.flatMap((s) => s.editors), activeUser: OWNER });
  env.hiddenEmails.add(FOREIGN);
  const config = env.spreadsheet.insertSheetRaw("Cấu hình");
  const grid = rectangular(buildConfigSheet(def).grid).map((r) => r.map((v) => (v === null ? "" : v)));
  config.maxCols = Math.max(config.maxCols, grid[0]!.length);
  config.getRange(1, 1, grid.length, grid[0]!.length).setNumberFormat("@").setValues(grid);
  env.run("menuSetup", { as: OWNER });
  for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
  return env;
}

/** Each stage built once from the one before; every test case starts from a copy. */
const built = new Map<Stage, FakeEnv>();
function stage(s: Stage): FakeEnv {
  const have = built.get(s);
  if (have) return cloneEnv(have);
  let env: FakeEnv;
  if (s === "registration") env = registration();
  else {
    env = stage(STAGES[STAGES.indexOf(s) - 1]!);
    if (s === "pledged") env.run("menuSignPledge", { as: EMAIL.head });
    if (s === "confirmed") {
      env.run("menuConfirm", { as: EMAIL.school });
      env.fireTriggers("flushPending");
    }
    if (s === "locked") {
      env.ui.answers.push("YES");
      env.run("menuLockYear", { as: EMAIL.head });
    }
    if (s === "unlocked") {
      env.ui.answers.push({ button: "OK", text: "Sửa số học viên của Gia Lai" });
      env.run("menuUnlock", { as: EMAIL.head });
    }
  }
  built.set(s, env);
  return cloneEnv(env);
}

const phase = (env: FakeEnv) =>
  JSON.parse(env.properties.getProperty("trang_thai_nam") ?? '{"phase":"registration"}').phase as string;
const auditRows = (env: FakeEnv) => env.sheet("Nhật ký").getDataRangeRaw().getValues();

/** What a user would see: alerts, dialog text (markup and scripts left out), toasts, and what a failed call says. */
interface Seen {
  thrown?: string;
  shown: string[];
  result?: unknown;
}
function attempt(env: FakeEnv, fn: () => unknown): Seen {
  const [alerts, dialogs, toasts] = [env.ui.alerts.length, env.ui.dialogs.length, env.spreadsheet.toasts.length];
  const seen: Seen = { shown: [] };
  try {
    seen.result = fn();
  } catch (e) {
    seen.thrown = (e as Error).message;
  }
  const text = (html: string) =>
    html
      .replace(/<(style|script)[\s\S]*?<\/\1>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/&quot;/g, '"');
  seen.shown.push(
    ...env.ui.alerts.slice(alerts).flatMap((a) => (a.title ? [a.title, a.message] : [a.message])),
    ...env.ui.dialogs.slice(dialogs).flatMap((d) => [d.title, text(d.html)]),
    ...env.spreadsheet.toasts.slice(toasts),
  );
  return seen;
}

/** Words that give away an untranslated message: an exception or Google's own English. */
const ENGLISH = /\b(the|you|your|error|exception|permission|protected|cannot|undefined|null|is not|failed)\b/i;

/** A school sheet's figures and labels: the rows under its header (the status block above is the add-on's). */
const figuresOnly = (schools: unknown[][][]) => schools.map((grid) => grid.slice(SCHOOL_HEADER_ROW));

/** Everything a refusal must leave as it was. */
function snapshot(env: FakeEnv): string {
  const schools = def.schools.map((s) => env.sheet(sheetOf(s.code)).getDataRangeRaw().getValues());
  return JSON.stringify({
    schools,
    props: env.properties.getProperties(),
    audit: auditRows(env).length,
    triggers: env.triggers.length,
  });
}

/** "done", Google refusing, a Vietnamese refusal shown to the user, or one written into the school's status block. */
type Outcome = "done" | "google" | RegExp | { block: RegExp };

interface Action {
  name: string;
  /** The Nhật ký action label a done case must leave (after the head's trigger runs), if the action logs. */
  logs?: string;
  run(env: FakeEnv, role: Role): unknown;
  /** What "done" means for this action, beyond no refusal. */
  done(env: FakeEnv, role: Role, seen: Seen): void;
  expected(stage: Stage, role: Role): Outcome;
}

const FIGURE_ROW = (env: FakeEnv, role: Role) => rowOfCode(env, sheetOf(SCHOOL[role]), "LOP");
const isHead = (role: Role) => role === "owner" || role === "head";
const stranger = (role: Role) => role === "stranger";
/** Who Google lets write a school's figures at a stage: protections as the year's state sets them. */
function mayWriteFigures(stage: Stage, role: Role): boolean {
  if (stranger(role)) return false;
  // After the lock only the owner and whoever ran the lock (Google keeps the current user on a protection).
  if (stage === "locked") return isHead(role);
  // Gia Lai confirmed: its own editor may no longer write; the head may.
  return !(role === "school" && (stage === "confirmed" || stage === "unlocked"));
}
const HEAD_ONLY =
  (what: RegExp) =>
  (stage: Stage, role: Role): Outcome =>
    stranger(role) ? "google" : isHead(role) ? "done" : what;

const ACTIONS: Action[] = [
  {
    name: "gõ một số vào Thực hiện",
    logs: "Sửa ô",
    run(env, role) {
      const sheet = sheetOf(SCHOOL[role]);
      const a1 = `F${FIGURE_ROW(env, role)}`;
      writeAs(env, EMAIL[role], sheet, a1, 50);
      // Sheets fires the simple onEdit as the person editing, and the head's installable onEditLog as the head.
      env.run("onEdit", { as: EMAIL[role], auth: "LIMITED", event: env.editEvent(sheet, a1, 42, EMAIL[role]) });
      env.fireTriggers("onEditLog", env.editEvent(sheet, a1, 42, EMAIL[role]), EMAIL[role]);
    },
    done(env, role) {
      const cell = env.sheet(sheetOf(SCHOOL[role])).cell(FIGURE_ROW(env, role), COL.achieved + 1);
      expect([cell.v, cell.note ?? ""]).toEqual([50, ""]);
      expect(auditRows(env).at(-1)!.slice(1, 3)).toEqual([role === "foreign" ? "(không rõ)" : EMAIL[role], "Sửa ô"]);
    },
    expected: (stage, role) => (mayWriteFigures(stage, role) ? "done" : "google"),
  },
  {
    name: "dán Thực hiện và Ghi chú",
    logs: "Dán / điền nhiều ô",
    run(env, role) {
      const sheet = sheetOf(SCHOOL[role]);
      const r = FIGURE_ROW(env, role);
      env.activeUser = EMAIL[role];
      try {
        env
          .sheet(sheet)
          .getRange(`F${r}:G${r}`)
          .setValues([[51, "Lớp 05/06"]]);
      } finally {
        env.activeUser = OWNER;
      }
      env.run("onEdit", {
        as: EMAIL[role],
        auth: "LIMITED",
        event: env.editEvent(sheet, `F${r}:G${r}`, undefined, EMAIL[role]),
      });
      env.fireTriggers("onEditLog", env.editEvent(sheet, `F${r}:G${r}`, undefined, EMAIL[role]), EMAIL[role]);
    },
    done(env, role) {
      const r = FIGURE_ROW(env, role);
      const sheet = env.sheet(sheetOf(SCHOOL[role]));
      expect([sheet.cell(r, COL.achieved + 1).v, sheet.cell(r, COL.note + 1).v]).toEqual([51, "Lớp 05/06"]);
    },
    expected: (stage, role) => (mayWriteFigures(stage, role) ? "done" : "google"),
  },
  {
    name: "Nhập từ Excel",
    logs: "Nhập từ Excel",
    run: (env, role) => importAs(env, EMAIL[role], SCHOOL[role], { LOP: { achieved: 52 } }),
    done(env, role, seen) {
      expect(seen.result).toMatchObject({ changed: 1 });
      expect(env.sheet(sheetOf(SCHOOL[role])).cell(FIGURE_ROW(env, role), COL.achieved + 1).v).toBe(52);
    },
    expected(stage, role) {
      if (stranger(role)) return "google";
      if (role === "foreign")
        return /Tài khoản \(không rõ e-mail\) không được nhập số liệu cho Trường Chính trị tỉnh Quảng Nam/;
      if (stage === "locked")
        return /^Số liệu cuối năm đã khóa; không nhập được\. Cần sửa thì đề nghị trường Cụm trưởng mở khóa \(Thi đua › Mở khóa\)\. Không có gì thay đổi\.$/;
      if (SCHOOL[role] === "GLA" && (stage === "confirmed" || stage === "unlocked"))
        return /^Trường Chính trị tỉnh Gia Lai đã xác nhận số liệu; muốn sửa hãy đề nghị trường Cụm trưởng mở lại\. Không có gì thay đổi\.$/;
      return "done";
    },
  },
  {
    name: "Tải mẫu Excel",
    run(env, role) {
      const context = env.run("getDialogContext", { as: EMAIL[role] }) as { schools: string[]; message?: string };
      if (!context.schools.length) return context.message;
      return env.run("getSchoolFigures", { as: EMAIL[role], args: [SCHOOL[role]] });
    },
    done(_env, role, seen) {
      expect(seen.result).toMatchObject({ school: SCHOOL[role], figures: { school: SCHOOL[role] } });
    },
    expected: (_stage, role) =>
      stranger(role)
        ? "google"
        : role === "foreign"
          ? /không có trong danh sách người nhập liệu của Cụm; hãy nhờ trường Cụm trưởng thêm e-mail/
          : "done",
  },
  {
    name: "Kiểm tra số liệu",
    run: (env, role) => env.run("menuCheck", { as: EMAIL[role] }),
    done: (env) => expect(env.ui.dialogs.at(-1)!.title).toBe("Kiểm tra số liệu"),
    expected: (_stage, role) => (stranger(role) ? "google" : "done"),
  },
  {
    name: "Tổng hợp",
    logs: "Tổng hợp",
    run: (env, role) => env.run("menuTongHop", { as: EMAIL[role] }),
    done: (env) => expect(env.ui.alerts.at(-1)!.title).toBe("Đã tổng hợp"),
    expected: HEAD_ONLY(/^Chỉ trường Cụm trưởng chạy Tổng hợp/),
  },
  {
    name: "Tạo bản giao ước",
    logs: "Tạo bản giao ước",
    run: (env, role) => env.run("menuPledge", { as: EMAIL[role] }),
    done: (env) => expect(env.ui.alerts.at(-1)!.title).toMatch(/^Đã tạo Giao ước thi đua năm 2023 \(bản \d+\)$/),
    expected: HEAD_ONLY(/^Chỉ trường Cụm trưởng lập văn bản của Cụm\./),
  },
  {
    name: "Tạo báo cáo tổng kết",
    logs: "Tạo báo cáo tổng kết",
    run: (env, role) => env.run("menuReport", { as: EMAIL[role] }),
    done: (env) =>
      expect(env.ui.alerts.at(-1)!.title).toMatch(/^Đã tạo Báo cáo tổng kết thi đua năm 2023 \(bản \d+\)$/),
    expected: HEAD_ONLY(/^Chỉ trường Cụm trưởng lập văn bản của Cụm\./),
  },
  {
    name: "Xác nhận số liệu",
    logs: "Xác nhận số liệu",
    run(env, role) {
      // The head's people confirm Kon Tum for it; a school confirms its own figures.
      if (isHead(role)) env.ui.answers.push({ button: "OK", text: "KTU" });
      return env.run("menuConfirm", { as: EMAIL[role] });
    },
    done: (env) =>
      expect(env.ui.alerts.at(-1)!.message).toMatch(
        /^Đã xác nhận số liệu của Trường Chính trị tỉnh (Kon Tum|Gia Lai)\. Mã kiểm tra: [0-9a-f]{12}\./,
      ),
    expected(stage, role) {
      if (stranger(role)) return "google";
      // A user whose e-mail Google hides is told so up front, never asked for a school as the head would be.
      if (role === "foreign") return /^Không xác định được e-mail của tài khoản đang dùng/;
      if (stage === "registration") return /Chưa đến giai đoạn báo cáo/;
      if (stage === "locked") return /đã khóa/;
      if (role === "school" && stage !== "pledged") return /Trường Chính trị tỉnh Gia Lai đã xác nhận số liệu lúc/;
      return "done";
    },
  },
  {
    name: "đánh dấu ô Xác nhận (điện thoại)",
    logs: "Xác nhận số liệu",
    run(env, role) {
      // As on a phone: the box in the block of the school's sheet (the head's people tick Kon Tum's for it).
      phoneEdit(env, EMAIL[role], sheetOf(TICKS[role]), CHECKBOX_A1, true);
    },
    done(env, role) {
      expect(confirmedOf(env)[TICKS[role]]).toBeDefined();
      expect(statusOf(env, sheetOf(TICKS[role])).checked).toBe(true);
    },
    expected(stage, role) {
      if (stranger(role)) return "google";
      // After the lock only the owner and whoever locked may write; a confirmed school's sheet is the head's.
      if (stage === "locked")
        return isHead(role) ? { block: /Số liệu cuối năm đã khóa; không xác nhận thêm được\./ } : "google";
      if (role === "school" && (stage === "confirmed" || stage === "unlocked")) return "google";
      if (role === "foreign") return { block: /Google không cho Thi đua biết e-mail của người vừa đánh dấu/ };
      if (stage === "registration") return { block: /Chưa đến giai đoạn báo cáo kết quả/ };
      return "done";
    },
  },
  {
    name: "Mở lại số liệu của trường",
    logs: "Mở lại số liệu của trường",
    run(env, role) {
      env.ui.answers.push({ button: "OK", text: "GLA" }, { button: "OK", text: "Gia Lai sửa số lớp" });
      return env.run("menuReopenSchool", { as: EMAIL[role] });
    },
    done: (env) =>
      expect(env.ui.alerts.at(-1)!.message).toBe(
        "Đã mở lại số liệu của Trường Chính trị tỉnh Gia Lai. Người nhập liệu của trường sửa được số liệu và cần xác nhận lại.",
      ),
    expected(stage, role) {
      const refusal = HEAD_ONLY(/^Chỉ trường Cụm trưởng mở lại số liệu của một trường\./)(stage, role);
      if (refusal !== "done") return refusal;
      if (stage === "locked") return /đã khóa/;
      return stage === "confirmed" || stage === "unlocked" ? "done" : /chưa xác nhận/;
    },
  },
  {
    name: "Khóa số liệu cuối năm",
    logs: "Khóa số liệu cuối năm",
    run(env, role) {
      env.ui.answers.push("YES");
      return env.run("menuLockYear", { as: EMAIL[role] });
    },
    done: (env) => expect(phase(env)).toBe("locked"),
    expected(stage, role) {
      const refusal = HEAD_ONLY(/^Chỉ trường Cụm trưởng khóa số liệu/)(stage, role);
      if (refusal !== "done") return refusal;
      if (stage === "registration") return /^Chưa đến giai đoạn báo cáo kết quả; chưa có gì để khóa\.$/;
      return stage === "locked" ? /đã khóa/ : "done";
    },
  },
  {
    name: "Mở khóa",
    logs: "Mở khóa số liệu",
    run(env, role) {
      env.ui.answers.push({ button: "OK", text: "Sửa số học viên" });
      return env.run("menuUnlock", { as: EMAIL[role] });
    },
    done: (env) => expect(phase(env)).toBe("reporting"),
    expected(stage, role) {
      const refusal = HEAD_ONLY(/^Chỉ trường Cụm trưởng mở khóa số liệu/)(stage, role);
      if (refusal !== "done") return refusal;
      return stage === "locked" ? "done" : /^Số liệu đang không bị khóa\.$/;
    },
  },
  {
    name: "Kiểm tra toàn vẹn",
    run: (env, role) => env.run("menuIntegrity", { as: EMAIL[role] }),
    done: (env) => expect(env.ui.dialogs.at(-1)!.html).toMatch(/Số liệu khớp hoàn toàn với lúc khóa/),
    // A read-only check: anyone who can open the spreadsheet may run it.
    expected: (stage, role) =>
      stranger(role)
        ? "google"
        : stage === "locked"
          ? "done"
          : /^Số liệu chưa được khóa cuối năm nên chưa có gì để kiểm tra toàn vẹn\./,
  },
  {
    name: "Bình xét: tạo trang Kiểm phiếu",
    logs: "Tạo trang Kiểm phiếu",
    run(env, role) {
      env.ui.answers.push({ button: "OK", text: "20/11/2023" }, { button: "OK", text: EMAIL.deputy });
      return env.run("menuReviewSheet", { as: EMAIL[role] });
    },
    done: (env) => expect(env.spreadsheet.getSheetByName("Kiểm phiếu")).toBeTruthy(),
    expected(stage, role) {
      const refusal = HEAD_ONLY(/^Chỉ trường Cụm trưởng tổ chức bình xét/)(stage, role);
      if (refusal !== "done") return refusal;
      return stage === "locked" ? "done" : /^Bình xét dựa trên số liệu đã khóa/;
    },
  },
  {
    name: "Bình xét: lập văn bản",
    run: (env, role) => env.run("menuReviewDocuments", { as: EMAIL[role] }),
    done() {},
    expected(stage, role) {
      const refusal = HEAD_ONLY(/^Chỉ trường Cụm trưởng tổ chức bình xét/)(stage, role);
      if (refusal !== "done") return refusal;
      // The count sheet is made first: without it the documents are refused, saying what to do.
      return stage === "locked" ? /^Chưa có trang "Kiểm phiếu"/ : /^Bình xét dựa trên số liệu đã khóa/;
    },
  },
  {
    name: "Kiểm tra cấu trúc",
    run: (env, role) => env.run("menuStructure", { as: EMAIL[role] }),
    done: (env) => expect(env.ui.dialogs.at(-1)!.title).toBe("Kiểm tra cấu trúc"),
    expected: (_stage, role) => (stranger(role) ? "google" : "done"),
  },
];

function check(action: Action, at: Stage, role: Role): void {
  const env = stage(at);
  const before = snapshot(env);
  const logBefore = auditRows(env).length;
  const seen = attempt(env, () => action.run(env, role));
  const outcome = action.expected(at, role);
  for (const text of seen.shown) expect(text).not.toMatch(ENGLISH);
  if (outcome === "google") {
    expect([PROTECTED_MESSAGE, NO_ACCESS_MESSAGE]).toContain(seen.thrown);
    expect(snapshot(env)).toBe(before);
    return;
  }
  if (typeof outcome === "object" && "block" in outcome) {
    // Refused by the head's trigger: the box unticked, the reason in the block; figures and the year as they were.
    expect(seen.thrown).toBeUndefined();
    expect(seen.shown).toEqual([]);
    const block = statusOf(env, sheetOf(TICKS[role]));
    expect(block.lines[8]).toMatch(outcome.block);
    expect(block.checked).toBe(false);
    const after = JSON.parse(snapshot(env));
    expect(after.props.trang_thai_nam).toBe(JSON.parse(before).props.trang_thai_nam);
    expect(figuresOnly(after.schools)).toEqual(figuresOnly(JSON.parse(before).schools));
    return;
  }
  if (outcome instanceof RegExp) {
    const said = seen.thrown ?? (typeof seen.result === "string" ? seen.result : (seen.shown.at(-1) ?? ""));
    expect(said).toMatch(outcome);
    expect(said).not.toMatch(ENGLISH);
    expect(snapshot(env)).toBe(before);
    return;
  }
  expect(seen.thrown).toBeUndefined();
  action.done(env, role, seen);
  if (action.logs) {
    // What a school may not write waits for the head's time trigger; after it runs nothing is missing.
    env.fireTriggers("flushPending");
    expect(
      auditRows(env)
        .slice(logBefore)
        .map((r) => r[2]),
    ).toContain(action.logs);
  }
}

for (const at of STAGES)
  describe(`stage: ${at}`, () => {
    for (const action of ACTIONS)
      describe(action.name, () => {
        for (const role of ROLES) {
          const outcome = action.expected(at, role);
          const label =
            outcome === "done"
              ? "làm được"
              : outcome === "google"
                ? "Google từ chối"
                : "block" in outcome
                  ? `từ chối trong khung tình trạng: ${outcome.block.source.slice(0, 50)}`
                  : `từ chối: ${outcome.source.slice(0, 60)}`;
          it(`${role} → ${label}`, () => check(action, at, role));
        }
      });
    it("the time trigger runs as its creator and leaves nothing waiting", () => {
      const env = stage(at);
      const seen = attempt(env, () => env.fireTriggers("flushPending"));
      expect(seen.thrown).toBeUndefined();
      expect(env.properties.getKeys().filter((k) => k.startsWith("viec_cho"))).toEqual([]);
    });
    it("the stage is what it says", () => {
      expect(phase(stage(at))).toBe(
        {
          registration: "registration",
          pledged: "reporting",
          confirmed: "reporting",
          locked: "locked",
          unlocked: "reporting",
        }[at],
      );
    });
  });
