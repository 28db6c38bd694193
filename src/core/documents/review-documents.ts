/**
 * The documents of the year-end review meeting as document models, in the
 * same layout as the pledge and the report: the ballots, the minutes of the
 * meeting (biên bản họp bình xét), the minutes of the count (biên bản kiểm
 * phiếu), the request for awards to the Academy (tờ trình) and a draft
 * achievement report (báo cáo thành tích) for each school proposed.
 * Section order follows the usual forms; see docs/binh-xet-quy-tac.md.
 */
import { issuerLines, type ClusterDefinition, type School } from "../definition/definition";
import { completionRate, schoolFigure, type ClusterSummary } from "../figures/aggregate";
import { formatFigure } from "../figures/parse";
import type { Ranking } from "../figures/score";
import { ACADEMY, itemName, itemSeats, type AwardItem, type Candidate, type ReviewItem } from "../review/candidates";
import { handoverText, type ItemResult, type Outcome, type ReviewResult } from "../review/decide";
import type { RuleSet } from "../review/rules";
import { targetLines } from "../sheets/school-layout";
import {
  formatDate,
  formatLongDate,
  formatNumber,
  formatPercent,
  formatRate,
  formatScore,
  parseIsoDate,
} from "../text/format";
import { ADMIN_PAGE, cell, p, type Block, type DocumentModel, type Paragraph, type TableCell } from "./doc-model";
import {
  body,
  centre,
  closing,
  DOTS,
  header,
  headerCell,
  heading,
  placeAndDate,
  signatureName,
  textCell,
} from "./documents";

const upper = (s: string) => s.toLocaleUpperCase("vi");
const pct = (share: number) => formatPercent(share * 100);
const BALLOT_BOX = "☐";

export interface ReviewDocsInput {
  def: ClusterDefinition;
  summary: ClusterSummary;
  ranking: Ranking;
  rules: RuleSet;
  result: ReviewResult;
  /** Short fingerprint of the locked year the meeting reviewed. */
  lockPrint: string;
  /**
   * The meeting's record: the file it is kept in, its short code and the command that proves it, printed in the
   * minutes and the request so the signed paper names the record.
   */
  record?: { file: string; print: string; check: string };
  /** Schools of the locked year that no longer exist on the meeting's day, one sentence each. */
  gone?: string[];
}

const OUTCOME_WORD: Record<Outcome, string> = {
  passed: "Đạt",
  failed: "Không đạt",
  notEligible: "Không thuộc diện xét",
  overLimit: "Vượt số lượng",
  tieLost: "Bằng phiếu, không được chọn",
  tieUnresolved: "Bằng phiếu, bỏ phiếu lại",
};

function schoolOf(def: ClusterDefinition, code: string): School {
  return def.schools.find((s) => s.code === code)!;
}

function head(def: ClusterDefinition): School {
  return def.schools.find((s) => s.role === "head")!;
}

function meetingDate(result: ReviewResult): Date {
  return parseIsoDate(result.meeting.date)!;
}

function title(main: string, sub: string): Paragraph[] {
  return [
    p([{ text: main, bold: true, size: 15 }], { align: "center", spaceBeforePt: 18 }),
    centre(sub, { bold: true, size: 14, rule: true, after: 12 }),
  ];
}

/** Two signature cells side by side: who signs and the name under the space for the signature. */
function signatures(blocks: { role: string[]; name: string }[]): Block {
  const sign = (s: { role: string[]; name: string }) =>
    cell(
      [
        ...s.role.map((r) => centre(r, { bold: true, size: 14 })),
        centre(""),
        centre(""),
        centre(""),
        centre(s.name || DOTS, { bold: true, size: 14 }),
      ],
      { valign: "top" },
    );
  return {
    kind: "table",
    widths: blocks.map(() => 100 / blocks.length),
    rows: [blocks.map(sign)],
    headerRows: 0,
    borders: false,
    cantSplit: true,
  };
}

