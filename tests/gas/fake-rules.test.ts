/**
 * The fake's own rules, each checked once where it is cheapest to see: the
 * bundle's tests lean on them, so a fake that quietly stopped enforcing one
 * would make those tests pass for the wrong reason.
 */
import { describe, expect, it } from "vitest";
import { COL } from "../../src/core/sheets/school-layout";
import { FakeEnv } from "../fake-gas/env";
import { parseAsTyped } from "../fake-gas/locale";
import { editorOf, GOOD, headOf, importAs, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures } from "./helpers";

const def = sample2023();

describe("strings written to cells are read as typed, in the spreadsheet's locale", () => {
  const now = new Date(Date.UTC(2026, 10, 30));
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - 7 * 3600_000);
  it.each([
    ["05/06", day(2026, 6, 5)],
    ["10/03/2023", day(2023, 3, 10)],
    ["1.234", 1234],
    ["007", 7],
    ["1,5", 1.5],
    ["95,5%", 0.955],
    ["10/03/2023 14:05", new Date(Date.UTC(2023, 2, 10, 7, 5))],
    ["Đạt", "Đạt"],
    ["2.5", "2.5"],
    ["31/02", "31/02"],
  ])("vi_VN: %j becomes %j", (typed, stored) => {
    expect(parseAsTyped(typed, "vi_VN", now)).toEqual(stored);
  });
  it("en_US reads the same text the other way round", () => {
    expect([parseAsTyped("05/06", "en_US", now), parseAsTyped("1,234", "en_US", now)]).toEqual([day(2026, 5, 6), 1234]);
  });
  it("a cell formatted @ keeps the text", () => {
    const env = newEnv();
    env.spreadsheet.locale = "vi_VN";
    const range = env.spreadsheet.sheets[0]!.getRange("A1:B1");
    range.setValues([["007", "1.234"]]);
    expect(range.getValues()).toEqual([[7, 1234]]);
    range.setNumberFormat("@").setValues([["007", "1.234"]]);
    expect(range.getValues()).toEqual([["007", "1.234"]]);
  });
});

describe("the Sheets API returns dates as asked", () => {
  const env = newEnv();
  env.spreadsheet.locale = "vi_VN";
  env.spreadsheet.sheets[0]!.getRange("A1").setValue("10/03/2023");
  const { Sheets } = env.globals() as { Sheets: typeof globalThis.Sheets };
  const get = (dateTimeRenderOption: string) =>
    Sheets!.Spreadsheets!.Values!.batchGet(env.spreadsheet.id, {
      ranges: ["'Trang tính1'!A1"],
      valueRenderOption: "UNFORMATTED_VALUE",
      dateTimeRenderOption,
    }).valueRanges![0]!.values;
  it("SERIAL_NUMBER: days since 30/12/1899, a number and not a Date", () => {
    expect(get("SERIAL_NUMBER")).toEqual([[44995]]);
  });
  it("FORMATTED_STRING: the date as the cell shows it", () => {
    expect(get("FORMATTED_STRING")).toEqual([["10/03/2023"]]);
  });
});

describe("properties are limited in UTF-8 bytes", () => {
  it("a value of 4,000 accented letters is 12,000 bytes: over 9 KB", () => {
    const env = newEnv();
    expect(() => env.properties.setProperty("k", "ữ".repeat(4000))).toThrow("Argument too large: value");
    expect(env.properties.getProperty("k")).toBeNull();
    expect(() => env.properties.setProperty("k", "u".repeat(4000))).not.toThrow();
  });
  it("the limits can be lowered for a test, the store's total included", () => {
    const env = newEnv();
    env.limits.storeBytes = 100;
    env.properties.setProperty("a", "x".repeat(60));
    expect(() => env.properties.setProperty("b", "x".repeat(60))).toThrow(/property storage quota/);
    expect(env.properties.getKeys()).toEqual(["a"]);
  });
});

describe("installable triggers belong to whoever created them", () => {
  const env = newEnv();
  setUp(env);
  const { ScriptApp } = env.globals() as { ScriptApp: typeof globalThis.ScriptApp };
  const listedFor = (user: string) => {
    env.activeUser = user;
    try {
      return ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction());
    } finally {
      env.activeUser = OWNER;
    }
  };
  it("each user lists only their own", () => {
    expect(listedFor(OWNER)).toEqual(["onEditLog", "flushPending"]);
    expect(listedFor(headOf(def))).toEqual([]);
  });
  it("a trigger runs as its creator, whoever's edit fired it", () => {
    expect(env.fireTriggers("flushPending")).toBe(1);
  });
});

