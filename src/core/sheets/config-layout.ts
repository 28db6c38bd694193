/**
 * The "Cấu hình" sheet: the cluster definition in a form staff can edit in
 * the Google Sheet (labelled sections, one row per school, target, group,
 * legal basis), which reads back to the same definition as the JSON file.
 */
import { checkDefinition, type ClusterDefinition, type Scoring } from "../definition/definition";
import { formatDate, isoDateOf, vietnameseDateToIso } from "../text/format";
import { cellText } from "../figures/parse";
import { a1 } from "../problem";
import { range, type CellStyle, type CellValue, type SheetSpec } from "./sheet-spec";
import { cleanText, matchKey } from "../text/text";

export const CONFIG_SHEET = "Cấu hình";

const SECTION = {
  general: "[THÔNG TIN CHUNG]",
  legal: "[CĂN CỨ PHÁP LÝ]",
  schools: "[TRƯỜNG THÀNH VIÊN]",
  groups: "[NHÓM CHỈ TIÊU]",
  targets: "[CHỈ TIÊU]",
  documents: "[NỘI DUNG VĂN BẢN]",
} as const;

const GENERAL: [keyof ClusterDefinition | "signingPlace" | "signingDate", string][] = [
  ["id", "Mã định danh cụm"],
  ["name", "Tên cụm"],
  ["number", "Số hiệu cụm"],
  ["region", "Khu vực"],
  ["issuer", "Cơ quan ban hành (mỗi dòng một dòng chữ)"],
  ["year", "Năm"],
  ["theme", "Chủ đề thi đua"],
  ["signingPlace", "Nơi ký giao ước"],
  ["signingDate", "Ngày ký giao ước (dd/mm/yyyy)"],
  ["headingStyle", "Kiểu quốc hiệu"],
  ["register", "Mã cụm trong sổ đăng ký"],
];

const ROLE = { head: "Cụm trưởng", deputy: "Cụm phó", member: "Thành viên" } as const;
const KIND = { count: "Số đếm", percent: "Tỷ lệ %", yesno: "Đạt/Không đạt", level: "Mức" } as const;
const HEADING = { party: "Đảng", state: "Nhà nước" } as const;
const AGG = { sum: "Tổng", mean: "Trung bình", countYes: "Đếm Đạt", distribution: "Đếm theo mức" } as const;
const METHOD = {
  quantitative: "Định lượng",
  qualitative: "Định tính",
  perUnit: "Theo đơn vị",
  bonusPenalty: "Cộng/trừ",
  levelPoints: "Theo mức",
  none: "Không chấm",
} as const;
const DOC_KEYS: [keyof NonNullable<ClusterDefinition["documents"]>, string][] = [
  ["purpose", "Mục đích, yêu cầu"],
  ["movements", "Nội dung phong trào"],
  ["titles", "Danh hiệu đăng ký"],
  ["organisation", "Tổ chức thực hiện"],
  ["reportSummary", "Câu tóm tắt báo cáo"],
];

const SCHOOL_COLS = [
  "Mã",
  "Tên trường",
  "Tên ngắn",
  "Tỉnh",
  "Vai trò",
  "Hiệu trưởng",
  "Chức danh",
  "E-mail nhập liệu (cách nhau bởi dấu phẩy)",
];
const GROUP_COLS = ["Mã", "Tên nhóm", "Nhóm cha"];
const TARGET_COLS = [
  "Mã",
  "Nhóm",
  "Tên chỉ tiêu",
  "Đơn vị tính",
  "Loại",
  "Các mức (cách nhau bởi ;)",
  "Bắt buộc",
  "Nhỏ nhất",
  "Lớn nhất",
  "Số nguyên",
  "Cách tổng hợp",
  "Cách chấm",
  "Điểm tối đa",
  "Điểm mỗi đơn vị",
  "Cận dưới",
  "Cận trên",
  "Điểm theo mức (Mức: điểm; …)",
  "Cụm từ báo cáo",
  "Ghi chú",
];
const WIDTH = TARGET_COLS.length;

