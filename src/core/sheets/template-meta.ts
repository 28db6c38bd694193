/**
 * Identity of a school's template: which cluster, year and school it was
 * made for, so a file for another school, last year's file or a foreign
 * workbook is recognised before any figure is read. Kept in a hidden sheet
 * as label/value rows, which every office suite preserves.
 */
import { schoolByCode, type ClusterDefinition, type School } from "../definition/definition";
import { formatDateTime } from "../text/format";
import { cellText } from "../figures/parse";
import type { Problem } from "../problem";
import { range, type SheetSpec } from "./sheet-spec";
import { matchKey } from "../text/text";

export const META_SHEET = "_cum_thi_dua";
export const META_MARKER = "cum-thi-dua";
export const TEMPLATE_VERSION = 1;

export interface TemplateMeta {
  version: number;
  cluster: string;
  year: number;
  school: string;
  sheet: string;
}

const LABELS = {
  version: "Phiên bản mẫu",
  cluster: "Mã cụm",
  year: "Năm",
  school: "Mã trường",
  sheet: "Trang số liệu",
} as const;

export function buildMetaSheet(meta: TemplateMeta, schoolName: string, madeAt: Date): SheetSpec {
  const grid = [
    [META_MARKER, "Thông tin nhận dạng mẫu — xin đừng sửa trang này."],
    [LABELS.version, meta.version],
    [LABELS.cluster, meta.cluster],
    [LABELS.year, meta.year],
    [LABELS.school, meta.school],
    [LABELS.sheet, meta.sheet],
    ["Tên trường", schoolName],
    ["Tạo lúc", formatDateTime(madeAt)],
  ];
  return {
    name: META_SHEET,
    grid,
    merges: [],
    styles: [{ range: range(0, 0, 1, 2), bold: true }],
    widths: [18, 50],
    frozenRows: 0,
    inputs: [],
    colourScales: [],
    editable: [],
    hidden: true,
  };
}

/** The identity as read from a file: any field may be missing, and a label may appear twice. */
export type ReadMeta = Partial<TemplateMeta> & { duplicated?: string[] };

/** Reads the label/value rows; undefined when the grid is not a metadata sheet. */
export function readMeta(grid: readonly (readonly unknown[])[]): ReadMeta | undefined {
  if (matchKey(cellText(grid[0]?.[0])) !== META_MARKER) return undefined;
  const byLabel = new Map<string, unknown>();
  const duplicated: string[] = [];
  for (const r of grid) {
    const key = matchKey(cellText(r[0]));
    if (!key) continue;
    const label = Object.values(LABELS).find((l) => matchKey(l) === key);
    if (byLabel.has(key) && label && !duplicated.includes(label)) duplicated.push(label);
    else byLabel.set(key, r[1]);
  }
  const text = (k: keyof typeof LABELS) => {
    const v = cellText(byLabel.get(matchKey(LABELS[k])));
    return v === "" ? undefined : v;
  };
  const num = (k: keyof typeof LABELS) => {
    const v = byLabel.get(matchKey(LABELS[k]));
    const n = typeof v === "number" ? v : Number(cellText(v).replace(/\./g, ""));
    return Number.isFinite(n) && cellText(v) !== "" ? n : undefined;
  };
  return {
    version: num("version"),
    cluster: text("cluster"),
    year: num("year"),
    school: text("school"),
    sheet: text("sheet"),
    ...(duplicated.length ? { duplicated } : {}),
  };
}

export interface MetaCheck {
  school?: School;
  problems: Problem[];
}

/**
 * Whether a file's identity fits the cluster year being worked on. A wrong
 * cluster or year, or an unknown school, is an error: the figures must not
 * be counted for the wrong school or year.
 */
export function checkMeta(def: ClusterDefinition, meta: ReadMeta | undefined, file?: string): MetaCheck {
  const problem = (message: string): Problem => ({ severity: "error", file, sheet: META_SHEET, message });
  if (!meta)
    return {
      problems: [
        {
          severity: "error",
          file,
          message:
            "Tệp không phải là mẫu do cum-thi-dua tạo (không có trang thông tin nhận dạng). Hãy " +
            "tải mẫu của trường mình rồi nhập số liệu vào mẫu đó.",
        },
      ],
    };
  const problems: Problem[] = [];
  for (const label of meta.duplicated ?? [])
    problems.push(
      problem(
        `Trang thông tin nhận dạng có hai hàng "${label}"; không biết hàng nào đúng nên tệp ` +
          `không được tính. Hãy tải lại mẫu của trường và nhập lại số liệu.`,
      ),
    );
  // A blank or garbled field must not skip its check: a 2020 file would be counted as 2023.
  for (const k of ["version", "cluster", "year", "sheet"] as const)
    if (meta[k] === undefined)
      problems.push(
        problem(
          `Trang thông tin nhận dạng thiếu hoặc không đọc được "${LABELS[k]}"; tệp không ` +
            `được tính vì không biết là mẫu của cụm, năm nào. Hãy tải lại mẫu của ` +
            `trường và nhập lại số liệu.`,
        ),
      );
  if (meta.version !== undefined && meta.version > TEMPLATE_VERSION)
    problems.push(
      problem(
        `Mẫu phiên bản ${meta.version} mới hơn chương trình này (phiên bản ${TEMPLATE_VERSION}); ` +
          `hãy cập nhật cum-thi-dua.`,
      ),
    );
  if (meta.cluster && meta.cluster !== def.id && (meta.year === def.year || meta.year === undefined))
    problems.push(
      problem(`Tệp là mẫu của cụm "${meta.cluster}", không phải của "${def.name}". Hãy dùng mẫu của cụm mình.`),
    );
  if (meta.year !== undefined && meta.year !== def.year)
    problems.push(
      problem(
        `Tệp là mẫu năm ${meta.year}, đang làm số liệu năm ${def.year}. Hãy tải mẫu ` +
          `năm ${def.year} rồi nhập lại số liệu.`,
      ),
    );
  const school = meta.school ? schoolByCode(def, meta.school) : undefined;
  if (!meta.school) problems.push(problem("Trang thông tin nhận dạng thiếu mã trường; hãy tải lại mẫu của trường."));
  else if (!school)
    problems.push(problem(`Mã trường "${meta.school}" trong tệp không thuộc ${def.name} năm ${def.year}.`));
  return { school, problems };
}
