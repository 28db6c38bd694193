import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalCluster,
  canonicalSchool,
  canonicalValue,
  diffFigures,
  shortPrint,
  toHex,
} from "../../src/core/lock/fingerprint";
import { freezeYear, thawYear } from "../../src/core/lock/freeze";
import {
  confirmSchool,
  initialState,
  lockYear,
  reopenSchool,
  schoolEditRights,
  signPledge,
  unlockYear,
  type Actor,
  type YearState,
} from "../../src/core/lock/lifecycle";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";

const def = sampleDefinition("cum-7-tay-nguyen-2020");
const head: Actor = { email: "head@x.vn", role: "head" };
const owner: Actor = { email: "owner@x.vn", role: "owner" };
const ktu: Actor = { email: "ktu@x.vn", role: "school", school: "KTU" };
const stranger: Actor = { email: "", role: "unknown" };
const at = "23/11/2020 09:00";

function ok(r: ReturnType<typeof signPledge>): YearState {
  if (!r.ok) throw new Error(r.message);
  return r.state;
}
function refused(r: ReturnType<typeof signPledge>): string {
  if (r.ok) throw new Error("accepted");
  return r.message;
}

describe("lifecycle", () => {
  const reporting = ok(signPledge(initialState(), head, at));

  it("the pledge freezes Đăng ký and opens the report; only the head records it, once", () => {
    expect(schoolEditRights(initialState(), "KTU")).toEqual({ registered: true, achieved: true, note: true });
    expect(schoolEditRights(reporting, "KTU")).toEqual({ registered: false, achieved: true, note: true });
    const headOnly = "Chỉ trường Cụm trưởng ghi nhận việc ký giao ước.";
    expect(refused(signPledge(initialState(), ktu, at))).toBe(headOnly);
    expect(refused(signPledge(reporting, head, at))).toMatch(/Giao ước đã được ghi nhận/);
  });
  it("a school confirms its own valid figures; they become read-only for it", () => {
    const s = ok(confirmSchool(def, reporting, ktu, "KTU", "abc", true, at));
    expect(s.confirmed.KTU).toEqual({ by: "ktu@x.vn", at, fingerprint: "abc" });
    expect(schoolEditRights(s, "KTU")).toEqual({ registered: false, achieved: false, note: false });
    expect(schoolEditRights(s, "GLA").achieved).toBe(true);
  });
  it("refuses confirming before the pledge, another school, invalid figures, twice, or as a stranger", () => {
    expect(refused(confirmSchool(def, initialState(), ktu, "KTU", "x", true, at))).toMatch(
      /Chưa đến giai đoạn báo cáo/,
    );
    expect(refused(confirmSchool(def, reporting, ktu, "GLA", "x", true, at))).toBe(
      "Tài khoản ktu@x.vn chỉ xác nhận được số liệu của Trường Chính trị tỉnh Kon Tum.",
    );
    const notReady = /còn lỗi hoặc còn thiếu/;
    expect(refused(confirmSchool(def, reporting, ktu, "KTU", "x", false, at))).toMatch(notReady);
    const once = ok(confirmSchool(def, reporting, ktu, "KTU", "x", true, at));
    expect(refused(confirmSchool(def, once, ktu, "KTU", "x", true, at))).toMatch(/đã xác nhận số liệu lúc/);
    expect(refused(confirmSchool(def, reporting, stranger, "KTU", "x", true, at))).toMatch(
      /Chỉ người nhập liệu của trường hoặc trường Cụm trưởng/,
    );
  });
  it("locks only when every school confirmed, or with an override naming exactly the rest", () => {
    let s = reporting;
    for (const code of ["DNO", "KTU", "GLA"]) s = ok(confirmSchool(def, s, head, code, code, true, at));
    expect(refused(lockYear(def, s, head, "f", at))).toBe(
      "Còn 2 trường chưa xác nhận: Trường Chính trị tỉnh Đắk Lắk, Trường " +
        "Chính trị tỉnh Lâm Đồng. Hãy đợi các trường xác nhận, hoặc khóa có ghi " +
        "rõ các trường này.",
    );
    expect(refused(lockYear(def, s, head, "f", at, ["DLK"]))).toMatch(/Còn 2 trường/);
    expect(refused(lockYear(def, s, ktu, "f", at, ["DLK", "LDO"]))).toBe(
      "Chỉ trường Cụm trưởng khóa số liệu cuối năm.",
    );
    const locked = ok(lockYear(def, s, owner, "f", at, ["LDO", "DLK"]));
    expect(locked.lock).toEqual({ by: "owner@x.vn", at, fingerprint: "f", unconfirmed: ["DLK", "LDO"] });
    expect(schoolEditRights(locked, "DLK")).toEqual({ registered: false, achieved: false, note: false });
    expect(refused(lockYear(def, locked, head, "f", at))).toMatch(/Số liệu đã khóa lúc/);
    expect(refused(confirmSchool(def, locked, head, "DLK", "x", true, at))).toMatch(/đã khóa/);
    expect(refused(lockYear(def, initialState(), head, "f", at))).toMatch(/chưa có gì để khóa/);
  });
  it("unlocks only with a reason, back to reporting with the confirmations kept", () => {
    let s = reporting;
    for (const sc of def.schools) s = ok(confirmSchool(def, s, head, sc.code, sc.code, true, at));
    const locked = ok(lockYear(def, s, head, "f", at));
    const needsReason = "Mở khóa cần ghi lý do; lý do được lưu vào Nhật ký.";
    expect(refused(unlockYear(locked, head, "  "))).toBe(needsReason);
    const headOnly = "Chỉ trường Cụm trưởng mở khóa số liệu.";
    expect(refused(unlockYear(locked, ktu, "sửa số"))).toBe(headOnly);
    expect(refused(unlockYear(reporting, head, "x"))).toBe("Số liệu đang không bị khóa.");
    const open = ok(unlockYear(locked, head, "Kon Tum báo sai số lớp"));
    expect(open.phase).toBe("reporting");
    expect(open.lock).toBeUndefined();
    expect(Object.keys(open.confirmed)).toHaveLength(5);
    expect(refused(reopenSchool(def, open, head, "KTU", ""))).toMatch(/Cần ghi lý do/);
    expect(ok(reopenSchool(def, open, head, "KTU", "sửa số lớp")).confirmed.KTU).toBeUndefined();
    expect(refused(reopenSchool(def, open, ktu, "KTU", "x"))).toMatch(/Chỉ trường Cụm trưởng/);
  });
});

