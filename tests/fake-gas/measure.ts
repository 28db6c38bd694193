/**
 * Service calls of set-up, Tổng hợp, every action of a year and the actions
 * across years on a synthetic cluster, run on the built Code.js against the
 * fake. Used by a test and by npm run bench.
 */
import { buildConfigSheet } from "../../src/core/sheets/config-layout";
import { CHECKBOX_COL, CHECKBOX_ROW, COL, schoolSheetName } from "../../src/core/sheets/school-layout";
import { a1 } from "../../src/core/problem";
import { rectangular } from "../../src/core/sheets/sheet-spec";
import { syntheticCluster } from "../../bench/core";
import type { ClusterDefinition } from "../../src/core/definition/definition";
import { readFileSync } from "node:fs";
import { buildPledge } from "../../src/core/documents/documents";
import { documentRequests } from "../../src/gas/documents/docs-requests";
import { packParts } from "../../src/gas/google/sheet-batch";
import { CODE_JS, FakeEnv } from "./env";

export interface CallFigures {
  schools: number;
  targets: number;
  setup: number;
  tongHop: number;
  /** The largest batchUpdate body each sent, in bytes. */
  setupBytes: number;
  tongHopBytes: number;
  tongHopMs: number;
  heaviest: [string, number][];
}

/** The head school's owner of every synthetic cluster here. */
const OWNER = "chu.so@vi-du.vn";

/**
 * A spreadsheet whose Cấu hình holds def, as a head school prepares it
 * before set-up (written straight into the fake: not counted), with no
 * six-minute limit: calls are counted here, never timed, and the documents
 * of a large cluster would pass it.
 */
export function clusterEnv(def: ClusterDefinition, owner = OWNER): FakeEnv {
  const env = new FakeEnv({ owner, editors: def.schools.flatMap((s) => s.editors), activeUser: owner });
  const config = env.spreadsheet.insertSheetRaw("Cấu hình");
  const grid = rectangular(buildConfigSheet(def).grid).map((r) => r.map((v) => (v === null ? "" : v)));
  config.maxCols = Math.max(config.maxCols, grid[0]!.length);
  // As text, the way set-up writes Cấu hình: the fake parses strings typed into General cells.
  config.getRange(1, 1, grid.length, grid[0]!.length).setNumberFormat("@").setValues(grid);
  env.time = { ...env.time, limitMs: Number.POSITIVE_INFINITY };
  return env;
}

/** clusterEnv, set up by its owner. */
export function setUpCluster(def: ClusterDefinition, owner = OWNER): FakeEnv {
  const env = clusterEnv(def, owner);
  env.run("menuSetup");
  return env;
}

/** Every school fills every figure (straight into the fake: not counted). */
export function fillEveryFigure(env: FakeEnv, def: ClusterDefinition): void {
  for (const [i, s] of def.schools.entries()) {
    const sheet = env.sheet(schoolSheetName(s));
    sheet
      .getDataRangeRaw()
      .getValues()
      .forEach((row, r) => {
        const t = def.targets.find((x) => x.code === row[COL.code]);
        if (!t) return;
        const v = t.kind === "yesno" ? "Đạt" : t.kind === "percent" ? 0.9 : 10 + ((i + r) % 7);
        sheet.getRange(r + 1, COL.registered + 1, 1, 2).setValues([[v, v]]);
      });
  }
}

