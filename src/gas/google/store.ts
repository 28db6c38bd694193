/**
 * The one way the add-on keeps text in document properties. Google limits a
 * property to 9 KB and the whole store to 500 KB, counted in UTF-8 bytes
 * (Vietnamese letters take two or three), so a long text is cut into
 * numbered chunks by bytes, never split inside a character, and a write
 * that would not fit is refused before anything is written.
 */
import { UserError } from "../../core/user-error";

/** Per value, with room for the key: Google counts key and value together. */
export const CHUNK_BYTES = 8 * 1024;
export const STORE_BYTES = 500 * 1024;

export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair is one code point of four bytes.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Cuts text into pieces of at most maxBytes UTF-8 bytes each, at code point boundaries. */
export function chunkByBytes(text: string, maxBytes = CHUNK_BYTES): string[] {
  const out: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) {
      out.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    i += pair ? 2 : 1;
  }
  if (start < text.length || !out.length) out.push(text.slice(start));
  return out;
}

/**
 * The document properties of this execution, read once: every entry point
 * reads several stored entries, and each getProperties is a service call.
 * Writes go through putProperties/removeProperty so the copy stays true;
 * taking the document lock forgets it, since another run may have written.
 */
let copy: Record<string, string> | undefined;
let handle: GoogleAppsScript.Properties.Properties | undefined;
const store = () => (handle ??= PropertiesService.getDocumentProperties());

export function documentProperties(): Record<string, string> {
  return (copy ??= store().getProperties());
}

export function forgetDocumentProperties(): void {
  copy = undefined;
}

export function putProperties(props: Record<string, string>): void {
  store().setProperties(props);
  if (copy) Object.assign(copy, props);
}

export function removeProperty(key: string): void {
  store().deleteProperty(key);
  if (copy) delete copy[key];
}

const countKey = (name: string) => `${name}so_phan`;
const chunkKey = (name: string, i: number) => `${name}${i}`;

function storeBytes(all: Record<string, string>): number {
  let n = 0;
  for (const [k, v] of Object.entries(all)) n += utf8Bytes(k) + utf8Bytes(v);
  return n;
}

/** The chunked text stored under a name, or undefined when there is none. Reads from props when given (one call saved). */
export function readChunked(name: string, props?: Record<string, string>): string | undefined {
  const all = props ?? documentProperties();
  const parts = Number(all[countKey(name)] ?? 0);
  if (!parts) return undefined;
  let text = "";
  for (let i = 0; i < parts; i++) {
    const piece = all[chunkKey(name, i)];
    // A missing chunk means a broken store: the caller's schema check refuses the result.
    if (piece === undefined) return text + "\u0000";
    text += piece;
  }
  return text;
}

/** A write of chunked text, checked against the limits and not yet made. */
export interface ChunkedWrite {
  next: Record<string, string>;
  stale: string[];
}

/**
 * Prepares replacing the chunked text under a name: refused, before anything
 * is written, when the store would pass its limit. what names the content
 * for that refusal.
 */
export function planChunked(name: string, text: string, what: string, all: Record<string, string>): ChunkedWrite {
  const pieces = chunkByBytes(text);
  const next: Record<string, string> = { [countKey(name)]: String(pieces.length) };
  pieces.forEach((p, i) => (next[chunkKey(name, i)] = p));
  const stale = Object.keys(all).filter(
    (k) => k.startsWith(name) && !(k in next) && /^\d+$/.test(k.slice(name.length)),
  );
  const after: Record<string, string> = { ...all, ...next };
  for (const k of stale) delete after[k];
  const bytes = storeBytes(after);
  if (bytes > STORE_BYTES)
    throw new UserError(
      `Không lưu được ${what}: bộ nhớ thuộc tính của bảng tính chỉ chứa ${STORE_BYTES / 1024} KB, lần ghi này cần ${Math.ceil(bytes / 1024)} KB. Chưa có gì thay đổi. Hãy báo trường Cụm trưởng.`,
    );
  return { next, stale };
}

/** Makes a planned write: the chunks and their count in one setProperties, then the chunks a longer text left behind go. */
export function commitChunked(write: ChunkedWrite): void {
  putProperties(write.next);
  for (const k of write.stale) removeProperty(k);
}

export function writeChunked(name: string, text: string, what: string, props?: Record<string, string>): void {
  commitChunked(planChunked(name, text, what, props ?? documentProperties()));
}

/** Removes every chunk stored under a name. */
export function deleteChunked(name: string, props?: Record<string, string>): void {
  const all = props ?? documentProperties();
  for (const k of Object.keys(all))
    if (k === countKey(name) || (k.startsWith(name) && /^\d+$/.test(k.slice(name.length)))) removeProperty(k);
}
