import { createRequire } from "node:module";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { sheetPassword, SPIN_COUNT } from "../../src/excel/sheet-password";
import { freezeFigures, lockedWorkbook } from "../../src/cli/year/lock";
import { sampleDefinition, sampleSubmissions } from "../helpers/samples";

/** exceljs's own hashing, which Excel and LibreOffice open: the reference ours must equal. */
const encryptor = createRequire(import.meta.url)("exceljs/lib/utils/encryptor.js") as {
  convertPasswordToHash(password: string, algorithm: string, salt: string, spinCount: number): string;
};

describe("the sheet password", () => {
  it("is hashed as Excel hashes it: SHA-512, 100.000 rounds, for Vietnamese passwords too", () => {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i * 13 + 7);
    for (const password of ["thu-tai", "Mật khẩu Đắk Lắk 2024"]) {
      const p = sheetPassword(password, salt);
      expect(p.spinCount).toBe(SPIN_COUNT);
      expect(p.hashValue).toBe(encryptor.convertPasswordToHash(password, "SHA512", p.saltValue, SPIN_COUNT));
    }
  });
  it("is computed once for a locked workbook: every sheet carries the same salt and hash", async () => {
    const def = sampleDefinition();
    const bytes = await lockedWorkbook(
      def,
      freezeFigures(
        def,
        sampleSubmissions(def).map((s) => s.figures!),
      ),
      [],
      "mat-khau-thu",
      new Date(Date.UTC(2023, 10, 20)),
    );
    const zip = await JSZip.loadAsync(bytes);
    const sheets = Object.keys(zip.files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f));
    const protections = await Promise.all(
      sheets.map(async (f) => /<sheetProtection [^>]*\/>/.exec(await zip.file(f)!.async("string"))?.[0]),
    );
    expect(protections.every((p) => p !== undefined)).toBe(true);
    const salts = new Set(protections.map((p) => /saltValue="([^"]+)"/.exec(p!)![1]));
    const hashes = new Set(protections.map((p) => /hashValue="([^"]+)"/.exec(p!)![1]));
    expect(sheets.length).toBeGreaterThan(3);
    expect(salts.size).toBe(1);
    expect([...hashes]).toEqual([
      encryptor.convertPasswordToHash("mat-khau-thu", "SHA512", [...salts][0]!, SPIN_COUNT),
    ]);
  });
});
