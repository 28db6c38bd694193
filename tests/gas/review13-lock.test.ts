/**
 * Review of issue 13 on the built add-on: the lock, the report and the
 * integrity check after it. Tests marked it.fails demonstrate bugs found in
 * review; each names the bug.
 */
import { describe, expect, it } from "vitest";
import { SUMMARY_SHEET } from "../../src/core/sheets/summary-layout";
import { editorOf, GOOD, newEnv, OWNER, rowOfCode, sample2023, setUp, typeFigures, writeAs } from "./helpers";

const def = sample2023();

function lockedEnv(figuresOf: (code: string) => Record<string, [unknown, unknown]>) {
  const env = newEnv();
  setUp(env);
  for (const s of def.schools) typeFigures(env, def, s.code, figuresOf(s.code));
  env.run("menuSignPledge", { as: OWNER });
  env.run("menuLockYear", { as: OWNER });
  expect(env.ui.alerts.at(-1)!.message).toMatch(/Đã khóa số liệu năm 2023/);
  return env;
}

describe("review13: after the lock", () => {
  // BUG (pipeline.ts reportsFromFigures:120 drops a school whose kept figures are all empty, but freeze.ts hashed
  // it): Kon Tum typed one percent as 2 (200 %, refused) and nothing else. The lock succeeds and prints a code;
  // from then on every report is refused and the integrity check accuses the kept copy of having been edited.
  it("a lock taken with one school's only figure refused still gives a report", () => {
    const env = lockedEnv((code) => (code === "KTU" ? { HTTNV: [2, ""] } : GOOD));
    const before = env.drive.documents.size;
    env.run("menuReport", { as: OWNER });
    expect(env.ui.alerts.at(-1)!.message).not.toMatch(/bản lưu đã bị sửa/);
    expect(env.drive.documents.size).toBe(before + 1);
  });

  it("…and the integrity check right after that lock finds nothing changed", () => {
    const env = lockedEnv((code) => (code === "KTU" ? { HTTNV: [2, ""] } : GOOD));
    env.run("menuIntegrity", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Số liệu khớp hoàn toàn với lúc khóa/);
  });

  // BUG (tong-hop.ts runTongHop default verdict = live sheets; menuTongHop is not refused when locked): the owner,
  // who keeps edit rights after the lock, changes a locked figure and runs Tổng hợp: the Tổng hợp written at the
  // lock from the frozen verdict is replaced by live figures that were never hashed.
  it("Tổng hợp run after the lock shows the frozen figures (or is refused), never live ones", () => {
    const env = lockedEnv(() => GOOD);
    writeAs(env, OWNER, "Kon Tum", `F${rowOfCode(env, "Kon Tum", "LOP")}`, 97);
    env.run("menuTongHop", { as: OWNER });
    const lop = env
      .sheet(SUMMARY_SHEET)
      .getDataRangeRaw()
      .getValues()
      .find((r) => r.includes("LOP"))!;
    // 10 schools × 42 classes were locked; the live sheets say 9 × 42 + 97 = 475.
    expect(lop).not.toContain(475);
  });

  // BUG (integrity.ts:42 prints canonicalValue, the hashing form): people read "95.5" and "2950" — an English
  // decimal point and no thousands dot — instead of "95,5 %" and "2.950".
  it("the integrity check prints figures the Vietnamese way", () => {
    const env = lockedEnv(() => GOOD);
    writeAs(env, OWNER, "Gia Lai", `F${rowOfCode(env, "Gia Lai", "HTTNV")}`, 0.96);
    env.run("menuIntegrity", { as: OWNER });
    const html = env.ui.dialogs.at(-1)!.html;
    expect(html).toContain("1 điểm khác so với lúc khóa");
    expect(html).not.toMatch(/95\.5/);
    expect(html).toMatch(/95,5 %/);
  });

  // Was BUG (year-lock.ts:38-39: runTongHop writes the sheets and its Nhật ký row before saveSnapshot, which may
  // refuse): long notes (a cell holds 50.000 characters) pushed the kept snapshot past the 500 KB property store.
  // The snapshot now lives in the hidden sheet "Bản khóa" (issue 20): the lock succeeds and verifies.
  it("a lock whose snapshot is larger than the property store succeeds and verifies", () => {
    const env = newEnv();
    setUp(env);
    for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
    const long = "Ghi chú rất dài của nhà trường. ".repeat(1400);
    for (const code of ["LOP", "HOCVIEN", "DETAI_TINH", "DETAI_TRUONG", "HOITHAO", "HTTNV", "CHUAN"])
      for (const sheet of ["Gia Lai", "Kon Tum"]) writeAs(env, OWNER, sheet, `G${rowOfCode(env, sheet, code)}`, long);
    env.run("menuSignPledge", { as: OWNER });
    env.run("menuLockYear", { as: OWNER });
    expect(env.ui.alerts.at(-1)!.message).toMatch(/^Đã khóa số liệu năm/);
    const kept = env
      .sheet("Bản khóa")
      .getDataRangeRaw()
      .getValues()
      .slice(1)
      .map((r) => String(r[0]))
      .join("");
    expect(Buffer.byteLength(kept)).toBeGreaterThan(500 * 1024);
    env.run("menuIntegrity", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toMatch(/Số liệu khớp hoàn toàn với lúc khóa/);
  });

  // BUG (year-lock.ts menuLockYear / lifecycle.ts lockYear never compare the frozen school prints with the prints
  // each school confirmed): after every school confirmed, a figure is changed on a confirmed sheet (the owner and
  // the head keep edit rights); the lock asks nothing and logs "Mọi trường đã xác nhận" over figures one school
  // never confirmed.
  it("a school whose figures changed after its confirmation is not locked as confirmed", () => {
    const env = newEnv();
    setUp(env);
    for (const s of def.schools) typeFigures(env, def, s.code, GOOD);
    env.run("menuSignPledge", { as: OWNER });
    for (const s of def.schools) {
      // The head's editor is asked which school it confirms.
      if (s.role === "head") env.ui.answers.push({ button: "OK", text: s.code });
      env.run("menuConfirm", { as: editorOf(def, s.code) });
    }
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Đã xác nhận số liệu/);
    writeAs(env, OWNER, "Kon Tum", `F${rowOfCode(env, "Kon Tum", "LOP")}`, 97);
    env.ui.answers.push("NO");
    env.run("menuLockYear", { as: OWNER });
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues().flat().join("\n");
    expect(log).not.toMatch(/Mọi trường đã xác nhận/);
  });
});
