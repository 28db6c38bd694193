import { describe, expect, it } from "vitest";
import { aggregateCluster } from "../../src/core/figures/aggregate";
import { loadDefinition } from "../../src/core/definition/definition";
import { documentText, type Table } from "../../src/core/documents/doc-model";
import { buildPledge, buildYearReport, MAX_SCHOOL_COLUMNS } from "../../src/core/documents/documents";
import { scoreCluster } from "../../src/core/figures/score";
import { rawDefinition, sampleDefinition, sampleSubmissions } from "../helpers/samples";
import { byCode } from "../helpers/figures";

const d2023 = sampleDefinition();
const d2020 = sampleDefinition("cum-7-tay-nguyen-2020");

describe("pledge model", () => {
  const pledge = buildPledge(d2023, { figures: sampleSubmissions(d2023).map((s) => s.figures!) });
  const text = documentText(pledge);

  it("has the Party-style header, title, theme and legal bases ending ; and .", () => {
    expect(text.slice(0, 6)).toEqual([
      "CỤM THI ĐUA CÁC TRƯỜNG CHÍNH TRỊ",
      "KHU VỰC NAM TRUNG BỘ VÀ TÂY NGUYÊN",
      "*",
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "Đắk Lắk, ngày 10 tháng 3 năm 2023",
      "GIAO ƯỚC THI ĐUA NĂM 2023",
    ]);
    const themeHead = "Chủ đề: “Chủ động - Đồng bộ - Đột phá - ";
    const theme = themeHead + "Kỷ cương - Chất lượng - Hiệu quả”";
    expect(text).toContain(theme);
    const bases = text.filter((t) => t.startsWith("Căn cứ"));
    expect(bases).toHaveLength(d2023.legalBases.length);
    expect(bases.slice(0, -1).every((b) => b.endsWith(";"))).toBe(true);
    expect(bases.at(-1)!.endsWith(".")).toBe(true);
    for (const h of [
      "I. MỤC ĐÍCH, YÊU CẦU",
      "II. NỘI DUNG PHONG TRÀO THI ĐUA",
      "III. CÁC CHỈ TIÊU THI ĐUA NĂM 2023",
      "IV. DANH HIỆU THI ĐUA ĐĂNG KÝ",
      "V. TỔ CHỨC THỰC HIỆN",
    ])
      expect(text).toContain(h);
  });
  it("uses one block per school when ten schools cannot fit across A4, with registered figures", () => {
    const tables = pledge.blocks.filter((b): b is Table => b.kind === "table" && b.borders);
    expect(tables).toHaveLength(10);
    expect(tables.every((t) => t.headerRows === 1 && t.cantSplit)).toBe(true);
    const dlk = byCode(sampleSubmissions(d2023).find((s) => s.school === "DLK")!.figures).HOCVIEN!.registered as number;
    const dlkIndex = d2023.schools.findIndex((s) => s.code === "DLK");
    expect(documentText({ ...pledge, blocks: [tables[dlkIndex]!] })).toContain(
      new Intl.NumberFormat("de-DE").format(dlk),
    );
  });
  it("ends with the signature grid: 2 × 5, school, HIỆU TRƯỞNG, and a name or a dotted line", () => {
    const grid = pledge.blocks.at(-1) as Table;
    expect(grid.borders).toBe(false);
    expect(grid.rows).toHaveLength(5);
    expect(grid.rows.every((r) => r.length === 2)).toBe(true);
    const cells = grid.rows.flat().map((c) => c.paragraphs.map((x) => x.runs.map((r) => r.text).join("")));
    const school = "TRƯỜNG CHÍNH TRỊ";
    const signer = (province: string, name: string) => [school, province, "HIỆU TRƯỞNG", "", "", "", name];
    expect(cells).toContainEqual(signer("TỈNH ĐẮK LẮK", "Nguyễn Thành Dũng"));
    expect(cells).toContainEqual(signer("TỈNH QUẢNG NAM", "……………………………"));
    expect(text).toContain("ĐẠI DIỆN CÁC TRƯỜNG KÝ GIAO ƯỚC");
  });
  it("puts the schools across the table when they fit, and uses the State heading when asked", () => {
    const raw = rawDefinition("cum-7-tay-nguyen-2020") as Record<string, any>;
    raw.schools = raw.schools.slice(0, MAX_SCHOOL_COLUMNS);
    raw.headingStyle = "state";
    const def = loadDefinition(raw);
    const doc = buildPledge(def);
    const t = documentText(doc);
    expect(t.slice(0, 6)).toEqual([
      "CỤM THI ĐUA SỐ 7",
      "CÁC TRƯỜNG CHÍNH TRỊ KHU VỰC TÂY NGUYÊN",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Đắk Nông, ngày 12 tháng 3 năm 2020",
      "GIAO ƯỚC THI ĐUA NĂM 2020",
    ]);
    const tables = doc.blocks.filter((b): b is Table => b.kind === "table" && b.borders);
    expect(tables).toHaveLength(1);
    expect(tables[0]!.rows[0]!.map((c) => c.paragraphs[0]!.runs[0]!.text)).toEqual([
      "STT",
      "Nội dung",
      "Đơn vị tính",
      "Đắk Nông",
      "Kon Tum",
      "Gia Lai",
      "Đắk Lắk",
      "Ghi chú",
    ]);
  });
});

describe("year-end report model", () => {
  const subs = sampleSubmissions(d2020);
  const summary = aggregateCluster(
    d2020,
    subs.filter((s) => s.school !== "GLA"),
  );
  const full = aggregateCluster(d2020, subs);
  const date = new Date(Date.UTC(2020, 10, 23, 2));

  it("writes the seed's sentence from the 2020 totals", () => {
    const text = documentText(buildYearReport({ summary: full, ranking: scoreCluster(full), date }));
    expect(text.join("\n")).toContain(
      "quản lý, đào tạo, bồi dưỡng 261 lớp với 19.082 học viên; triển khai " +
        "nghiên cứu 13 đề tài khoa học với 2 đề tài cấp tỉnh, 11 đề tài cấp " +
        "trường",
    );
    expect(text).toContain("Đắk Nông, ngày 23 tháng 11 năm 2020");
    const allValidHead = "Tất cả các trường trong Cụm đều có báo cáo hợp lệ và đã được ";
    const allValid = allValidHead + "tổng hợp.";
    expect(text).toContain(allValid);
  });
  it("lists the schools not covered with the reason, the ranking and the head's signature", () => {
    const text = documentText(
      buildYearReport({ summary, ranking: scoreCluster(summary), date, fingerprint: "3f9a0c1b7d2e" }),
    );
    expect(text).toContain("- Trường Chính trị tỉnh Gia Lai: chưa nộp (chưa gửi số liệu).");
    const partialHead = "Số liệu tổng hợp từ 4/5 trường có báo cáo hợp lệ. ";
    const partial = partialHead + "Các trường chưa được tổng hợp được nêu tại mục III.";
    expect(text).toContain(partial);
    expect(text).toContain("IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG");
    expect(text).toContain("Mã kiểm tra toàn vẹn số liệu đã khóa: 3f9a0c1b7d2e.");
    expect(text.slice(-4)).toEqual(["", "", "", "……………………………"]);
    expect(text).toContain("T/M CỤM THI ĐUA");
    expect(text).toContain("CỤM TRƯỞNG");
  });
});
