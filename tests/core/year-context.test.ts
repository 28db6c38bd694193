/**
 * The year context (src/core/register/year-context.ts) and the review checks that read it: who exists and is a member
 * on a day, the posts, the law and the place; the count's totals and duplicate rows, the tie rule, the Government's
 * flag, the meeting's day, rules blamed on the rules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openNewYear } from "../../src/core/register/new-year";
import { checkRegister, loadRegisterJson, type ClusterRegister } from "../../src/core/register/register";
import { definitionOnDay, rankingOnDay, yearContext } from "../../src/core/register/year-context";
import { itemSeats, proposeCandidates, votedItems } from "../../src/core/review/candidates";
import { decideReview } from "../../src/core/review/decide";
import { ruleSetFor } from "../../src/core/review/rules";
import { checkTally, meetingDateProblem, rulesAgainstCluster } from "../../src/core/review/tally";
import { meetingRules, sample2023, tally2023, VOTES_2023 } from "../helpers/review";
import { ROOT, sampleDefinition } from "../helpers/samples";

const registerText = () =>
  readFileSync(join(ROOT, "sheets-templates", "register", "nam-trung-bo-tay-nguyen.json"), "utf8");
const register = (): ClusterRegister => loadRegisterJson(registerText());
const def2025 = () => sampleDefinition("nam-trung-bo-tay-nguyen-2025");

describe("the year context", () => {
  it("after the 2025 mergers names only the schools that exist, with the successors in the posts", () => {
    const ctx = yearContext({ definition: def2025(), register: register(), date: "2025-11-20" });
    expect(ctx.members.map((m) => m.code).sort()).toEqual(["DLK", "GLA", "KHH", "LDO", "QNG"]);
    // Bình Định (head) merged into Gia Lai, Phú Yên (deputy) into Đắk Lắk.
    expect(ctx.head).toBe("GLA");
    expect(ctx.deputies).toEqual(["DLK"]);
    expect(ctx.place).toBe("Gia Lai");
    expect(ctx.rules.id).toBe("nd-152-2025");
    expect(ctx.legalBases[1]).toMatch(/^Căn cứ Nghị định số 152\/2025\/NĐ-CP/);
    expect(ctx.members.find((m) => m.code === "QNG")!.standsFor).toEqual(["KTU"]);
    const gone = ctx.gone.map((g) => g.code).sort();
    expect(gone).toEqual(["BDI", "DNO", "KTU", "PYE", "QNA"]);
    expect(ctx.taken.join("\n")).toContain(
      "Trường Chính trị tỉnh Kon Tum (KTU) hoạt động đến hết 30/06/2025, sáp nhập vào Trường Chính trị tỉnh " +
        "Quảng Ngãi từ 01/07/2025; Trường Chính trị tỉnh Quảng Ngãi thay mặt và mang số liệu của trường.",
    );
    expect(ctx.taken.join("\n")).toContain(
      "Trường Chính trị tỉnh Quảng Nam (QNA) hoạt động đến hết 30/06/2025, sáp nhập vào Trường Chính trị thành " +
        "phố Đà Nẵng từ 01/07/2025; Trường Chính trị thành phố Đà Nẵng không thuộc Cụm",
    );
  });
  it("the day before the mergers keeps the ten schools, Bình Định as head and the 2023 law", () => {
    const ctx = yearContext({ definition: def2025(), register: register(), date: "2025-06-30" });
    expect(ctx.members).toHaveLength(10);
    expect(ctx.head).toBe("BDI");
    expect(ctx.place).toBe("Bình Định");
    expect(ctx.rules.id).toBe("luat-06-2022-nd-98-2023");
  });
  it("gives the meeting a definition and a ranking of that day only", () => {
    const def = def2025();
    const ctx = yearContext({ definition: def, register: register(), date: "2025-11-20" });
    const onDay = definitionOnDay(def, ctx);
    expect(onDay.schools.map((s) => s.code).sort()).toEqual(["DLK", "GLA", "KHH", "LDO", "QNG"]);
    expect(onDay.signing.place).toBe("Gia Lai");
    const { ranking } = sample2023();
    const kept = rankingOnDay(ranking, ctx);
    expect(kept.ranked.map((r) => r.school)).toEqual(
      ranking.ranked.map((r) => r.school).filter((c) => ["DLK", "GLA", "KHH", "LDO", "QNG"].includes(c)),
    );
    expect(kept.ranked[0]!.rank).toBe(1);
  });
});

describe("opening a year from the context", () => {
  it("2023 → 2024 cites the 2022 law and Decree 98, signs in the new head's province", () => {
    const opened = openNewYear(sampleDefinition(), register(), 2024);
    expect(opened.definition.legalBases.join("\n")).not.toMatch(/2003|91\/2017/);
    expect(opened.definition.legalBases[0]).toBe("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022");
    expect(opened.definition.legalBases[1]).toMatch(/Nghị định số 98\/2023\/NĐ-CP/);
    // The cluster's own bases (the Academy's guidance, the Quy chế) stay.
    expect(opened.definition.legalBases.at(-1)).toMatch(/^Căn cứ Quy chế tổ chức và hoạt động của Cụm/);
    expect(opened.definition.signing.place).toBe("Kon Tum");
  });
  it("2025 → 2026 signs in Gia Lai under Decree 152", () => {
    const opened = openNewYear(def2025(), register(), 2026);
    expect(opened.definition.signing.place).toBe("Gia Lai");
    expect(opened.definition.legalBases.join("\n")).toMatch(/152\/2025/);
    expect(opened.definition.legalBases.join("\n")).not.toMatch(/98\/2023/);
  });
  it("refuses to skip a year", () => {
    expect(() => openNewYear(def2025(), register(), 2027)).toThrow(/năm 2026 bị bỏ qua/);
  });
});

describe("the register", () => {
  it("refuses merges that contradict the bundled 63 → 34 table, naming the table's successor", () => {
    const raw = JSON.parse(registerText());
    raw.merges.find((m: { predecessors: string[] }) => m.predecessors.includes("PYE")).successor = "GLA";
    const r = checkRegister(raw);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.problems.join("\n")).toContain(
      "Trường Chính trị tỉnh Phú Yên (PYE) sáp nhập vào Trường Chính trị tỉnh Gia Lai, nhưng tỉnh Phú Yên hợp " +
        "vào Đắk Lắk, không phải Gia Lai",
    );
  });
  it("reads names typed in decomposed Unicode (NFD) as the same names", () => {
    const nfd = JSON.parse(registerText().normalize("NFD"));
    const r = checkRegister(nfd);
    expect(r.ok).toBe(true);
    expect(r.ok && r.register).toEqual(register());
  });
});

describe("the count and the result", () => {
  const { def, ranking } = sample2023();
  const rules = meetingRules();
  const candidates = proposeCandidates(def, ranking, rules);

  it("refuses an item whose votes add up to more than valid ballots × places", () => {
    const t = tally2023({ ...VOTES_2023, leader: { LDO: 8, PYE: 8, KTU: 4 } });
    const problems = checkTally(def, rules, candidates, t);
    expect(problems.map((p) => `${p.cell} ${p.message}`)).toEqual([
      "E1 Đơn vị dẫn đầu Cụm thi đua năm 2023: tổng số phiếu đồng ý là 20, nhiều hơn 9 phiếu hợp lệ × 2 " +
        "(mỗi phiếu chọn không quá 2) = 18. Hãy kiểm lại số phiếu của mục này.",
    ]);
  });
  it("refuses a second row for one candidate, naming both cells", () => {
    const t = tally2023();
    const ldo = t.votes.find((v) => v.item === "leader" && v.school === "LDO")!;
    t.votes.push({ ...ldo, votes: { value: 0, cell: "F40" } });
    const problems = checkTally(def, rules, candidates, t);
    expect(problems.map((p) => p.message)).toContain(
      "Đơn vị dẫn đầu Cụm thi đua năm 2023: Trường Chính trị tỉnh Lâm Đồng có hai dòng số phiếu (ô H1 và F40); " +
        "mỗi trường một dòng mỗi mục. Hãy gộp thành một dòng.",
    );
  });
  it("a strictly higher locked total takes the place; only the equal ones vote again", () => {
    const scored = structuredClone(ranking);
    for (const r of scored.ranked)
      r.total = r.school === "LDO" ? 80 : r.school === "PYE" || r.school === "KTU" ? 70 : 10;
    const r = decideReview(def, scored, rules, candidates, tally2023());
    const leader = r.items.find((i) => i.item === "leader")!;
    const outcome = (c: string) => leader.candidates.find((x) => x.school === c)!;
    expect(outcome("LDO").outcome).toBe("passed");
    expect(outcome("LDO").line).toContain("80,00 điểm, cao hơn Trường Chính trị tỉnh Phú Yên (70,00 điểm)");
    expect(outcome("PYE").outcome).toBe("tieUnresolved");
    expect(outcome("KTU").outcome).toBe("tieUnresolved");
    expect(outcome("PYE").line).toContain(
      "70,00 điểm bằng tổng điểm của Trường Chính trị tỉnh Kon Tum (70,00 điểm): Hội nghị bỏ phiếu lại giữa các " +
        "đơn vị này cho 1 chỗ còn lại",
    );
    expect(r.leaders).toEqual(["LDO"]);
    expect(r.revote).toEqual(["leader"]);
  });
  it("records every Government-flag proposal when the rules give no pool, and asks no vote with no seat", () => {
    const own = structuredClone(rules);
    own.params.govFlagLeaderBase.value = null;
    expect(itemSeats("govFlag", own)).toBeNull();
    const list = proposeCandidates(def, ranking, own);
    const r = decideReview(def, ranking, own, list, tally2023({ ...VOTES_2023, govFlag: { LDO: 7, PYE: 7 } }));
    expect(r.awards.govFlag).toEqual(["LDO", "PYE"]);
    const gov = r.items.find((i) => i.item === "govFlag")!;
    expect(gov.seats).toBeNull();
    expect(gov.lines[1]).toMatch(/Học viện áp dụng khi tổng hợp/);
    // The exported default rules: one leader, no pool → the proposal is recorded, not cut to 0.
    const defaults = ruleSetFor("2023-11-20");
    expect(votedItems(defaults)).toContain("govFlag");
    // A pool too small for one flag: no ballot, no candidate.
    const tiny = structuredClone(rules);
    tiny.params.govFlagLeaderBase.value = 2;
    expect(votedItems(tiny)).not.toContain("govFlag");
    expect(proposeCandidates(def, ranking, tiny).some((c) => c.item === "govFlag")).toBe(false);
  });
  it("dates the meeting between the lock and today, written the Vietnamese way", () => {
    const bounds = { year: 2023, lockedOn: "2023-11-15", today: "2023-12-01" };
    expect(meetingDateProblem("2023-11-20", bounds)).toBeUndefined();
    expect(meetingDateProblem("2023-11-10", bounds)).toBe(
      "Ngày họp 10/11/2023 ở trước ngày khóa số liệu 15/11/2023: Hội nghị bình xét trên số liệu đã khóa, nên " +
        "họp từ ngày khóa trở đi. Hãy sửa ngày họp.",
    );
    expect(meetingDateProblem("2023-12-02", bounds)).toMatch(/^Ngày họp 02\/12\/2023 ở sau hôm nay \(01\/12\/2023\)/);
  });
  it("blames too many deputies on the rules", () => {
    const many = structuredClone(rules);
    many.params.deputiesPerCluster.value = 12;
    expect(rulesAgainstCluster(def, many)).toEqual([
      'bộ quy tắc "nd-91-2017": số Cụm phó là 12, nhưng Cụm chỉ có 10 trường, một trường là Cụm trưởng; ' +
        "Cụm phó nhiều nhất 9.",
    ]);
  });
});