function table(widths: number[], head: string[], rows: string[][], align: ("left" | "center")[]): Block {
  const cells: TableCell[][] = [
    head.map(headerCell),
    ...rows.map((r) => r.map((t, i) => textCell(t, { align: align[i] ?? "left" }))),
  ];
  return { kind: "table", widths, rows: cells, headerRows: 1, borders: true, cantSplit: true };
}

/** The record's code on signed paper, and how anyone proves the record file is the one signed. */
function recordLine(record: NonNullable<ReviewDocsInput["record"]>): Paragraph {
  return body(
    `Kết quả kiểm phiếu và bình xét được lưu trong tệp ${record.file}, mã kiểm tra ${record.print}; ` +
      `kiểm tra bằng lệnh: ${record.check}.`,
  );
}

function voteForm(rules: RuleSet): string {
  return rules.params.secretBallot.value ? "bỏ phiếu kín" : "biểu quyết công khai";
}

function passRule(rules: RuleSet): string {
  const q = rules.params;
  const base = q.voteBase.value === "present" ? "số trường có mặt" : "tổng số trường thành viên";
  return `${q.passStrict.value ? "trên" : "từ"} ${pct(q.passShare.value)} ${base}`;
}

// ---------------------------------------------------------------------------

/**
 * An open vote: one ballot per member school, naming it and, where the rules
 * forbid voting for oneself, leaving it off. A secret vote: one ballot that
 * names no one and lists everyone (leaving a school off would tell whose
 * ballot it was), printed once per member school.
 */
export function buildBallots(
  def: ClusterDefinition,
  rules: RuleSet,
  candidates: readonly Candidate[],
  items: readonly ReviewItem[],
  date: Date,
): DocumentModel {
  const blocks: Block[] = [];
  const secret = rules.params.secretBallot.value;
  const selfAllowed = rules.params.selfVoteAllowed.value;
  const voters = secret ? [undefined] : def.schools;
  voters.forEach((voter, k) => {
    if (k > 0) blocks.push({ kind: "pageBreak" });
    // A ballot is a slip, not a dispatch: the issuer on one line instead of the two-column header keeps it to one page.
    blocks.push(centre(upper(issuerLines(def).join(" ")), { bold: true, size: 13 }));
    blocks.push(
      ...title("PHIẾU BẦU", `Hội nghị bình xét thi đua năm ${def.year}, ${placeAndDate(head(def).province, date)}`),
    );
    blocks.push(
      body(
        voter
          ? `Phiếu của: ${voter.name}.`
          : `Phiếu bầu kín: không ghi tên trường, không ký tên trên phiếu. ` +
              `In ${def.schools.length} bản, mỗi trường có mặt nhận một phiếu.`,
      ),
    );
    blocks.push(
      body(
        `Đồng ý thì đánh dấu “x” vào ô ${BALLOT_BOX}. Phiếu đánh dấu quá số lượng ở ` +
          `mục nào thì mục đó không hợp ` +
          `lệ.${selfAllowed ? "" : " Trường không bầu cho chính mình."}`,
      ),
    );
    for (const item of items) {
      const list = candidates.filter((c) => c.item === item && (selfAllowed || !voter || c.school !== voter.code));
      if (!list.length) continue;
      const seats = itemSeats(item, rules);
      blocks.push(heading(`${itemName(item, def.year)}${seats ? ` (chọn không quá ${seats})` : ""}`));
      blocks.push(
        table(
          [10, 70, 20],
          ["STT", "Trường", "Đồng ý"],
          list.map((c, i) => [String(i + 1), schoolOf(def, c.school).name, BALLOT_BOX]),
          ["center", "left", "center"],
        ),
      );
    }
  });
  return { title: `Phiếu bầu bình xét thi đua năm ${def.year} — ${def.name}`, page: ADMIN_PAGE, blocks };
}

// ---------------------------------------------------------------------------

