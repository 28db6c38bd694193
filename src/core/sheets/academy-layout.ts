/**
 * The Academy's roll-up workbook: national totals, each target cluster by
 * cluster, the clusters (head, deputies, leaders, coverage, lock code) and,
 * with the review records, the proposals and the Government-flag cap with
 * one explanation line per outcome. One layout for every adapter.
 */
import type { AcademyRollup, NationalTarget } from "../academy/rollup";
import type { FlagOutcomeKind } from "../academy/gov-flag";
import { shortPrint } from "../lock/fingerprint";
import { vnDay } from "../register/register";
import { formatNumber, formatPercent, formatRate, formatScore } from "../text/format";
import { periodFigure, titledTable } from "./period-layout";
import type { CellValue, SheetSpec } from "./sheet-spec";

export const OUTCOME_WORDS: Record<FlagOutcomeKind, string> = {
  proposed: "Đề nghị",
  overCap: "Không đề nghị (vượt tỷ lệ)",
  tieUnresolved: "Bằng nhau ở chỗ cuối — Hội đồng Học viện bỏ phiếu lại",
};

const NOT_SUMMED = "không cộng";
const unitOf = (t: NationalTarget) => (t.kind === "percent" ? "%" : t.unit || "—");

/** Which clusters a national figure covers, in words: "6/6 Cụm", "2/6 Cụm (chỉ có ở Khu vực …)". */
export function coverageWords(t: NationalTarget, clusters: readonly { name: string; label: string }[]): string {
  const have = clusters.filter((c) => !t.missingIn.includes(c.name));
  return (
    `${have.length}/${clusters.length} Cụm` +
    (t.missingIn.length ? ` (chỉ có ở ${have.map((c) => c.label).join("; ")})` : "")
  );
}

export function academyTitle(r: AcademyRollup): string {
  return `TỔNG HỢP KẾT QUẢ THI ĐUA CÁC CỤM TRƯỜNG CHÍNH TRỊ NĂM ${r.year}`;
}

export function buildAcademySheets(r: AcademyRollup): SheetSpec[] {
  const title = academyTitle(r);
  const n = r.clusters.length;
  const scope =
    `Học viện Chính trị quốc gia Hồ Chí Minh — ${n} Cụm thi đua, ${formatNumber(r.schools.members)} trường ` +
    `(${formatNumber(r.schools.counted)} trường được tính trong số liệu đã khóa)`;

  const totals: CellValue[][] = [
    [title],
    [scope],
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Đăng ký", "Thực hiện", "Tỷ lệ hoàn thành", "Các Cụm có chỉ tiêu"],
  ];
  r.targets.forEach((t, i) =>
    totals.push([
      i + 1,
      t.name,
      unitOf(t),
      t.total ? periodFigure(t.kind, t.total.registered) : NOT_SUMMED,
      t.total ? periodFigure(t.kind, t.total.achieved) : NOT_SUMMED,
      t.total ? formatRate(t.total.completion) : "xem trang Theo Cụm",
      coverageWords(t, r.clusters),
    ]),
  );
  if (r.sentence) totals.push([null], [r.sentence]);
  totals.push(
    [null],
    [
      "Số đếm được cộng trên mọi trường các Cụm đã tính khi khóa, bằng tổng số đã khóa của các Cụm; tỷ lệ, " +
        "Đạt/Không đạt và mức được liệt kê theo từng Cụm, không cộng. Chỉ tiêu được ghép theo mã và đơn vị tính.",
    ],
  );

  const byCluster: CellValue[][] = [
    [`${title} — THEO TỪNG CỤM`],
    ["Số Thực hiện của từng Cụm như đã khóa; — : Cụm không có chỉ tiêu này."],
    ["STT", "Chỉ tiêu", "Đơn vị tính", ...r.clusters.map((c) => c.label), "Toàn Học viện"],
  ];
  r.targets.forEach((t, i) =>
    byCluster.push([
      i + 1,
      t.name,
      unitOf(t),
      ...t.byCluster.map((c) => (c ? periodFigure(t.kind, c.achieved) : "—")),
      t.total ? periodFigure(t.kind, t.total.achieved) : NOT_SUMMED,
    ]),
  );

  const clusters: CellValue[][] = [
    [`${title} — CÁC CỤM`],
    ["Đơn vị dẫn đầu theo biên bản bình xét; khi không có biên bản: trường xếp hạng 1 trong bảng đã khóa."],
    [
      "STT",
      "Cụm thi đua",
      "Cụm trưởng",
      "Cụm phó",
      "Đơn vị dẫn đầu",
      "Số trường",
      "Được tính",
      "Chưa tính (lý do)",
      "Tệp đã khóa",
      "Khóa lúc",
      "Mã kiểm tra",
      "Biên bản bình xét",
    ],
  ];
  r.clusters.forEach((c, i) =>
    clusters.push([
      i + 1,
      c.name,
      c.head?.name ?? "—",
      c.deputies.map((d) => d.name).join("; ") || "—",
      (c.leaders.map((l) => l.name).join("; ") || "—") + (c.leadersFrom === "ranking" ? " (xếp hạng 1)" : ""),
      c.members,
      c.counted.length,
      c.notCounted.map((s) => `${s.name} (${s.reason})`).join("; ") || "—",
      c.source,
      c.lockedAt,
      shortPrint(c.fingerprint),
      c.reviewFingerprint ? shortPrint(c.reviewFingerprint) : "không có",
    ]),
  );

  const sheets = [
    titledTable("Toàn Học viện", totals, 2, [6, 50, 14, 14, 14, 14, 40], {
      rows: r.targets.length,
      numbers: [3, 2],
    }),
    titledTable("Theo Cụm", byCluster, 2, [6, 45, 12, ...r.clusters.map(() => 16), 16], {
      rows: r.targets.length,
      numbers: [3, n + 1],
    }),
    titledTable("Các Cụm", clusters, 2, [6, 40, 30, 40, 30, 10, 10, 40, 36, 18, 16, 16]),
  ];
  if (r.review) sheets.push(proposalsSheet(r, title));
  return sheets;
}

