import { aggregateCluster } from "../../src/core/figures/aggregate";
import { scoreCluster, type Ranking } from "../../src/core/figures/score";
import type { ClusterDefinition } from "../../src/core/definition/definition";
import type { ReviewItem } from "../../src/core/review/candidates";
import { ruleSetFor, type RuleSet } from "../../src/core/review/rules";
import type { Tally } from "../../src/core/review/tally";
import { sampleDefinition, sampleSubmissions } from "./samples";

export function sample2023(): { def: ClusterDefinition; ranking: Ranking } {
  const def = sampleDefinition();
  return { def, ranking: scoreCluster(aggregateCluster(def, sampleSubmissions(def))) };
}

/**
 * The 2023 rules with two leaders per cluster and the Government's flag
 * counted over the five leaders of the Academy's clusters (one proposal):
 * enough for the cap to leave one leader out.
 */
export function meetingRules(date = "2023-11-20"): RuleSet {
  const r = structuredClone(ruleSetFor(date));
  r.params.leadersPerCluster.value = 2;
  r.params.govFlagLeaderBase.value = 5;
  return r;
}

/**
 * The 2023 meeting: QNG absent (9 of 10 present, votes counted over all 10
 * members, so 6 votes pass). Each ballot chooses at most the seats of its
 * item, so an item's votes add up to at most 9 × seats. LDO, PYE and KTU tie
 * at 6 for the two leader seats: the strictly higher locked totals (LDO
 * 79,31, PYE 75,80) take them, KTU (75,29) does not. One Government flag
 * may be proposed (20 % of five leaders): LDO.
 */
export const VOTES_2023: Record<ReviewItem, Record<string, number>> = {
  leader: { LDO: 6, PYE: 6, KTU: 6 },
  academyFlag: { LDO: 9, PYE: 8, KTU: 7 },
  govFlag: { LDO: 7, PYE: 2, KTU: 0 },
  academyMerit: { BDI: 7, DNO: 4 },
  head: { BDI: 3, KTU: 6 },
  deputy: { LDO: 7, PYE: 6, DNO: 2 },
};

export function tally2023(votes = VOTES_2023): Tally {
  const present = ["QNA", "BDI", "PYE", "KHH", "KTU", "GLA", "DLK", "DNO", "LDO"];
  const n = (value: number, cell: string) => ({ value, cell });
  const items = Object.keys(votes) as ReviewItem[];
  return {
    meeting: {
      date: "2023-11-20",
      place: "Đắk Lắk",
      chair: "Nguyễn Thành Dũng",
      secretary: "Trần Thị Thư Ký",
      counters: ["Phan Văn Huệ", "Đặng Luận"],
      present,
    },
    ballots: items.map((item, i) => ({
      item,
      issued: n(9, `C${i + 1}`),
      returned: n(9, `D${i + 1}`),
      valid: n(9, `E${i + 1}`),
      invalid: n(0, `F${i + 1}`),
    })),
    votes: items.flatMap((item, i) =>
      Object.entries(votes[item]).map(([school, v], k) => ({
        item,
        school,
        votes: n(v, `H${i * 10 + k + 1}`),
        marks: [],
      })),
    ),
    sheet: "Kiểm phiếu",
  };
}