function resultRows(def: ClusterDefinition, item: ItemResult): string[][] {
  return item.candidates.map((c, i) => [
    String(i + 1),
    schoolOf(def, c.school).name,
    `${c.votes}/${item.base}`,
    pct(c.share),
    OUTCOME_WORD[c.outcome],
  ]);
}

export function buildMeetingMinutes(input: ReviewDocsInput): DocumentModel {
  const { def, ranking, rules, result } = input;
  const date = meetingDate(result);
  const m = result.meeting;
  const blocks: Block[] = [
    header(def, date, head(def).province, def.headingStyle === "party" ? "Số ….-BB/CTĐ" : "Số: ….-BB/CTĐ"),
  ];
  blocks.push(...title("BIÊN BẢN", `Họp bình xét thi đua năm ${def.year}`));
  blocks.push(body(`Thời gian: ${formatLongDate(date)}.`));
  blocks.push(body(`Địa điểm: ${m.place}.`));
  blocks.push(heading("I. THÀNH PHẦN"));
  blocks.push(
    body(`Chủ trì: ${m.chair}, ${head(def).principal.title ?? "Hiệu trưởng"} ${head(def).name}, Cụm trưởng.`),
  );
  blocks.push(body(`Thư ký: ${m.secretary}.`));
  const present = def.schools.filter((s) => m.present.includes(s.code));
  const absent = def.schools.filter((s) => !m.present.includes(s.code));
  blocks.push(
    body(`Có mặt: ${present.length}/${def.schools.length} trường: ${present.map((s) => s.name).join("; ")}.`),
  );
  blocks.push(body(absent.length ? `Vắng: ${absent.map((s) => s.name).join("; ")}.` : "Vắng: không."));
  blocks.push(heading("II. NỘI DUNG"));
  blocks.push(
    body(
      `1. Hội nghị nghe báo cáo kết quả chấm điểm, xếp hạng thi đua năm ${def.year} (số ` +
        `liệu đã khóa, mã kiểm tra ${input.lockPrint}):`,
    ),
  );
  blocks.push(
    table(
      [12, 58, 15, 15],
      ["Hạng", "Trường", "Tổng điểm", "Điểm tối đa"],
      ranking.ranked.map((r) => [
        String(r.rank),
        schoolOf(def, r.school).name,
        formatScore(r.total),
        formatScore(r.max),
      ]),
      ["center", "left", "center", "center"],
    ),
  );
  for (const line of input.gone ?? []) blocks.push(body(line));
  blocks.push(
    body(
      `2. Hình thức biểu quyết: ${voteForm(rules)}. Ban kiểm phiếu gồm: ${m.counters.join("; ")}. ` +
        `Căn cứ ${rules.name}; đơn vị được chọn khi đạt ${passRule(rules)} ` +
        `(${result.quorum.present}/${result.quorum.members} trường có mặt, cần ít ` +
        `nhất ${result.quorum.needed}).`,
    ),
  );
  blocks.push(body("3. Kết quả biểu quyết (chi tiết tại Biên bản kiểm phiếu):"));
  const rows: string[][] = [];
  for (const item of result.items)
    for (const c of item.candidates.filter((x) => x.outcome === "passed"))
      rows.push([
        String(rows.length + 1),
        schoolOf(def, c.school).name,
        item.name,
        `${c.votes}/${item.base} (${pct(c.share)})`,
      ]);
  blocks.push(
    table([8, 40, 34, 18], ["STT", "Trường", "Nội dung đề nghị", "Số phiếu (tỷ lệ)"], rows, [
      "center",
      "left",
      "left",
      "center",
    ]),
  );
  blocks.push(body("4. Giải trình kết quả theo quy định:"));
  for (const item of result.items) {
    blocks.push(
      p([{ text: item.name, bold: true, italic: true }], { align: "left", firstLineCm: 1.27, keepWithNext: true }),
    );
    for (const l of [...item.lines, ...item.candidates.map((c) => c.line)]) blocks.push(body(`- ${l}`));
  }
  const next = result.nextHead ? schoolOf(def, result.nextHead).name : null;
  const deputies = result.nextDeputies.length
    ? `; Cụm phó: ${result.nextDeputies.map((c) => schoolOf(def, c).name).join("; ")}`
    : "";
  const rotation = rules.params.headChoice.value === "rotation" ? " (theo nguyên tắc luân phiên)" : "";
  blocks.push(
    body(
      `5. Cụm trưởng năm ${def.year + 1}: ${next ?? "chưa chọn được, Hội nghị bỏ phiếu lại"}${deputies}${rotation}.`,
    ),
  );
  if (result.handover)
    blocks.push(
      body(`${handoverText(def, result.handover)} từ ngày ${formatDate(parseIsoDate(result.handover.date)!)}.`),
    );
  blocks.push(body("Biên bản được thông qua tại Hội nghị, các đại biểu dự họp nhất trí."));
  if (input.record) blocks.push(recordLine(input.record));
  blocks.push(
    signatures([
      { role: ["THƯ KÝ"], name: m.secretary },
      { role: ["CHỦ TRÌ"], name: m.chair },
    ]),
  );
  return { title: `Biên bản họp bình xét thi đua năm ${def.year} — ${def.name}`, page: ADMIN_PAGE, blocks };
}

