/**
 * A zip archive of parts, each deflated as it is produced: a part is given as
 * pieces, so a document of a million cells never exists as one string or one
 * buffer, only as its compressed bytes (a few hundred KB).
 */
import { once } from "node:events";
import { constants, crc32, createDeflateRaw } from "node:zlib";

export interface ZipPart {
  /** Path inside the archive, e.g. "word/document.xml". */
  name: string;
  /** The part in order: text, or bytes already in UTF-8; pieces may be of any length. */
  content: Iterable<string | Uint8Array>;
}

interface Packed {
  name: Buffer;
  crc: number;
  size: number;
  data: Buffer[];
  compressed: number;
}

/** The zip format without its 64-bit extension stores sizes and offsets in 32 bits. */
const LIMIT = 0xffffffff;

async function pack(part: ZipPart): Promise<Packed> {
  const deflate = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION, chunkSize: 1 << 16 });
  const data: Buffer[] = [];
  let compressed = 0;
  deflate.on("data", (b: Buffer) => {
    data.push(b);
    compressed += b.length;
  });
  const ended = once(deflate, "end");
  let crc = 0;
  let size = 0;
  for (const piece of part.content) {
    const bytes = typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
    crc = crc32(bytes, crc);
    size += bytes.length;
    // Waiting for zlib to take each piece keeps at most one piece in memory, whatever the part's size.
    if (!deflate.write(bytes)) await once(deflate, "drain");
  }
  deflate.end();
  await ended;
  if (size > LIMIT || compressed > LIMIT) throw new Error(`zip: part ${part.name} is over 4 GB`);
  return { name: Buffer.from(part.name, "utf8"), crc: crc >>> 0, size, data, compressed };
}

/** MS-DOS date and time, as zip headers keep them (local time, two-second steps). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** Version 2.0 (deflate), UTF-8 names (bit 11), deflated (8). */
const VERSION = 20;
const UTF8 = 0x0800;
const DEFLATED = 8;

/**
 * The fields both headers of an entry carry, in the same order (version needed to extract, flags, method, time,
 * date, CRC-32, sizes, name length): written once, at the local header's offset 4 and the central one's offset 6.
 */
function writeEntryFields(h: Buffer, at: number, p: Packed, t: { time: number; date: number }): void {
  h.writeUInt16LE(VERSION, at);
  h.writeUInt16LE(UTF8, at + 2);
  h.writeUInt16LE(DEFLATED, at + 4);
  h.writeUInt16LE(t.time, at + 6);
  h.writeUInt16LE(t.date, at + 8);
  h.writeUInt32LE(p.crc, at + 10);
  h.writeUInt32LE(p.compressed, at + 14);
  h.writeUInt32LE(p.size, at + 18);
  h.writeUInt16LE(p.name.length, at + 22);
}

function localHeader(p: Packed, t: { time: number; date: number }): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  writeEntryFields(h, 4, p, t);
  // Extra field: none.
  return Buffer.concat([h, p.name]);
}

function centralHeader(p: Packed, t: { time: number; date: number }, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(VERSION, 4);
  writeEntryFields(h, 6, p, t);
  // Extra field, comment, disk number, internal and external attributes: none.
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, p.name]);
}

/** The archive's bytes, parts in the order given. */
export async function zipText(parts: ZipPart[], modified: Date): Promise<Uint8Array> {
  const t = dosTime(modified);
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const p = await pack(part);
    const head = localHeader(p, t);
    central.push(centralHeader(p, t, offset));
    out.push(head, ...p.data);
    offset += head.length + p.compressed;
    if (offset > LIMIT) throw new Error("zip: archive is over 4 GB");
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...out, directory, end]));
}
