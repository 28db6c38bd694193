/**
 * Which sheets of a workbook are protected with a password, read from the
 * sheet XML itself: exceljs only understands sheet="1" and drops the legacy
 * password attribute, while LibreOffice writes sheet="true" password="…".
 * The zip directory was already checked by zip-guard before this runs.
 */
import { inflateRawSync } from "node:zlib";

/** The entries of a zip by name, read through its central directory; only deflated and stored entries. */
function zipEntries(bytes: Uint8Array): Map<string, () => string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, () => string>();
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return out;
  const entries = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  for (let n = 0; n < entries && p + 46 <= bytes.length && view.getUint32(p, true) === 0x02014b50; n++) {
    const method = view.getUint16(p + 10, true);
    const packed = view.getUint32(p + 20, true);
    const nameLength = view.getUint16(p + 28, true);
    const local = view.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    out.set(name, () => {
      if (local + 30 > bytes.length) return "";
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = bytes.subarray(start, start + packed);
      if (method === 0) return decoder.decode(data);
      if (method === 8) return decoder.decode(inflateRawSync(data, { maxOutputLength: 64 * 1024 * 1024 }));
      return "";
    });
  }
  return out;
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const unescapeXml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** Sheet name -> whether it carries a password protection. Unreadable parts count as unprotected. */
export function passwordProtectedSheets(bytes: Uint8Array): Map<string, boolean> {
  const out = new Map<string, boolean>();
  try {
    const parts = zipEntries(bytes);
    const workbook = parts.get("xl/workbook.xml")?.() ?? "";
    const rels = parts.get("xl/_rels/workbook.xml.rels")?.() ?? "";
    const target = new Map<string, string>();
    for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
      const id = attr(m[0], "Id");
      const t = attr(m[0], "Target");
      if (id && t) target.set(id, t.startsWith("/") ? t.slice(1) : `xl/${t}`);
    }
    for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
      const name = unescapeXml(attr(m[0], "name") ?? "");
      const path = target.get(attr(m[0], "r:id") ?? "");
      const xml = path ? (parts.get(path)?.() ?? "") : "";
      const tag = /<sheetProtection\b[^>]*>/.exec(xml)?.[0];
      const on =
        !!tag && /^(1|true)$/.test(attr(tag, "sheet") ?? "") && !!(attr(tag, "hashValue") || attr(tag, "password"));
      out.set(name, on);
    }
  } catch {
    // A part that does not inflate leaves the sheets found so far; the rest count as unprotected.
  }
  return out;
}