export function buildCountMinutes(input: ReviewDocsInput): DocumentModel {
  const { def, rules, result } = input;
  const date = meetingDate(result);
  const m = result.meeting;
  const blocks: Block[] = [header(def, date, head(def).province)];
  blocks.push(...title("BIÊN BẢN KIỂM PHIẾU", `Bình xét thi đua năm ${def.year}`));
  blocks.push(
    body(
      `Hôm nay, ${formatLongDate(date)}, tại ${m.place}, Ban kiểm phiếu Hội nghị bình xét thi đua ` +
        `năm ${def.year} của ${def.name} gồm:`,
    ),
  );
  m.counters.forEach((c, i) => blocks.push(body(`${i + 1}. ${c}${i === 0 ? " - Trưởng ban" : " - Thành viên"}.`)));
  blocks.push(
    body(
      `Hình thức: ${voteForm(rules)}. Số trường có ` +
        `mặt: ${result.quorum.present}/${result.quorum.members}. Tỷ lệ cần đạt: ${passRule(rules)}.`,
    ),
  );
  result.items.forEach((item, k) => {
    blocks.push(heading(`${k + 1}. ${item.name}`));
    const b = item.ballots;
    blocks.push(
      body(
        `Số phiếu phát ra: ${b.issued}; số phiếu thu về: ${b.returned}; số phiếu hợp ` +
          `lệ: ${b.valid}; số phiếu không hợp lệ: ${b.invalid}.`,
      ),
    );
    blocks.push(
      table([7, 40, 15, 12, 26], ["STT", "Trường", "Số phiếu đồng ý", "Tỷ lệ", "Kết quả"], resultRows(def, item), [
        "center",
        "left",
        "center",
        "center",
        "center",
      ]),
    );
    const won = item.candidates.filter((c) => c.outcome === "passed").map((c) => schoolOf(def, c.school).name);
    blocks.push(body(`Kết luận: ${won.length ? won.join("; ") : "không có đơn vị nào"} đạt ${item.name}.`));
  });
  blocks.push(body("Ban kiểm phiếu lập biên bản và chịu trách nhiệm về kết quả kiểm phiếu."));
  const [chief, ...members] = m.counters;
  blocks.push(
    signatures([
      { role: ["THÀNH VIÊN"], name: members.join(", ") },
      { role: ["TRƯỞNG BAN KIỂM PHIẾU"], name: chief ?? "" },
    ]),
  );
  return { title: `Biên bản kiểm phiếu bình xét thi đua năm ${def.year} — ${def.name}`, page: ADMIN_PAGE, blocks };
}