const yes = (b: boolean | undefined) => (b === undefined ? null : b ? "Có" : "Không");
const label = <K extends string>(map: Record<K, string>, k: K | undefined) => (k === undefined ? null : map[k]);

function scoringCells(s: Scoring | undefined): CellValue[] {
  // method, maxScore, pointsEach, lower, upper, level points
  if (!s) return [null, null, null, null, null, null];
  switch (s.method) {
    case "quantitative":
    case "qualitative":
      return [METHOD[s.method], s.maxScore, null, null, null, null];
    case "perUnit":
      return [METHOD.perUnit, s.maxScore, s.pointsEach, null, null, null];
    case "bonusPenalty":
      return [METHOD.bonusPenalty, null, s.pointsEach, s.min, s.max, null];
    case "levelPoints":
      return [
        METHOD.levelPoints,
        null,
        null,
        null,
        null,
        Object.entries(s.points)
          .map(([k, v]) => `${k}: ${v}`)
          .join("; "),
      ];
    case "none":
      return [METHOD.none, null, null, null, null, null];
  }
}

export function buildConfigSheet(def: ClusterDefinition): SheetSpec {
  const grid: CellValue[][] = [];
  const styles: CellStyle[] = [];
  const row = (cells: CellValue[], style?: Omit<CellStyle, "range">) => {
    const r = [...cells, ...Array<CellValue>(Math.max(0, WIDTH - cells.length)).fill(null)];
    if (style) styles.push({ range: range(grid.length, 0, 1, Math.max(1, cells.length)), ...style });
    grid.push(r);
  };
  const section = (title: string) => {
    if (grid.length) row([]);
    row([title], { bold: true, fill: "#DCE6F1" });
  };
  const header = (cols: string[]) => row(cols, { bold: true, fill: "#F2F2F2", border: true, wrap: true });

  row([`CẤU HÌNH CỤM THI ĐUA — sửa tại đây rồi chọn Thi đua › Thiết lập / cập nhật bảng tính`], {
    bold: true,
    fontSize: 13,
  });
  section(SECTION.general);
  const general: Record<string, CellValue> = {
    id: def.id,
    name: def.name,
    number: def.number ?? null,
    region: def.region,
    issuer: def.issuer?.join("\n") ?? null,
    year: def.year,
    theme: def.theme,
    signingPlace: def.signing.place,
    signingDate: def.signing.date,
    headingStyle: HEADING[def.headingStyle],
    register: def.register ?? null,
  };
  for (const [key, text] of GENERAL) row([text, general[key] ?? null]);
  section(SECTION.legal);
  for (const l of def.legalBases) row([l]);
  section(SECTION.schools);
  header(SCHOOL_COLS);
  for (const s of def.schools)
    row(
      [
        s.code,
        s.name,
        s.shortName ?? null,
        s.province,
        ROLE[s.role],
        s.principal.name || null,
        s.principal.title ?? null,
        s.editors.join(", ") || null,
      ],
      { border: true },
    );
  section(SECTION.groups);
  header(GROUP_COLS);
  for (const g of def.groups ?? []) row([g.code, g.name, g.parent ?? null], { border: true });
  section(SECTION.targets);
  header(TARGET_COLS);
  for (const t of def.targets) {
    const c = t.constraints ?? {};
    row(
      [
        t.code,
        t.group ?? null,
        t.name,
        t.unit || null,
        KIND[t.kind],
        t.levels?.join("; ") ?? null,
        yes(c.required),
        c.min ?? null,
        c.max ?? null,
        yes(c.integer),
        label(AGG, t.aggregation),
        ...scoringCells(t.scoring),
        t.reportPhrase ?? null,
        t.note ?? null,
      ],
      { border: true },
    );
  }
  section(SECTION.documents);
  for (const [key, text] of DOC_KEYS) {
    const value = def.documents?.[key];
    if (value === undefined) continue;
    for (const line of Array.isArray(value) ? value : [value]) row([text, line]);
  }
  // Dates must stay text: a sheet would turn "2023-03-10" into a date serial.
  const dateRow = grid.findIndex((r) => r[0] === GENERAL.find((g) => g[0] === "signingDate")![1]);
  grid[dateRow]![1] = formatDate(new Date(Date.parse(def.signing.date + "T00:00:00+07:00")));
  styles.push({ range: range(dateRow, 1, 1, 1), numberFormat: "@" });

  const widths = [14, 40, 14, 14, 12, 16, 10, 10, 10, 10, 12, 12, 10, 10, 10, 10, 22, 18, 18];
  return { name: CONFIG_SHEET, grid, merges: [], styles, widths, frozenRows: 1, inputs: [], colourScales: [] };
}

