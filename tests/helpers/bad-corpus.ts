/**
 * The corpus of broken workbooks, made from the real template so it follows
 * the template when it changes. Each case says what a person should be told.
 */
import JSZip from "jszip";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterDefinition } from "../../src/core/definition/definition";
import type ExcelJS from "exceljs";
import { COL, SCHOOL_HEADER_ROW } from "../../src/core/sheets/school-layout";
import { META_SHEET } from "../../src/core/sheets/template-meta";
import { blankTemplate, fill, FULL_2023, rewritePart } from "./workbooks";

/** The 1-based row of a school sheet's header. */
const HEADER = SCHOOL_HEADER_ROW + 1;

export interface BadCase {
  file: string;
  what: string;
  /** What the message must say. */
  expect: RegExp;
}

/** A minimal OLE compound file header, as Excel writes for a password-to-open workbook. */
function oleContainer(): Uint8Array {
  const b = new Uint8Array(4096);
  b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  const name = new TextEncoder().encode("EncryptedPackage".split("").join("\0"));
  b.set(name, 1024);
  return b;
}

async function bomb(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file("[Content_Types].xml", "<Types/>");
  zip.file("xl/worksheets/sheet1.xml", new Uint8Array(150 * 1024 * 1024));
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
}

/** Sets one value of the hidden identity sheet (1-based row, column B). */
function meta(row: number, value: ExcelJS.CellValue): (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void {
  return (_ws, wb) => {
    wb.getWorksheet(META_SHEET)!.getCell(row, 2).value = value;
  };
}

/**
 * Types a value into a target's Thực hiện cell and drops the cell's percent format,
 * as pasting from elsewhere does.
 */
function unformat(code: string, value: number): (ws: ExcelJS.Worksheet) => void {
  return (ws) =>
    ws.eachRow((row) => {
      if (row.getCell(COL.code + 1).value !== code) return;
      const cell = row.getCell(COL.achieved + 1);
      cell.value = value;
      cell.numFmt = "General";
    });
}

export async function writeBadCorpus(
  def: ClusterDefinition,
  lastYear: ClusterDefinition,
  dir: string,
): Promise<BadCase[]> {
  mkdirSync(dir, { recursive: true });
  const template = await blankTemplate(def, "DLK");
  const dlkSheetHead = /trang số liệu mang tên "Đắk Lắk" của Trường /.source;
  const dlkSheet = new RegExp(dlkSheetHead + /Chính trị tỉnh Đắk Lắk|mang tên "Đắk Lắk"/.source);
  const cases: [string, string, RegExp, Uint8Array | Promise<Uint8Array>][] = [
    [
      "khong-phai-zip.xlsx",
      "a text file renamed .xlsx",
      /không phải là tệp Excel \.xlsx/,
      new TextEncoder().encode("STT;Mã;Chỉ tiêu\n1;LOP;40\n"),
    ],
    [
      "zip-cut.xlsx",
      "a zip cut in half",
      /bị hỏng hoặc chưa tải về hết/,
      template.slice(0, Math.floor(template.length / 2)),
    ],
    ["bom-giai-nen.xlsx", "150 MB of zeros packed into a few hundred KB", /khi giải nén lớn 150 MB/, bomb()],
    ["rong.xlsx", "an empty file", /Tệp rỗng/, new Uint8Array(0)],
    [
      "khong-co-trang.xlsx",
      "a workbook without sheets",
      /không có trang tính nào/,
      rewritePart(template, "xl/workbook.xml", (x) => x.replace(/<sheets>[\s\S]*<\/sheets>/, "<sheets/>")),
    ],
    [
      "xoa-cot.xlsx",
      "the Thực hiện column deleted",
      /thiếu cột "Thực hiện"; có thể cột đã bị xóa/,
      fill(template, FULL_2023, (ws) => {
        ws.unprotect();
        ws.spliceColumns(COL.achieved + 1, 1);
      }),
    ],
    [
      "chu-trong-o-so.xlsx",
      "text in a number cell",
      /"bốn mươi" không phải là số; hãy nhập một số/,
      fill(template, { ...FULL_2023, LOP: { registered: "bốn mươi", achieved: 42 } }),
    ],
    [
      "so-am.xlsx",
      "a negative count",
      /-3 là số âm; hãy nhập số từ 0 trở lên/,
      fill(template, { ...FULL_2023, HOITHAO: { registered: 4, achieved: -3 } }),
    ],
    [
      "so-le.xlsx",
      "a fractional count",
      /2,5 không phải số nguyên/,
      fill(template, { ...FULL_2023, DETAI_TRUONG: { registered: 2.5, achieved: 3 } }),
    ],
    [
      "phan-tram-qua-100.xlsx",
      "a percent above 100",
      /120 % vượt quá mức tối đa 100 %/,
      fill(template, { ...FULL_2023, HTTNV: { registered: 0.9, achieved: 1.2 } }),
    ],
    [
      "cong-thuc-ghi-chu.xlsx",
      "=1+1 typed in a note",
      /ô chứa công thức "1\+1"/,
      fill(template, { ...FULL_2023, LOP: { ...FULL_2023.LOP, note: { formula: "1+1", result: 2 } } }),
    ],
    [
      "hyperlink-ghi-chu.xlsx",
      "=HYPERLINK(...) typed in a note",
      /ô chứa công thức "HYPERLINK/,
      fill(template, {
        ...FULL_2023,
        HOITHAO: { ...FULL_2023.HOITHAO, note: { formula: 'HYPERLINK("http://vi-du.vn","xem")', result: "xem" } },
      }),
    ],
    [
      "thieu-so-lieu.xlsx",
      "a required figure left empty",
      /chưa nhập cột Thực hiện/,
      fill(template, { ...FULL_2023, LOP: { registered: 40, achieved: null } }),
    ],
    [
      "nam-truoc.xlsx",
      "last year's template",
      /Tệp là mẫu năm 2020, đang làm số liệu năm 2023/,
      fill(await blankTemplate(lastYear, "DLK"), FULL_2023),
    ],
    ["co-mat-khau.xlsx", "a password-protected (encrypted) workbook", /đặt mật khẩu mở/, oleContainer()],
    // Misreading: two columns answer to one header.
    [
      "cot-ket-qua-chen.xlsx",
      'a column titled "Kết quả" inserted left of Thực hiện',
      new RegExp(`Có 2 cột cùng là cột "Thực hiện": F${HEADER} "Kết quả" và G${HEADER} "Thực hiện".*không đoán`),
      fill(template, FULL_2023, (ws) => {
        ws.unprotect();
        ws.spliceColumns(COL.achieved + 1, 0, []);
        ws.getCell(HEADER, COL.achieved + 1).value = "Kết quả";
      }),
    ],
    [
      "cot-dang-ky-an.xlsx",
      'a hidden second "Đăng ký" column',
      /Có 2 cột cùng là cột "Đăng ký"/,
      fill(template, FULL_2023, (ws) => {
        ws.unprotect();
        ws.spliceColumns(COL.note + 2, 0, []);
        ws.getCell(HEADER, COL.note + 2).value = "Đăng ký";
        ws.getColumn(COL.note + 2).hidden = true;
      }),
    ],
    // Identity: every field present, once, and agreeing with the data sheet.
    [
      "nam-trong.xlsx",
      "the identity year left blank",
      /thiếu hoặc không đọc được "Năm"/,
      fill(template, FULL_2023, meta(4, null)),
    ],
    [
      "nam-hong.xlsx",
      'the identity year garbled to "2O23"',
      /thiếu hoặc không đọc được "Năm"/,
      fill(template, FULL_2023, meta(4, "2O23")),
    ],
    [
      "ma-cum-trong.xlsx",
      "the identity cluster left blank",
      /thiếu hoặc không đọc được "Mã cụm"/,
      fill(template, FULL_2023, meta(3, null)),
    ],
    [
      "phien-ban-trong.xlsx",
      "the template version left blank",
      /thiếu hoặc không đọc được "Phiên bản mẫu"/,
      fill(template, FULL_2023, meta(2, null)),
    ],
    [
      "ma-truong-trong.xlsx",
      "the identity school code left blank",
      /thiếu mã trường/,
      fill(template, FULL_2023, meta(5, null)),
    ],
    [
      "ma-truong-doi.xlsx",
      "the identity school code changed to another school's",
      dlkSheet,
      fill(template, FULL_2023, meta(5, "GLA")),
    ],
    [
      "hai-hang-nam.xlsx",
      "two identity rows for the year",
      /có hai hàng "Năm"/,
      fill(template, FULL_2023, (_ws, wb) => {
        const m = wb.getWorksheet(META_SHEET)!;
        m.getCell(9, 1).value = "Năm";
        m.getCell(9, 2).value = 2020;
      }),
    ],
    [
      "trang-ban-sao.xlsx",
      'a copy of the data sheet named "Đắk Lắk (2)"',
      /hai trang số liệu: "Đắk Lắk" và "Đắk Lắk \(2\)"/,
      fill(template, FULL_2023, (ws, wb) => {
        const copy = wb.addWorksheet("Đắk Lắk (2)");
        ws.eachRow((row, r) => row.eachCell((cell, c) => (copy.getCell(r, c).value = cell.value)));
      }),
    ],
    [
      "phien-ban-moi.xlsx",
      "a template version newer than the program",
      /mới hơn chương trình này/,
      fill(template, FULL_2023, meta(2, 99)),
    ],
    [
      "truong-ngoai-cum.xlsx",
      "a school code not in the cluster",
      /Mã trường "HUE" trong tệp không thuộc/,
      fill(template, FULL_2023, meta(5, "HUE")),
    ],
    [
      "xoa-trang-nhan-dang.xlsx",
      "the identity sheet deleted",
      /không phải là mẫu do cum-thi-dua tạo/,
      fill(template, FULL_2023, (_ws, wb) => wb.removeWorksheet(wb.getWorksheet(META_SHEET)!.id)),
    ],
    [
      "xoa-trang-so-lieu.xlsx",
      "the data sheet deleted",
      /Không tìm thấy trang số liệu/,
      fill(template, FULL_2023, (ws, wb) => wb.removeWorksheet(ws.id)),
    ],
    // Numbers: finite, bounded, never guessed.
    [
      "so-1e308.xlsx",
      "1e308 in a count",
      /lớn bất thường cho một chỉ tiêu thi đua/,
      fill(template, { ...FULL_2023, LOP: { registered: 40, achieved: 1e308 } }),
    ],
    [
      "phan-tram-0-5.xlsx",
      "0.5 in a percent cell without percent format",
      /0,5 không rõ là 0,5 % hay 50 %; hãy gõ kèm dấu %/,
      fill(template, FULL_2023, unformat("HTTNV", 0.5)),
    ],
    [
      "chu-0-750.xlsx",
      'the text "0.750" in a count',
      /"0\.750" không rõ là 0,750 hay 750/,
      fill(template, { ...FULL_2023, HOITHAO: { registered: "0.750", achieved: 5 } }),
    ],
    [
      "cham-sai-cho.xlsx",
      'the text "19.08" in a count',
      /"19\.08" không đúng cách viết số của Việt Nam/,
      fill(template, { ...FULL_2023, HOCVIEN: { registered: "19.08", achieved: 2950 } }),
    ],
    [
      "phan-tram-o-dem.xlsx",
      "a percent sign in a count",
      /không dùng dấu %/,
      fill(template, { ...FULL_2023, LOP: { registered: "40%", achieved: 42 } }),
    ],
    [
      "ngay-trong-o-so.xlsx",
      "a date typed in a number cell (Excel then formats it as a date)",
      /ô chứa ngày tháng/,
      fill(template, FULL_2023, (ws) =>
        ws.eachRow((row) => {
          if (row.getCell(COL.code + 1).value !== "LOP") return;
          const cell = row.getCell(COL.registered + 1);
          cell.value = new Date(Date.UTC(2023, 2, 10));
          cell.numFmt = "dd/mm/yyyy";
        }),
      ),
    ],
    [
      "true-trong-o-so.xlsx",
      "TRUE in a number cell",
      /ô chứa TRUE/,
      fill(template, { ...FULL_2023, LOP: { registered: true, achieved: 42 } }),
    ],
    [
      "loi-cong-thuc.xlsx",
      "a formula error in a number cell",
      /"#DIV\/0!" không phải là số/,
      fill(template, {
        ...FULL_2023,
        LOP: { registered: { formula: "1/0", result: { error: "#DIV/0!" } }, achieved: 42 },
      }),
    ],
    [
      "cong-thuc-chua-tinh.xlsx",
      "a formula without a computed result",
      /chưa có kết quả/,
      fill(template, { ...FULL_2023, LOP: { registered: { formula: "A1*2" }, achieved: 42 } }),
    ],
    [
      "dat-sai.xlsx",
      "an unknown answer in a yes/no cell",
      /"Có lẽ" không phải là lựa chọn hợp lệ/,
      fill(template, { ...FULL_2023, CHUAN: { registered: "Đạt", achieved: "Có lẽ" } }),
    ],
    // Text that hides itself or floods the message.
    [
      "ky-tu-an.xlsx",
      "a right-to-left override inside a number cell",
      /"bốnmươi" không phải là số/,
      fill(template, { ...FULL_2023, LOP: { registered: "bốn\u202emươi", achieved: 42 } }),
    ],
    [
      "o-rat-dai.xlsx",
      "5.000 characters in a number cell",
      /…" \(5000 ký tự\) không phải là số/,
      fill(template, { ...FULL_2023, LOP: { registered: "x".repeat(5000), achieved: 42 } }),
    ],
    [
      "hang-khong-ma.xlsx",
      "figures in a row without a target code",
      /có số liệu nhưng không có mã chỉ tiêu/,
      fill(template, FULL_2023, (ws) => (ws.getCell(ws.rowCount + 2, COL.registered + 1).value = 7)),
    ],
  ];
  const out: BadCase[] = [];
  for (const [file, what, expect, data] of cases) {
    writeFileSync(join(dir, file), await data);
    out.push({ file, what, expect });
  }
  return out;
}
