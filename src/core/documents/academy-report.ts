/**
 * The Academy's consolidated report (Báo cáo tổng hợp kết quả thi đua của các
 * Cụm) as a document model, issued by the Academy's department for the
 * political schools, in the style of the year-end articles: "Năm …, … trường
 * chính trị trong … Cụm thi đua đã quản lý, đào tạo, bồi dưỡng … lớp với …
 * học viên; …", then the clusters and the consolidated proposals.
 */
import type { AcademyRollup } from "../academy/rollup";
import { shortPrint } from "../lock/fingerprint";
import { vnDay } from "../register/register";
import { coverageWords, OUTCOME_WORDS } from "../sheets/academy-layout";
import { periodFigureText } from "../sheets/period-layout";
import { formatNumber, formatPercent, formatRate } from "../text/format";
import { ADMIN_PAGE, type Block, type DocumentModel, type TableCell } from "./doc-model";
import { body, centre, header, headerCell, heading, signedClosing, textCell } from "./documents";
import { ACADEMY } from "../review/candidates";

/** The issuer of the Academy's documents, as its header sets it (party style). */
export const ACADEMY_ISSUER = ["HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH", "VỤ CÁC TRƯỜNG CHÍNH TRỊ"];
const ACADEMY_PLACE = "Hà Nội";

const table = (widths: number[], rows: TableCell[][]): Block => ({
  kind: "table",
  widths,
  rows,
  headerRows: 1,
  borders: true,
  cantSplit: true,
});

