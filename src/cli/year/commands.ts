/** The commands of the command line, each with its Vietnamese help. */
import { CUM, dateOption, GHI_DE, NGAY, STAGE, str, type Command, type Io } from "../command";
import { join, resolve } from "node:path";
import { schoolByCode, type ClusterDefinition } from "../../core/definition/definition";
import { formatProblem, hasErrors } from "../../core/problem";
import { summaryToJson } from "../../core/figures/summary-json";
import { buildPledge, buildYearReport } from "../../core/documents/documents";
import { docxBytes } from "../io/docx";
import { buildSummaryWorkbook } from "../../excel/summary";
import { templateBuffer } from "../../excel/template";
import type { WorkbookReport } from "../../excel/reader";
import { runDemo } from "../demo/demo";
import { definitionFromOption } from "../io/definitions";
import { UserError } from "../errors";
import {
  collectInputs,
  displayName,
  hasRefusedFiles,
  inputsFor,
  readAll,
  renderSkipped,
  skippedJson,
  summariseReports,
  unreadBySchool,
} from "../io/files";
import { keptLines, planOutputs } from "../io/outputs";
import { khoa, xacMinh } from "./lock";
import { namMoi } from "../years/new-year";
import { lichSu, tongKetGiaiDoan } from "../years/period";
import { tongHopHocVien } from "../academy/academy";
import { binhXet } from "../review/review";
import { renderSummary } from "./print";

/** The school a template is for, or the refusal naming the valid codes. */
function templateSchool(def: ClusterDefinition, code: string) {
  const school = schoolByCode(def, code);
  if (!school)
    throw new UserError(
      `Mã trường "${code}" không có trong ${def.name} năm ${def.year}. Các mã hợp lệ: ` +
        `${def.schools.map((s) => s.code).join(", ")}.`,
    );
  return school;
}

/** A template never replaces an existing file without --ghi-de: it may be a school's filled workbook. */
const templateExists = (shown: string[]) =>
  `${shown.map((p) => `"${p}"`).join(", ")} đã có; mẫu trống không ghi đè lên tệp có sẵn (có thể là tệp trường đã ` +
  `điền). Hãy chọn nơi ghi khác, hoặc thêm --ghi-de nếu chắc chắn muốn thay (bản trước được giữ bên cạnh).`;

export function templateFileName(def: ClusterDefinition, code: string): string {
  return `mau-${def.year}-${code}.xlsx`;
}

const taoMau: Command = {
  name: "tao-mau",
  summary: "Tạo mẫu Excel để một trường (hoặc mọi trường) nhập số liệu.",
  usage:
    "tao-mau --truong <MÃ> --ra <tệp.xlsx> [--cum <tệp.json>]\n       cum-thi-dua " +
    "tao-mau --tat-ca --thu-muc <thư mục> [--cum <tệp.json>]",
  options: [
    { name: "truong", flag: "--truong <MÃ>", type: "string", help: "Mã trường, ví dụ DLK." },
    { name: "ra", flag: "--ra <tệp.xlsx>", type: "string", help: "Tệp mẫu sẽ tạo." },
    { name: "tat-ca", flag: "--tat-ca", type: "boolean", help: "Tạo mẫu cho mọi trường trong cụm." },
    { name: "thu-muc", flag: "--thu-muc <thư mục>", type: "string", help: "Thư mục chứa các mẫu khi dùng --tat-ca." },
    GHI_DE,
    CUM,
  ],
  positionals: false,
  async run(v, _p, io) {
    const def = definitionFromOption(str(v.cum));
    const all = v["tat-ca"] === true;
    const dir = str(v["thu-muc"]);
    const code = str(v.truong);
    const out = str(v.ra);
    if (all && !dir) throw new UserError("Dùng --tat-ca thì cần --thu-muc <thư mục> để ghi các mẫu.", 2);
    if (!all && (!code || !out))
      throw new UserError("Cần --truong <MÃ> và --ra <tệp.xlsx> (hoặc --tat-ca --thu-muc <thư mục>).", 2);
    const schools = all ? def.schools : [templateSchool(def, code!)];
    const targets = schools.map((s) => ({ school: s, path: all ? join(dir!, templateFileName(def, s.code)) : out! }));
    // Every template is checked before the first is written: an existing one stops the run with nothing written.
    const plan = planOutputs(
      targets.map((t) => ({ path: t.path, option: all ? "--thu-muc" : "--ra" })),
      [str(v.cum)].filter((p): p is string => !!p),
      { replace: v["ghi-de"] === true, existing: templateExists },
    );
    for (const t of targets) {
      plan.write(t.path, await templateBuffer(def, t.school));
      io.out(
        all
          ? `Đã tạo ${displayName(resolve(t.path))} — ${t.school.name}`
          : `Đã tạo ${t.path} cho ${t.school.name}, năm ${def.year}.`,
      );
    }
    for (const line of keptLines(plan)) io.out(line);
    return 0;
  },
};

