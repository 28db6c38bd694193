/**
 * The menu items across years for every role at every stage, on the built
 * Code.js: the item done, a Vietnamese refusal that says who may use it, or
 * Google refusing a user who cannot open the file. A refusal changes
 * nothing: no archive, no sheet, no stored year.
 */
import { describe, expect, it } from "vitest";
import { loadDefinition, type ClusterDefinition } from "../../src/core/definition/definition";
import { cloneEnv } from "../fake-gas/clone";
import { NO_ACCESS_MESSAGE, type FakeEnv } from "../fake-gas/env";
import { rawDefinition } from "../helpers/samples";
import { GOOD, OWNER, sheetFor, typeFigures } from "./helpers";

/** Quảng Nam's second editor works in another Google domain, whose policy hides the e-mail from scripts. */
const FOREIGN = "vanphong@quangnam-giaoduc.example";
const def: ClusterDefinition = (() => {
  const raw = rawDefinition("nam-trung-bo-tay-nguyen-2023") as { schools: { code: string; editors: string[] }[] };
  raw.schools.find((s) => s.code === "QNA")!.editors.push(FOREIGN);
  return loadDefinition(raw);
})();
const editor = (code: string) => def.schools.find((s) => s.code === code)!.editors[0]!;

const ROLES = ["owner", "head", "newHead", "deputy", "school", "foreign", "stranger"] as const;
type Role = (typeof ROLES)[number];
/** 2023's head is Đắk Lắk; the register makes Kon Tum (a deputy in 2023) head of 2024, Bình Định a deputy both years. */
const EMAIL: Record<Role, string> = {
  owner: OWNER,
  head: editor("DLK"),
  newHead: editor("KTU"),
  deputy: editor("BDI"),
  school: editor("GLA"),
  foreign: FOREIGN,
  stranger: "nguoi.la@mien-khac.example",
};

const STAGES = ["registration", "locked", "opened"] as const;
type Stage = (typeof STAGES)[number];

const built = new Map<Stage, FakeEnv>();
function stage(s: Stage): FakeEnv {
  const have = built.get(s);
  if (have) return cloneEnv(have);
  let env: FakeEnv;
  if (s === "registration") {
    env = sheetFor(def);
    env.hiddenEmails.add(FOREIGN);
  } else if (s === "locked") {
    env = stage("registration");
    def.schools.forEach((x, i) => typeFigures(env, def, x.code, { ...GOOD, LOP: [40, 40 + i] }));
    env.run("menuSignPledge", { as: EMAIL.head });
    env.ui.answers.push("YES");
    env.run("menuLockYear", { as: EMAIL.head });
  } else {
    env = stage("locked");
    env.ui.answers.push({ button: "OK", text: "" }, "YES");
    env.run("menuOpenYear", { as: EMAIL.head });
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã mở năm 2024");
  }
  built.set(s, env);
  return cloneEnv(env);
}

/** Who holds the head's rights at a stage: the owner, and the head of the live year. */
const heads = (s: Stage): Role[] => (s === "opened" ? ["owner", "newHead"] : ["owner", "head"]);

type Outcome = "done" | "google" | RegExp;

interface Item {
  fn: string;
  answers: FakeEnv["ui"]["answers"];
  done: RegExp;
  refusal: RegExp;
  expected(s: Stage, role: Role): Outcome;
}

const ITEMS: Item[] = [
  {
    fn: "menuOpenYear",
    answers: [{ button: "OK", text: "" }, "YES"],
    done: /^Đã mở năm 2024$/,
    refusal:
      /^Chỉ trường Cụm trưởng của năm đã khóa hoặc chủ sở hữu bảng tính được mở năm mới\. (Tài khoản|Không xác định được e-mail)/,
    expected(s, role) {
      if (s === "registration") return /^Năm 2023 chưa khóa số liệu: hãy chọn Thi đua › Khóa số liệu cuối năm trước\./;
      if (s === "opened") return /^Năm 2024 đã được mở \(năm 2023 đã lưu ngày .*\); không mở năm mới lần nữa\./;
      void role;
      return "done";
    },
  },
  {
    fn: "menuPeriodReview",
    answers: [{ button: "OK", text: "2023–2023" }],
    done: /^Đã tổng kết giai đoạn 2023–2023$/,
    refusal:
      /^Chỉ trường Cụm trưởng hoặc chủ sở hữu bảng tính lập được trang này\. (Tài khoản|Không xác định được e-mail)/,
    expected: (s) => (s === "registration" ? /^Chưa có năm nào đã khóa/ : "done"),
  },
  {
    fn: "menuHistory",
    answers: [{ button: "OK", text: "DNG" }],
    done: /^Đã ghi lịch sử cụm cho trường DNG \(các năm 2023\) vào trang "Lịch sử cụm"\.$/,
    refusal:
      /^Chỉ trường Cụm trưởng hoặc chủ sở hữu bảng tính lập được trang này\. (Tài khoản|Không xác định được e-mail)/,
    expected: (s) => (s === "registration" ? /^Chưa có năm nào đã khóa/ : "done"),
  },
];

/** Everything a refusal must leave as it was. */
const state = (env: FakeEnv) =>
  JSON.stringify({
    props: env.properties.getProperties(),
    sheets: env.spreadsheet.sheets.map((s) => [s.name, s.getDataRangeRaw().getValues().length]),
    archives: env.otherSpreadsheets.length,
  });

/** Words that give away an untranslated message: an exception or Google's own English. */
const ENGLISH = /\b(the|you|your|error|exception|permission|protected|cannot|undefined|null|is not|failed)\b/i;

describe("the years' menu items, role × stage", () => {
  for (const item of ITEMS)
    for (const s of STAGES)
      for (const role of ROLES) {
        const isHead = heads(s).includes(role);
        const outcome: Outcome = role === "stranger" ? "google" : isHead ? item.expected(s, role) : item.refusal;
        it(`${item.fn}, ${s}, ${role}: ${outcome === "done" ? "done" : outcome === "google" ? "Google refuses" : "refused"}`, () => {
          const env = stage(s);
          const before = state(env);
          const alerts = env.ui.alerts.length;
          env.ui.answers.push(...item.answers);
          let thrown: string | undefined;
          try {
            env.run(item.fn, { as: EMAIL[role] });
          } catch (e) {
            thrown = (e as Error).message;
          }
          env.ui.answers.length = 0;
          const shown = env.ui.alerts.slice(alerts);
          if (outcome === "google") {
            expect(thrown).toBe(NO_ACCESS_MESSAGE);
            expect(state(env)).toBe(before);
            return;
          }
          expect(thrown).toBeUndefined();
          for (const a of shown) expect(`${a.title ?? ""} ${a.message}`).not.toMatch(ENGLISH);
          const last = shown.at(-1)!;
          if (outcome === "done") expect(last.title ?? last.message).toMatch(item.done);
          else {
            expect(last.message).toMatch(outcome);
            expect(state(env)).toBe(before);
          }
        });
      }
});