describe("fingerprints", () => {
  const subs = sampleSubmissions(def);
  const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

  it("write values the same way everywhere", () => {
    expect(canonicalValue(0.1 + 0.2)).toBe("0.3");
    expect(canonicalValue(-0)).toBe("0");
    expect(canonicalValue(true)).toBe("Đạt");
    expect(canonicalValue(null)).toBe("");
    expect(canonicalValue("Ghi\tchú".normalize("NFD"))).toBe("Ghi chú");
  });
  it("change with any figure and name the field that changed", () => {
    const dlk = subs.find((s) => s.school === "DLK")!.figures!;
    const changed = structuredClone(dlk);
    changed.rows.find((f) => f.code === "LOP")!.achieved = 67;
    expect(sha(canonicalSchool(def, changed))).not.toBe(sha(canonicalSchool(def, dlk)));
    expect(diffFigures(def, dlk, changed)).toEqual([
      { target: "LOP", field: "achieved", locked: "66", now: "67", lockedShown: "66", nowShown: "67" },
    ]);
    expect(shortPrint(sha(canonicalSchool(def, dlk)))).toHaveLength(12);
  });
  it("turn signed digest bytes into the same hex", () => {
    const bytes = [...createHash("sha256").update("x").digest()];
    expect(toHex(bytes.map((b) => (b > 127 ? b - 256 : b)))).toBe(toHex(bytes));
  });
  it("cover the whole cluster and survive the snapshot round trip", () => {
    const figures = subs.map((s) => s.figures!);
    const prints = Object.fromEntries(figures.map((f) => [f.school, sha(canonicalSchool(def, f))]));
    const cluster = sha(canonicalCluster(def, prints));
    const reports = subs.map((s) => ({
      school: def.schools.find((x) => x.code === s.school)!,
      sheet: s.school,
      figures: s.figures!,
      problems: [],
      blank: false,
      cells: new Map(),
    }));
    const year = freezeYear(def, reports, sha);
    expect(year.fingerprint).toBe(cluster);
    expect(thawYear(def, year.snapshot, sha).fingerprint).toBe(cluster);
  });
});
