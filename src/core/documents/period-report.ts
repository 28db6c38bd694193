/**
 * The period review report (Báo cáo tổng kết giai đoạn) as a document model,
 * in the style of the year-end articles: "Trong 5 năm (2021–2025), các trường
 * … đã quản lý, đào tạo, bồi dưỡng … lớp với … học viên; …".
 */
import type { ClusterDefinition, School } from "../definition/definition";
import { formatNumber, yearSpan } from "../text/format";
import { dayBefore, vnDay } from "../register/register";
import { regroupedLabel, reportedLabel, type PeriodReview } from "../period/period";
import { periodFigureText } from "../sheets/period-layout";
import { ADMIN_PAGE, type Block, type DocumentModel, type TableCell } from "./doc-model";
import { body, centre, closing, header, headerCell, heading, textCell } from "./documents";

/** `lastDef` gives the header style and the issuer; the signer is the last head, or its successor when it merged. */
export function buildPeriodReport(review: PeriodReview, lastDef: ClusterDefinition, date: Date): DocumentModel {
  const head: School = lastDef.schools.find((s) => s.code === review.signer.code) ?? {
    ...review.signer,
    role: "head",
    principal: { name: "", title: "Hiệu trưởng" },
    editors: [],
  };
  const { from, to, years } = review;
  const blocks: Block[] = [
    header(lastDef, date, head.province, lastDef.headingStyle === "party" ? "Số ….-BC/CTĐ" : "Số: ….-BC/CTĐ"),
  ];
  blocks.push(centre("BÁO CÁO", { bold: true, size: 15 }));
  blocks.push(
    centre(`Tổng kết phong trào thi đua giai đoạn ${yearSpan(from, to)}`, {
      bold: true,
      size: 14,
      rule: true,
      after: 12,
    }),
  );
  blocks.push(
    body(
      `Trên cơ sở số liệu đã khóa của ${years.length} năm ` +
        `(${years.join(", ")}), ${review.clusterName} tổng kết phong trào thi đua giai ` +
        `đoạn ${yearSpan(from, to)} như sau:`,
    ),
  );

  blocks.push(heading("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
  if (review.sentence) blocks.push(body(review.sentence));
  blocks.push(
    body("Các số đếm được cộng qua các năm; tỷ lệ, Đạt/Không đạt và mức được liệt kê theo từng năm, không cộng."),
  );
  const yearHead = [
    headerCell("STT"),
    headerCell("Chỉ tiêu"),
    ...years.map((y) => headerCell(String(y))),
    headerCell("Cả giai đoạn"),
  ];
  const rows: TableCell[][] = [yearHead];
  const number = new Map(review.targets.map((t, i) => [t.code, i + 1]));
  for (const t of review.targets)
    rows.push([
      textCell(String(number.get(t.code)), { align: "center" }),
      textCell(`${t.name} (${t.kind === "percent" ? "%" : t.unit || "—"})`),
      ...t.byYear.map((y) => textCell(periodFigureText(t.kind, y?.achieved), { align: "center" })),
      textCell(t.summed ? formatNumber(t.periodAchieved ?? 0) : "không cộng", { align: "center" }),
    ]);
  blocks.push({
    kind: "table",
    widths: [6, 30, ...years.map(() => 11), 12],
    rows,
    headerRows: 1,
    borders: true,
    cantSplit: true,
  });

  blocks.push(heading("II. KẾT QUẢ CỦA CÁC TRƯỜNG"));
  blocks.push(
    body(
      `Số đếm cả giai đoạn của từng trường, tính theo các trường hiện nay ` +
        `(ngày ${vnDay(review.asOf)}); số liệu của trường đã sáp nhập được cộng vào ` +
        `trường kế thừa, mỗi trường chỉ tính một lần.`,
    ),
  );
  const summed = review.targets.filter((t) => t.summed);
  blocks.push(body(`Các cột ghi số thứ tự chỉ tiêu tại mục I.`));
  const schoolRows: TableCell[][] = [
    [headerCell("Trường"), ...summed.map((t) => headerCell(`${number.get(t.code)}. ${t.unit || t.code}`))],
  ];
  for (const g of review.regrouped)
    schoolRows.push([
      textCell(regroupedLabel(g)),
      ...summed.map((t) => textCell(formatNumber(g.counts[t.code]!.total), { align: "center" })),
    ]);
  blocks.push({
    kind: "table",
    widths: [40, ...summed.map(() => 60 / Math.max(1, summed.length))],
    rows: schoolRows,
    headerRows: 1,
    borders: true,
    cantSplit: true,
  });
  const merged = review.reported.filter((r) => r.successor);
  if (merged.length)
    blocks.push(
      body(
        `Theo số liệu đã báo cáo, các năm trước sáp nhập được ghi dưới tên trường lúc ` +
          `đó: ${merged.map(reportedLabel).join("; ")}.`,
      ),
    );
  for (const rec of review.records)
    if (rec.merges.length)
      blocks.push(
        body(
          `Năm ${rec.year} là năm sáp nhập: ${rec.merges
            .map((m) => {
              const rest = m.successorInCluster
                ? `${m.successor.name} báo cáo phần còn lại`
                : `phần còn lại thuộc ${m.successor.name} (ngoài Cụm)`;
              return `${m.predecessor.name} báo cáo phần việc đến ${vnDay(dayBefore(m.date))}, ${rest}`;
            })
            .join("; ")}; số của trường kế thừa năm ${rec.year} cộng cả hai phần.`,
        ),
      );

  blocks.push(heading("III. CỤM TRƯỞNG, CỤM PHÓ, XẾP HẠNG VÀ DANH HIỆU QUA CÁC NĂM"));
  const roleRows: TableCell[][] = [
    [
      headerCell("Năm"),
      headerCell("Cụm trưởng"),
      headerCell("Cụm phó"),
      headerCell("Dẫn đầu xếp hạng"),
      headerCell("Danh hiệu đề nghị"),
    ],
  ];
  for (const rec of review.records) {
    const leaders = rec.ranked.filter((r) => r.rank === 1).map((r) => r.name);
    roleRows.push([
      textCell(String(rec.year), { align: "center" }),
      textCell(rec.head?.name ?? "—"),
      textCell(rec.deputies.map((d) => d.name).join("; ") || "—"),
      textCell(leaders.join("; ") || "—"),
      textCell(
        rec.awards
          ? rec.awards.map((a) => `${a.name}: ${a.schools.map((x) => x.name).join(", ")}`).join("; ") || "—"
          : "chưa có biên bản bình xét",
      ),
    ]);
  }
  blocks.push({
    kind: "table",
    widths: [8, 22, 25, 20, 25],
    rows: roleRows,
    headerRows: 1,
    borders: true,
    cantSplit: true,
  });
  blocks.push(
    body(
      `Số liệu lấy từ các bảng tổng hợp đã khóa, mỗi năm đã được đối chiếu với ` +
        `mã kiểm tra của năm ` +
        `đó: ${review.records.map((r) => `${r.year} (${r.fingerprint.slice(0, 12)})`).join(", ")}.`,
    ),
  );
  blocks.push(closing(head));
  return {
    title: `Báo cáo tổng kết giai đoạn ${yearSpan(from, to)} — ${review.clusterName}`,
    page: ADMIN_PAGE,
    blocks,
  };
}
