/**
 * binh-xet: the year-end review meeting offline. Before the meeting it
 * writes the vote-count workbook and the ballots from the locked year; after
 * it reads the filled count, refuses a count that does not add up (naming
 * the cell), and writes the minutes, the request for awards, the draft
 * achievement reports and the meeting's record with its fingerprint.
 */
import { existsSync } from "node:fs";
import { readInputFile } from "../io/disk";
import { MAX_FILE_BYTES } from "../../excel/zip-guard";
import { dirname, join } from "node:path";
import ExcelJS from "exceljs";
import type { ClusterDefinition } from "../../core/definition/definition";
import type { ClusterSummary } from "../../core/figures/aggregate";
import type { Ranking } from "../../core/figures/score";
import {
  buildAchievementReport,
  buildAwardRequest,
  buildBallots,
  buildCountMinutes,
  buildMeetingMinutes,
  proposedSchools,
  type ReviewDocsInput,
} from "../../core/documents/review-documents";
import type { DocumentModel } from "../../core/documents/doc-model";
import { shortPrint } from "../../core/lock/fingerprint";
import { formatProblem } from "../../core/problem";
import { applyChanges, proposeCandidates, votedItems, type CandidateChange } from "../../core/review/candidates";
import { decideReview, explainReview } from "../../core/review/decide";
import { reviewRecord, savedReviewText, type ReviewDocument } from "../../core/review/record";
import { DEFAULT_RULE_SETS, type RuleSet } from "../../core/review/rules";
import { checkTally, meetingDateProblem, rulesAgainstCluster } from "../../core/review/tally";
import { goneLines, meetingYear, YearContextError, type MeetingYear } from "../../core/register/year-context";
import { vnDay, type ClusterRegister } from "../../core/register/register";
import { buildTallySheet, itemFromCode, ITEM_CODE, readTallySheet, TALLY_SHEET } from "../../core/sheets/tally-layout";
import { isoDateOf, vietnameseDateToIso } from "../../core/text/format";
import { loadWorkbook, worksheetGrid } from "../../excel/reader";
import { writeSheet } from "../../excel/sheet-writer";
import { CUM_LOCKED, dateOption, GHI_DE, str, type Command, type Io } from "../command";
import { loadDefinitionFile } from "../io/definitions";
import { docxBytes } from "../io/docx";
import { UserError } from "../errors";
import { displayName } from "../io/files";
import { readLockedYear } from "../io/locked-year";
import { keptLines, planOutputs, type OutputPlan } from "../io/outputs";
import { RECORD_FILE, REVIEW_DIR } from "./review-record";
import { registerFor, ruleSets } from "./review-inputs";
import { sha256 } from "../io/hash";

/** The rules file's name, for a refusal that is the rules' fault and not the tally's. */
const rulesName = (file: string | undefined) => (file ? displayName(file) : "quy tắc mặc định");

/** Rules that cannot hold for the schools at the meeting are refused, blaming the rules. */
function checkRulesFit(def: ClusterDefinition, rules: RuleSet, file: string | undefined): void {
  const problems = rulesAgainstCluster(def, rules);
  if (problems.length)
    throw new UserError(
      `${rulesName(file)}: quy tắc bình xét không dùng được cho Cụm:\n${problems.map((p) => "  - " + p).join("\n")}` +
        `\nHãy sửa tệp quy tắc (--quy-tac).`,
    );
}

/** The locked year as the meeting reads it on its day (core's meetingYear), its refusals said to the user. */
function meetingOn(
  def: ClusterDefinition,
  year: LockedReview,
  reg: ClusterRegister | undefined,
  date: string,
  sets: RuleSet[],
): MeetingYear {
  try {
    return meetingYear({ definition: def, register: reg, date, ruleSets: sets, ranking: year.ranking });
  } catch (e) {
    if (e instanceof YearContextError) throw new UserError(e.message);
    throw e;
  }
}

/** Today in Vietnam, ISO; the meeting cannot be later. */
const todayIso = () => isoDateOf(new Date());