function printProblems(reports: WorkbookReport[], io: Io): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const r of reports) {
    for (const p of r.problems) {
      if (p.severity === "error") errors++;
      else warnings++;
      io.out(formatProblem(p));
    }
  }
  return { errors, warnings };
}

const kiemTra: Command = {
  name: "kiem-tra",
  summary: "Kiểm tra các tệp Excel đã điền, in từng lỗi kèm tệp, trang và ô.",
  usage: "kiem-tra <tệp.xlsx hoặc thư mục>... [--truong <MÃ>] [--cum <tệp.json>] [--dang-ky]",
  options: [
    { name: "truong", flag: "--truong <MÃ>", type: "string", help: "Báo lỗi nếu tệp không phải của trường này." },
    CUM,
    STAGE,
  ],
  positionals: true,
  details: "Mã thoát 0 khi mọi tệp hợp lệ, 1 khi có lỗi. Các tệp chỉ được đọc, không bị sửa.",
  async run(v, positionals, io) {
    const def = definitionFromOption(str(v.cum));
    const inputs = collectInputs(positionals, [], def);
    const reports = await readAll(def, inputs.files, v["dang-ky"] ? "registration" : "report");
    const expected = str(v.truong);
    if (expected) {
      const school = schoolByCode(def, expected);
      if (!school) throw new UserError(`Mã trường "${expected}" không có trong ${def.name} năm ${def.year}.`, 2);
      for (const r of reports)
        if (r.school && r.school.code !== school.code)
          r.problems.unshift({
            severity: "error",
            file: r.file,
            school: r.school.code,
            message:
              `Tệp là mẫu của ${r.school.name}, không phải của ${school.name}. ` + `Hãy dùng đúng mẫu của trường mình.`,
          });
    }
    const { errors, warnings } = printProblems(reports, io);
    // A file with nothing typed is no report yet: checking it must not say it is ready to send.
    const unusable = (r: (typeof reports)[number]) => hasErrors(r.problems) || !!r.report?.blank;
    for (const r of reports)
      if (!unusable(r)) io.out(`${r.file}: hợp lệ — ${r.school!.name}${r.problems.length ? " (có lưu ý)" : ""}.`);
    const bad = reports.filter(unusable).length;
    const blank = reports.filter((r) => r.report?.blank).length;
    for (const line of renderSkipped(inputs.skipped, def)) io.out(line);
    io.out(
      `\nĐã kiểm tra ${reports.length} tệp: ${reports.length - bad} hợp lệ, ` +
        `${bad - blank} có lỗi${blank ? `, ${blank} chưa điền số liệu nào` : ""} (` +
        `${errors} lỗi, ${warnings} lưu ý)` +
        `${inputs.skipped.length ? `; ${inputs.skipped.length} mục không được đọc` : ""}.`,
    );
    return bad || inputs.skipped.some((k) => k.refused) ? 1 : 0;
  },
};

