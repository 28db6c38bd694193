/**
 * The pledge (Bản giao ước thi đua) and the year-end report (Báo cáo tổng
 * kết) as document models, laid out to Decree 30/2020/NĐ-CP and the Party
 * style (docs/documents.md). All wording is here or in the cluster definition.
 */
import { completionRate, schoolFigure, type ClusterSummary } from "../figures/aggregate";
import { issuerLines, type ClusterDefinition, type School } from "../definition/definition";
import {
  ADMIN_PAGE,
  cell,
  p,
  type Block,
  type DocumentModel,
  type Paragraph,
  type Table,
  type TableCell,
} from "./doc-model";
import { formatLongDate, formatNumber, formatRate, formatScore, parseIsoDate } from "../text/format";
import { formatAggregate } from "../figures/total-text";
import { targetLines } from "../sheets/school-layout";
import { formatFigure } from "../figures/parse";
import type { Ranking } from "../figures/score";
import { yearSummarySentence } from "./report-text";
import { STATUS_LABEL } from "../sheets/summary-layout";
import { figuresOf, type SchoolFigures } from "../figures/validate";

const INDENT = 1.27;
export const DOTS = "……………………………";
const upper = (s: string) => s.toLocaleUpperCase("vi");

export function centre(
  text: string,
  opts: { bold?: boolean; italic?: boolean; size?: number; rule?: boolean; after?: number } = {},
): Paragraph {
  return p([{ text, bold: opts.bold, italic: opts.italic, size: opts.size }], {
    align: "center",
    spaceAfterPt: opts.after ?? 0,
    ruleBelow: opts.rule ? "short" : undefined,
  });
}

export function body(text: string): Paragraph {
  return p(text, { firstLineCm: INDENT, spaceAfterPt: 6 });
}

export function heading(text: string): Paragraph {
  return p([{ text, bold: true }], {
    align: "left",
    spaceBeforePt: 6,
    spaceAfterPt: 6,
    keepWithNext: true,
    firstLineCm: INDENT,
  });
}

/** Place and date in italics: "Đắk Lắk, ngày 10 tháng 3 năm 2023". */
export function placeAndDate(place: string, date: Date): string {
  return `${place}, ${formatLongDate(date)}`;
}

/**
 * The two-column header: the issuer on the left (with "*" in the Party
 * style, a short rule in the State style, and the document number if any);
 * the national or Party heading on the right with its rule, then the place
 * and date in italics. A school's own document passes its name as the issuer.
 */
export function header(
  def: Pick<ClusterDefinition, "headingStyle" | "issuer" | "region">,
  date: Date,
  place: string,
  number?: string,
  issuer: string[] = issuerLines(def),
): Table {
  const left: Paragraph[] = issuer.map((l) => centre(upper(l), { bold: true, size: 13 }));
  if (def.headingStyle === "party") left.push(centre("*", { size: 13 }));
  else left[left.length - 1]!.ruleBelow = "short";
  if (number) left.push(centre(number, { size: 13 }));
  const right: Paragraph[] =
    def.headingStyle === "party"
      ? [centre("ĐẢNG CỘNG SẢN VIỆT NAM", { bold: true, size: 15, rule: true, after: 6 })]
      : [
          centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, size: 13 }),
          centre("Độc lập - Tự do - Hạnh phúc", { bold: true, size: 14, rule: true, after: 6 }),
        ];
  right.push(centre(placeAndDate(place, date), { italic: true, size: 14 }));
  return {
    kind: "table",
    widths: [42, 58],
    rows: [[cell(left, { valign: "top" }), cell(right, { valign: "top" })]],
    headerRows: 0,
    borders: false,
    cantSplit: true,
  };
}

function legalBases(def: ClusterDefinition): Paragraph[] {
  return def.legalBases.map((l, i) => {
    const text = l.replace(/[;.]\s*$/, "") + (i === def.legalBases.length - 1 ? "." : ";");
    return p([{ text, italic: true }], { firstLineCm: INDENT, spaceAfterPt: 3 });
  });
}

