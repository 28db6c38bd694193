/**
 * The vote-count sheet (Kiểm phiếu) of the year-end review: the meeting's
 * set-up, who is present, the ballots per item and the votes per candidate,
 * with one optional column per voting school for ballots that carry the
 * school's name. Built as a SheetSpec for the workbook the vote-counting
 * board fills, and read back by its labels so added rows or moved blocks
 * still read; every value read keeps its A1 cell for messages.
 */
import type { ClusterDefinition } from "../definition/definition";
import { a1, type Problem } from "../problem";
import { cellText, parseVietnameseNumber } from "../figures/parse";
import { formatDate, isoDateOf, parseVietnameseDate } from "../text/format";
import { isBlankText, matchKey } from "../text/text";
import { itemName, REVIEW_ITEMS, type Candidate, type CandidateChange, type ReviewItem } from "../review/candidates";
import type { BallotCount, Counted, Meeting, Tally, VoteCount } from "../review/tally";
import { range, type CellRange, type CellStyle, type CellValue, type InputSpec, type SheetSpec } from "./sheet-spec";

export const TALLY_SHEET = "Kiểm phiếu";

/** Short Vietnamese codes for the items, typed in --them / --bo and shown in the sheet. */
export const ITEM_CODE: Record<ReviewItem, string> = {
  leader: "DAN_DAU",
  academyFlag: "CO_HV",
  govFlag: "CO_CP",
  academyMerit: "BK_HV",
  head: "CUM_TRUONG",
  deputy: "CUM_PHO",
};

export function itemFromCode(code: string): ReviewItem | undefined {
  return REVIEW_ITEMS.find((i) => matchKey(ITEM_CODE[i]) === matchKey(code));
}

export const PRESENT = "Có";
const ABSENT = "Vắng";
const ADD = "Thêm";
const REMOVE = "Bỏ";
const INPUT_FILL = "#FFF2CC";
const HEADER_FILL = "#DCE6F1";

const LABEL = {
  date: "Ngày họp",
  place: "Địa điểm",
  chair: "Chủ trì",
  secretary: "Thư ký",
  counters: "Ban kiểm phiếu",
} as const;
const HEAD = {
  present: ["Mã trường", "Tên trường", "Có mặt"],
  ballots: ["Mã mục", "Nội dung bầu", "Phát ra", "Thu về", "Hợp lệ", "Không hợp lệ"],
  votes: ["Mã mục", "Nội dung bầu", "Mã trường", "Tên trường", "Căn cứ đề cử", "Số phiếu đồng ý"],
  changes: ["Thay đổi", "Mã mục", "Mã trường", "Lý do"],
};

export interface TallySetup {
  date: Date;
  place: string;
  chair: string;
  items: ReviewItem[];
  candidates: Candidate[];
  changes: CandidateChange[];
}

