/**
 * The demo's national part: every cluster of 2026 (after the 2025 mergers,
 * 34 provinces; composition and figures giả định) is locked as `khoa` locks
 * it, holds a sample review meeting whose record is written beside the locked
 * workbook as `binh-xet` writes it, and the Academy rolls them all up with
 * `tong-hop-hoc-vien`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ClusterDefinition } from "../../core/definition/definition";
import { submissionsFromFigures } from "../../core/figures/figures-file";
import type { Ranking } from "../../core/figures/score";
import { proposeCandidates, REVIEW_ITEMS, type ReviewItem } from "../../core/review/candidates";
import { decideReview } from "../../core/review/decide";
import { reviewRecord, savedReviewText, type ReviewRecord } from "../../core/review/record";
import { ruleSetFor } from "../../core/review/rules";
import { checkTally, type Tally } from "../../core/review/tally";
import { tongHopHocVien } from "../academy/academy";
import type { Io } from "../command";
import { bundledDefinitionPath, loadDefinitionFile, loadSampleFigures } from "../io/definitions";
import { displayName } from "../io/files";
import { sha256 } from "../io/hash";
import { RECORD_FILE } from "../review/review-record";
import { freezeFigures, lockedWorkbook } from "../year/lock";

/** The clusters of 2026 the bundled sample covers: together the political schools of the 34 provinces and cities. */
export const NATIONAL_2026 = [
  "mien-nui-phia-bac-2026",
  "dong-bang-song-hong-2026",
  "bac-trung-bo-2026",
  "nam-trung-bo-tay-nguyen-2026",
  "dong-nam-bo-2026",
  "dong-bang-song-cuu-long-2026",
];
const PASSWORD = "chay-thu";

/**
 * A sample meeting with everyone present: the ranking's first school gets all
 * votes but its own, the others a third; the Government's flag draws a share
 * that differs from cluster to cluster (`spread`), so the Academy has an order
 * to cap. Invented votes, for the demo and the tests only.
 */
export function sampleReview(
  def: ClusterDefinition,
  ranking: Ranking,
  lockFingerprint: string,
  date: string,
  spread = 0,
): ReviewRecord {
  const rules = ruleSetFor(date);
  const candidates = proposeCandidates(def, ranking, rules);
  const m = def.schools.length;
  const top = ranking.ranked[0]!.school;
  const firstDeputy = def.schools.find((s) => s.role === "deputy")?.code;
  const votesFor = (item: ReviewItem, school: string, k: number): number => {
    if (item === "govFlag") return school === top ? Math.max(Math.floor(m / 2) + 1, m - 1 - spread) : 1;
    if (item === "academyMerit") return Math.floor(m / 2) + 1;
    if (item === "head") return school === firstDeputy ? m - 1 : 1;
    if (item === "deputy") return k < rules.params.deputiesPerCluster.value ? m - 1 : 1;
    // One leader place: the ballots' votes add up to at most one per ballot.
    if (item === "leader") return school === top ? m - 1 : k === 1 ? 1 : 0;
    return school === top ? m - 1 : Math.floor(m / 3);
  };
  const present = def.schools.map((s) => s.code);
  const items = REVIEW_ITEMS.filter((i) => candidates.some((c) => c.item === i));
  const tally: Tally = {
    meeting: {
      date,
      place: def.schools.find((s) => s.role === "head")!.province,
      chair: "Chủ tọa (giả định)",
      secretary: "Thư ký (giả định)",
      counters: ["Trưởng ban kiểm phiếu (giả định)"],
      present,
    },
    ballots: items.map((item) => ({
      item,
      issued: { value: m },
      returned: { value: m },
      valid: { value: m },
      invalid: { value: 0 },
    })),
    votes: items.flatMap((item) =>
      candidates
        .filter((c) => c.item === item)
        .map((c, k) => ({ item, school: c.school, votes: { value: votesFor(item, c.school, k) }, marks: [] })),
    ),
  };
  const problems = checkTally(def, rules, candidates, tally);
  if (problems.length) throw new Error(`sample tally of ${def.id}: ${problems.map((p) => p.message).join(" ")}`);
  const result = decideReview(def, ranking, rules, candidates, tally);
  return reviewRecord({
    cluster: def.id,
    year: def.year,
    lockFingerprint,
    rules,
    candidates,
    changes: [],
    tally,
    result,
    documents: [],
  });
}

/** Locks every 2026 cluster into <dir>/<cluster>/tong-hop-da-khoa.xlsx, its review record beside it. */
export async function lockNational(dir: string, clusters = NATIONAL_2026): Promise<string[]> {
  const folders: string[] = [];
  for (const [i, id] of clusters.entries()) {
    const def = loadDefinitionFile(bundledDefinitionPath(id));
    const subs = submissionsFromFigures(def, loadSampleFigures(def), `${def.id}.json`);
    const frozen = freezeFigures(
      def,
      subs.map((s) => s.figures!),
    );
    const folder = join(dir, id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, "tong-hop-da-khoa.xlsx"),
      await lockedWorkbook(def, frozen, [], PASSWORD, new Date(Date.UTC(def.year, 10, 16, 2))),
    );
    const record = sampleReview(def, frozen.verdict.ranking, frozen.fingerprint, `${def.year}-11-${20 + i}`, i % 3);
    writeFileSync(join(folder, RECORD_FILE), savedReviewText(record, sha256).text);
    folders.push(folder);
  }
  return folders;
}

export async function runAcademyDemo(outDir: string, io: Io): Promise<void> {
  const dir = join(outDir, "hoc-vien-2026");
  const locked = join(dir, "cac-cum");
  io.out("═══ Tổng hợp toàn Học viện năm 2026: khóa năm và bình xét của từng Cụm, rồi tong-hop-hoc-vien");
  io.out("Thành phần các Cụm năm 2026 (34 tỉnh, thành phố sau sáp nhập), số liệu và kết quả bỏ phiếu là giả định.");
  await lockNational(locked);
  io.out(
    `Đã khóa ${NATIONAL_2026.length} Cụm vào ${displayName(resolve(locked))}/<cụm>/ (mật khẩu chạy thử: ` +
      `${PASSWORD}), kèm ${RECORD_FILE} của từng Cụm.\n`,
  );
  await tongHopHocVien.run(
    {
      ra: join(dir, "tong-hop-hoc-vien-2026.xlsx"),
      json: join(dir, "tong-hop-hoc-vien-2026.json"),
      "bao-cao": join(dir, "bao-cao-tong-hop-hoc-vien-2026.docx"),
      "binh-xet": [locked],
      ngay: "15/12/2026",
      // The demo's folder is its own: a second run replaces its outputs (the earlier ones kept beside).
      "ghi-de": true,
    },
    [locked],
    io,
  );
}