const tongHop: Command = {
  name: "tong-hop",
  summary: "Tổng hợp số liệu các trường thành bảng Tổng hợp (.xlsx) và tùy chọn JSON.",
  usage: "tong-hop <tệp.xlsx hoặc thư mục>... --ra <tong-hop.xlsx> [--json <tệp.json hoặc ->] [--cum <tệp.json>]",
  options: [
    {
      name: "ra",
      flag: "--ra <tệp.xlsx>",
      type: "string",
      help: "Bảng tổng hợp sẽ tạo (trang Tổng hợp, Tình trạng nộp, Xếp hạng).",
    },
    {
      name: "json",
      flag: "--json <tệp hoặc ->",
      type: "string",
      help: "Ghi thêm bản tổng hợp dạng JSON; dùng - để in ra màn hình.",
    },
    GHI_DE,
    CUM,
    STAGE,
  ],
  positionals: true,
  details:
    "Trường có lỗi không được tính vào tổng và được liệt kê kèm lỗi. Hai tệp của " +
    "cùng một trường, tệp của trường ngoài cụm hoặc mẫu năm khác đều bị báo lỗi, " +
    "không tự chọn.\nMã thoát 0 khi mọi tệp hợp lệ; 1 khi có tệp lỗi (bảng tổng hợp " +
    "vẫn được tạo với các trường hợp lệ).",
  async run(v, positionals, io) {
    const def = definitionFromOption(str(v.cum));
    const out = str(v.ra);
    if (!out) throw new UserError("Cần --ra <tệp.xlsx> để ghi bảng tổng hợp.", 2);
    const json = str(v.json);
    const { inputs, plan } = inputsFor(
      def,
      positionals,
      [{ path: out, option: "--ra" }, ...(json ? [{ path: json, option: "--json", stdout: true }] : [])],
      [str(v.cum)],
      { replace: v["ghi-de"] === true },
    );
    const reports = await readAll(def, inputs.files, v["dang-ky"] ? "registration" : "report");
    const { summary, ranking } = summariseReports(def, reports);
    const wb = await buildSummaryWorkbook(summary, ranking, {
      madeAt: new Date(),
      madeBy: "cum-thi-dua (ngoại tuyến)",
    });
    plan.write(out, new Uint8Array(await wb.xlsx.writeBuffer()));
    const text = plan.messages(io);
    if (json)
      plan.write(
        json,
        JSON.stringify({ ...summaryToJson(summary), skipped: skippedJson(inputs.skipped) }, null, 2) + "\n",
        io,
      );
    text(renderSummary(summary, ranking, unreadBySchool(inputs.skipped)));
    for (const line of renderSkipped(inputs.skipped, def)) text(line);
    text(`\nĐã ghi bảng tổng hợp: ${out}${json && json !== "-" ? ` và ${json}` : ""}.`);
    for (const line of keptLines(plan)) text(line);
    return hasRefusedFiles(summary, inputs.skipped) ? 1 : 0;
  },
};

const giaoUoc: Command = {
  name: "giao-uoc",
  summary: "Lập Bản giao ước thi đua (.docx) từ định nghĩa cụm và, nếu có, chỉ tiêu các trường đã đăng ký.",
  usage: "giao-uoc --ra <tệp.docx> [--cum <tệp.json>] [tệp.xlsx hoặc thư mục đã điền...]",
  options: [{ name: "ra", flag: "--ra <tệp.docx>", type: "string", help: "Văn bản sẽ tạo." }, GHI_DE, CUM],
  positionals: true,
  details:
    "Không kèm tệp: bảng chỉ tiêu để trống cho các trường ghi tay. Kèm tệp: điền số " +
    "Đăng ký của các trường có tệp hợp lệ; tệp có lỗi " +
    "được báo và để trống (mã thoát " +
    "1).",
  async run(v, positionals, io) {
    const def = definitionFromOption(str(v.cum));
    const out = str(v.ra);
    if (!out) throw new UserError("Cần --ra <tệp.docx> để ghi văn bản.", 2);
    let failed = false;
    const figures = [];
    // Without school files the definition is still an input: --ra must not name it.
    const { inputs, plan } = inputsFor(def, positionals, [{ path: out, option: "--ra" }], [str(v.cum)], {
      replace: v["ghi-de"] === true,
      allowNoInputs: true,
    });
    if (positionals.length) {
      const reports = await readAll(def, inputs.files, "registration");
      failed = printProblems(reports, io).errors > 0 || inputs.skipped.some((k) => k.refused);
      for (const line of renderSkipped(inputs.skipped, def)) io.out(line);
      for (const r of reports) if (r.figures && !hasErrors(r.problems)) figures.push(r.figures);
    }
    plan.write(out, await docxBytes(buildPledge(def, { figures })));
    io.out(
      `Đã ghi Bản giao ước thi đua năm ${def.year}: ${out}` +
        `${positionals.length ? ` (chỉ tiêu của ${figures.length}/${def.schools.length} trường)` : ""}` +
        `.`,
    );
    for (const line of keptLines(plan)) io.out(line);
    return failed ? 1 : 0;
  },
};

