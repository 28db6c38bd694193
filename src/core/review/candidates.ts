/**
 * What the meeting votes on and who stands: the locked ranking proposes the
 * candidates for each award and for next year's posts; the head school may
 * add or remove a school, always with a reason that goes into the record.
 */
import type { ClusterDefinition } from "../definition/definition";
import type { Ranking } from "../figures/score";
import { formatScore } from "../text/format";
import { cleanText, matchKey } from "../text/text";
import type { RuleSet } from "./rules";

/** Awards first, in the order they are decided (the flags go only to the leaders the meeting chose), then the posts. */
export const REVIEW_ITEMS = ["leader", "academyFlag", "govFlag", "academyMerit", "head", "deputy"] as const;
export type ReviewItem = (typeof REVIEW_ITEMS)[number];
export type AwardItem = Exclude<ReviewItem, "head" | "deputy">;

export const ACADEMY = "Học viện Chính trị quốc gia Hồ Chí Minh";

export function itemName(item: ReviewItem, year: number): string {
  switch (item) {
    case "leader":
      return `Đơn vị dẫn đầu Cụm thi đua năm ${year}`;
    case "academyFlag":
      return `Cờ thi đua của ${ACADEMY}`;
    case "govFlag":
      return "Cờ thi đua của Chính phủ";
    case "academyMerit":
      return `Bằng khen của Giám đốc ${ACADEMY}`;
    case "head":
      return `Cụm trưởng năm ${year + 1}`;
    case "deputy":
      return `Cụm phó năm ${year + 1}`;
  }
}

/**
 * How many schools an item may choose; null: every school that reaches the share. The Government's flag is capped
 * at a share of all the leaders the Academy puts forward together, so the cluster applies the cap only when its
 * rules give that pool (govFlagLeaderBase); otherwise it records its proposals and the Academy applies the cap.
 */
export function itemSeats(item: ReviewItem, rules: RuleSet): number | null {
  const p = rules.params;
  switch (item) {
    case "leader":
      return p.leadersPerCluster.value;
    case "head":
      return 1;
    case "deputy":
      return p.deputiesPerCluster.value;
    case "govFlag":
      return p.govFlagLeaderBase.value === null
        ? null
        : Math.floor(p.govFlagMaxShare.value * p.govFlagLeaderBase.value + 1e-9);
    default:
      return null;
  }
}

/**
 * The items this meeting votes on: the posts only when the rules elect rather than rotate, and no item with no seat
 * (a vote that cannot count is not asked).
 */
export function votedItems(rules: RuleSet): ReviewItem[] {
  return REVIEW_ITEMS.filter(
    (i) => rules.params.headChoice.value === "vote" || (i !== "head" && i !== "deputy"),
  ).filter((i) => itemSeats(i, rules) !== 0);
}

export interface Candidate {
  item: ReviewItem;
  school: string;
  /** Why the school stands: its place in the ranking, its post, or the head school's reason for adding it. */
  why: string;
  added: boolean;
}

export interface CandidateChange {
  action: "add" | "remove";
  item: ReviewItem;
  school: string;
  reason: string;
}

export function proposeCandidates(def: ClusterDefinition, ranking: Ranking, rules: RuleSet): Candidate[] {
  const p = rules.params;
  const rankLine = (code: string) => {
    const r = ranking.ranked.find((x) => x.school === code)!;
    return `xếp hạng ${r.rank} (${formatScore(r.total)} điểm) trong bảng xếp hạng năm ${def.year}`;
  };
  const byRank = (limit: number) => ranking.ranked.filter((r) => r.rank <= limit).map((r) => r.school);
  const leaders = byRank(p.leadersPerCluster.value + 1);
  const half = Math.ceil(ranking.ranked.length / 2);
  const out: Candidate[] = [];
  const add = (item: ReviewItem, school: string, why: string) => out.push({ item, school, why, added: false });
  const items = votedItems(rules);
  for (const item of ["leader", "academyFlag", "govFlag"] as const)
    if (items.includes(item)) for (const s of leaders) add(item, s, rankLine(s));
  for (const s of byRank(half))
    if (!leaders.includes(s)) add("academyMerit", s, `${rankLine(s)}, trong nửa trên bảng xếp hạng`);
  if (items.includes("head"))
    for (const s of def.schools.filter((x) => x.role === "deputy")) add("head", s.code, `Cụm phó năm ${def.year}`);
  if (items.includes("deputy")) {
    const officers = new Set(def.schools.filter((s) => s.role !== "member").map((s) => s.code));
    for (const r of ranking.ranked.filter((x) => !officers.has(x.school)).slice(0, p.deputiesPerCluster.value + 1))
      add("deputy", r.school, rankLine(r.school));
  }
  return out;
}

/** The proposal with the head school's changes; a change without a reason, or one that changes nothing, is refused. */
export function applyChanges(
  def: ClusterDefinition,
  proposed: readonly Candidate[],
  changes: readonly CandidateChange[],
): { candidates: Candidate[]; problems: string[] } {
  const list = [...proposed];
  const problems: string[] = [];
  for (const c of changes) {
    const school = def.schools.find((s) => matchKey(s.code) === matchKey(c.school));
    const label = `${c.action === "add" ? "Thêm" : "Bỏ"} ${c.school} (${itemName(c.item, def.year)})`;
    if (!school) {
      problems.push(`${label}: mã trường "${c.school}" không có trong ${def.name}.`);
      continue;
    }
    if (!cleanText(c.reason)) {
      problems.push(`${label}: cần ghi lý do.`);
      continue;
    }
    const at = list.findIndex((x) => x.item === c.item && x.school === school.code);
    if (c.action === "add") {
      if (at >= 0) problems.push(`${label}: trường đã có trong danh sách.`);
      else
        list.push({
          item: c.item,
          school: school.code,
          why: `Cụm trưởng bổ sung: ${cleanText(c.reason)}`,
          added: true,
        });
    } else if (at < 0) problems.push(`${label}: trường không có trong danh sách để bỏ.`);
    else list.splice(at, 1);
  }
  return { candidates: list, problems };
}