describe("the document lock is held by one execution at a time", () => {
  const env = newEnv();
  setUp(env);
  typeFigures(env, def, "KTU", GOOD);
  it("a school's import during the head's Tổng hợp is told to wait, in Vietnamese, and writes nothing", () => {
    let during: unknown;
    // Tổng hợp writes its sheets in one Sheets API request, under the lock.
    env.interleave("Sheets.Spreadsheets.batchUpdate", () => {
      try {
        importAs(env, editorOf(def, "KTU"), "KTU", { LOP: { achieved: 43 } });
      } catch (e) {
        during = (e as Error).message;
      }
    });
    env.run("menuTongHop", { as: headOf(def) });
    expect(during).toMatch(
      /^Đang có người khác chạy một thao tác của Thi đua trên bảng tính này\. Hãy đợi một phút rồi thử lại\.$/,
    );
    expect(env.sheet("Kon Tum").cell(rowOfCode(env, "Kon Tum", "LOP"), COL.achieved + 1).v).toBe(42);
    expect(env.ui.alerts.at(-1)!.title).toBe("Đã tổng hợp");
  });
  it("the lock is free again when the execution ends", () => {
    expect(env.lock.holder).toBeNull();
    expect(importAs(env, editorOf(def, "KTU"), "KTU", { LOP: { achieved: 43 } })).toMatchObject({ changed: 1 });
  });
});

describe("each execution has a time budget", () => {
  it("a simple trigger gets 30 seconds; marking a pasted block costs the same whatever its size", () => {
    const env = newEnv();
    setUp(env);
    // Twenty service calls' worth of time: onEdit must fit whatever the paste.
    env.time.simpleTriggerLimitMs = 20 * env.time.msPerCall;
    const ktu = editorOf(def, "KTU");
    const first = rowOfCode(env, "Kon Tum", "LOP");
    const last = rowOfCode(env, "Kon Tum", "CHUAN");
    const calls = (a1: string) => {
      env.run("onEdit", { as: ktu, auth: "LIMITED", event: env.editEvent("Kon Tum", a1, undefined, ktu) });
      return env.log.total;
    };
    expect(calls(`E${first}:F${last}`)).toBe(calls(`F${first}`));
    expect(env.sheet("Kon Tum").cell(last, COL.registered + 1).bg).toBe("#FFFDE7");
  });
  it("past the budget the run ends as Apps Script ends it", () => {
    const env: FakeEnv = newEnv();
    env.time.limitMs = 5 * env.time.msPerCall;
    env.ui.answers.push("YES");
    expect(() => env.run("menuSetup")).toThrow("Exceeded maximum execution time");
  });
});

describe("who edited, as an installable edit trigger is told", () => {
  const env = newEnv();
  const first = env.spreadsheet.sheets[0]!.name;
  const user = (as: string) => (env.editEvent(first, "A1", undefined, as).user as { getEmail(): string }).getEmail();
  it("an editor of the script's domain is named; another domain's, or a hidden e-mail, is blank (strict)", () => {
    expect(user(editorOf(def, "GLA"))).toBe(editorOf(def, "GLA"));
    expect(user("nhaplieu@gmail.com")).toBe("");
    env.hiddenEmails.add(editorOf(def, "GLA"));
    expect(user(editorOf(def, "GLA"))).toBe("");
  });
});

describe("freezing and checkboxes through the Sheets API", () => {
  const env = newEnv();
  const { Sheets } = env.globals() as { Sheets: GoogleAppsScript.Sheets };
  const sheet = env.spreadsheet.sheets[0]!;
  const update = (requests: object[]) => Sheets.Spreadsheets!.batchUpdate({ requests } as never, env.spreadsheet.id);
  const freeze = (cols: number) => ({
    updateSheetProperties: {
      properties: { sheetId: sheet.id, gridProperties: { frozenColumnCount: cols } },
      fields: "gridProperties.frozenColumnCount",
    },
  });
  it("a freeze line through a merged cell is refused, and nothing of the request applies", () => {
    const merge = {
      mergeCells: {
        range: { sheetId: sheet.id, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 5 },
        mergeType: "MERGE_ALL",
      },
    };
    expect(() => update([merge, freeze(3)])).toThrow(/only part of a merged cell/);
    expect([sheet.merges.length, sheet.frozenColumns]).toEqual([0, 0]);
    update([freeze(3)]);
    expect(sheet.frozenColumns).toBe(3);
  });
  it("a checkbox holds TRUE or FALSE", () => {
    update([
      {
        setDataValidation: {
          range: { sheetId: sheet.id, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 1 },
          rule: { condition: { type: "BOOLEAN" }, strict: true },
        },
      },
    ]);
    const rule = sheet.cell(1, 1).dv!;
    expect([true, false, "TRUE", 1].map((v) => rule.accepts(v))).toEqual([true, true, false, false]);
  });
});