export function measureCalls(schools: number, targets: number): CallFigures {
  const def = syntheticCluster(schools, targets);
  const env = clusterEnv(def);
  env.log.reset();
  env.run("menuSetup");
  const setup = env.log.total;
  const setupBytes = env.log.largestRequest;

  fillEveryFigure(env, def);
  env.log.reset();
  const t0 = performance.now();
  env.run("menuTongHop");
  const tongHopMs = performance.now() - t0;
  const tongHop = env.log.total;
  const tongHopBytes = env.log.largestRequest;
  const heaviest = [...env.log.counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return { schools, targets, setup, tongHop, setupBytes, tongHopBytes, tongHopMs, heaviest };
}

/**
 * Service calls of every menu action and trigger, in the order a year runs
 * them, on a synthetic cluster where every school filled every figure. An
 * action the bundle does not have is left out.
 */
export function measureActions(schools: number, targets: number): [string, number][] {
  return measureActionsDetailed(schools, targets).map((a) => [a.action, a.calls]);
}

/** One action's cost: service calls, write requests (what Google's per-minute quota counts), the largest body. */
export interface ActionCost {
  action: string;
  calls: number;
  writes: number;
  largestBytes: number;
}

/** The calls of measureActions, with the write requests and the largest request body of each action. */
export function measureActionsDetailed(schools: number, targets: number): ActionCost[] {
  const def = syntheticCluster(schools, targets);
  const owner = OWNER;
  const env = clusterEnv(def);
  const out: ActionCost[] = [];
  const entries = new Set(
    JSON.parse(readFileSync(CODE_JS.replace(/gas[\\/]Code\.js$/, "gas-entry-points.json"), "utf8")) as string[],
  );
  const count = (
    label: string,
    fn: string,
    opts: Parameters<FakeEnv["run"]>[1] = {},
    answers: FakeEnv["ui"]["answers"] = [],
  ) => {
    if (!entries.has(fn)) return;
    env.ui.answers.push(...answers);
    env.log.reset();
    const writes = env.writes.length;
    env.run(fn, opts);
    out.push({
      action: label,
      calls: env.log.total,
      writes: env.writes.length - writes,
      largestBytes: env.log.largestRequest,
    });
    if (process.env.CALLS_DETAIL === label) console.log([...env.log.counts].sort((a, b) => b[1] - a[1]));
  };
  count("Thiết lập", "menuSetup");
  // A trigger's event carries its id, as Google passes it (docs/platform.md): the owner's trigger of each handler.
  const fired = (handler: string, event: Record<string, unknown> = { authMode: "FULL" }) => ({
    ...event,
    triggerUid: env.triggers.find((t) => t.handler === handler && t.owner === owner)!.id,
  });
  const school = def.schools.find((s) => s.role !== "head")!;
  const editor = school.editors[0]!;
  const sheetName = schoolSheetName(school);
  fillEveryFigure(env, def);
  const firstRow = sheetRowOf(env, sheetName, def.targets[0]!.code);
  count("onEdit (một ô)", "onEdit", {
    as: editor,
    auth: "LIMITED",
    event: env.editEvent(sheetName, `E${firstRow}`, undefined, editor),
  });
  // The head's trigger after a school's edit: Nhật ký and that school's status block.
  count("onEditLog (một ô)", "onEditLog", {
    runAs: owner,
    event: fired("onEditLog", env.editEvent(sheetName, `E${firstRow}`, 1, editor)),
  });
  count("Kiểm tra số liệu", "menuCheck");
  count("Tổng hợp", "menuTongHop");
  count("Tạo bản giao ước", "menuPledge");
  // Before the pledge: an import that spans Đăng ký afterwards is another issue's (finding 1).
  const figures = env.run("getSchoolFigures", { as: editor, args: [school.code] }) as {
    figures: { rows: { note: string }[] };
    version: string;
  };
  const changed = { ...figures.figures, rows: figures.figures.rows.map((r) => ({ ...r, note: "Đã đối chiếu" })) };
  count("Nhập từ Excel (một trường)", "applyImport", {
    as: editor,
    args: [
      {
        cluster: def.id,
        year: def.year,
        school: school.code,
        file: "t.xlsx",
        figures: changed,
        version: figures.version,
      },
    ],
  });
  count("flushPending (sau một lần nhập của trường)", "flushPending", { runAs: owner, event: fired("flushPending") });
  count("Ghi nhận ký giao ước", "menuSignPledge");
  // A school ticks its status block's checkbox on a phone; the head's edit trigger confirms (figures are valid).
  const ticker = def.schools.filter((s) => s.role !== "head")[2]!;
  const tickSheet = schoolSheetName(ticker);
  env
    .sheet(tickSheet)
    .getRange(CHECKBOX_ROW + 1, CHECKBOX_COL + 1)
    .setValue(true);
  count("onEditLog (đánh dấu xác nhận)", "onEditLog", {
    runAs: owner,
    event: fired("onEditLog", env.editEvent(tickSheet, a1(CHECKBOX_ROW, CHECKBOX_COL), false, ticker.editors[0]!)),
  });
  count("Xác nhận (người nhập liệu)", "menuConfirm", { as: editor });
  count("flushPending (sau một xác nhận)", "flushPending", { runAs: owner, event: fired("flushPending") });
  count("flushPending (không có việc)", "flushPending", { runAs: owner, event: fired("flushPending") });
  const other = def.schools.find((s) => s.role !== "head" && s !== school)!;
  count("Xác nhận (trường Cụm trưởng)", "menuConfirm", {}, [{ button: "OK", text: other.code }]);
  count("Mở lại số liệu của trường", "menuReopenSchool", {}, [
    { button: "OK", text: other.code },
    { button: "OK", text: "Sửa số liệu" },
  ]);
  count("Kiểm tra cấu trúc", "menuStructure");
  count("Khóa số liệu cuối năm", "menuLockYear", {}, ["YES"]);
  count("Kiểm tra toàn vẹn", "menuIntegrity");
  count("Tạo báo cáo tổng kết", "menuReport");
  count("Mở khóa", "menuUnlock", {}, [{ button: "OK", text: "Sửa số liệu" }]);
  return out;
}

/**
 * Service calls and the largest request of the actions across years, at one
 * cluster size: the year set up, filled and locked (not counted), then Tổng
 * kết giai đoạn and Lịch sử cụm over it and Mở năm mới from it.
 */
export function measureYears(schools: number, targets: number): { action: string; calls: number; bytes: number }[] {
  const def = syntheticCluster(schools, targets);
  const env = setUpCluster(def);
  fillEveryFigure(env, def);
  env.run("menuSignPledge");
  env.ui.answers.push("YES");
  env.run("menuLockYear");
  const out: { action: string; calls: number; bytes: number }[] = [];
  const count = (action: string, fn: string, answers: FakeEnv["ui"]["answers"]) => {
    env.ui.answers.push(...answers);
    env.log.reset();
    env.run(fn);
    out.push({ action, calls: env.log.total, bytes: env.log.largestRequest });
    if (process.env.CALLS_DETAIL === action) console.log([...env.log.counts].sort((a, b) => b[1] - a[1]));
  };
  count("Tổng kết giai đoạn", "menuPeriodReview", [{ button: "OK", text: `${def.year}–${def.year}` }]);
  count("Lịch sử cụm", "menuHistory", [{ button: "OK", text: def.schools[1]!.code }]);
  count("Mở năm mới", "menuOpenYear", [{ button: "OK", text: "" }, "YES"]);
  return out;
}

function sheetRowOf(env: FakeEnv, sheet: string, code: string): number {
  return (
    env
      .sheet(sheet)
      .getDataRangeRaw()
      .getValues()
      .findIndex((r) => r[COL.code] === code) + 1
  );
}

/** The Docs API requests that write the pledge of a synthetic cluster, and the parts they go in. */
export function pledgePayload(
  schools: number,
  targets: number,
): { requests: number; bytes: number; parts: number; largest: number } {
  const requests = documentRequests(buildPledge(syntheticCluster(schools, targets), { figures: [] }));
  const parts = packParts(requests);
  return {
    requests: requests.length,
    bytes: Buffer.byteLength(JSON.stringify({ requests })),
    parts: parts.length,
    largest: Math.max(...parts.map((p) => Buffer.byteLength(JSON.stringify({ requests: p })))),
  };
}

/** The lock of a large cluster on the fake: whether it succeeded and verified, its calls and largest request. */
export interface LockFigures {
  locked: boolean;
  verified: boolean;
  calls: number;
  largestBytes: number;
  snapshotBytes: number;
  message: string;
}

export function measureLock(schools: number, targets: number): LockFigures {
  const def = syntheticCluster(schools, targets);
  const env = setUpCluster(def);
  fillEveryFigure(env, def);
  env.run("menuSignPledge");
  env.log.reset();
  env.run("menuLockYear");
  const calls = env.log.total;
  const largestBytes = env.log.largestRequest;
  const message = env.ui.alerts.at(-1)?.message ?? "";
  env.run("menuIntegrity");
  const html = env.ui.dialogs.at(-1)?.html ?? "";
  const snapshot = env.spreadsheet.sheets.find((s) => s.name === "Bản khóa");
  const snapshotBytes = snapshot
    ? Buffer.byteLength(
        snapshot
          .getDataRangeRaw()
          .getValues()
          .slice(1)
          .map((r) => String(r[0]))
          .join(""),
      )
    : 0;
  return {
    locked: /^Đã khóa số liệu/.test(message),
    verified: /Số liệu khớp hoàn toàn với lúc khóa/.test(html),
    calls,
    largestBytes,
    snapshotBytes,
    message,
  };
}
