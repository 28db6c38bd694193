/** The instructions sheet of a school's Excel template and of the shared Google Sheet. */
import { effectiveConstraints, type ClusterDefinition, type School } from "../definition/definition";
import { formatLongDate, parseIsoDate } from "../text/format";
import { range, type CellValue, type SheetSpec } from "./sheet-spec";
import { a1 } from "../problem";
import { CHECKBOX_COL, CHECKBOX_ROW } from "./school-layout";

export const INSTRUCTIONS_SHEET = "Hướng dẫn";

function targetHelp(def: ClusterDefinition): string[] {
  return def.targets.map((t) => {
    const c = effectiveConstraints(t);
    switch (t.kind) {
      case "count":
        return (
          `• ${t.code} — ${t.name}: ${c.integer ? "số nguyên" : "số"} ` +
          `từ ${c.min ?? 0}${c.max !== undefined ? ` đến ${c.max}` : " trở lên"} (${t.unit}).`
        );
      case "percent":
        return `• ${t.code} — ${t.name}: tỷ lệ từ ${c.min ?? 0} % đến ${c.max ?? 100} %, gõ như 95,5%.`;
      case "yesno":
        return `• ${t.code} — ${t.name}: chọn "Đạt" hoặc "Không đạt".`;
      case "level":
        return `• ${t.code} — ${t.name}: chọn một mức: ${(t.levels ?? []).join(", ")}.`;
    }
  });
}

export function buildInstructionsSheet(def: ClusterDefinition, mode: "excel" | "sheet", school?: School): SheetSpec {
  const signing = parseIsoDate(def.signing.date);
  const lines: string[] =
    mode === "excel"
      ? [
          `HƯỚNG DẪN NHẬP SỐ LIỆU THI ĐUA NĂM ${def.year}`,
          def.name,
          school ? `Mẫu dành riêng cho: ${school.name} (mã ${school.code}).` : "",
          "",
          `1. Mở trang "${school ? (school.shortName ?? school.province) : "số liệu"}", nhập số vào ` +
            `các ô màu vàng: cột "Đăng ký" (chỉ tiêu đăng ký đầu năm) và cột "Thực ` +
            `hiện" (kết quả cuối năm).`,
          "2. Số viết kiểu Việt Nam: 19.082 là mười chín nghìn không trăm tám mươi hai; phần " +
            "thập phân dùng dấu phẩy (95,5).",
          "3. Không thêm, xóa hay đổi thứ tự cột; không sửa cột Mã. Có thể thêm ghi chú ở cột Ghi chú.",
          "4. Lưu tệp dạng .xlsx (Excel Workbook) và gửi cho trường Cụm trưởng, hoặc nhập " +
            "lên Google Sheet của cụm bằng menu Thi đua › Nhập từ Excel.",
          "5. Mẫu này chỉ dùng cho đúng trường và đúng năm ghi ở trên; tệp của trường " +
            "khác hoặc năm khác sẽ bị từ chối.",
          "",
          "Yêu cầu với từng chỉ tiêu:",
          ...targetHelp(def),
        ]
      : [
          `HƯỚNG DẪN SỬ DỤNG BẢNG THI ĐUA NĂM ${def.year}`,
          def.name,
          "TRÊN ĐIỆN THOẠI (ứng dụng Google Trang tính, không có menu Thi đua):",
          "• Mở trang mang tên tỉnh của trường, gõ số vào ô màu vàng; ô sai được tô đỏ.",
          "• Đọc khung TÌNH TRẠNG ở đầu trang: giai đoạn, trường sửa được gì, lỗi ở ô nào và cách sửa.",
          `• Hết lỗi và đủ số liệu thì đánh dấu ô ${a1(CHECKBOX_ROW, CHECKBOX_COL)} để xác nhận; ` +
            "kết quả hiện ngay trong khung.",
          "• Nhập từ tệp Excel và các việc của trường Cụm trưởng: làm trên máy tính.",
          "",
          def.theme ? `Chủ đề: “${def.theme}”` : "",
          signing ? `Ký giao ước tại ${def.signing.place}, ${formatLongDate(signing)}.` : "",
          "",
          "1. Mỗi trường nhập số liệu vào trang mang tên tỉnh của mình, ở các ô màu vàng " +
            "(Đăng ký, Thực hiện, Ghi chú). Chỉ người nhập liệu của trường và trường " +
            "Cụm trưởng được sửa trang đó.",
          "2. Ô nhập sai được tô đỏ kèm ghi chú giải thích ngay khi sửa; chọn Thi đua › " +
            "Kiểm tra số liệu để xem toàn bộ lỗi.",
          "3. Trường Cụm trưởng chọn Thi đua › Tổng hợp để lập trang Tổng hợp, Tình trạng nộp và Xếp hạng.",
          "4. Mọi thay đổi số liệu được ghi vào trang Nhật ký (ai, lúc nào, ô nào, giá trị cũ, giá trị mới).",
          "5. Trường làm việc ngoại tuyến: Thi đua › Tải mẫu Excel, điền rồi Thi đua › Nhập từ Excel.",
          "",
          "Yêu cầu với từng chỉ tiêu:",
          ...targetHelp(def),
        ];
  const grid: CellValue[][] = lines.filter((l, i) => l !== "" || i > 2).map((l) => [l]);
  return {
    name: INSTRUCTIONS_SHEET,
    grid,
    merges: [],
    styles: [
      { range: range(0, 0, 1, 1), bold: true, fontSize: 13 },
      { range: range(1, 0, 1, 1), italic: true },
      ...(mode === "sheet" ? [{ range: range(2, 0, 1, 1), bold: true }] : []),
      { range: range(2, 0, Math.max(1, grid.length - 2), 1), wrap: true, valign: "top" },
    ],
    // Online the column fits a phone's screen (about 380 pixels): the lines wrap rather than run off to the side.
    widths: [mode === "sheet" ? 48 : 110],
    frozenRows: 0,
    inputs: [],
    colourScales: [],
    editable: [],
  };
}
