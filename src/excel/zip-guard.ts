/**
 * Checks an uploaded file before exceljs unpacks it: an .xlsx is a zip, and a
 * small zip can unpack to gigabytes (a "zip bomb"). Reads only the central
 * directory, so it costs nothing on a normal file. Runs in Node and browsers.
 */

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
export const MAX_RATIO = 200;

export type ZipCheck = { ok: true } | { ok: false; reason: string };

const mb = (n: number) => (n / 1024 / 1024).toFixed(0).replace(".", ",");

export function checkXlsxContainer(bytes: Uint8Array): ZipCheck {
  if (bytes.length === 0) return { ok: false, reason: "Tệp rỗng (0 byte)." };
  if (bytes.length > MAX_FILE_BYTES)
    return {
      ok: false,
      reason:
        `Tệp lớn ${mb(bytes.length)} MB, vượt giới hạn ${mb(MAX_FILE_BYTES)} MB cho một ` +
        `tệp số liệu của trường. Hãy dùng đúng mẫu, không chèn ảnh hay dữ liệu khác.`,
    };
  const b = bytes;
  // OLE compound file: an encrypted (password-to-open) .xlsx, or an old .xls.
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0)
    return {
      ok: false,
      reason:
        "Tệp được đặt mật khẩu mở, hoặc là tệp .xls cũ. " +
        "Hãy mở bằng Excel, bỏ mật khẩu " +
        "(Tệp › Thông tin › Bảo vệ sổ làm việc) và lưu lại dạng Excel Workbook (.xlsx).",
    };
  if (!(b[0] === 0x50 && b[1] === 0x4b))
    return {
      ok: false,
      reason:
        "Tệp không phải là tệp Excel .xlsx (có thể là .csv, .pdf, ảnh hoặc tệp bị đổi " +
        "đuôi). Hãy lưu lại dạng Excel Workbook (.xlsx).",
    };

  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65557); i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0)
    return {
      ok: false,
      reason: "Tệp .xlsx bị hỏng hoặc chưa tải về hết (thiếu phần cuối của tệp nén). Hãy lưu lại hoặc gửi lại tệp.",
    };
  const entries = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (cdOffset + cdSize > b.length)
    return { ok: false, reason: "Tệp .xlsx bị hỏng hoặc chưa tải về hết. Hãy lưu lại hoặc gửi lại tệp." };
  let p = cdOffset;
  let unpacked = 0;
  let packed = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > b.length || view.getUint32(p, true) !== 0x02014b50)
      return { ok: false, reason: "Tệp .xlsx bị hỏng (mục lục tệp nén không đọc được). Hãy lưu lại hoặc gửi lại tệp." };
    packed += view.getUint32(p + 20, true);
    unpacked += view.getUint32(p + 24, true);
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  if (unpacked > MAX_UNPACKED_BYTES || (packed > 0 && unpacked / packed > MAX_RATIO && unpacked > 5 * 1024 * 1024))
    return {
      ok: false,
      reason:
        `Tệp khi giải nén lớn ${mb(unpacked)} MB, bất thường với một bảng số liệu (giới ` +
        `hạn ${mb(MAX_UNPACKED_BYTES)} MB). Tệp bị từ chối để bảo vệ máy; hãy dùng đúng ` +
        `mẫu.`,
    };
  return { ok: true };
}
