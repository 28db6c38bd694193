/**
 * The vote count (kiểm phiếu) as the vote-counting board hands it in, and
 * the checks it must pass before any result is read from it: ballots
 * returned ≤ issued ≤ schools present, valid + invalid = returned, no
 * candidate over the valid ballots, no school marking itself where the
 * rules forbid it, and enough schools present. Each refusal names the cell.
 */
import type { ClusterDefinition } from "../definition/definition";
import type { Problem } from "../problem";
import { formatDate, formatNumber, parseIsoDate } from "../text/format";
import { itemName, itemSeats, type Candidate, type ReviewItem } from "./candidates";
import { paramLabel, type RuleSet } from "./rules";

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

const vnDate = (iso: string) => {
  const d = parseIsoDate(iso);
  return d ? formatDate(d) : iso;
};

/**
 * Whether the meeting's day can be the review of this locked year: not before the lock (the ranking it reviews did
 * not exist yet), not after today (a date typed wrong). Undefined when it can; the refusal otherwise.
 */
export function meetingDateProblem(date: string, bounds: { year: number; lockedOn?: string; today: string }) {
  if (Number(date.slice(0, 4)) < bounds.year)
    return (
      `Ngày họp ${vnDate(date)} ở trước năm thi đua ${bounds.year}; Hội nghị bình xét năm ${bounds.year} ` +
      `họp vào cuối năm ${bounds.year} hoặc sau đó.`
    );
  if (bounds.lockedOn && date < bounds.lockedOn)
    return (
      `Ngày họp ${vnDate(date)} ở trước ngày khóa số liệu ${vnDate(bounds.lockedOn)}: Hội nghị bình xét trên ` +
      `số liệu đã khóa, nên họp từ ngày khóa trở đi. Hãy sửa ngày họp.`
    );
  if (date > bounds.today)
    return `Ngày họp ${vnDate(date)} ở sau hôm nay (${vnDate(bounds.today)}); hãy ghi ngày Hội nghị đã họp.`;
  return undefined;
}

/**
 * Rules that cannot hold for this cluster, blamed on the rules, not on the tally: more leaders than schools, or so
 * many deputies that no school is left to be only a member besides the head.
 */
export function rulesAgainstCluster(def: ClusterDefinition, rules: RuleSet): string[] {
  const p = rules.params;
  const n = def.schools.length;
  const out: string[] = [];
  if (p.leadersPerCluster.value > n)
    out.push(
      `bộ quy tắc "${rules.id}": ${paramLabel("leadersPerCluster")} là ${p.leadersPerCluster.value}, nhiều hơn ` +
        `${n} trường của Cụm.`,
    );
  if (p.deputiesPerCluster.value > n - 1)
    out.push(
      `bộ quy tắc "${rules.id}": ${paramLabel("deputiesPerCluster")} là ${p.deputiesPerCluster.value}, nhưng Cụm ` +
        `chỉ có ${n} trường, một trường là Cụm trưởng; Cụm phó nhiều nhất ${n - 1}.`,
    );
  return out;
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

  // One row per item in the ballots, one per candidate and item in the votes: a second row would be counted twice.
  const seen = new Map<string, Counted>();
  for (const b of tally.ballots) {
    const first = seen.get(`ballots ${b.item}`);
    if (first)
      at(
        `${itemName(b.item, def.year)}: số phiếu ghi hai dòng (ô ${first.cell ?? "?"} và ${b.issued.cell ?? "?"}); ` +
          `mỗi mục một dòng. Hãy xóa dòng thừa.`,
        b.issued.cell,
      );
    else seen.set(`ballots ${b.item}`, b.issued);
  }
  for (const v of tally.votes) {
    const first = seen.get(`votes ${v.item} ${v.school}`);
    if (first)
      at(
        `${itemName(v.item, def.year)}: ${name(v.school)} có hai dòng số phiếu (ô ${first.cell ?? "?"} và ` +
          `${v.votes.cell ?? "?"}); mỗi trường một dòng mỗi mục. Hãy gộp thành một dòng.`,
        v.votes.cell,
      );
    else seen.set(`votes ${v.item} ${v.school}`, v.votes);
  }

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
    // The votes' cells are checked even when the ballots are not, so one run names every cell to fix.
    for (const v of tally.votes.filter((x) => x.item === item && !whole(x.votes)))
      at(
        `${label}, ${name(v.school)}: số phiếu đồng ý phải là số nguyên không âm, đang là ` +
          `"${v.votes.raw ?? v.votes.value ?? ""}".`,
        v.votes.cell,
      );
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
    const seats = itemSeats(item, rules);
    const counted = tally.votes.filter((x) => x.item === item && whole(x.votes));
    const total = counted.reduce((sum, x) => sum + x.votes.value!, 0);
    if (seats !== null && total > valid * seats)
      at(
        `${label}: tổng số phiếu đồng ý là ${formatNumber(total)}, nhiều hơn ${valid} phiếu hợp lệ × ${seats} ` +
          `(mỗi phiếu chọn không quá ${seats}) = ${formatNumber(valid * seats)}. Hãy kiểm lại số phiếu của mục này.`,
        b.valid.cell,
      );
    for (const v of tally.votes.filter((x) => x.item === item)) {
      if (!whole(v.votes)) continue;
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
