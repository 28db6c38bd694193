/**
 * The add-on at scale and under Google's "not now" (issue 20), on the built
 * Code.js: requests inside 2 MB at any cluster size, written in parts that
 * never leave a sheet unprotected or Tổng hợp passing a mix of two runs off
 * as one; 429/500/503 retried without losing or doubling a Nhật ký row; the
 * head's per-minute write quota; the lock with a snapshot larger than the
 * whole property store.
 */
import { describe, expect, it } from "vitest";
import { syntheticCluster } from "../../bench/core";
import { COL, schoolSheetName } from "../../src/core/sheets/school-layout";
import { FakeEnv } from "../fake-gas/env";
import { FakeDocTable } from "../fake-gas/documents";
import { a1 } from "../../src/core/problem";
import { clusterEnv, fillEveryFigure, setUpCluster } from "../fake-gas/measure";
import type { ClusterDefinition } from "../../src/core/definition/definition";
import { editorOf, GOOD, headOf, importAs, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures } from "./helpers";

const BATCH = "Sheets.Spreadsheets.batchUpdate";
const APPEND = "Sheets.Spreadsheets.Values.append";
/** Google's recommended largest request: https://developers.google.com/workspace/sheets/api/limits */
const TWO_MB = 2_000_000;

const audit = (env: FakeEnv) => env.sheet("Nhật ký").getDataRangeRaw().getValues();
const auditOf = (env: FakeEnv, action: string) => audit(env).filter((r) => r[2] === action);
const lastAlert = (env: FakeEnv) => env.ui.alerts.at(-1)!.message;
const values = (env: FakeEnv, sheet: string) => env.sheet(sheet).getDataRangeRaw().getValues();