// ---------------------------------------------------------------------------

export type ConfigResult = { ok: true; definition: ClusterDefinition } | { ok: false; problems: string[] };

function reverse<K extends string>(map: Record<K, string>, text: string): K | string {
  const key = matchKey(text);
  const found = (Object.keys(map) as K[]).find((k) => matchKey(map[k]) === key || matchKey(k) === key);
  return found ?? text;
}

function parseNumber(v: unknown): number | undefined | string {
  if (v === null || v === undefined || cellText(v) === "") return undefined;
  if (typeof v === "number") return v;
  const n = Number(cellText(v).replace(/\./g, "").replace(",", "."));
  return Number.isFinite(n) ? n : cellText(v);
}

function parseBool(v: unknown): boolean | undefined | string {
  const t = matchKey(cellText(v));
  if (t === "") return undefined;
  if (v === true || ["có", "co", "x", "true"].includes(t)) return true;
  if (v === false || ["không", "khong", "false"].includes(t)) return false;
  return cellText(v);
}

/** "10/03/2023", a date cell, or already ISO -> "2023-03-10". */
function isoDate(v: unknown): string {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return isoDateOf(v);
  const t = cellText(v);
  return vietnameseDateToIso(t) ?? t;
}

const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Reads the "Cấu hình" grid back into a definition, checked by the same
 * schema as the JSON files; problems name the sheet cell where they can.
 */