function fill(text: string, def: ClusterDefinition): string {
  return text.replace(/\{year\}/g, String(def.year));
}

export const headerCell = (t: string) =>
  cell(centre(t, { bold: true, size: 13 }), { shade: "#F2F2F2", valign: "center" });
export const textCell = (t: string, opts: { bold?: boolean; align?: "left" | "center" | "right" } = {}) =>
  cell(p([{ text: t, bold: opts.bold, size: 13 }], { align: opts.align ?? "left" }), { valign: "center" });

/** Widest table of school columns that still reads on an A4 portrait page. */
export const MAX_SCHOOL_COLUMNS = 4;

function targetRows(def: ClusterDefinition, values: (code: string) => string[]): TableCell[][] {
  const rows: TableCell[][] = [];
  const width = 3 + values(def.targets[0]!.code).length + 1;
  for (const line of targetLines(def)) {
    if ("group" in line) {
      rows.push([
        textCell(line.group.label, { bold: true, align: "center" }),
        textCell(line.group.name, { bold: true }),
        ...Array.from({ length: width - 2 }, () => textCell("")),
      ]);
      continue;
    }
    const t = line.row.target;
    rows.push([
      textCell(String(line.row.number), { align: "center" }),
      textCell(t.name),
      textCell(t.kind === "percent" ? "%" : t.unit || "—", { align: "center" }),
      ...values(t.code).map((v) => textCell(v, { align: "center" })),
      textCell(t.note ?? ""),
    ]);
  }
  return rows;
}

function registeredOf(
  def: ClusterDefinition,
  figures: Map<string, SchoolFigures>,
  school: School,
  code: string,
): string {
  const f = figuresOf(def, figures.get(school.code), code);
  const t = def.targets.find((x) => x.code === code)!;
  return formatFigure(t, f?.registered ?? null);
}

function pledgeTargets(def: ClusterDefinition, figures: Map<string, SchoolFigures>): Block[] {
  if (def.schools.length <= MAX_SCHOOL_COLUMNS) {
    const head = [
      "STT",
      "Nội dung",
      "Đơn vị tính",
      ...def.schools.map((s) => s.shortName ?? s.province),
      "Ghi chú",
    ].map(headerCell);
    const rows = targetRows(def, (code) => def.schools.map((s) => registeredOf(def, figures, s, code)));
    return [
      {
        kind: "table",
        widths: [7, 40, 13, ...def.schools.map(() => 12), 14],
        rows: [head, ...rows],
        headerRows: 1,
        borders: true,
        cantSplit: true,
      },
    ];
  }
  // Too many schools to fit across A4: one block per school.
  const blocks: Block[] = [];
  def.schools.forEach((s, i) => {
    blocks.push(
      p([{ text: `${i + 1}. ${s.name}`, bold: true, italic: true }], {
        align: "left",
        spaceBeforePt: 6,
        spaceAfterPt: 3,
        keepWithNext: true,
        firstLineCm: INDENT,
      }),
    );
    const head = ["STT", "Nội dung", "Đơn vị tính", "Chỉ tiêu đăng ký", "Ghi chú"].map(headerCell);
    blocks.push({
      kind: "table",
      widths: [8, 52, 15, 15, 15],
      rows: [head, ...targetRows(def, (code) => [registeredOf(def, figures, s, code)])],
      headerRows: 1,
      borders: true,
      cantSplit: true,
    });
  });
  return blocks;
}

/** "TRƯỜNG CHÍNH TRỊ" / "TỈNH ĐẮK LẮK": the name on two lines, as signature blocks set it. */
export function signatureName(name: string): string[] {
  const m = /^(trường chính trị)\s+(.+)$/i.exec(name.normalize("NFC"));
  return m ? [upper(m[1]!), upper(m[2]!)] : [upper(name)];
}

