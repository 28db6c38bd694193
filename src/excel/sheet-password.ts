/**
 * A sheet password as Excel keeps it in <sheetProtection> (ECMA-376 part 1,
 * §18.3.1.85, agile hashing): SHA-512 of the salt and the UTF-16LE password,
 * then rehashed `spinCount` times with the round number appended. Excel's own
 * count, 100.000 rounds, is deliberately slow, so a locked workbook computes
 * it once and every sheet carries the same salt and hash: exceljs's protect()
 * computed it again for each sheet, allocating two buffers a round, and that
 * was most of `khoa`'s time (six sheets, 600.000 rounds). Node only: the
 * browser's templates are protected without a password.
 */
import { createHash, hash, randomBytes } from "node:crypto";

export interface SheetPassword {
  algorithmName: "SHA-512";
  saltValue: string;
  hashValue: string;
  spinCount: number;
}

export const SPIN_COUNT = 100_000;

export function sheetPassword(password: string, salt: Uint8Array = randomBytes(16)): SheetPassword {
  let key: Buffer = createHash("sha512").update(salt).update(Buffer.from(password, "utf16le")).digest();
  const round = Buffer.alloc(key.length + 4);
  for (let i = 0; i < SPIN_COUNT; i++) {
    key.copy(round, 0);
    round.writeUInt32LE(i, key.length);
    key = hash("sha512", round, "buffer");
  }
  return {
    algorithmName: "SHA-512",
    saltValue: Buffer.from(salt).toString("base64"),
    hashValue: key.toString("base64"),
    spinCount: SPIN_COUNT,
  };
}
