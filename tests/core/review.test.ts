import { describe, expect, it } from "vitest";
import { applyChanges, proposeCandidates } from "../../src/core/review/candidates";
import { decideReview, explainReview } from "../../src/core/review/decide";
import { DEFAULT_RULE_SETS, loadRuleSets, RuleSetError, ruleSetFor } from "../../src/core/review/rules";
import { checkTally } from "../../src/core/review/tally";
import { meetingRules, sample2023, tally2023, VOTES_2023 } from "../helpers/review";

const { def, ranking } = sample2023();

describe("rule sets", () => {
  it("the meeting's date picks the law in force", () => {
    expect(ruleSetFor("2023-11-20").id).toBe("nd-91-2017");
    expect(ruleSetFor("2023-12-31").id).toBe("nd-91-2017");
    expect(ruleSetFor("2024-01-01").id).toBe("luat-06-2022-nd-98-2023");
    expect(ruleSetFor("2025-06-30").id).toBe("luat-06-2022-nd-98-2023");
    expect(ruleSetFor("2025-11-20").id).toBe("nd-152-2025");
  });
  const sourcesTitle =
    "every parameter names its source and whether it is confirmed; the 20 % cap is confirmed " + "only under Decree 91";
  it(sourcesTitle, () => {
    for (const set of DEFAULT_RULE_SETS)
      for (const p of Object.values(set.params)) expect(p.source.length).toBeGreaterThan(10);
    expect(ruleSetFor("2023-11-20").params.govFlagMaxShare.unconfirmed).toBe(false);
    expect(ruleSetFor("2024-11-20").params.govFlagMaxShare.unconfirmed).toBe(true);
    expect(ruleSetFor("2023-11-20").params.selfVoteAllowed.unconfirmed).toBe(true);
  });
  it("built-in sets pass their own schema; a bad value or overlapping dates are named", () => {
    expect(loadRuleSets(JSON.parse(JSON.stringify(DEFAULT_RULE_SETS)))).toHaveLength(3);
    const bad = JSON.parse(JSON.stringify(DEFAULT_RULE_SETS));
    bad[0].params.passShare.value = 1.5;
    const tooBigHead = 'mục "[0].params.passShare.value" (tỷ lệ phiếu cần đạt): phải nhỏ hơn ';
    const tooBig = tooBigHead + "hoặc bằng 1, nhận được 1,5.";
    expect(() => loadRuleSets(bad)).toThrow(tooBig);
    expect(() => loadRuleSets({})).toThrow('mục "(gốc)": cần kiểu danh sách, nhận được Object.');
    const overlap = JSON.parse(JSON.stringify(DEFAULT_RULE_SETS));
    overlap[0].to = "2024-03-01";
    expect(() => loadRuleSets(overlap)).toThrow(RuleSetError);
    expect(() => ruleSetFor("2010-01-01")).toThrow(/không có bộ quy tắc nào áp dụng cho ngày 01\/01\/2010/);
  });
});

describe("candidates", () => {
  const rules = meetingRules();
  it("come from the ranking, each with its place and score", () => {
    const list = proposeCandidates(def, ranking, rules);
    expect(list.filter((c) => c.item === "leader").map((c) => c.school)).toEqual(["LDO", "PYE", "KTU"]);
    expect(list.filter((c) => c.item === "academyMerit").map((c) => c.school)).toEqual(["BDI", "DNO"]);
    expect(list.filter((c) => c.item === "head").map((c) => c.school)).toEqual(["BDI", "KTU"]);
    expect(list.filter((c) => c.item === "deputy").map((c) => c.school)).toEqual(["LDO", "PYE", "DNO"]);
    const why = "xếp hạng 1 (79,31 điểm) trong bảng xếp hạng năm 2023";
    expect(list.find((c) => c.item === "leader")!.why).toBe(why);
  });
  it("the head school adds or removes with a reason; without one it is refused", () => {
    const proposed = proposeCandidates(def, ranking, rules);
    const { candidates, problems } = applyChanges(def, proposed, [
      { action: "add", item: "academyMerit", school: "gla", reason: "Đăng cai Hội thao khu vực" },
      { action: "remove", item: "academyMerit", school: "DNO", reason: "Trường xin rút" },
      { action: "add", item: "academyMerit", school: "KHH", reason: "  " },
    ]);
    expect(candidates.filter((c) => c.item === "academyMerit").map((c) => c.school)).toEqual(["BDI", "GLA"]);
    const why = "Cụm trưởng bổ sung: Đăng cai Hội thao khu vực";
    expect(candidates.find((c) => c.school === "GLA")!.why).toBe(why);
    const noReasonHead = "Thêm KHH (Bằng khen của Giám đốc Học viện Chính trị quốc gia ";
    const noReason = noReasonHead + "Hồ Chí Minh): cần ghi lý do.";
    expect(problems).toEqual([noReason]);
  });
});