function signature(school: School): TableCell {
  return cell(
    [
      ...signatureName(school.name).map((l) => centre(l, { bold: true, size: 13 })),
      centre(upper(school.principal.title ?? "Hiệu trưởng"), { bold: true, size: 13 }),
      centre(""),
      centre(""),
      centre(""),
      centre(school.principal.name || DOTS, { bold: true, size: 14, after: 12 }),
    ],
    { valign: "top" },
  );
}

export interface PledgeInput {
  /** Registered figures per school, when the schools have registered. */
  figures?: SchoolFigures[];
}

export function buildPledge(def: ClusterDefinition, input: PledgeInput = {}): DocumentModel {
  const date = parseIsoDate(def.signing.date)!;
  const figures = new Map((input.figures ?? []).map((f) => [f.school, f]));
  const docs = def.documents ?? {};
  const blocks: Block[] = [header(def, date, def.signing.place)];
  blocks.push(
    p([{ text: `GIAO ƯỚC THI ĐUA NĂM ${def.year}`, bold: true, size: 15 }], { align: "center", spaceBeforePt: 18 }),
  );
  if (def.theme)
    blocks.push(
      p([{ text: `Chủ đề: “${def.theme}”`, bold: true, italic: true }], { align: "center", spaceAfterPt: 12 }),
    );
  blocks.push(...legalBases(def));
  blocks.push(
    body(
      `Các Trường Chính trị trong ${def.name} thống nhất ký kết giao ước thi đua năm ${def.year} với các nội dung sau:`,
    ),
  );
  const section = (title: string, lines: string[] | undefined) => {
    blocks.push(heading(title));
    for (const l of lines ?? []) blocks.push(body(fill(l, def)));
  };
  section("I. MỤC ĐÍCH, YÊU CẦU", docs.purpose);
  section("II. NỘI DUNG PHONG TRÀO THI ĐUA", docs.movements);
  blocks.push(heading(`III. CÁC CHỈ TIÊU THI ĐUA NĂM ${def.year}`));
  blocks.push(body(`Mỗi trường đăng ký ${def.targets.length} chỉ tiêu cụ thể như sau:`));
  blocks.push(...pledgeTargets(def, figures));
  section("IV. DANH HIỆU THI ĐUA ĐĂNG KÝ", docs.titles);
  section("V. TỔ CHỨC THỰC HIỆN", docs.organisation);
  blocks.push(
    body(
      `Giao ước này được lập thành ${formatNumber(def.schools.length + 1)} bản, mỗi trường ` +
        `giữ một bản, một bản gửi Học viện Chính trị quốc gia Hồ Chí Minh để báo ` +
        `cáo.`,
    ),
  );
  blocks.push(centre("ĐẠI DIỆN CÁC TRƯỜNG KÝ GIAO ƯỚC", { bold: true, size: 14, after: 6 }));
  const rows: TableCell[][] = [];
  for (let i = 0; i < def.schools.length; i += 2)
    rows.push([signature(def.schools[i]!), def.schools[i + 1] ? signature(def.schools[i + 1]!) : cell("")]);
  blocks.push({ kind: "table", widths: [50, 50], rows, headerRows: 0, borders: false, cantSplit: true });
  return { title: `Giao ước thi đua năm ${def.year} — ${def.name}`, page: ADMIN_PAGE, blocks };
}

// ---------------------------------------------------------------------------

export interface ReportInput {
  summary: ClusterSummary;
  ranking: Ranking;
  date: Date;
  /** Cluster fingerprint recorded at the year-end lock, shown short. */
  fingerprint?: string;
  /** How a reader checks the locked figures against that code; the offline and online paths say it differently. */
  verifyHint?: string;
}

function completion(reg: Parameters<typeof completionRate>[0], ach: Parameters<typeof completionRate>[1]): string {
  return formatRate(completionRate(reg, ach));
}