const baoCao: Command = {
  name: "bao-cao",
  summary: "Lập Báo cáo tổng kết thi đua (.docx) từ các tệp kết quả của các trường.",
  usage: "bao-cao --ra <tệp.docx> <tệp.xlsx hoặc thư mục>... [--cum <tệp.json>] [--ngay <dd/mm/yyyy>]",
  options: [{ name: "ra", flag: "--ra <tệp.docx>", type: "string", help: "Văn bản sẽ tạo." }, GHI_DE, CUM, NGAY],
  positionals: true,
  details: "Trường có lỗi hoặc chưa nộp được nêu trong báo cáo kèm lý do (mã thoát 1).",
  async run(v, positionals, io) {
    const def = definitionFromOption(str(v.cum));
    const out = str(v.ra);
    if (!out) throw new UserError("Cần --ra <tệp.docx> để ghi văn bản.", 2);
    const date = dateOption(v.ngay);
    const { inputs, plan } = inputsFor(def, positionals, [{ path: out, option: "--ra" }], [str(v.cum)], {
      replace: v["ghi-de"] === true,
    });
    const { summary, ranking } = summariseReports(def, await readAll(def, inputs.files));
    plan.write(out, await docxBytes(buildYearReport({ summary, ranking, date })));
    io.out(renderSummary(summary, ranking, unreadBySchool(inputs.skipped)));
    for (const line of renderSkipped(inputs.skipped, def)) io.out(line);
    io.out(`\nĐã ghi Báo cáo tổng kết năm ${def.year}: ${out}.`);
    for (const line of keptLines(plan)) io.out(line);
    return hasRefusedFiles(summary, inputs.skipped) ? 1 : 0;
  },
};

const demo: Command = {
  name: "chay-thu",
  summary: "Chạy thử toàn bộ quy trình trên các cụm mẫu kèm theo.",
  usage: "chay-thu [--thu-muc <thư mục>]",
  options: [
    {
      name: "thu-muc",
      flag: "--thu-muc <thư mục>",
      type: "string",
      help: "Nơi ghi các tệp kết quả (mặc định: demo-output).",
    },
  ],
  positionals: false,
  details:
    "Với mỗi cụm mẫu: tạo mẫu Excel cho mọi trường, điền số liệu mẫu (một trường cố " +
    "ý điền sai), kiểm tra, tổng hợp ra tong-hop.xlsx và tong-hop.json. Sau đó khóa " +
    "các năm mẫu 2021–2025 của cụm Nam Trung bộ và Tây Nguyên, tổng kết giai đoạn " +
    "2021–2025 và mở năm 2026.",
  async run(v, _p, io) {
    return runDemo(str(v["thu-muc"]) ?? "demo-output", io);
  },
};

export const COMMANDS: Command[] = [
  taoMau,
  kiemTra,
  tongHop,
  giaoUoc,
  baoCao,
  khoa,
  xacMinh,
  binhXet,
  namMoi,
  tongKetGiaiDoan,
  lichSu,
  tongHopHocVien,
  demo,
];