function proposalsSheet(r: AcademyRollup, title: string): SheetSpec {
  const review = r.review!;
  const rows: CellValue[][] = [
    [`${title} — ĐỀ NGHỊ KHEN THƯỞNG`],
    [
      `Áp dụng ${review.ruleSet.name}, theo ngày ${vnDay(review.date)}` +
        (review.dateFrom === "meetings" ? " (ngày họp bình xét muộn nhất của các Cụm)" : "") +
        ".",
    ],
    ["STT", "Danh hiệu đề nghị", "Trường", "Cụm thi đua", "Phiếu tại Cụm", "Kết quả", "Giải thích"],
  ];
  let k = 0;
  for (const a of review.awards)
    for (const s of a.schools)
      rows.push([
        ++k,
        a.name,
        s.schoolName,
        s.clusterName,
        `${formatNumber(s.votes)}/${formatNumber(s.base)} (${formatPercent(s.share * 100)})`,
        "Cụm đề nghị",
        "Theo biên bản bình xét của Cụm.",
      ]);
  for (const o of review.govFlag.outcomes)
    rows.push([
      ++k,
      "Cờ thi đua của Chính phủ",
      o.schoolName,
      o.clusterName,
      `${formatNumber(o.votes)}/${formatNumber(o.base)} (${formatPercent(o.share * 100)}); ` +
        `${formatScore(o.score)}/${formatScore(o.maxScore)} điểm`,
      OUTCOME_WORDS[o.outcome],
      o.line,
    ]);
  const dataRows = k;
  rows.push([null], ["Cờ thi đua của Chính phủ:"], ...review.govFlag.lines.map((l) => [l]));
  if (review.withoutRecord.length)
    rows.push([
      `Cụm chưa gửi biên bản bình xét (không có đề nghị, không tính vào số đơn vị dẫn đầu): ` +
        `${review.withoutRecord.join("; ")}.`,
    ]);
  if (review.ruleSet.unconfirmed.length)
    rows.push([`Quy tắc mặc định, chưa đối chiếu được văn bản gốc: ${review.ruleSet.unconfirmed.join("; ")}.`]);
  return titledTable("Đề nghị khen thưởng", rows, 2, [6, 36, 36, 40, 24, 24, 80], { rows: dataRows });
}
