import { describe, expect, it } from "vitest";
import { PROTECTED_MESSAGE } from "../fake-gas/spreadsheet";
import { editorOf, GOOD, headOf, newEnv, OWNER, sample2023, setUp, typeFigures, writeAs } from "./helpers";

const def = sample2023();
const env = newEnv();
setUp(env);
// Classes taught decide the ranking: Lâm Đồng first, Đắk Nông second, Đắk Lắk third, …
def.schools.forEach((s, i) => typeFigures(env, def, s.code, { ...GOOD, LOP: [40, 40 + i] }));
env.run("menuSignPledge", { as: headOf(def) });
env.ui.answers.push("YES");
env.run("menuLockYear", { as: headOf(def) });

// The board: staff of two member schools, already editors of the spreadsheet.
const BOARD = [editorOf(def, "BDI"), editorOf(def, "KTU")];
const SHEET = "Kiểm phiếu";
const lastAlert = () => env.ui.alerts.at(-1)!.message;
const grid = () => env.sheet(SHEET).getDataRangeRaw().getValues();
const a1 = (row: number, col: number) => `${String.fromCharCode(65 + col)}${row + 1}`;
const VOTES: Record<string, Record<string, number>> = {
  DAN_DAU: { LDO: 8, DNO: 2 },
  CO_HV: { LDO: 9, DNO: 2 },
  CO_CP: { LDO: 7, DNO: 1 },
  BK_HV: { DLK: 6, GLA: 7, KTU: 2 },
  CUM_TRUONG: { BDI: 2, KTU: 8 },
  CUM_PHO: { LDO: 7, DNO: 6, GLA: 3 },
};

/** The board fills the sheet cell by cell, as people would; protections decide who may. */
function fill(as: string, votes = VOTES): void {
  const g = grid();
  const at = (label: string) => g.findIndex((r) => r[0] === label);
  writeAs(env, as, SHEET, a1(at("Thư ký"), 1), "Trần Thị Thư Ký");
  writeAs(env, as, SHEET, a1(at("Ban kiểm phiếu"), 1), "Phan Văn Huệ; Đặng Luận");
  g.forEach((r, i) => {
    const item = votes[String(r[0])];
    if (!item) return;
    // A ballots row leaves its third cell empty; a votes row names a school there.
    if (r[2] === "") [10, 10, 10, 0].forEach((n, k) => writeAs(env, as, SHEET, a1(i, 2 + k), n));
    else if (String(r[2]) in item) writeAs(env, as, SHEET, a1(i, 5), item[String(r[2])]!);
  });
}

describe("Bình xét online, after the lock", () => {
  it("only the head school opens the count, and only after the lock", () => {
    env.run("menuReviewSheet", { as: editorOf(def, "GLA") });
    expect(lastAlert()).toMatch(/^Chỉ trường Cụm trưởng tổ chức bình xét\./);
  });

  it("makes the count sheet that only the head and the board may fill, and the ballots", () => {
    env.ui.answers.push({ button: "OK", text: "20/11/2023" }, { button: "OK", text: BOARD.join(", ") });
    env.run("menuReviewSheet", { as: headOf(def) });
    expect(lastAlert()).toMatch(/^Đã tạo trang "Kiểm phiếu" và Phiếu bầu bình xét năm 2023 \(bản 1\)/);
    const candidates = grid()
      .filter((r) => r[0] === "DAN_DAU" && r[2] !== "")
      .map((r) => r[2]);
    expect(candidates).toEqual(["LDO", "DNO"]);
    expect(() => writeAs(env, editorOf(def, "GLA"), SHEET, "B8", "x")).toThrow(PROTECTED_MESSAGE);
    fill(BOARD[0]!);
    const ballots = [...env.drive.documents.values()].at(-1)!;
    expect(ballots.body.texts().filter((t: string) => t === "PHIẾU BẦU")).toHaveLength(1);
  });

  it("refuses a count with more votes than valid ballots, naming the cell, and makes nothing", () => {
    const docs = env.drive.documents.size;
    const row = grid().findIndex((r) => r[0] === "CO_CP" && r[2] === "LDO");
    writeAs(env, BOARD[1]!, SHEET, a1(row, 5), 11);
    env.run("menuReviewDocuments", { as: headOf(def) });
    expect(lastAlert()).toContain(
      `Kiểm phiếu!F${row + 1}: Cờ thi đua của Chính phủ, Trường Chính trị tỉnh Lâm Đồng: 11 phiếu đồng ý, nhiều hơn 10 phiếu hợp lệ. Hãy kiểm lại.`,
    );
    expect(env.drive.documents.size).toBe(docs);
    writeAs(env, BOARD[1]!, SHEET, a1(row, 5), 7);
  });

  it("makes the documents and keeps the record; the Government's flag proposal is recorded for the Academy", () => {
    env.run("menuReviewDocuments", { as: headOf(def) });
    expect(lastAlert()).toMatch(
      /^Đã lập 6 văn bản bình xét .* Mã kiểm tra biên bản bình xét: [0-9a-f]{12}\. Cụm trưởng năm 2024: Trường Chính trị tỉnh Kon Tum\.$/,
    );
    const docs = [...env.drive.documents.values()].slice(-6).map((d) => d.body.texts().join("\n"));
    const count = docs.find((t) => t.includes("BIÊN BẢN KIỂM PHIẾU"))!;
    // The cap counts over the Academy's whole pool: the cluster records its proposal and cuts nothing.
    expect(count).not.toContain("Vượt số lượng");
    expect(count).toContain("7/10");
    const log = env.sheet("Nhật ký").getDataRangeRaw().getValues().at(-1)!;
    expect(log[2]).toBe("Bình xét: lập văn bản");
    expect(log[7]).toContain("Học viện áp dụng khi tổng hợp");
  });

  it("Kiểm tra toàn vẹn covers the record: a result edited afterwards is caught", () => {
    env.run("menuIntegrity", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toContain("Số liệu khớp hoàn toàn với lúc khóa");
    const key = [...env.properties.store.keys()].find(
      (k) => k.startsWith("binh_xet_") && env.properties.store.get(k)!.includes('"nextHead": "KTU"'),
    )!;
    env.properties.store.set(key, env.properties.store.get(key)!.replace('"nextHead": "KTU"', '"nextHead": "BDI"'));
    env.run("menuIntegrity", { as: OWNER });
    expect(env.ui.dialogs.at(-1)!.html).toContain(
      "Biên bản bình xét: nội dung biên bản bình xét không khớp mã kiểm tra",
    );
  });
});