const PROPOSED: AwardItem[] = ["govFlag", "academyFlag", "academyMerit"];

export function buildAwardRequest(input: ReviewDocsInput): DocumentModel {
  const { def, rules, result } = input;
  const date = meetingDate(result);
  const h = head(def);
  const blocks: Block[] = [
    header(def, date, h.province, def.headingStyle === "party" ? "Số ….-TTr/CTĐ" : "Số: ….-TTr/CTĐ"),
  ];
  blocks.push(...title("TỜ TRÌNH", `Về việc đề nghị khen thưởng thi đua năm ${def.year}`));
  blocks.push(centre(`Kính gửi: Giám đốc ${ACADEMY}`, { size: 14, after: 12 }));
  blocks.push(p([{ text: `Căn cứ ${rules.name};`, italic: true }], { firstLineCm: 1.27, spaceAfterPt: 3 }));
  blocks.push(
    p(
      [
        {
          text:
            `Căn cứ Biên bản họp bình xét thi đua năm ${def.year} ` +
            `của ${def.name} ${formatLongDate(date)} và Biên bản kiểm phiếu kèm theo,`,
          italic: true,
        },
      ],
      { firstLineCm: 1.27, spaceAfterPt: 6 },
    ),
  );
  blocks.push(
    body(
      `${def.name} kính đề nghị Giám đốc ${ACADEMY} xem xét khen thưởng (và đề nghị cấp có ` +
        `thẩm quyền khen thưởng) cho các tập thể sau:`,
    ),
  );
  const rows: string[][] = [];
  for (const award of PROPOSED) {
    const item = result.items.find((i) => i.item === award);
    for (const code of result.awards[award]) {
      const c = item!.candidates.find((x) => x.school === code)!;
      const leads = result.leaders.includes(code) ? ", đơn vị dẫn đầu Cụm" : "";
      rows.push([
        String(rows.length + 1),
        `${schoolOf(def, code).name}${leads}`,
        itemName(award, def.year),
        `${c.votes}/${item!.base} (${pct(c.share)})`,
      ]);
    }
  }
  blocks.push(
    table([7, 37, 38, 18], ["STT", "Tập thể", "Hình thức đề nghị", "Số phiếu (tỷ lệ)"], rows, [
      "center",
      "left",
      "left",
      "center",
    ]),
  );
  // The Academy's council must name the cluster each flag nominee leads.
  if (result.leaders.length)
    blocks.push(
      body(
        `${result.leaders.map((c) => schoolOf(def, c).name).join("; ")} là đơn vị dẫn đầu ${def.name} năm ${def.year}.`,
      ),
    );
  blocks.push(
    body(
      `Hồ sơ kèm theo: Biên bản họp bình xét; Biên bản kiểm phiếu; Báo cáo thành tích ` +
        `của ${rows.length} tập thể. Số liệu thi đua năm ${def.year} đã khóa, mã kiểm ` +
        `tra ${input.lockPrint}.`,
    ),
  );
  if (input.record) blocks.push(recordLine(input.record));
  blocks.push(body(`Kính đề nghị Giám đốc ${ACADEMY} xem xét, quyết định.`));
  blocks.push(closing(h, "- Như trên;", false));
  return { title: `Tờ trình đề nghị khen thưởng năm ${def.year} — ${def.name}`, page: ADMIN_PAGE, blocks };
}

/**
 * The draft report of one school proposed for an award, filled from its locked figures; what the product does not know
 * is left as dotted lines.
 */