/** A fake cell's value and look, whatever order its properties were set in. */
const cellText = (c: object) =>
  JSON.stringify(
    Object.entries(c)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/** The summary sheets without the line that says when they were made. */
const summaries = (env: FakeEnv) =>
  ["Tổng hợp", "Tình trạng nộp", "Xếp hạng"].map((n) =>
    values(env, n).filter((r) => !String(r[0]).startsWith("Lập lúc")),
  );

describe("every request inside Google's limits at any cluster size", () => {
  it("60 schools × 200 targets: set-up and Tổng hợp go out in parts of at most 2 MB, within 30 calls, complete", () => {
    const def = syntheticCluster(60, 200);
    const env = setUpCluster(def, OWNER);
    // Set-up's sheets are whole: every school sheet has its 200 targets, and is protected for its school.
    const last = def.schools.at(-1)!;
    expect(values(env, schoolSheetName(last)).filter((r) => /^CT\d+$/.test(String(r[COL.code])))).toHaveLength(200);
    expect(env.sheet(schoolSheetName(last)).protections.length).toBeGreaterThan(0);
    fillEveryFigure(env, def);
    env.log.reset();
    env.run("menuTongHop");
    expect(env.log.count(BATCH)).toBeGreaterThan(1);
    expect(env.log.largestRequest).toBeLessThanOrEqual(TWO_MB);
    expect(env.log.total).toBeLessThanOrEqual(30);
    // The stamp, written last, says when it was made: the pending line is gone.
    const totals = values(env, "Tổng hợp");
    expect(totals.some((r) => String(r[0]).startsWith("Đang tổng hợp"))).toBe(false);
    expect(totals.some((r) => String(r[0]).startsWith("Lập lúc"))).toBe(true);
    expect(lastAlert(env)).toMatch(/Đã tổng hợp|Số liệu tính trên 60\/60 trường/);
  }, 600_000);

  it("120 schools × 300 targets: set-up within 30 calls and 2 MB a request, every school's sheet whole and protected", () => {
    const def = syntheticCluster(120, 300);
    const env = clusterEnv(def, OWNER);
    env.log.reset();
    env.run("menuSetup");
    expect(env.log.total).toBeLessThanOrEqual(30);
    expect(env.log.largestRequest).toBeLessThanOrEqual(TWO_MB);
    // Each school's sheet after the first is pasted from it: its own values, the first one's look and rules.
    const first = env.sheet(schoolSheetName(def.schools[0]!));
    const look = (sheet: typeof first) => sheet.cells.map((r) => (r ?? []).map((c) => cellText({ ...c, v: "" })));
    for (const s of [def.schools[1]!, def.schools.at(-1)!]) {
      const sheet = env.sheet(schoolSheetName(s));
      expect(values(env, schoolSheetName(s)).filter((r) => /^CT\d+$/.test(String(r[COL.code])))).toHaveLength(300);
      expect(values(env, schoolSheetName(s)).slice(0, 5).flat().join(" ")).toContain(s.name);
      expect(look(sheet)).toEqual(look(first));
      expect(sheet.merges.map((m) => m.getA1Notation())).toEqual(first.merges.map((m) => m.getA1Notation()));
      expect(sheet.protections.length).toBeGreaterThan(0);
    }
  }, 600_000);

  it("60 schools × 200 targets: the pledge and the year-end report go to Docs in parts of at most 2 MB, within 30 calls, whole", () => {
    const def = syntheticCluster(60, 200);
    const env = setUpCluster(def, OWNER);
    fillEveryFigure(env, def);
    for (const [fn, title] of [
      ["menuPledge", "Giao ước"],
      ["menuReport", "Báo cáo tổng kết"],
    ] as const) {
      env.log.reset();
      env.run(fn);
      expect(env.log.count("Docs.Documents.batchUpdate"), fn).toBeGreaterThan(1);
      expect(env.log.largestRequest, fn).toBeLessThanOrEqual(TWO_MB);
      expect(env.log.total, fn).toBeLessThanOrEqual(30);
      const doc = [...env.drive.documents.values()].at(-1)!;
      expect(doc.name).toBe(`${title} thi đua năm ${def.year} (bản 1)`);
      // Every school's table of its 200 targets, under its header row, is there.
      const tables = doc.body.children.filter((c): c is FakeDocTable => c instanceof FakeDocTable);
      expect(tables.filter((t) => t.rows.length === 201).length, fn).toBeGreaterThanOrEqual(60);
    }
  }, 600_000);

  it("a school's sheet pasted from the first is, cell for cell, the sheet written whole", () => {
    // Figures of every kind, text in a number's cell, notes: the look follows each sheet's own values.
    const fill = (env: FakeEnv, d: ClusterDefinition) =>
      d.schools.forEach((s, i) => {
        const sheet = env.sheet(schoolSheetName(s));
        sheet
          .getDataRangeRaw()
          .getValues()
          .forEach((row, r) => {
            const t = d.targets.find((x) => x.code === row[COL.code]);
            if (!t || (r + i) % 4 === 0) return;
            const v = t.kind === "yesno" ? "Đạt" : t.kind === "percent" ? 0.9 : (r + i) % 3 ? 10 + r : "mười";
            sheet.getRange(r + 1, COL.registered + 1, 1, 3).setValues([[v, v, i % 2 ? "ghi chú" : ""]]);
          });
      });
    const def = syntheticCluster(5, 12);
    // The same cluster with the fourth school first: set-up writes its sheet whole.
    const rotated = { ...def, schools: [...def.schools.slice(3), ...def.schools.slice(0, 3)] };
    const sheetAfterRerun = (d: ClusterDefinition) => {
      const env = setUpCluster(d, OWNER);
      fill(env, def);
      env.ui.answers.push("YES");
      env.run("menuSetup");
      const sheet = env.sheet(schoolSheetName(def.schools[3]!));
      const cells = sheet.cells.flatMap((r, i) => (r ?? []).map((c, j) => `${a1(i, j)} ${cellText(c)}`));
      return [...cells, sheet.merges.map((m) => m.getA1Notation()).join(), JSON.stringify([...sheet.widths])];
    };
    const pasted = sheetAfterRerun(def);
    const whole = sheetAfterRerun(rotated);
    expect(pasted.filter((c, i) => c !== whole[i])).toEqual([]);
    expect(pasted).toHaveLength(whole.length);
  }, 600_000);

  it("Tổng hợp stopped by Google after its first part says it is unfinished, and a rerun finishes it", () => {
    const def = syntheticCluster(30, 200);
    const env = setUpCluster(def, OWNER);
    fillEveryFigure(env, def);
    // The first part lands; Google then refuses the second on every try, and the run gives up.
    env.fail(BATCH, null, ...Array.from({ length: 7 }, () => ({ status: 503 as const })));
    env.run("menuTongHop");
    expect(lastAlert(env)).toMatch(/^Google chưa nhận phần 2\/\d+ của Tổng hợp: dịch vụ của Google tạm thời/);
    expect(lastAlert(env)).toMatch(/Đã ghi 1\/\d+ phần .*Hãy chạy lại Tổng hợp sau một phút/);
    // Never a mix of two runs passed off as one: the stamp says the sheets are being made.
    expect(values(env, "Tổng hợp").some((r) => String(r[0]).startsWith("Đang tổng hợp"))).toBe(true);
    expect(auditOf(env, "Tổng hợp")).toHaveLength(0);
    env.run("menuTongHop");
    expect(values(env, "Tổng hợp").some((r) => String(r[0]).startsWith("Đang tổng hợp"))).toBe(false);
    expect(lastAlert(env)).toMatch(/Số liệu tính trên 30\/30 trường/);
    expect(auditOf(env, "Tổng hợp")).toHaveLength(1);
  }, 600_000);

  it("the fake refuses a body over 10.485.760 bytes, as Google does", () => {
    const env = newEnv();
    setUp(env);
    const big = "x".repeat(10_485_761);
    env.activeUser = OWNER;
    expect(() =>
      env.run("onEditLog", {
        runAs: OWNER,
        event: { ...env.editEvent("Gia Lai", "E7", "", editorOf(sample2023(), "GLA")), value: big },
      }),
    ).toThrow(/Request payload size exceeds the limit: 10485760 bytes/);
  });
});

/** An action run twice, on two spreadsheets alike: once undisturbed, once with Google's failures on the first write. */
function sameAsUndisturbed(
  label: string,
  failure: { status: 429 | 500 | 503; landed?: boolean },
  prepare: (env: FakeEnv) => void,
  act: (env: FakeEnv) => void,
  read: (env: FakeEnv) => unknown,
): void {
  // Both on the same virtual clock, a minute just begun: the failed run's waits (seconds) never carry its
  // "Kiểm tra lần cuối" into the next minute, as real time did when the two runs straddled one.
  const at = Date.UTC(2026, 2, 10, 3, 0, 0);
  const calm = newEnv();
  calm.startAt = at;
  prepare(calm);
  act(calm);
  const env = newEnv();
  env.startAt = at;
  prepare(env);
  env.fail(label, failure);
  act(env);
  expect(env.failed.get(label)).toBe(1);
  expect(read(env)).toEqual(read(calm));
}

const def = sample2023();
const sheetOf = (code: string) => schoolSheetName(def.schools.find((s) => s.code === code)!);
/** Nhật ký without its times and row ids, which differ from run to run. */
const auditText = (env: FakeEnv) => audit(env).map((r) => r.slice(1, 8).join("|"));
const filled = (env: FakeEnv) => {
  setUp(env);
  for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
};

describe("a 429, a 503 or a 500 whose write landed, on the first write, ends in the same state as an undisturbed run", () => {
  for (const status of [429, 503] as const) {
    it(`a school's import, then flushPending (${status} on the flush's append, which landed)`, () =>
      sameAsUndisturbed(
        APPEND,
        { status, landed: true },
        (env) => {
          filled(env);
          importAs(env, editorOf(def, "KTU"), "KTU", { LOP: { achieved: 44 }, HOCVIEN: { achieved: 3000 } });
        },
        (env) => env.run("flushPending", { runAs: OWNER }),
        (env) => [auditText(env), env.properties.getProperty("viec_cho_so_phan")],
      ));

    it(`the head's import (${status})`, () =>
      sameAsUndisturbed(
        APPEND,
        { status },
        filled,
        (env) => importAs(env, headOf(def), "KTU", { LOP: { achieved: 44 }, HOCVIEN: { achieved: 3000 } }),
        (env) => [values(env, sheetOf("KTU")), auditText(env)],
      ));

    // The edit's Nhật ký row goes out with the school's status block, in one batchUpdate.
    it(`onEditLog (${status}, landed)`, () =>
      sameAsUndisturbed(
        BATCH,
        { status, landed: true },
        filled,
        (env) => {
          const row = rowOfCode(env, sheetOf("GLA"), "LOP");
          env.run("onEditLog", {
            runAs: OWNER,
            event: env.editEvent(sheetOf("GLA"), `F${row}`, 42, editorOf(def, "GLA")),
          });
        },
        auditText,
      ));
  }

  // A 500 may come for a write that landed: the retry sees its Nhật ký row there and does not send it again.
  const label = (f: { status: number; landed?: boolean }) => `${f.status}${f.landed ? ", landed" : ""}`;
  for (const failure of [{ status: 429 }, { status: 503 }, { status: 500, landed: true }] as const) {
    it(`Tổng hợp (${label(failure)})`, () =>
      sameAsUndisturbed(
        BATCH,
        failure,
        filled,
        (env) => env.run("menuTongHop", { as: headOf(def) }),
        (env) => [summaries(env), auditText(env)],
      ));

    // The Văn bản and Nhật ký rows go in one batchUpdate; its Nhật ký row tells whether a 500 hid a landed write.
    it(`Tạo bản giao ước (${label(failure)} on the Văn bản and Nhật ký rows): one row, one version, one Nhật ký row`, () =>
      sameAsUndisturbed(
        BATCH,
        failure,
        filled,
        (env) => env.run("menuPledge", { as: OWNER }),
        // Folder ids count across the fake's spreadsheets: the two runs' folders differ only there.
        (env) =>
          [values(env, "Văn bản").map((r) => [r[1], r[2], r[3]]), auditText(env), lastAlert(env)].map((x) =>
            JSON.stringify(x).replace(/folder-\d+/g, "folder-…"),
          ),
      ));

    it(`Khóa số liệu cuối năm (${label(failure)}), which then verifies`, () =>
      sameAsUndisturbed(
        BATCH,
        failure,
        (env) => {
          filled(env);
          env.run("menuSignPledge", { as: OWNER });
        },
        (env) => {
          env.run("menuLockYear", { as: OWNER });
          env.run("menuIntegrity", { as: OWNER });
        },
        (env) => [
          JSON.parse(env.properties.getProperty("trang_thai_nam")!).phase,
          summaries(env),
          auditText(env).map((r) => r.replace(/[0-9a-f]{64}|[0-9a-f]{12}|\d\d\/\d\d\/\d{4} \d\d:\d\d/g, "…")),
          env.ui.dialogs.at(-1)!.html.replace(/[0-9a-f]{12,64}|\d\d\/\d\d\/\d{4} \d\d:\d\d/g, "…"),
        ],
      ));
  }

  // Drive may answer a create that made the file with a 500: the retry finds the file by its creation key.
  it("Tạo bản giao ước (500, landed, on each Drive create: the folder, the Doc, the PDF): one of each, as undisturbed", () => {
    const drive = (env: FakeEnv) => [
      env.drive.createdFolders.length,
      env.drive.createdFolders.flatMap((f) => f.files.map((x) => x.name)),
      env.drive.documents.size,
      values(env, "Văn bản").map((r) => [r[1], r[2]]),
      // Folder ids count across the fake's spreadsheets: the two runs' folders differ only there.
      auditText(env).map((r) => r.replace(/folder-\d+/g, "folder-…")),
    ];
    const calm = newEnv();
    filled(calm);
    calm.run("menuPledge", { as: OWNER });
    const env = newEnv();
    filled(env);
    const landed = { status: 500, landed: true } as const;
    env.fail("Drive.Files.create", landed, landed, landed);
    env.run("menuPledge", { as: OWNER });
    expect(env.failed.get("Drive.Files.create")).toBe(3);
    expect(drive(env)).toEqual(drive(calm));
    expect(drive(env)[0]).toBe(1);
  });

  it("Khóa số liệu cuối năm stopped after its write landed, before the state was saved: a rerun finishes it, logged once", () => {
    const env = newEnv();
    filled(env);
    env.run("menuSignPledge", { as: OWNER });
    const locks = () => auditOf(env, "Khóa số liệu cuối năm");
    // The run ends as Apps Script ends it, just before the state is saved.
    env.interleave("Properties.setProperties", () => {
      throw new Error("Exceeded maximum execution time");
    });
    expect(() => env.run("menuLockYear", { as: OWNER })).toThrow(/Exceeded maximum execution time/);
    expect(JSON.parse(env.properties.getProperty("trang_thai_nam")!).phase).toBe("reporting");
    expect(locks()).toHaveLength(1);
    env.run("menuLockYear", { as: OWNER });
    expect(lastAlert(env)).toMatch(/^Đã khóa số liệu năm/);
    expect(locks()).toHaveLength(1);
    env.run("menuIntegrity", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Số liệu khớp hoàn toàn với lúc khóa/);
    // Unlocked and locked again with the same figures: a new lock, a new row.
    env.ui.answers.push({ button: "OK", text: "Sửa số liệu" });
    env.run("menuUnlock", { as: OWNER });
    env.run("menuLockYear", { as: OWNER });
    expect(locks()).toHaveLength(2);
  });

  it("a run Google keeps refusing gives up in Vietnamese, saying nothing changed, and changes nothing", () => {
    const env = newEnv();
    filled(env);
    const before = [summaries(env), auditText(env)];
    env.fail(BATCH, ...Array.from({ length: 7 }, () => ({ status: 429 as const })));
    env.run("menuTongHop", { as: headOf(def) });
    expect(lastAlert(env)).toMatch(
      /^Google chưa nhận Tổng hợp: tài khoản đang chạy đã dùng hết số lần ghi Google cho phép trong một phút \(đã thử 7 lần\)\. Chưa có gì thay đổi; hãy chạy lại sau một phút\.$/,
    );
    expect([summaries(env), auditText(env)]).toEqual(before);
  });

  it("a document whose Văn bản row Google keeps refusing is not lost: the alert gives its links", () => {
    const env = newEnv();
    filled(env);
    env.fail(BATCH, ...Array.from({ length: 7 }, () => ({ status: 429 as const })));
    env.run("menuPledge", { as: OWNER });
    const doc = [...env.drive.documents.values()].at(-1)!;
    expect(doc.name).toBe("Giao ước thi đua năm 2023 (bản 1)");
    expect(lastAlert(env)).toMatch(
      /^Google chưa nhận dòng của Giao ước thi đua năm 2023 \(bản 1\) trên trang "Văn bản" và trang Nhật ký: .*\(đã thử 7 lần\)\. Giao ước thi đua năm 2023 \(bản 1\) đã được tạo \(Google Docs: https:\/\/docs\.google\.com\/document\/d\/doc-\d+\/edit ; PDF: https:\/\/drive\.google\.com\/file\/d\/[\w-]+\/view\) nhưng chưa ghi được dòng của nó trên trang "Văn bản"\. Hãy chép hai đường dẫn này vào trang đó, hoặc tạo lại văn bản sau một phút\.$/,
    );
    expect(lastAlert(env)).toContain(doc.id);
  });

  it("Nhật ký rows Google keeps refusing wait in the head's queue and land with the next flush", () => {
    const env = newEnv();
    filled(env);
    const row = rowOfCode(env, sheetOf("GLA"), "LOP");
    const rows = audit(env).length;
    // Refused with the block, then alone: the row waits for the head.
    env.fail(BATCH, ...Array.from({ length: 7 }, () => ({ status: 503 as const })));
    env.fail(APPEND, ...Array.from({ length: 7 }, () => ({ status: 503 as const })));
    env.run("onEditLog", { runAs: OWNER, event: env.editEvent(sheetOf("GLA"), `F${row}`, 42, editorOf(def, "GLA")) });
    expect(audit(env)).toHaveLength(rows);
    expect(Number(env.properties.getProperty("viec_cho_so_phan"))).toBeGreaterThan(0);
    env.run("flushPending", { runAs: OWNER });
    expect(audit(env)).toHaveLength(rows + 1);
    expect(audit(env).at(-1)!.slice(2, 5)).toEqual(["Sửa ô", sheetOf("GLA"), `F${row}`]);
  });
});

describe("the head's write quota: 60 a minute for every trigger run on the head's account", () => {
  it("twenty schools typing four figures each within 40 seconds lose none of the 80 Nhật ký rows", () => {
    const def = syntheticCluster(20, 4);
    const env = setUpCluster(def, OWNER);
    env.quotas.on = true;
    const start = Date.now() + 3_600_000;
    const rows = audit(env).length;
    let n = 0;
    for (let k = 0; k < 4; k++)
      for (const s of def.schools) {
        const sheet = schoolSheetName(s);
        const row = rowOfCode(env, sheet, `CT${k + 1}`);
        env
          .sheet(sheet)
          .getRange(row, COL.achieved + 1)
          .setValue(k + 1);
        // One edit every half second: 80 within 40 s, each firing the head's onEditLog.
        env.startAt = start + n++ * 500;
        env.run("onEditLog", { runAs: OWNER, event: env.editEvent(sheet, `F${row}`, "", s.editors[0]) });
      }
    // Google did refuse: more than 60 writes fell within one minute (Nhật ký's appends or the status blocks' writes).
    expect((env.failed.get(APPEND) ?? 0) + (env.failed.get(BATCH) ?? 0)).toBeGreaterThan(0);
    // What waited in the queue, if anything, is written by the five-minute trigger.
    env.startAt = start + 300_000;
    env.run("flushPending", { runAs: OWNER });
    const logged = audit(env).slice(rows);
    expect(logged.filter((r) => r[2] === "Sửa ô")).toHaveLength(80);
    expect(new Set(logged.map((r) => r[8])).size).toBe(logged.length);
  }, 600_000);

  it("sixty schools importing inside one flush interval lose no Nhật ký row", () => {
    const def = syntheticCluster(60, 3);
    const env = setUpCluster(def, OWNER);
    fillEveryFigure(env, def);
    env.quotas.on = true;
    const rows = audit(env).length;
    const start = Date.now() + 3_600_000;
    def.schools.forEach((s, i) => {
      env.startAt = start + i * 4_000;
      const changes = Object.fromEntries(def.targets.map((t, j) => [t.code, { note: `Ghi chú ${i}-${j}` }]));
      importAs(env, s.editors[0]!, s.code, changes);
    });
    env.startAt = start + 299_000;
    env.fail(APPEND, { status: 429 });
    env.run("flushPending", { runAs: OWNER });
    const imported = audit(env)
      .slice(rows)
      .filter((r) => r[2] === "Nhập từ Excel");
    expect(imported).toHaveLength(60 * 3);
    expect(env.properties.getProperty("viec_cho_so_phan")).toBeNull();
  }, 600_000);
});

describe("the lock at any size: the snapshot in a hidden, protected sheet, a checked pointer in the properties", () => {
  /** Room left in the property store: a test may leave only a little. */
  const ROOM = 1_200;
  const locked = (tight = false) => {
    const env = newEnv();
    filled(env);
    env.run("menuSignPledge", { as: OWNER });
    if (tight)
      env.limits.storeBytes =
        Object.entries(env.properties.getProperties()).reduce(
          (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
          0,
        ) + ROOM;
    env.run("menuLockYear", { as: OWNER });
    return env;
  };

  it("locks and verifies when the snapshot is larger than the room left in the property store", () => {
    const env = locked(true);
    expect(lastAlert(env)).toMatch(/^Đã khóa số liệu năm/);
    const snapshot = values(env, "Bản khóa")
      .slice(1)
      .map((r) => r[0])
      .join("");
    expect(Buffer.byteLength(snapshot)).toBeGreaterThan(ROOM);
    expect(env.sheet("Bản khóa").hidden).toBe(true);
    expect(JSON.parse(env.properties.getProperty("ban_khoa_tro")!)).toMatchObject({ sheet: "Bản khóa" });
    env.run("menuIntegrity", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Số liệu khớp hoàn toàn với lúc khóa/);
  });

  it("a snapshot sheet edited behind the lock is refused by its pointer's SHA-256", () => {
    const env = locked();
    const cell = env.sheet("Bản khóa").cell(2, 1, true);
    cell.v = String(cell.v).replace("42", "43");
    const before = env.drive.documents.size;
    env.run("menuReport", { as: OWNER });
    expect(lastAlert(env)).toMatch(/Trang "Bản khóa" lưu trong bảng tính bị hỏng hoặc đã bị sửa/);
    expect(env.drive.documents.size).toBe(before);
  });

  it("a lock made by an older version, its snapshot in properties, still reads", () => {
    const env = locked();
    const text = values(env, "Bản khóa")
      .slice(1)
      .map((r) => r[0])
      .join("");
    env.properties.deleteProperty("ban_khoa_tro");
    env.properties.setProperties({ ban_khoa_so_phan: "1", ban_khoa_0: text.slice(0, 8000) });
    if (text.length > 8000) {
      // Chunked as the older version did, by bytes under 8 KB.
      const pieces: string[] = [];
      let at = 0;
      while (at < text.length) {
        let end = at + 2000;
        while (Buffer.byteLength(text.slice(at, end)) > 8 * 1024) end -= 100;
        pieces.push(text.slice(at, end));
        at = end;
      }
      env.properties.setProperties({
        ban_khoa_so_phan: String(pieces.length),
        ...Object.fromEntries(pieces.map((p, i) => [`ban_khoa_${i}`, p])),
      });
    }
    env.run("menuReport", { as: OWNER });
    expect(env.ui.alerts.at(-1)!.title).toMatch(/^Đã tạo Báo cáo tổng kết/);
  });
});

describe("Nhật ký rows carry an identity", () => {
  it("every row has its own; a Nhật ký made before them gets the header at the next set-up", () => {
    const env = newEnv();
    filled(env);
    env.run("menuTongHop", { as: OWNER });
    const rows = audit(env).slice(1);
    expect(rows.every((r) => /^[0-9a-z]+-[0-9a-z]{6}$/.test(String(r[8])))).toBe(true);
    expect(new Set(rows.map((r) => r[8])).size).toBe(rows.length);
    // As an older version left it: eight columns of header.
    env.sheet("Nhật ký").cell(1, 9, true).v = "";
    env.ui.answers.push("YES");
    env.run("menuSetup", { as: OWNER });
    expect(audit(env)[0]![8]).toBe("Mã dòng");
  });
});