export function buildTallySheet(def: ClusterDefinition, setup: TallySetup): SheetSpec {
  const grid: CellValue[][] = [];
  const styles: CellStyle[] = [];
  const inputs: InputSpec[] = [];
  const editable: CellRange[] = [];
  const voters = def.schools.map((s) => s.code);
  const width = HEAD.votes.length + voters.length;
  const input = (row: number, col: number, rows = 1, cols = 1) => {
    editable.push(range(row, col, rows, cols));
    styles.push({ range: range(row, col, rows, cols), fill: INPUT_FILL, border: true });
  };
  const header = (cells: string[]) => {
    styles.push({
      range: range(grid.length, 0, 1, cells.length),
      bold: true,
      fill: HEADER_FILL,
      border: true,
      wrap: true,
      align: "center",
      valign: "middle",
    });
    grid.push(cells);
  };
  const section = (title: string) => {
    grid.push([]);
    styles.push({ range: range(grid.length, 0), bold: true });
    grid.push([title]);
  };

  grid.push([`KẾT QUẢ KIỂM PHIẾU BÌNH XÉT THI ĐUA NĂM ${def.year}`], [def.name]);
  grid.push([
    "Ban kiểm phiếu điền các ô nền vàng. Mỗi trường có mặt nhận một phiếu; số phiếu " +
      'đồng ý không vượt số phiếu hợp lệ. Các cột "Phiếu của …" chỉ điền khi ' +
      "phiếu ghi tên trường bầu (đánh dấu x).",
  ]);
  styles.push({ range: range(0, 0), bold: true, fontSize: 14 }, { range: range(2, 0), italic: true });
  grid.push([]);
  const meetingRow = grid.length;
  grid.push(
    [LABEL.date, formatDate(setup.date)],
    [LABEL.place, setup.place],
    [LABEL.chair, setup.chair],
    [LABEL.secretary, ""],
    [LABEL.counters, ""],
  );
  styles.push({ range: range(meetingRow, 0, 5, 1), bold: true });
  input(meetingRow, 1, 5, 1);

  section("TRƯỜNG CÓ MẶT");
  header(HEAD.present);
  const presentRow = grid.length;
  for (const s of def.schools) grid.push([s.code, s.name, PRESENT]);
  styles.push({ range: range(presentRow, 0, def.schools.length, 2), border: true });
  input(presentRow, 2, def.schools.length, 1);
  inputs.push({
    range: range(presentRow, 2, def.schools.length, 1),
    rule: { type: "list", values: [PRESENT, ABSENT] },
    prompt: "Có hoặc Vắng.",
    error: "Chỉ ghi Có hoặc Vắng.",
  });

  section("SỐ PHIẾU");
  header(HEAD.ballots);
  const ballotRow = grid.length;
  for (const item of setup.items) grid.push([ITEM_CODE[item], itemName(item, def.year)]);
  styles.push({ range: range(ballotRow, 0, setup.items.length, 2), border: true, wrap: true });
  input(ballotRow, 2, setup.items.length, 4);
  const whole = { type: "whole" as const, min: 0, max: def.schools.length };
  inputs.push({
    range: range(ballotRow, 2, setup.items.length, 4),
    rule: whole,
    prompt: "Số phiếu (số nguyên).",
    error: `Số phiếu là số nguyên từ 0 đến ${def.schools.length}.`,
  });

  section("SỐ PHIẾU ĐỒNG Ý");
  header([...HEAD.votes, ...voters.map((c) => `Phiếu của ${c}`)]);
  const voteRow = grid.length;
  const name = (code: string) => def.schools.find((s) => s.code === code)?.name ?? code;
  const ordered = setup.items.flatMap((item) => setup.candidates.filter((c) => c.item === item));
  for (const c of ordered) grid.push([ITEM_CODE[c.item], itemName(c.item, def.year), c.school, name(c.school), c.why]);
  if (ordered.length) {
    styles.push({ range: range(voteRow, 0, ordered.length, 5), border: true, wrap: true });
    input(voteRow, 5, ordered.length, 1 + voters.length);
    inputs.push({
      range: range(voteRow, 5, ordered.length, 1),
      rule: whole,
      prompt: "Số phiếu đồng ý (số nguyên).",
      error: `Số phiếu là số nguyên từ 0 đến ${def.schools.length}.`,
    });
  }

  if (setup.changes.length) {
    section("THAY ĐỔI DANH SÁCH ĐỀ CỬ SO VỚI ĐỀ XUẤT THEO XẾP HẠNG");
    header(HEAD.changes);
    const changeRow = grid.length;
    for (const c of setup.changes)
      grid.push([c.action === "add" ? ADD : REMOVE, ITEM_CODE[c.item], c.school, c.reason]);
    styles.push({ range: range(changeRow, 0, setup.changes.length, 4), border: true, wrap: true });
  }
  return {
    name: TALLY_SHEET,
    grid: grid.map((r) => [...r, ...Array<CellValue>(Math.max(0, width - r.length)).fill(null)]),
    merges: [],
    styles,
    widths: [14, 34, 11, 30, 36, 12, ...voters.map(() => 9)],
    frozenRows: 0,
    inputs,
    colourScales: [],
    editable,
    landscape: true,
  };
}

export interface ReadTally {
  tally: Tally;
  changes: CandidateChange[];
  problems: Problem[];
}

function isoOf(v: unknown): string | undefined {
  // A date cell: midnight UTC from an .xlsx, midnight in Vietnam from Google Sheets; read in Vietnam, both give the day
  // typed.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : isoDateOf(v);
  const date = parseVietnameseDate(cellText(v));
  return date ? isoDateOf(date) : undefined;
}

