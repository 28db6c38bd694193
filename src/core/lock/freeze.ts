/**
 * The lock freezes one verdict. What is kept beside the lock (the snapshot)
 * holds, per school that handed anything in, its figures and the errors
 * found at the lock; the verdict is rebuilt from exactly that, never by
 * checking the figures again, so the report printed months later shows the
 * same schools counted, the same schools left out and the same reasons as the
 * Tổng hợp written at the lock. The fingerprint covers the figures and, for a
 * school left out, its errors. The hash function is passed in (core's
 * sha256Text online, node:crypto offline).
 */
import * as v from "valibot";
import type { ClusterDefinition } from "../definition/definition";
import type { FigureValue } from "../figures/parse";
import { figuresOf, type SchoolFigures } from "../figures/validate";
import { judge, type SchoolReport, type Verdict } from "../pipeline";
import type { Problem } from "../problem";
import { schoolSheetName } from "../sheets/school-layout";
import { UserError } from "../user-error";
import { canonicalCluster, canonicalSchool } from "./fingerprint";

export type Hasher = (text: string) => string;

export interface FrozenYear {
  /** The figures kept, one entry per school that had any. */
  figures: SchoolFigures[];
  /** Full hex fingerprint per school code. */
  schoolPrints: Record<string, string>;
  fingerprint: string;
  /** The compact text kept beside the lock (document properties, hidden sheet). */
  snapshot: string;
  verdict: Verdict;
}

/** Errors kept per school: enough to say why it was left out; the rest is counted in one more line. */
const KEPT_ERRORS = 20;
const SNAPSHOT_VERSION = 2;

const figure = v.nullable(v.union([v.number(), v.boolean(), v.string()]));
const RowSchema = v.tuple([v.string(), figure, figure, v.string()]);
const ErrorSchema = v.strictObject({
  message: v.string(),
  sheet: v.optional(v.string()),
  cell: v.optional(v.string()),
  target: v.optional(v.string()),
  field: v.optional(v.picklist(["registered", "achieved", "note", "code"])),
});
const EntrySchema = v.strictObject({ rows: v.optional(v.array(RowSchema)), errors: v.optional(v.array(ErrorSchema)) });
/** The first form (one list of [registered, achieved, note] per school, in definition order), still read. */
const LegacyRowsSchema = v.array(v.tuple([figure, figure, v.string()]));

type KeptError = v.InferOutput<typeof ErrorSchema>;
interface Entry {
  rows?: [string, FigureValue | null, FigureValue | null, string][];
  errors?: KeptError[];
}

const BROKEN =
  "Bản số liệu lưu lúc khóa không đọc được (có thể đã bị sửa hoặc bị cắt). Hãy " +
  "đối chiếu với Nhật ký và tệp PDF báo cáo đã ký.";

function keptErrors(problems: readonly Problem[]): KeptError[] {
  const errors = problems.filter((p) => p.severity === "error");
  const kept: KeptError[] = errors.slice(0, KEPT_ERRORS).map((p) => ({
    message: p.message,
    ...(p.sheet ? { sheet: p.sheet } : {}),
    ...(p.cell ? { cell: p.cell } : {}),
    ...(p.target ? { target: p.target } : {}),
    ...(p.field ? { field: p.field } : {}),
  }));
  if (errors.length > KEPT_ERRORS) kept.push({ message: `Còn ${errors.length - KEPT_ERRORS} lỗi khác.` });
  return kept;
}

/**
 * A school's entry, by the codes of the definition; own properties only, so a code such as "__proto__" is just a code.
 */
function entriesOf(def: ClusterDefinition, text: string): Map<string, Entry> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(BROKEN);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new UserError(BROKEN);
  const record = data as Record<string, unknown>;
  const modern = Object.prototype.hasOwnProperty.call(record, "version");
  if (modern && record.version !== SNAPSHOT_VERSION) throw new UserError(BROKEN);
  const schools = modern ? record.schools : record;
  if (typeof schools !== "object" || schools === null || Array.isArray(schools)) throw new UserError(BROKEN);
  const out = new Map<string, Entry>();
  for (const [code, raw] of Object.entries(schools as Record<string, unknown>)) {
    if (!def.schools.some((s) => s.code === code)) throw new UserError(`${BROKEN} (trường "${code}" không thuộc cụm)`);
    if (modern) {
      const r = v.safeParse(EntrySchema, raw);
      if (!r.success) throw new UserError(BROKEN);
      out.set(code, r.output);
    } else {
      const r = v.safeParse(LegacyRowsSchema, raw);
      if (!r.success) throw new UserError(BROKEN);
      out.set(code, {
        rows: def.targets.map((t, i) => [
          t.code,
          r.output[i]?.[0] ?? null,
          r.output[i]?.[1] ?? null,
          r.output[i]?.[2] ?? "",
        ]),
      });
    }
  }
  return out;
}

/** Per school: its figures as hashed, then, for a school left out, the errors that left it out. */
function schoolCanonical(
  def: ClusterDefinition,
  code: string,
  figures: SchoolFigures | undefined,
  errors: readonly KeptError[],
): string {
  const text = canonicalSchool(def, figures ?? { school: code, rows: [] });
  if (!errors.length) return text;
  return text + ["lỗi", ...errors.map((e) => [e.sheet ?? "", e.cell ?? "", e.message].join("\t"))].join("\n") + "\n";
}

/**
 * Later: the year back from its kept snapshot. The caller compares the fingerprint with the one recorded at the lock.
 */
export function thawYear(def: ClusterDefinition, snapshot: string, hash: Hasher): FrozenYear {
  const entries = entriesOf(def, snapshot);
  const figures: SchoolFigures[] = [];
  // No prototype: a school code may be "__proto__" like any other.
  const schoolPrints = Object.create(null) as Record<string, string>;
  const reports: SchoolReport[] = [];
  for (const school of def.schools) {
    const entry = entries.get(school.code);
    if (!entry) continue;
    const f = entry.rows
      ? {
          school: school.code,
          rows: entry.rows.map(([code, registered, achieved, note]) => ({ code, registered, achieved, note })),
        }
      : undefined;
    const errors = entry.errors ?? [];
    if (f) figures.push(f);
    schoolPrints[school.code] = hash(schoolCanonical(def, school.code, f, errors));
    const sheet = schoolSheetName(school);
    const problems: Problem[] = errors.map((e) => ({ severity: "error", school: school.code, sheet, ...e }));
    reports.push({ school, sheet, ...(f ? { figures: f } : {}), problems, blank: false, cells: new Map() });
  }
  return {
    figures,
    schoolPrints,
    fingerprint: hash(canonicalCluster(def, schoolPrints)),
    snapshot,
    verdict: judge(def, reports),
  };
}

/**
 * At the lock: the year's reports, read once under the year-end stage, kept
 * and read back through thawYear, so the verdict printed at the lock is the
 * one every later check rebuilds.
 */
export function freezeYear(def: ClusterDefinition, reports: readonly SchoolReport[], hash: Hasher): FrozenYear {
  const schools: Record<string, Entry> = {};
  for (const r of reports) {
    if (r.blank) continue;
    const entry: Entry = {};
    if (r.figures)
      entry.rows = def.targets.map((t, i) => {
        const x = figuresOf(def, r.figures, t.code, i);
        return [t.code, x?.registered ?? null, x?.achieved ?? null, x?.note ?? ""];
      });
    const errors = keptErrors(r.problems);
    if (errors.length) entry.errors = errors;
    Object.defineProperty(schools, r.school.code, {
      value: entry,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return thawYear(def, JSON.stringify({ version: SNAPSHOT_VERSION, schools }), hash);
}