/** "BK_HV:GLA:Đăng cai Hội thao khu vực" -> a change to the candidate list. */
function changeOption(action: CandidateChange["action"], text: string): CandidateChange {
  const [code, school, ...reason] = text.split(":");
  const item = code ? itemFromCode(code) : undefined;
  if (!item || !school)
    throw new UserError(
      `"${text}" không đúng dạng MÃ_MỤC:MÃ_TRƯỜNG:lý do; các mã mục: ${Object.values(ITEM_CODE).join(", ")}.`,
      2,
    );
  return { action, item, school: school.trim(), reason: reason.join(":").trim() };
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

interface LockedReview {
  def: ClusterDefinition;
  summary: ClusterSummary;
  ranking: Ranking;
  fingerprint: string;
  /** ISO day of the lock. */
  lockedOn?: string;
}

/** The locked year through the one reader: refused unless exactly as locked; its kept definition is the year's. */
async function lockedYear(file: string, given: ClusterDefinition | undefined, io: Io): Promise<LockedReview> {
  const year = await readLockedYear(file, { given, io });
  return {
    def: year.definition,
    summary: year.verdict.summary,
    ranking: year.verdict.ranking,
    fingerprint: year.fingerprint,
    lockedOn: vietnameseDateToIso(year.lockedAt.slice(0, 10)),
  };
}

/** Where the ballots go: beside the tally template. */
const ballotsPath = (template: string) => join(dirname(template), "phieu-bau.docx");

interface ReviewOptions {
  sets: RuleSet[];
  rulesFile: string | undefined;
  register: ClusterRegister | undefined;
}

async function writeTemplate(
  year: LockedReview,
  opts: ReviewOptions,
  out: string,
  plan: OutputPlan,
  v: Record<string, unknown>,
): Promise<string[]> {
  const def = year.def;
  if (!str(v.ngay))
    throw new UserError(
      "Cần --ngay <dd/mm/yyyy>, ngày họp bình xét: ngày họp quyết định văn bản pháp luật áp dụng và các trường " +
        "dự họp (sau sáp nhập), nên không lấy mặc định.",
      2,
    );
  const date = dateOption(v.ngay);
  const iso = isoDateOf(date);
  const wrongDay = meetingDateProblem(iso, { year: def.year, lockedOn: year.lockedOn, today: todayIso() });
  if (wrongDay) throw new UserError(wrongDay, 2);
  const meeting = meetingOn(def, year, opts.register, iso, opts.sets);
  const rules = meeting.ctx.rules;
  checkRulesFit(meeting.def, rules, opts.rulesFile);
  const changes = [
    ...list(v.them).map((t) => changeOption("add", t)),
    ...list(v.bo).map((t) => changeOption("remove", t)),
  ];
  const { candidates, problems } = applyChanges(
    meeting.def,
    proposeCandidates(meeting.def, meeting.ranking, rules),
    changes,
  );
  if (problems.length) throw new UserError(problems.join("\n"));
  const head = meeting.def.schools.find((s) => s.role === "head")!;
  const items = votedItems(rules);
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Kiểm phiếu bình xét thi đua năm ${def.year}`;
  await writeSheet(
    wb,
    buildTallySheet(meeting.def, {
      date,
      place: str(v["dia-diem"]) ?? meeting.ctx.place,
      chair: head.principal.name,
      items,
      candidates,
      changes,
    }),
  );
  const ballots = ballotsPath(out);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const docx = await docxBytes(buildBallots(meeting.def, rules, candidates, items, date));
  plan.write(out, bytes);
  plan.write(ballots, docx);
  return [
    `Theo sổ đăng ký và bảng văn bản áp dụng, ngày họp ${vnDay(iso)}:`,
    ...meeting.ctx.taken.map((t) => `  - ${t}`),
    `Đã ghi mẫu kiểm phiếu ${displayName(out)} và phiếu bầu ${displayName(ballots)} (` +
      (rules.params.secretBallot.value
        ? `phiếu kín, in ${meeting.def.schools.length} bản`
        : `${meeting.def.schools.length} phiếu ghi tên trường`) +
      `; áp dụng ${rules.name}).`,
    ...(head.principal.name
      ? []
      : [
          `Định nghĩa năm ${def.year} chưa ghi tên hiệu trưởng ${head.name}: Ban kiểm phiếu ghi họ tên người ` +
            `chủ trì vào ô "Chủ trì" của trang ${TALLY_SHEET}.`,
        ]),
    ...keptLines(plan),
  ];
}

/** The tally's grid, or the reason it cannot be read at all. */
async function tallyGrid(tallyFile: string): Promise<{ grid?: unknown[][]; problems: string[] }> {
  if (!existsSync(tallyFile)) throw new UserError(`Không tìm thấy "${tallyFile}".`);
  const loaded = await loadWorkbook(
    readInputFile(tallyFile, MAX_FILE_BYTES, displayName(tallyFile)),
    displayName(tallyFile),
  );
  if (!loaded.wb) return { problems: loaded.problems.map((p) => formatProblem(p)) };
  const ws = loaded.wb.getWorksheet(TALLY_SHEET);
  if (!ws)
    return {
      problems: [
        `${displayName(tallyFile)}: không có trang "${TALLY_SHEET}". Hãy dùng mẫu do lệnh binh-xet --mau-phieu tạo.`,
      ],
    };
  return { grid: worksheetGrid(ws).values as unknown[][], problems: [] };
}

async function runMeeting(
  year: LockedReview,
  opts: ReviewOptions,
  tallyFile: string,
  outDir: string,
  plan: OutputPlan,
): Promise<{ lines: string[]; problems: string[] }> {
  const def = year.def;
  const { grid, problems: unreadable } = await tallyGrid(tallyFile);
  if (!grid) return { lines: [], problems: unreadable };
  const where = { file: displayName(tallyFile) };
  // The meeting's day is read first: it says who exists, so the rest of the tally is read against that day.
  const first = readTallySheet(def, grid, where);
  const dated = first.tally.meeting.date;
  const wrongDay = dated
    ? meetingDateProblem(dated, { year: def.year, lockedOn: year.lockedOn, today: todayIso() })
    : undefined;
  // A tally with no usable day is still checked in full, against the lock's day, so every error shows at once.
  const day = dated && !wrongDay ? dated : (year.lockedOn ?? todayIso());
  const meeting = meetingOn(def, year, opts.register, day, opts.sets);
  const rules = meeting.ctx.rules;
  checkRulesFit(meeting.def, rules, opts.rulesFile);
  const read = readTallySheet(meeting.def, grid, where);
  const problems = read.problems.map((p) => formatProblem(p));
  if (wrongDay) problems.unshift(`${where.file} › ${TALLY_SHEET}: ${wrongDay}`);
  const { candidates, problems: listProblems } = applyChanges(
    meeting.def,
    proposeCandidates(meeting.def, meeting.ranking, rules),
    read.changes,
  );
  problems.push(...listProblems.map((p) => `${where.file} › ${TALLY_SHEET}: ${p}`));
  problems.push(...checkTally(meeting.def, rules, candidates, read.tally).map((p) => formatProblem(p)));
  if (problems.length) return { lines: [], problems: [...new Set(problems)] };
  const result = decideReview(meeting.def, meeting.ranking, rules, candidates, read.tally);
  const explanation = explainReview(meeting.def, result);
  const taken = [
    `Theo sổ đăng ký và bảng văn bản áp dụng, ngày họp ${vnDay(result.meeting.date)}:`,
    ...meeting.ctx.taken.map((t) => `  - ${t}`),
  ];
  if (result.revote.length)
    return {
      lines: [...taken, ...explanation],
      problems: [
        "Hội nghị cần bỏ phiếu lại các mục có đơn vị bằng phiếu nêu trên; ghi kết quả " +
          "lần bỏ phiếu lại vào trang Kiểm phiếu rồi chạy lại lệnh. Chưa ghi văn bản nào.",
      ],
    };

  const base: ReviewDocsInput = {
    def: meeting.def,
    summary: year.summary,
    ranking: meeting.ranking,
    rules,
    result,
    lockPrint: shortPrint(year.fingerprint),
    gone: goneLines(meeting.ctx),
  };
  const build = (input: ReviewDocsInput): (ReviewDocument & { model: DocumentModel })[] =>
    [
      { code: "BB-HOP", file: "bien-ban-hop-binh-xet.docx", model: buildMeetingMinutes(input) },
      { code: "BB-KIEM-PHIEU", file: "bien-ban-kiem-phieu.docx", model: buildCountMinutes(input) },
      { code: "TO-TRINH", file: "to-trinh-khen-thuong.docx", model: buildAwardRequest(input) },
      ...proposedSchools(meeting.def, result).map((c) => ({
        code: `BC-THANH-TICH-${c}`,
        file: `bao-cao-thanh-tich-${c}.docx`,
        model: buildAchievementReport(input, c),
      })),
    ].map((d) => ({ ...d, title: d.model.title }));
  // The record lists the documents by title, which does not depend on the record's code; the code then goes into the
  // minutes and the request, so the signed paper names the record.
  const record = reviewRecord({
    cluster: def.id,
    year: def.year,
    lockFingerprint: year.fingerprint,
    rules,
    candidates,
    changes: read.changes,
    tally: read.tally,
    result,
    documents: build(base).map(({ code, title, file }) => ({ code, title, file })),
  });
  const { text, fingerprint } = savedReviewText(record, sha256);
  const docs = build({
    ...base,
    record: {
      file: RECORD_FILE,
      print: shortPrint(fingerprint),
      check: `cum-thi-dua xac-minh <bảng đã khóa> --binh-xet ${RECORD_FILE} --ma ${shortPrint(fingerprint)}`,
    },
  });
  // Everything is built before anything is written, and the folder is swapped in whole: no half set, and no
  // document of an earlier run (a school no longer proposed) stays beside this record.
  const bytes = await Promise.all(docs.map((d) => docxBytes(d.model)));
  plan.writeFolder(outDir, [
    ...docs.map((d, i) => ({ name: d.file, data: bytes[i]! })),
    { name: RECORD_FILE, data: text },
  ]);
  return {
    lines: [
      ...taken,
      ...explanation,
      "",
      `Đã ghi ${docs.length} văn bản vào ${displayName(outDir)}: ${docs.map((d) => d.file).join(", ")}.`,
      `Biên bản bình xét được lưu ở ${RECORD_FILE}, mã kiểm tra ` +
        `${shortPrint(fingerprint)} (đầy đủ: ${fingerprint}), in trong biên bản họp và tờ trình; gắn với số liệu ` +
        `đã khóa mã ${shortPrint(year.fingerprint)}.`,
      ...keptLines(plan),
    ],
    problems: [],
  };
}

export const binhXet: Command = {
  name: "binh-xet",
  summary:
    "Họp bình xét cuối năm: mẫu kiểm phiếu và phiếu bầu; đọc kết quả kiểm phiếu, lập " +
    "biên bản, tờ trình, báo cáo thành tích.",
  usage:
    "binh-xet --xuat-quy-tac <quy-tac.json>\n       cum-thi-dua binh-xet " +
    "<tong-hop-da-khoa.xlsx> --mau-phieu <kiem-phieu.xlsx> --ngay <dd/mm/yyyy> " +
    "[--dia-diem <địa danh>] [--them MÃ_MỤC:MÃ_TRƯỜNG:lý do]... [--bo " +
    "MÃ_MỤC:MÃ_TRƯỜNG:lý do]...\n       cum-thi-dua binh-xet <tong-hop-da-khoa.xlsx> " +
    "--phieu <kiem-phieu.xlsx> [--ra <thư mục>]",
  options: [
    {
      name: "mau-phieu",
      flag: "--mau-phieu <tệp.xlsx>",
      type: "string",
      help: "Trước Hội nghị: tạo mẫu kiểm phiếu (và phieu-bau.docx cùng thư mục) từ bảng xếp hạng đã khóa.",
    },
    {
      name: "ngay",
      flag: "--ngay <dd/mm/yyyy>",
      type: "string",
      help:
        "Ngày họp, bắt buộc với --mau-phieu (không trước ngày khóa số liệu, không sau hôm nay); ngày họp quyết " +
        "định văn bản pháp luật áp dụng và các trường dự họp. Với --phieu, ngày lấy từ tệp kiểm phiếu.",
    },
    {
      name: "dia-diem",
      flag: "--dia-diem <địa danh>",
      type: "string",
      help: "Nơi họp (mặc định: tỉnh của trường Cụm trưởng).",
    },
    {
      name: "them",
      flag: "--them <MÃ_MỤC:MÃ_TRƯỜNG:lý do>",
      type: "string",
      multiple: true,
      help: "Thêm một trường vào danh sách đề cử, bắt buộc ghi lý do.",
    },
    {
      name: "bo",
      flag: "--bo <MÃ_MỤC:MÃ_TRƯỜNG:lý do>",
      type: "string",
      multiple: true,
      help: "Bỏ một trường khỏi danh sách đề cử, bắt buộc ghi lý do.",
    },
    {
      name: "phieu",
      flag: "--phieu <kiem-phieu.xlsx>",
      type: "string",
      help: "Sau Hội nghị: tệp kiểm phiếu Ban kiểm phiếu đã điền.",
    },
    {
      name: "ra",
      flag: "--ra <thư mục>",
      type: "string",
      help:
        "Thư mục ghi biên bản, tờ trình, báo cáo thành tích và ket-qua-binh-xet.json, thay cả thư mục (mặc " +
        `định: thư mục ${REVIEW_DIR}/ cạnh bảng đã khóa, để biên bản nằm cạnh số liệu đã khóa).`,
    },
    {
      name: "quy-tac",
      flag: "--quy-tac <tệp.json>",
      type: "string",
      help: "Quy tắc bình xét của Cụm (tỷ lệ phiếu, số trường có mặt, …) thay cho quy tắc mặc định.",
    },
    {
      name: "xuat-quy-tac",
      flag: "--xuat-quy-tac <tệp.json>",
      type: "string",
      help:
        "Ghi các bộ quy tắc mặc định (kèm nguồn, ngày áp dụng, đã kiểm chứng hay chưa) " +
        "ra tệp để Cụm sửa rồi dùng với --quy-tac.",
    },
    {
      name: "so-dang-ky",
      flag: "--so-dang-ky <tệp.json>",
      type: "string",
      help:
        "Sổ đăng ký cụm (mặc định: register/<mã cụm>.json cạnh định nghĩa hoặc bảng đã khóa, rồi sổ kèm " +
        "theo): các trường còn tồn tại và là thành viên vào ngày họp.",
    },
    GHI_DE,
    CUM_LOCKED,
  ],
  positionals: true,
  details:
    `Mã mục: ${Object.values(ITEM_CODE).join(", ")}. Kết quả kiểm phiếu sai (thu về ` +
    `nhiều hơn phát ra, hợp lệ + không hợp lệ khác thu về, số phiếu đồng ý nhiều hơn ` +
    `phiếu hợp lệ, trường tự bầu cho mình khi Quy chế cấm, không đủ số trường có ` +
    `mặt) bị từ chối, chỉ rõ ô; khi đó không văn bản nào được ghi.\nMã thoát 0 khi ` +
    `thành công, 1 khi từ chối.`,
  async run(v, positionals, io) {
    const replace = v["ghi-de"] === true;
    const rulesOut = str(v["xuat-quy-tac"]);
    if (rulesOut) {
      const plan = planOutputs([{ path: rulesOut, option: "--xuat-quy-tac" }], [], { replace });
      plan.write(rulesOut, JSON.stringify(DEFAULT_RULE_SETS, null, 2) + "\n");
      io.out(
        `Đã ghi ${DEFAULT_RULE_SETS.length} bộ quy tắc mặc định vào ` +
          `${displayName(rulesOut)}; sửa giá trị theo Quy chế của Cụm rồi dùng --quy-tac ` +
          `${displayName(rulesOut)}.`,
      );
      for (const line of keptLines(plan)) io.out(line);
      return 0;
    }
    const [lockedFile, ...extra] = positionals;
    if (!lockedFile || extra.length)
      throw new UserError("Cần đúng một bảng tổng hợp đã khóa (tong-hop-da-khoa.xlsx do lệnh khoa tạo).", 2);
    const template = str(v["mau-phieu"]);
    const tally = str(v.phieu);
    if (!template === !tally)
      throw new UserError(
        "Dùng --mau-phieu <tệp.xlsx> (trước Hội nghị) hoặc --phieu <tệp.xlsx> --ra <thư mục> (sau Hội nghị).",
        2,
      );
    if (tally && (list(v.them).length || list(v.bo).length))
      throw new UserError(
        "--them và --bo chỉ dùng với --mau-phieu (trước Hội nghị). Sau Hội nghị, thay đổi danh sách đề cử là " +
          `những dòng đã ghi trong trang ${TALLY_SHEET} của tệp kiểm phiếu; chạy lại không có --them/--bo.`,
        2,
      );
    if (tally && str(v.ngay))
      throw new UserError(
        `Sau Hội nghị, ngày họp lấy từ ô "Ngày họp" của trang ${TALLY_SHEET}; bỏ --ngay, hoặc sửa ngày trong tệp ` +
          "kiểm phiếu.",
        2,
      );
    const cum = str(v.cum);
    const rulesFile = str(v["quy-tac"]);
    const registerOption = str(v["so-dang-ky"]);
    const outDir = str(v.ra) ?? join(dirname(lockedFile), REVIEW_DIR);
    // Nothing is read before every output is checked against every input (the locked year, the tally, the
    // rules, the definition) and nothing existing is replaced without --ghi-de.
    const plan = planOutputs(
      template
        ? [
            { path: template, option: "--mau-phieu" },
            { path: ballotsPath(template), option: "--mau-phieu (phiếu bầu)" },
          ]
        : [{ path: outDir, option: "--ra", folder: true }],
      [lockedFile, ...[tally, rulesFile, cum, registerOption].filter((p): p is string => !!p)],
      { replace },
    );
    const given = cum ? loadDefinitionFile(cum) : undefined;
    const sets = ruleSets(rulesFile);
    const year = await lockedYear(lockedFile, given, io);
    const register = registerFor(year.def, [cum ?? lockedFile, lockedFile], registerOption);
    const opts: ReviewOptions = { sets, rulesFile, register };
    if (template) {
      for (const l of await writeTemplate(year, opts, template, plan, v)) io.out(l);
      return 0;
    }
    const { lines, problems } = await runMeeting(year, opts, tally!, outDir, plan);
    for (const l of lines) io.out(l);
    if (problems.length) throw new UserError(`Không lập được văn bản bình xét:\n${problems.join("\n")}`);
    return 0;
  },
};
