import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freezeFigures, lockedWorkbook } from "../../src/cli/year/lock";
import { sampleDefinition, sampleSubmissions } from "./samples";

export const HISTORY = [2021, 2022, 2023, 2024, 2025];

/** The bundled sample years locked as `khoa` locks them, one folder per year: <dir>/<year>/tong-hop-da-khoa.xlsx. */
export async function lockSampleYears(dir: string, years = HISTORY): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const year of years) {
    const def = sampleDefinition(`nam-trung-bo-tay-nguyen-${year}`);
    const subs = sampleSubmissions(def);
    const bytes = await lockedWorkbook(
      def,
      freezeFigures(
        def,
        subs.map((s) => s.figures!),
      ),
      [],
      "mat-khau-thu",
      new Date(Date.UTC(year, 10, 20)),
    );
    mkdirSync(join(dir, String(year)), { recursive: true });
    out[year] = join(dir, String(year), "tong-hop-da-khoa.xlsx");
    writeFileSync(out[year], bytes);
  }
  return out;
}
