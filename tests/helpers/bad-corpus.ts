/**
 * The corpus of broken workbooks, made from the real template so it follows
 * the template when it changes. Each case says what a person should be told.
 */
import JSZip from "jszip";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterDefinition } from "../../src/core/definition/definition";
import { COL } from "../../src/core/sheets/school-layout";
import { blankTemplate, fill, FULL_2023, rewritePart } from "./workbooks";

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

export async function writeBadCorpus(def: ClusterDefinition, lastYear: ClusterDefinition, dir: string): Promise<BadCase[]> {
  mkdirSync(dir, { recursive: true });
  const template = await blankTemplate(def, "DLK");
  const cases: [string, string, RegExp, Uint8Array | Promise<Uint8Array>][] = [
    ["khong-phai-zip.xlsx", "a text file renamed .xlsx", /không phải là tệp Excel \.xlsx/, new TextEncoder().encode("STT;Mã;Chỉ tiêu\n1;LOP;40\n")],
    ["zip-cut.xlsx", "a zip cut in half", /bị hỏng hoặc chưa tải về hết/, template.slice(0, Math.floor(template.length / 2))],
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
    ["chu-trong-o-so.xlsx", "text in a number cell", /"bốn mươi" không phải là số; hãy nhập một số/, fill(template, { ...FULL_2023, LOP: { registered: "bốn mươi", achieved: 42 } })],
    ["so-am.xlsx", "a negative count", /-3 là số âm; hãy nhập số từ 0 trở lên/, fill(template, { ...FULL_2023, HOITHAO: { registered: 4, achieved: -3 } })],
    ["so-le.xlsx", "a fractional count", /2,5 không phải số nguyên/, fill(template, { ...FULL_2023, DETAI_TRUONG: { registered: 2.5, achieved: 3 } })],
    ["phan-tram-qua-100.xlsx", "a percent above 100", /120 % vượt quá mức tối đa 100 %/, fill(template, { ...FULL_2023, HTTNV: { registered: 0.9, achieved: 1.2 } })],
    ["cong-thuc-ghi-chu.xlsx", "=1+1 typed in a note", /ô chứa công thức "1\+1"/, fill(template, { ...FULL_2023, LOP: { ...FULL_2023.LOP, note: { formula: "1+1", result: 2 } } })],
    [
      "hyperlink-ghi-chu.xlsx",
      "=HYPERLINK(...) typed in a note",
      /ô chứa công thức "HYPERLINK/,
      fill(template, { ...FULL_2023, HOITHAO: { ...FULL_2023.HOITHAO, note: { formula: 'HYPERLINK("http://vi-du.vn","xem")', result: "xem" } } }),
    ],
    ["thieu-so-lieu.xlsx", "a required figure left empty", /chưa nhập cột Thực hiện/, fill(template, { ...FULL_2023, LOP: { registered: 40, achieved: null } })],
    ["nam-truoc.xlsx", "last year's template", /Tệp là mẫu năm 2020, đang làm số liệu năm 2023/, fill(await blankTemplate(lastYear, "DLK"), FULL_2023)],
    ["co-mat-khau.xlsx", "a password-protected (encrypted) workbook", /đặt mật khẩu mở/, oleContainer()],
  ];
  const out: BadCase[] = [];
  for (const [file, what, expect, data] of cases) {
    writeFileSync(join(dir, file), await data);
    out.push({ file, what, expect });
  }
  return out;
}