describe("the 2023 meeting", () => {
  const rules = meetingRules();
  const candidates = proposeCandidates(def, ranking, rules);
  const tally = tally2023();

  it("a sound tally passes the checks", () => {
    expect(checkTally(def, rules, candidates, tally)).toEqual([]);
  });

  it("passes some, breaks the leader tie by score, caps the Government's flag at the pool the rules give", () => {
    const r = decideReview(def, ranking, rules, candidates, tally);
    expect(r.ruleSet.id).toBe("nd-91-2017");
    expect(r.leaders).toEqual(["LDO", "PYE"]);
    const leader = r.items.find((i) => i.item === "leader")!;
    const ktu = leader.candidates.find((c) => c.school === "KTU")!;
    expect(ktu.outcome).toBe("tieLost");
    expect(ktu.line).toContain(
      "bằng phiếu với Trường Chính trị tỉnh Lâm Đồng (79,31 điểm), Trường Chính trị tỉnh Phú Yên (75,80 điểm)",
    );
    expect(ktu.line).toContain("75,29 điểm → không đạt");
    expect(leader.candidates.find((c) => c.school === "PYE")!.outcome).toBe("passed");
    expect(r.awards.academyFlag).toEqual(["LDO", "PYE"]);
    expect(r.items.find((i) => i.item === "academyFlag")!.candidates.find((c) => c.school === "KTU")!.outcome).toBe(
      "notEligible",
    );
    const gov = r.items.find((i) => i.item === "govFlag")!;
    expect(gov.seats).toBe(1);
    expect(gov.lines[1]).toBe(
      "Số đơn vị được đề nghị: tối đa 20 % của 5 đơn vị dẫn đầu các " +
        "Cụm = 1, làm tròn xuống 1 đơn vị; Nghị định số 91/2017/NĐ-CP, Điều 11 " +
        "khoản 1 (không quá 20 % số tập thể đạt tiêu chuẩn Cờ thi đua cấp bộ).",
    );
    expect(r.awards.govFlag).toEqual(["LDO"]);
    expect(r.awards.academyMerit).toEqual(["BDI"]);
    expect(r.items.find((i) => i.item === "academyMerit")!.candidates.find((c) => c.school === "DNO")!.line).toBe(
      "Trường Chính trị tỉnh Đắk Nông: 4/10 phiếu = 40 %, chưa trên 50 % → không đạt.",
    );
    expect(r.nextHead).toBe("KTU");
    expect(r.nextDeputies).toEqual(["LDO", "PYE"]);
    expect(r.handover).toEqual({ from: "DLK", to: "KTU", date: "2023-11-20" });
    expect(r.revote).toEqual([]);
    const text = explainReview(def, r).join("\n");
    expect(text).toContain("Có mặt 9/10 trường (cần ít nhất 7).");
    expect(r.ruleSet.unconfirmed).not.toContain("tỷ lệ tối đa đề nghị Cờ thi đua của Chính phủ");
    expect(text).toContain(
      "Quy tắc mặc định, chưa đối chiếu được văn bản gốc (Cụm hãy kiểm tra " +
        "theo Quy chế của mình): tỷ lệ phiếu cần đạt; phải vượt (trên) tỷ lệ;",
    );
    const handoverHead = "Trường Chính trị tỉnh Đắk Lắk trao Cờ luân lưu của Cụm cho ";
    const handover = handoverHead + "Trường Chính trị tỉnh Kon Tum.";
    expect(text).toContain(handover);
  });

  it("over members present, 5 of 9 pass; with the revote rule the tie goes back to the meeting", () => {
    const r2 = structuredClone(rules);
    r2.params.voteBase.value = "present";
    r2.params.tieBreak.value = "revote";
    const r = decideReview(
      def,
      ranking,
      r2,
      candidates,
      tally2023({ ...VOTES_2023, academyMerit: { BDI: 7, DNO: 5 } }),
    );
    expect(r.awards.academyMerit).toEqual(["BDI", "DNO"]);
    // LDO, PYE and KTU tie at 6 for two places: with the revote rule all three vote again.
    expect(r.leaders).toEqual([]);
    expect(r.revote).toEqual(["leader"]);
    const revote = /theo quy tắc, Hội nghị bỏ phiếu lại/;
    expect(r.items[0]!.candidates.find((c) => c.school === "KTU")!.line).toMatch(revote);
  });

  const rotationTitle =
    "with rotation the posts are not voted: the first deputy takes over, the next schools in " +
    "order become deputies";
  it(rotationTitle, () => {
    const rotating = structuredClone(rules);
    rotating.params.headChoice.value = "rotation";
    const list = proposeCandidates(def, ranking, rotating);
    expect(list.some((c) => c.item === "head" || c.item === "deputy")).toBe(false);
    const awards = Object.fromEntries(
      Object.entries(VOTES_2023).filter(([item]) => item !== "head" && item !== "deputy"),
    );
    const r = decideReview(def, ranking, rotating, list, tally2023(awards as typeof VOTES_2023));
    expect(r.nextHead).toBe("BDI");
    expect(r.nextDeputies).toEqual(["PYE", "KHH"]);
    expect(r.handover).toEqual({ from: "DLK", to: "BDI", date: "2023-11-20" });
  });

  it("a head re-elected keeps the flag", () => {
    const r = decideReview(
      def,
      ranking,
      rules,
      [...candidates, { item: "head", school: "DLK", why: "", added: true }],
      tally2023({ ...VOTES_2023, head: { BDI: 1, KTU: 2, DLK: 6 } }),
    );
    expect(r.handover).toEqual({ from: "DLK", to: "DLK", date: "2023-11-20" });
    const keeps = "Trường Chính trị tỉnh Đắk Lắk tiếp tục giữ Cờ luân lưu của Cụm.";
    expect(explainReview(def, r)).toContain(keeps);
  });

  it("refuses more votes than valid ballots, naming the cell", () => {
    const t = tally2023({ ...VOTES_2023, leader: { LDO: 10, PYE: 4, KTU: 4 } });
    const problems = checkTally(def, rules, candidates, t);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ sheet: "Kiểm phiếu", cell: "H1" });
    expect(problems[0]!.message).toBe(
      "Đơn vị dẫn đầu Cụm thi đua năm 2023, Trường Chính trị tỉnh Lâm Đồng: " +
        "10 phiếu đồng ý, nhiều hơn 9 phiếu hợp lệ. Hãy kiểm lại.",
    );
  });

  it("refuses ballot counts that do not add up, and too few schools present", () => {
    const t = tally2023();
    t.ballots[0]!.returned.value = 10;
    t.ballots[1]!.invalid.value = 1;
    t.meeting.present = ["QNA", "BDI", "PYE", "KHH", "KTU", "GLA"];
    const msgs = checkTally(def, rules, candidates, t).map((p) => `${p.cell ?? ""} ${p.message}`);
    const tooManyHead = "D1 Đơn vị dẫn đầu Cụm thi đua năm 2023: ";
    const tooMany = tooManyHead + "thu về 10 phiếu, nhiều hơn 9 phiếu phát ra.";
    expect(msgs).toContain(tooMany);
    expect(msgs).toContain(
      "E2 Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh: 9 phiếu hợp " +
        "lệ + 1 phiếu không hợp lệ = 10, khác 9 phiếu thu về.",
    );
    expect(msgs.some((m) => m.includes("Chỉ có 6/10 trường có mặt, chưa đủ 7 trường"))).toBe(true);
  });

  const selfVoteTitle =
    "refuses a school marking itself where the rules forbid it, naming the mark's cell; " +
    "allowed when the rules say so";
  it(selfVoteTitle, () => {
    const t = tally2023();
    const dno = t.votes.find((v) => v.item === "academyMerit" && v.school === "DNO")!;
    expect(dno.votes.value).toBe(4);
    dno.marks = ["DNO", "GLA", "KHH", "QNA"].map((voter, i) => ({ voter, cell: `${"KLMN"[i]}9` }));
    const problems = checkTally(def, rules, candidates, t);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.cell).toBe("K9");
    const award = /^Bằng khen của Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh: /.source;
    const dnoName = /Trường Chính trị tỉnh Đắk Nông /.source;
    const selfVote = new RegExp(award + dnoName + /bầu cho chính mình, điều Quy chế không cho phép/.source);
    expect(problems[0]!.message).toMatch(selfVote);
    const allowed = structuredClone(rules);
    allowed.params.selfVoteAllowed.value = true;
    expect(checkTally(def, allowed, candidates, t)).toEqual([]);
  });
});

describe("the meeting's record", () => {
  it("reads the same whatever the key order, and any change to a count changes it", async () => {
    const { reviewRecord, canonicalReview, parseReviewRecord } = await import("../../src/core/review/record");
    const rules = meetingRules();
    const candidates = proposeCandidates(def, ranking, rules);
    const tally = tally2023();
    const result = decideReview(def, ranking, rules, candidates, tally);
    const record = reviewRecord({
      cluster: def.id,
      year: def.year,
      lockFingerprint: "ab".repeat(32),
      rules,
      candidates,
      changes: [],
      tally,
      result,
      documents: [],
    });
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(canonicalReview(parseReviewRecord(JSON.stringify(reordered))!)).toBe(canonicalReview(record));
    const edited = structuredClone(record);
    edited.tally.votes[0]!.votes = 9;
    expect(canonicalReview(edited)).not.toBe(canonicalReview(record));
    expect(parseReviewRecord("{}")).toBeUndefined();
  });
});
