/**
 * The vote count (kiểm phiếu) as the vote-counting board hands it in, and
 * the checks it must pass before any result is read from it: ballots
 * returned ≤ issued ≤ schools present, valid + invalid = returned, no
 * candidate over the valid ballots, no school marking itself where the
 * rules forbid it, and enough schools present. Each refusal names the cell.
 */
import type { ClusterDefinition } from "../definition/definition";
import type { Problem } from "../problem";
import { formatNumber } from "../text/format";
import { itemName, type Candidate, type ReviewItem } from "./candidates";
import type { RuleSet } from "./rules";

/** A number read from the tally, with the cell it came from. */
export interface Counted {
  value: number | null;
  /** What the cell held when it was not a number, for the message. */
  raw?: string;
  cell?: string;
}

export interface Meeting {
  /** ISO date of the meeting: it picks the rule set. */
  date: string;
  place: string;
  chair: string;
  secretary: string;
  /** Members of the vote-counting board (Ban kiểm phiếu), as "Họ tên - chức vụ, trường". */
  counters: string[];
  /** Codes of the member schools present and voting. */
  present: string[];
}

export interface BallotCount {
  item: ReviewItem;
  issued: Counted;
  returned: Counted;
  valid: Counted;
  invalid: Counted;
}

export interface VoteCount {
  item: ReviewItem;
  school: string;
  votes: Counted;
  /** When ballots carry the voting school (open vote): which school marked this candidate, and where. */
  marks: { voter: string; cell?: string }[];
}

export interface Tally {
  meeting: Meeting;
  ballots: BallotCount[];
  votes: VoteCount[];
  /** Where the tally was read from, for messages. */
  file?: string;
  sheet?: string;
}

export function quorumNeeded(def: ClusterDefinition, rules: RuleSet): number {
  return Math.ceil(rules.params.quorum.value * def.schools.length - 1e-9);
}

const whole = (c: Counted): c is Counted & { value: number } =>
  typeof c.value === "number" && Number.isInteger(c.value) && c.value >= 0;

export function checkTally(
  def: ClusterDefinition,
  rules: RuleSet,
  candidates: readonly Candidate[],
  tally: Tally,
): Problem[] {
  const problems: Problem[] = [];
  const at = (message: string, cell?: string): void =>
    void problems.push({ severity: "error", message, file: tally.file, sheet: tally.sheet, cell });
  const name = (code: string) => def.schools.find((s) => s.code === code)?.name ?? code;
  const present = tally.meeting.present;
  const needed = quorumNeeded(def, rules);
  if (present.length < needed)
    at(
      `Chỉ có ${present.length}/${def.schools.length} trường có mặt, chưa đủ ${needed} trường ` +
        `theo quy định (${formatNumber(rules.params.quorum.value * 100, 1)} % số thành viên): kết ` +
        `quả bỏ phiếu không có giá trị. Hãy kiểm tra cột "Có mặt".`,
    );

  const items = [...new Set(candidates.map((c) => c.item))];
  for (const item of items) {
    const label = itemName(item, def.year);
    const b = tally.ballots.find((x) => x.item === item);
    if (!b) {
      at(`Thiếu số phiếu của mục "${label}". Hãy điền số phiếu phát ra, thu về, hợp lệ, không hợp lệ.`);
      continue;
    }
    const fields = [
      ["phát ra", b.issued],
      ["thu về", b.returned],
      ["hợp lệ", b.valid],
      ["không hợp lệ", b.invalid],
    ] as const;
    const bad = fields.filter(([, c]) => !whole(c));
    for (const [word, c] of bad)
      at(`${label}: số phiếu ${word} phải là số nguyên không âm, đang là "${c.raw ?? c.value ?? ""}".`, c.cell);
    if (bad.length) continue;
    const [issued, returned, valid, invalid] = [b.issued.value!, b.returned.value!, b.valid.value!, b.invalid.value!];
    if (issued > present.length)
      at(
        `${label}: phát ra ${issued} phiếu nhưng chỉ có ${present.length} trường có mặt; mỗi ` +
          `trường có mặt nhận một phiếu.`,
        b.issued.cell,
      );
    if (returned > issued)
      at(`${label}: thu về ${returned} phiếu, nhiều hơn ${issued} phiếu phát ra.`, b.returned.cell);
    if (valid + invalid !== returned)
      at(
        `${label}: ${valid} phiếu hợp lệ + ${invalid} phiếu không hợp lệ = ${valid + invalid}, ` +
          `khác ${returned} phiếu thu về.`,
        b.valid.cell,
      );
    for (const v of tally.votes.filter((x) => x.item === item)) {
      if (!whole(v.votes)) {
        at(
          `${label}, ${name(v.school)}: số phiếu đồng ý phải là số nguyên không âm, đang là ` +
            `"${v.votes.raw ?? v.votes.value ?? ""}".`,
          v.votes.cell,
        );
        continue;
      }
      if (v.votes.value > valid)
        at(
          `${label}, ${name(v.school)}: ${v.votes.value} phiếu đồng ý, nhiều hơn ${valid} phiếu hợp lệ. Hãy kiểm lại.`,
          v.votes.cell,
        );
      for (const m of v.marks) {
        if (!present.includes(m.voter))
          at(`${label}, ${name(v.school)}: có phiếu của ${name(m.voter)}, nhưng trường này không có mặt.`, m.cell);
        if (m.voter === v.school && !rules.params.selfVoteAllowed.value)
          at(
            `${label}: ${name(v.school)} bầu cho chính mình, điều Quy chế không cho phép ` +
              `(${rules.params.selfVoteAllowed.source}). Phiếu này không hợp lệ; hãy kiểm lại.`,
            m.cell,
          );
      }
      if (v.marks.length && v.marks.length !== v.votes.value)
        at(
          `${label}, ${name(v.school)}: ghi ${v.votes.value} phiếu đồng ý nhưng đánh dấu ${v.marks.length} trường bầu.`,
          v.votes.cell,
        );
    }
  }
  for (const v of tally.votes)
    if (!candidates.some((c) => c.item === v.item && c.school === v.school) && whole(v.votes) && v.votes.value > 0)
      at(
        `${itemName(v.item, def.year)}: ${name(v.school)} có ${v.votes.value} phiếu nhưng không có trong ` +
          `danh sách đề cử.`,
        v.votes.cell,
      );
  for (const c of candidates)
    if (!tally.votes.some((v) => v.item === c.item && v.school === c.school))
      at(`${itemName(c.item, def.year)}: chưa có số phiếu của ${name(c.school)}.`);
  return problems;
}
