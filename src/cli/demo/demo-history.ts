/**
 * The demo's multi-year part: the seed cluster's sample years 2021–2025 are
 * locked as `khoa` locks them, read back and verified for the 2021–2025
 * period review, and 2026 is opened from 2025 with the register applied.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { submissionsFromFigures } from "../../core/figures/figures-file";
import { openNewYear } from "../../core/register/new-year";
import { reviewPeriod } from "../../core/period/period";
import type { Io } from "../command";
import { bundledDefinitionPath, loadDefinitionFile, loadSampleFigures, registerDir } from "../io/definitions";
import { displayName } from "../io/files";
import { freezeFigures, lockedWorkbook } from "../year/lock";
import { readLockedYear, renderPeriod, writePeriodOutputs } from "../years/period";
import { loadRegisterFile } from "../io/register";
import { planOutputs } from "../io/outputs";

const CLUSTER = "nam-trung-bo-tay-nguyen";
const FROM = 2021;
const TO = 2025;
/** The demo's locked workbooks share one password, printed, since nobody keeps them. */
const PASSWORD = "chay-thu";

export async function runHistoryDemo(outDir: string, io: Io): Promise<void> {
  const dir = join(outDir, "lich-su-cum");
  io.out(`═══ Lịch sử cụm ${FROM}–${TO + 1}: khóa từng năm, tổng kết giai đoạn ${FROM}–${TO}, mở năm ${TO + 1}`);
  io.out("Số liệu các năm ngoài 2023 là giả định; năm 2025 là năm sáp nhập; thành phần cụm năm 2026 là ví dụ.");
  const lockedFiles: string[] = [];
  for (let year = FROM; year <= TO; year++) {
    const def = loadDefinitionFile(bundledDefinitionPath(`${CLUSTER}-${year}`));
    const subs = submissionsFromFigures(def, loadSampleFigures(def), `${def.id}.json`);
    const bytes = await lockedWorkbook(
      def,
      freezeFigures(
        def,
        subs.map((s) => s.figures!),
      ),
      [],
      PASSWORD,
      new Date(Date.UTC(year, 10, 20, 2)),
    );
    const file = join(dir, "khoa", String(year), "tong-hop-da-khoa.xlsx");
    mkdirSync(join(dir, "khoa", String(year)), { recursive: true });
    writeFileSync(file, bytes);
    lockedFiles.push(file);
  }
  io.out(
    `Đã khóa ${lockedFiles.length} năm vào ${displayName(resolve(dir, "khoa"))}` +
      `/<năm>/ (mật khẩu chạy thử: ${PASSWORD}).\n`,
  );

  const years = [];
  for (const f of lockedFiles) years.push(await readLockedYear(f));
  const reg = loadRegisterFile(join(registerDir(), `${CLUSTER}.json`));
  const review = reviewPeriod(years, FROM, TO, reg);
  io.out(renderPeriod(review));
  const out = {
    xlsx: join(dir, `tong-ket-${FROM}-${TO}.xlsx`),
    json: join(dir, `tong-ket-${FROM}-${TO}.json`),
    docx: join(dir, `bao-cao-tong-ket-${FROM}-${TO}.docx`),
  };
  // The demo's folder is its own: a run replaces the last one's outputs (kept beside, as everywhere).
  const plan = planOutputs(
    [
      { path: out.xlsx, option: "--ra" },
      { path: out.json, option: "--json" },
      { path: out.docx, option: "--bao-cao" },
    ],
    lockedFiles,
    { replace: true },
  );
  await writePeriodOutputs(review, years, out, plan, io);

  const last = years[years.length - 1]!.definition;
  const opened = openNewYear(last, reg, TO + 1);
  const next = join(dir, `${CLUSTER}-${TO + 1}.json`);
  writeFileSync(next, JSON.stringify(opened.definition, null, 2) + "\n");
  io.out(
    `\nMở năm ${TO + 1} từ năm ${TO} (nam-moi): ${displayName(resolve(next))}, ` +
      `${opened.definition.schools.length} trường.`,
  );
  for (const c of opened.changes) io.out(`  - ${c}`);
}