export function buildYearReport(input: ReportInput): DocumentModel {
  const { summary, ranking, date } = input;
  const def = summary.definition;
  // The report is issued by the head school, from its province.
  const headSchool = def.schools.find((s) => s.role === "head")!;
  const blocks: Block[] = [
    header(def, date, headSchool.province, def.headingStyle === "party" ? "Số ….-BC/CTĐ" : "Số: ….-BC/CTĐ"),
  ];
  blocks.push(p([{ text: "BÁO CÁO", bold: true, size: 15 }], { align: "center", spaceBeforePt: 18 }));
  blocks.push(centre(`Tổng kết phong trào thi đua năm ${def.year}`, { bold: true, size: 14, rule: true, after: 12 }));
  blocks.push(
    body(
      `Thực hiện giao ước thi đua ` +
        `năm ${def.year}${def.theme ? ` với chủ đề “${def.theme}”` : ""}, trên cơ sở báo cáo ` +
        `của các trường, ${def.name} tổng kết phong trào thi đua năm ${def.year} như sau:`,
    ),
  );

  blocks.push(heading("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
  const sentence = yearSummarySentence(summary);
  if (sentence) blocks.push(body(sentence));
  const notAllCovered =
    summary.covered.length < summary.schools.length ? " Các trường chưa được tổng hợp được nêu tại mục III." : "";
  blocks.push(
    body(
      `Số liệu tổng hợp từ ${summary.covered.length}/${summary.schools.length} trường có báo cáo ` +
        `hợp lệ.${notAllCovered}`,
    ),
  );
  const byCode = new Map(summary.targets.map((t) => [t.target.code, t]));
  const head = ["STT", "Chỉ tiêu", "Đơn vị tính", "Đăng ký", "Thực hiện", "Tỷ lệ hoàn thành"].map(headerCell);
  const rows: TableCell[][] = [head];
  for (const line of targetLines(def)) {
    if ("group" in line) {
      rows.push([
        textCell(line.group.label, { bold: true, align: "center" }),
        textCell(line.group.name, { bold: true }),
        textCell(""),
        textCell(""),
        textCell(""),
        textCell(""),
      ]);
      continue;
    }
    const ts = byCode.get(line.row.target.code)!;
    const agg = (a: typeof ts.registered) => formatAggregate(ts, a, false);
    rows.push([
      textCell(String(line.row.number), { align: "center" }),
      textCell(ts.target.name),
      textCell(ts.target.kind === "percent" ? "% (trung bình)" : ts.target.unit || "—", { align: "center" }),
      textCell(agg(ts.registered), { align: "center" }),
      textCell(agg(ts.achieved), { align: "center" }),
      textCell(formatRate(ts.completion), { align: "center" }),
    ]);
  }
  blocks.push({ kind: "table", widths: [7, 43, 14, 12, 12, 12], rows, headerRows: 1, borders: true, cantSplit: true });

  blocks.push(heading("II. KẾT QUẢ CỦA TỪNG TRƯỜNG"));
  const valid = summary.schools.filter((s) => s.status === "valid");
  valid.forEach((s, i) => {
    blocks.push(
      p([{ text: `${i + 1}. ${s.school.name}`, bold: true, italic: true }], {
        align: "left",
        spaceBeforePt: 6,
        spaceAfterPt: 3,
        keepWithNext: true,
        firstLineCm: INDENT,
      }),
    );
    const schoolRows: TableCell[][] = [head];
    for (const line of targetLines(def)) {
      if ("group" in line) continue;
      const ts = byCode.get(line.row.target.code)!;
      const f = schoolFigure(summary, ts, s.school.code);
      schoolRows.push([
        textCell(String(line.row.number), { align: "center" }),
        textCell(ts.target.name),
        textCell(ts.target.kind === "percent" ? "%" : ts.target.unit || "—", { align: "center" }),
        textCell(formatFigure(ts.target, f?.registered ?? null) || "—", { align: "center" }),
        textCell(formatFigure(ts.target, f?.achieved ?? null) || "—", { align: "center" }),
        textCell(completion(f?.registered ?? null, f?.achieved ?? null), { align: "center" }),
      ]);
    }
    blocks.push({
      kind: "table",
      widths: [7, 43, 14, 12, 12, 12],
      rows: schoolRows,
      headerRows: 1,
      borders: true,
      cantSplit: true,
    });
  });

  blocks.push(heading("III. CÁC TRƯỜNG CHƯA ĐƯỢC TỔNG HỢP"));
  const left = summary.schools.filter((s) => s.status !== "valid");
  if (!left.length) blocks.push(body("Tất cả các trường trong Cụm đều có báo cáo hợp lệ và đã được tổng hợp."));
  for (const s of left) {
    const errors = s.problems.filter((x) => x.severity === "error");
    const why =
      s.status === "missing"
        ? "chưa gửi số liệu"
        : `số liệu còn ${errors.length} lỗi, ví dụ: ${errors
            .slice(0, 2)
            .map((x) => x.message)
            .join(" ")}`;
    blocks.push(body(`- ${s.school.name}: ${STATUS_LABEL[s.status].toLocaleLowerCase("vi")} (${why}).`));
  }

  blocks.push(heading("IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG"));
  if (!ranking.scored || !ranking.ranked.length) blocks.push(body("Chưa có kết quả chấm điểm."));
  else {
    const nameOf = new Map(def.schools.map((s) => [s.code, s.name]));
    const rankRows: TableCell[][] = [["Hạng", "Trường", "Tổng điểm", "Điểm tối đa"].map(headerCell)];
    for (const r of ranking.ranked)
      rankRows.push([
        textCell(String(r.rank), { align: "center" }),
        textCell(nameOf.get(r.school) ?? r.school),
        textCell(formatScore(r.total), { align: "center" }),
        textCell(formatScore(r.max), { align: "center" }),
      ]);
    blocks.push({
      kind: "table",
      widths: [10, 56, 17, 17],
      rows: rankRows,
      headerRows: 1,
      borders: true,
      cantSplit: true,
    });
    blocks.push(body("Điểm từng chỉ tiêu và cách tính được giải trình tại trang Xếp hạng của bảng tổng hợp."));
  }
  if (input.fingerprint) blocks.push(body(`Mã kiểm tra toàn vẹn số liệu đã khóa: ${input.fingerprint}.`));
  if (input.fingerprint && input.verifyHint) blocks.push(body(input.verifyHint));

  blocks.push(closing(headSchool));
  return { title: `Báo cáo tổng kết thi đua năm ${def.year} — ${def.name}`, page: ADMIN_PAGE, blocks };
}

/**
 * "Nơi nhận" on the left, the head school's signature for the cluster on the
 * right. A document addressed to the Academy lists it as "Như trên" and signs
 * without repeating the school's title.
 */
export function closing(
  headSchool: School,
  firstRecipient = "- Học viện Chính trị quốc gia Hồ Chí Minh (để b/c);",
  withTitle = true,
): Table {
  return signedClosing(
    [firstRecipient, "- Các trường trong Cụm;", "- Lưu: VT."],
    [
      centre("T/M CỤM THI ĐUA", { bold: true, size: 14 }),
      centre("CỤM TRƯỞNG", { bold: true, size: 14 }),
      ...(withTitle
        ? [centre(upper(`${headSchool.principal.title ?? "Hiệu trưởng"} ${headSchool.name}`), { size: 12 })]
        : []),
    ],
    headSchool.principal.name,
  );
}

/**
 * The closing block of every document: "Nơi nhận:" and its recipients on the left, the signing authority,
 * room for the signature and the signer's name (dots when not yet known) on the right.
 */
export function signedClosing(recipients: string[], authority: Paragraph[], signer: string): Table {
  const left = cell(
    [
      p([{ text: "Nơi nhận:", bold: true, italic: true, size: 12 }], { align: "left" }),
      ...recipients.map((r) => p([{ text: r, size: 11 }], { align: "left" })),
    ],
    { valign: "top" },
  );
  const right = cell(
    [...authority, centre(""), centre(""), centre(""), centre(signer || DOTS, { bold: true, size: 14 })],
    { valign: "top" },
  );
  return {
    kind: "table",
    widths: [45, 55],
    rows: [[left, right]],
    headerRows: 0,
    borders: false,
    cantSplit: true,
  };
}