/** The tally back from the sheet's grid; what cannot be read is a problem naming its cell. */
export function readTallySheet(
  def: ClusterDefinition,
  grid: readonly (readonly unknown[])[],
  where: { file?: string; sheet?: string } = {},
): ReadTally {
  const problems: Problem[] = [];
  const at = (message: string, row?: number, col?: number) =>
    problems.push({
      severity: "error",
      message,
      file: where.file,
      sheet: where.sheet ?? TALLY_SHEET,
      cell: row === undefined ? undefined : a1(row, col ?? 0),
    });
  const text = (r: number, c: number) => cellText(grid[r]?.[c]);
  const rowOf = (label: string) => grid.findIndex((r) => matchKey(cellText(r[0])) === matchKey(label));
  const headerRow = (cells: string[]) =>
    grid.findIndex((r) => cells.every((h, i) => matchKey(cellText(r[i])) === matchKey(h)));
  const school = (code: string) => def.schools.find((s) => matchKey(s.code) === matchKey(code))?.code;
  /** Rows below a header until the first blank first cell. */
  const rowsBelow = (h: number): number[] => {
    const out: number[] = [];
    for (let r = h + 1; h >= 0 && r < grid.length && !isBlankText(text(r, 0)); r++) out.push(r);
    return out;
  };
  const count = (r: number, c: number): Counted => {
    const v = grid[r]?.[c];
    const cell = a1(r, c);
    if (typeof v === "number") return { value: v, cell };
    const t = cellText(v);
    if (!t) return { value: null, raw: "", cell };
    const n = parseVietnameseNumber(t);
    return n.ok && !n.percentSign ? { value: n.value, cell } : { value: null, raw: t, cell };
  };

  const field = (label: string) => {
    const r = rowOf(label);
    if (r < 0)
      at(`Không thấy dòng "${label}" trong trang ${TALLY_SHEET}. Hãy dùng mẫu do lệnh binh-xet --mau-phieu tạo.`);
    return { row: r, value: r < 0 ? "" : text(r, 1) };
  };
  const date = field(LABEL.date);
  const iso = date.row >= 0 ? isoOf(grid[date.row]?.[1]) : undefined;
  if (date.row >= 0 && !iso)
    at(`Ngày họp "${date.value}" không hợp lệ; hãy viết dạng ngày/tháng/năm, ví dụ 20/11/${def.year}.`, date.row, 1);
  else if (iso && Number(iso.slice(0, 4)) < def.year)
    at(
      `Ngày họp ${date.value} ở trước năm thi đua ${def.year}; Hội nghị bình xét năm ${def.year} ` +
        `họp vào cuối năm ${def.year} hoặc sau đó.`,
      date.row,
      1,
    );
  const meeting: Meeting = {
    date: iso ?? "",
    place: field(LABEL.place).value,
    chair: field(LABEL.chair).value,
    secretary: field(LABEL.secretary).value,
    counters: field(LABEL.counters)
      .value.split(/[;\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
    present: [],
  };
  for (const [label, value] of [
    [LABEL.chair, meeting.chair],
    [LABEL.secretary, meeting.secretary],
  ] as const)
    if (!value) at(`Chưa ghi ${label.toLocaleLowerCase("vi")} của Hội nghị.`, rowOf(label), 1);
  if (!meeting.counters.length)
    at("Chưa ghi thành viên Ban kiểm phiếu (các tên cách nhau bằng dấu chấm phẩy).", rowOf(LABEL.counters), 1);

  const presentHead = headerRow(HEAD.present);
  if (presentHead < 0) at(`Không thấy bảng "Trường có mặt" (tiêu đề ${HEAD.present.join(", ")}).`);
  for (const r of rowsBelow(presentHead)) {
    const code = school(text(r, 0));
    const mark = matchKey(text(r, 2));
    if (!code) at(`Mã trường "${text(r, 0)}" không có trong ${def.name}.`, r, 0);
    else if (mark === matchKey(PRESENT)) meeting.present.push(code);
    else if (mark !== matchKey(ABSENT))
      at(`Cột "Có mặt" của ${text(r, 1) || code} cần ghi "${PRESENT}" hoặc "${ABSENT}".`, r, 2);
  }

  const itemAt = (r: number): ReviewItem | undefined => {
    const item = itemFromCode(text(r, 0));
    if (!item)
      at(`Mã mục "${text(r, 0)}" không hợp lệ; các mã: ${REVIEW_ITEMS.map((i) => ITEM_CODE[i]).join(", ")}.`, r, 0);
    return item;
  };
  const ballots: BallotCount[] = [];
  const ballotHead = headerRow(HEAD.ballots);
  if (ballotHead < 0) at(`Không thấy bảng "Số phiếu" (tiêu đề ${HEAD.ballots.join(", ")}).`);
  for (const r of rowsBelow(ballotHead)) {
    const item = itemAt(r);
    if (item)
      ballots.push({ item, issued: count(r, 2), returned: count(r, 3), valid: count(r, 4), invalid: count(r, 5) });
  }

  const votes: VoteCount[] = [];
  const voteHead = headerRow(HEAD.votes);
  if (voteHead < 0) at(`Không thấy bảng "Số phiếu đồng ý" (tiêu đề ${HEAD.votes.join(", ")}).`);
  const voterCols: { col: number; code: string }[] = [];
  (grid[voteHead] ?? []).forEach((h, c) => {
    const m = /^Phiếu của (.+)$/.exec(cellText(h));
    const code = m ? school(m[1]!) : undefined;
    if (c >= HEAD.votes.length && code) voterCols.push({ col: c, code });
  });
  for (const r of rowsBelow(voteHead)) {
    const item = itemAt(r);
    const code = school(text(r, 2));
    if (!code) at(`Mã trường "${text(r, 2)}" không có trong ${def.name}.`, r, 2);
    if (!item || !code) continue;
    const marks = voterCols
      .filter(({ col }) => !isBlankText(text(r, col)))
      .map(({ col, code: voter }) => ({ voter, cell: a1(r, col) }));
    votes.push({ item, school: code, votes: count(r, 5), marks });
  }

  const changes: CandidateChange[] = [];
  for (const r of rowsBelow(headerRow(HEAD.changes))) {
    const action =
      matchKey(text(r, 0)) === matchKey(ADD) ? "add" : matchKey(text(r, 0)) === matchKey(REMOVE) ? "remove" : undefined;
    const item = itemFromCode(text(r, 1));
    if (!action || !item)
      at(`Dòng thay đổi danh sách đề cử không đọc được: cần "${ADD}" hoặc "${REMOVE}" và một mã mục.`, r, 0);
    else changes.push({ action, item, school: text(r, 2), reason: text(r, 3) });
  }
  return { tally: { meeting, ballots, votes, file: where.file, sheet: where.sheet ?? TALLY_SHEET }, changes, problems };
}