export function buildAcademyReport(r: AcademyRollup, date: Date): DocumentModel {
  const n = r.clusters.length;
  const label = (id: string) => r.clusters.find((c) => c.id === id)?.label ?? id;
  const blocks: Block[] = [
    header({ headingStyle: "party", region: ACADEMY, issuer: ACADEMY_ISSUER }, date, ACADEMY_PLACE, "Số ….-BC/VCTCT"),
    centre("BÁO CÁO", { bold: true, size: 15 }),
    centre(`Tổng hợp kết quả thi đua của các Cụm thi đua các trường chính trị năm ${r.year}`, {
      bold: true,
      size: 14,
      rule: true,
      after: 12,
    }),
    body(
      `Trên cơ sở số liệu đã khóa của ${n} Cụm thi đua các trường chính trị năm ${r.year} (mỗi bảng đã ` +
        `được đối chiếu với mã kiểm tra của chính nó)` +
        `${r.review ? " và biên bản bình xét của các Cụm" : ""}, Vụ Các trường chính trị tổng hợp như sau:`,
    ),
    heading("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"),
  ];
  if (r.sentence) blocks.push(body(r.sentence));
  blocks.push(
    body(
      `Số đếm được cộng trên ${formatNumber(r.schools.counted)} trường các Cụm đã tính khi khóa ` +
        `(${formatNumber(r.schools.members)} trường thành viên); tỷ lệ và Đạt/Không đạt được ghi theo từng ` +
        `Cụm, không cộng.`,
    ),
  );
  const summed = r.targets.filter((t) => t.total);
  const rows: TableCell[][] = [
    ["STT", "Chỉ tiêu", "Đăng ký", "Thực hiện", "Tỷ lệ hoàn thành", "Các Cụm"].map((h) => headerCell(h)),
  ];
  summed.forEach((t, i) =>
    rows.push([
      textCell(String(i + 1), { align: "center" }),
      textCell(`${t.name} (${t.unit || "—"})`),
      textCell(periodFigureText(t.kind, t.total!.registered), { align: "center" }),
      textCell(periodFigureText(t.kind, t.total!.achieved), { align: "center" }),
      textCell(formatRate(t.total!.completion), { align: "center" }),
      textCell(coverageWords(t, r.clusters)),
    ]),
  );
  blocks.push(table([8, 34, 13, 13, 12, 20], rows));
  const listed = r.targets.filter((t) => !t.total);
  if (listed.length) {
    blocks.push(body("Các chỉ tiêu tỷ lệ, Đạt/Không đạt theo từng Cụm (không cộng giữa các Cụm):"));
    const perCluster: TableCell[][] = [
      [headerCell("Cụm thi đua"), ...listed.map((t) => headerCell(t.kind === "percent" ? `${t.name} (%)` : t.name))],
    ];
    r.clusters.forEach((c, k) =>
      perCluster.push([
        textCell(c.label),
        ...listed.map((t) => {
          const f = t.byCluster[k];
          return textCell(f ? periodFigureText(t.kind, f.achieved) : "—", { align: "center" });
        }),
      ]),
    );
    blocks.push(table([34, ...listed.map(() => 66 / listed.length)], perCluster));
  }

  blocks.push(heading("II. CÁC CỤM THI ĐUA"));
  const clusterRows: TableCell[][] = [
    ["STT", "Cụm thi đua", "Cụm trưởng, Cụm phó", "Đơn vị dẫn đầu", "Được tính", "Mã kiểm tra"].map((h) =>
      headerCell(h),
    ),
  ];
  r.clusters.forEach((c, i) =>
    clusterRows.push([
      textCell(String(i + 1), { align: "center" }),
      textCell(c.name),
      textCell(
        `Cụm trưởng: ${c.head?.name ?? "—"}` +
          (c.deputies.length ? `; Cụm phó: ${c.deputies.map((d) => d.name).join(", ")}` : ""),
      ),
      textCell((c.leaders.map((l) => l.name).join("; ") || "—") + (c.leadersFrom === "ranking" ? " (xếp hạng 1)" : "")),
      textCell(
        `${c.counted.length}/${c.members}` +
          (c.notCounted.length ? ` (chưa tính: ${c.notCounted.map((s) => `${s.name}, ${s.reason}`).join("; ")})` : ""),
        { align: "center" },
      ),
      textCell(shortPrint(c.fingerprint), { align: "center" }),
    ]),
  );
  blocks.push(table([8, 22, 28, 18, 10, 16], clusterRows));

  if (r.review) {
    const review = r.review;
    blocks.push(heading("III. ĐỀ NGHỊ KHEN THƯỞNG CỦA CÁC CỤM"));
    blocks.push(
      body(
        `Áp dụng ${review.ruleSet.name} (theo ngày ${vnDay(review.date)}). ` +
          (review.withoutRecord.length
            ? `Chưa nhận được biên bản bình xét của: ${review.withoutRecord.join("; ")}.`
            : `Đã nhận biên bản bình xét của cả ${n} Cụm, mỗi biên bản khớp mã kiểm tra của mình và số liệu đã khóa.`),
      ),
    );
    review.awards.forEach((a, i) => {
      blocks.push(heading(`${i + 1}. ${a.name}`));
      if (!a.schools.length) {
        blocks.push(body("Không có Cụm nào đề nghị."));
        return;
      }
      const awardRows: TableCell[][] = [["STT", "Trường", "Cụm", "Phiếu tại Cụm"].map((h) => headerCell(h))];
      a.schools.forEach((s, k) =>
        awardRows.push([
          textCell(String(k + 1), { align: "center" }),
          textCell(s.schoolName),
          textCell(label(s.cluster)),
          textCell(`${formatNumber(s.votes)}/${formatNumber(s.base)} (${formatPercent(s.share * 100)})`, {
            align: "center",
          }),
        ]),
      );
      blocks.push(table([8, 40, 34, 18], awardRows));
    });
    blocks.push(heading(`${review.awards.length + 1}. Cờ thi đua của Chính phủ`));
    for (const line of review.govFlag.lines) blocks.push(body(line));
    if (review.govFlag.outcomes.length) {
      const flagRows: TableCell[][] = [["Thứ tự", "Trường", "Kết quả", "Giải thích"].map((h) => headerCell(h))];
      for (const o of review.govFlag.outcomes)
        flagRows.push([
          textCell(String(o.place), { align: "center" }),
          textCell(o.schoolName),
          textCell(OUTCOME_WORDS[o.outcome]),
          textCell(o.line),
        ]);
      blocks.push(table([8, 24, 18, 50], flagRows));
    }
    if (review.ruleSet.unconfirmed.length)
      blocks.push(
        body(
          `Quy tắc mặc định, chưa đối chiếu được văn bản gốc (Hội đồng Học viện kiểm tra lại): ` +
            `${review.ruleSet.unconfirmed.join("; ")}.`,
        ),
      );
  }

  blocks.push(
    signedClosing(
      [
        "- Giám đốc Học viện (để b/c);",
        "- Hội đồng Thi đua - Khen thưởng Học viện;",
        "- Các Cụm thi đua các trường chính trị;",
        "- Lưu: VT, Vụ Các trường chính trị.",
      ],
      [
        centre("T/L GIÁM ĐỐC", { bold: true, size: 14 }),
        centre("VỤ TRƯỞNG VỤ CÁC TRƯỜNG CHÍNH TRỊ", { bold: true, size: 14 }),
      ],
      "",
    ),
  );
  return {
    title: `Báo cáo tổng hợp kết quả thi đua của các Cụm thi đua các trường chính trị năm ${r.year}`,
    page: ADMIN_PAGE,
    blocks,
  };
}