export function buildAchievementReport(input: ReviewDocsInput, code: string): DocumentModel {
  const { def, summary, ranking, result } = input;
  const school = schoolOf(def, code);
  const date = meetingDate(result);
  const awards = PROPOSED.filter((a) => result.awards[a].includes(code)).map((a) => itemName(a, def.year));
  const blocks: Block[] = [header(def, date, school.province, "Số ….-BC/TCT", signatureName(school.name))];
  blocks.push(...title("BÁO CÁO THÀNH TÍCH", `Đề nghị tặng ${awards.join("; ")}`));
  blocks.push(
    centre(`(Dự thảo lập từ số liệu thi đua năm ${def.year} đã khóa, mã kiểm tra ${input.lockPrint})`, {
      italic: true,
      size: 13,
      after: 12,
    }),
  );
  blocks.push(heading("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"));
  blocks.push(body(`1. Tên đơn vị: ${school.name}. Địa chỉ: ${DOTS}`));
  blocks.push(body(`2. Chức năng, nhiệm vụ; cơ cấu tổ chức, đội ngũ: ${DOTS}`));
  blocks.push(heading("II. THÀNH TÍCH ĐẠT ĐƯỢC"));
  const r = ranking.ranked.find((x) => x.school === code);
  blocks.push(
    body(`1. Kết quả thực hiện các chỉ tiêu thi đua năm ${def.year} đã đăng ký trong giao ước với ${def.name}:`),
  );
  const rows: string[][] = [];
  for (const line of targetLines(def)) {
    if ("group" in line) continue;
    const ts = summary.targets.find((t) => t.target.code === line.row.target.code)!;
    const f = schoolFigure(summary, ts, code);
    const rate = completionRate(f?.registered ?? null, f?.achieved ?? null);
    rows.push([
      String(line.row.number),
      ts.target.name,
      formatFigure(ts.target, f?.registered ?? null) || "—",
      formatFigure(ts.target, f?.achieved ?? null) || "—",
      formatRate(rate),
    ]);
  }
  blocks.push(
    table([8, 44, 16, 16, 16], ["STT", "Chỉ tiêu", "Đăng ký", "Thực hiện", "Tỷ lệ hoàn thành"], rows, [
      "center",
      "left",
      "center",
      "center",
      "center",
    ]),
  );
  if (r)
    blocks.push(
      body(
        `2. Kết quả chấm điểm thi đua: ${formatNumber(r.total)}/${formatNumber(r.max)} điểm, xếp ` +
          `hạng ${r.rank}/${ranking.ranked.length} trường trong Cụm.`,
      ),
    );
  const votes = result.items
    .filter((i) => i.item !== "head" && i.item !== "deputy")
    .flatMap((i) =>
      i.candidates
        .filter((c) => c.school === code && c.outcome === "passed")
        .map((c) => `${i.name}: ${c.votes}/${i.base} phiếu (${pct(c.share)})`),
    );
  blocks.push(body(`3. Kết quả bình xét của Cụm ${formatLongDate(date)}: ${votes.join("; ")}.`));
  blocks.push(body(`4. Các biện pháp, giải pháp công tác đã áp dụng: ${DOTS}`));
  blocks.push(heading("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"));
  blocks.push(
    table(
      [15, 50, 35],
      ["Năm", "Hình thức khen thưởng", "Số, ngày quyết định"],
      [def.year - 2, def.year - 1].map((y) => [String(y), DOTS, DOTS]),
      ["center", "left", "left"],
    ),
  );
  blocks.push(
    signatures([
      { role: ["XÁC NHẬN CỦA CỤM THI ĐUA", "CỤM TRƯỞNG"], name: head(def).principal.name },
      { role: [upper(school.principal.title ?? "Hiệu trưởng")], name: school.principal.name },
    ]),
  );
  return { title: `Báo cáo thành tích năm ${def.year} — ${school.name}`, page: ADMIN_PAGE, blocks };
}

/** Every school proposed for an award to the Academy or the Government, in definition order. */
export function proposedSchools(def: ClusterDefinition, result: ReviewResult): string[] {
  return def.schools.map((s) => s.code).filter((c) => PROPOSED.some((a) => result.awards[a].includes(c)));
}