export function readConfigSheet(grid: readonly (readonly unknown[])[]): ConfigResult {
  const sections = new Map<string, number>();
  grid.forEach((r, i) => {
    const t = cellText(r[0]);
    for (const s of Object.values(SECTION)) if (matchKey(t) === matchKey(s)) sections.set(s, i);
  });
  const missing = Object.values(SECTION).filter((s) => s !== SECTION.documents && !sections.has(s));
  if (missing.length)
    return {
      ok: false,
      problems: [
        `Trang "${CONFIG_SHEET}" thiếu phần ${missing.join(", ")}; hãy khôi phục tiêu đề phần ` +
          `hoặc thiết lập lại từ tệp định nghĩa.`,
      ],
    };
  const starts = [...sections.values()].sort((a, b) => a - b);
  const rowsOf = (s: string, skipHeader: boolean) => {
    const start = sections.get(s);
    if (start === undefined) return [] as { r: readonly unknown[]; i: number }[];
    const end = starts.find((x) => x > start) ?? grid.length;
    const out: { r: readonly unknown[]; i: number }[] = [];
    for (let i = start + 1 + (skipHeader ? 1 : 0); i < end; i++) {
      const r = grid[i] ?? [];
      if (r.some((c) => cellText(c) !== "")) out.push({ r, i });
    }
    return out;
  };
  const problems: string[] = [];
  const at = (i: number, c: number) => `${CONFIG_SHEET}!${a1(i, c)}`;

  const general = new Map(rowsOf(SECTION.general, false).map(({ r, i }) => [matchKey(cellText(r[0])), { v: r[1], i }]));
  const g = (key: string) => general.get(matchKey(GENERAL.find((x) => x[0] === key)![1]));
  const text = (key: string) => cellText(g(key)?.v);
  const issuerRaw = g("issuer")?.v;
  const issuer =
    typeof issuerRaw === "string"
      ? issuerRaw
          .split(/\r?\n|\s\/\s/)
          .map(cleanText)
          .filter(Boolean)
      : [];

  const schools = rowsOf(SECTION.schools, true).map(({ r }) =>
    compact({
      code: cellText(r[0]),
      name: cellText(r[1]),
      shortName: cellText(r[2]) || undefined,
      province: cellText(r[3]),
      role: reverse(ROLE, cellText(r[4])),
      principal: compact({ name: cellText(r[5]), title: cellText(r[6]) || undefined }),
      editors: cellText(r[7])
        .split(/[,;\s]+/)
        .filter(Boolean),
    }),
  );
  const groups = rowsOf(SECTION.groups, true).map(({ r }) =>
    compact({ code: cellText(r[0]), name: cellText(r[1]), parent: cellText(r[2]) || undefined }),
  );
  const targets = rowsOf(SECTION.targets, true).map(({ r, i }) => {
    const method = cellText(r[11]) ? reverse(METHOD, cellText(r[11])) : undefined;
    let scoring: Record<string, unknown> | undefined;
    if (method) {
      if (method === "levelPoints") {
        const points: Record<string, number | string> = {};
        for (const part of cellText(r[16]).split(";")) {
          const [k, v] = part.split(":").map((x) => x.trim());
          if (k) points[k] = parseNumber(v) ?? "";
        }
        scoring = { method, points };
      } else if (method === "bonusPenalty")
        scoring = { method, pointsEach: parseNumber(r[13]), min: parseNumber(r[14]), max: parseNumber(r[15]) };
      else if (method === "perUnit") scoring = { method, pointsEach: parseNumber(r[13]), maxScore: parseNumber(r[12]) };
      else if (method === "none") scoring = { method };
      else scoring = { method, maxScore: parseNumber(r[12]) };
    }
    const constraints = compact({
      required: parseBool(r[6]),
      min: parseNumber(r[7]),
      max: parseNumber(r[8]),
      integer: parseBool(r[9]),
    });
    for (const [k, v] of Object.entries(constraints))
      if (typeof v === "string")
        problems.push(
          `${at(i, { required: 6, min: 7, max: 8, integer: 9 }[k]!)}: "${v}" không hợp lệ cho cột ` +
            `"${TARGET_COLS[{ required: 6, min: 7, max: 8, integer: 9 }[k]!]}".`,
        );
    const levels = cellText(r[5]);
    return compact({
      code: cellText(r[0]),
      group: cellText(r[1]) || undefined,
      name: cellText(r[2]),
      unit: cellText(r[3]),
      kind: reverse(KIND, cellText(r[4])),
      levels: levels
        ? levels
            .split(";")
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined,
      constraints: Object.keys(constraints).length ? constraints : undefined,
      aggregation: cellText(r[10]) ? reverse(AGG, cellText(r[10])) : undefined,
      scoring,
      reportPhrase: cellText(r[17]) || undefined,
      note: cellText(r[18]) || undefined,
    });
  });
  const documents: Record<string, string[] | string> = {};
  for (const { r } of rowsOf(SECTION.documents, false)) {
    const key = DOC_KEYS.find(([, t]) => matchKey(t) === matchKey(cellText(r[0])))?.[0];
    const value = cellText(r[1]);
    if (!key || !value) continue;
    if (key === "reportSummary") documents[key] = value;
    else ((documents[key] as string[] | undefined) ?? (documents[key] = [])).push(value);
  }

  const raw = compact({
    schemaVersion: 1,
    id: text("id"),
    name: text("name"),
    number: parseNumber(g("number")?.v) ?? null,
    region: text("region"),
    issuer: issuer.length ? issuer : undefined,
    year: parseNumber(g("year")?.v),
    theme: text("theme"),
    signing: { place: text("signingPlace"), date: isoDate(g("signingDate")?.v) },
    headingStyle: reverse(HEADING, text("headingStyle")),
    legalBases: rowsOf(SECTION.legal, false).map(({ r }) => cellText(r[0])),
    groups: groups.length ? groups : undefined,
    schools,
    targets,
    documents: Object.keys(documents).length ? documents : undefined,
    register: text("register") || undefined,
  });
  if (problems.length) return { ok: false, problems };
  const checked = checkDefinition(raw);
  if (!checked.ok) return { ok: false, problems: checked.problems.map((p) => `Trang "${CONFIG_SHEET}": ${p}`) };
  return checked;
}
