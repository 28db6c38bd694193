/**
 * Canonical text of a school's figures and of a whole cluster year, so that
 * the same figures give the same SHA-256 whether they were read from the
 * Google Sheet (hashed by core's sha256Text) or from Excel files
 * (hashed with Node's crypto). Hashing itself is the adapters' job.
 */
import type { ClusterDefinition, Target } from "../definition/definition";
import { formatFigure, type FigureValue } from "../figures/parse";
import { figuresOf, type SchoolFigures } from "../figures/validate";
import { cleanText } from "../text/text";

export const FINGERPRINT_VERSION = "cum-thi-dua/van-tay/1";

/** One value, written the same way on every platform: numbers rounded to 9 decimals, text NFC. */
export function canonicalValue(v: FigureValue | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "Đạt" : "Không đạt";
  if (typeof v === "number") {
    const r = Math.round(v * 1e9) / 1e9;
    return Object.is(r, -0) ? "0" : String(r);
  }
  return cleanText(v).replace(/[\t\n]/g, " ");
}

/** Per school: one line per target of the definition, in definition order, missing rows as empty. */
export function canonicalSchool(def: ClusterDefinition, figures: SchoolFigures): string {
  const lines = [FINGERPRINT_VERSION, def.id, String(def.year), figures.school];
  for (const t of def.targets) {
    const f = figuresOf(def, figures, t.code);
    lines.push([t.code, canonicalValue(f?.registered), canonicalValue(f?.achieved), canonicalValue(f?.note ?? "")].join("\t"));
  }
  return lines.join("\n") + "\n";
}

/** The cluster: the school fingerprints (hex) in definition order; a school without figures counts as "-". */
export function canonicalCluster(def: ClusterDefinition, schoolPrints: Record<string, string>): string {
  return [FINGERPRINT_VERSION, def.id, String(def.year), ...def.schools.map((s) => `${s.code}\t${Object.prototype.hasOwnProperty.call(schoolPrints, s.code) ? schoolPrints[s.code] : "-"}`)].join("\n") + "\n";
}

/** SHA-256 bytes (any sign convention) -> lower-case hex. */
export function toHex(bytes: ArrayLike<number>): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += ((bytes[i]! + 256) % 256).toString(16).padStart(2, "0");
  return out;
}

/** Shown to people: the first 12 hex characters. */
export function shortPrint(hex: string): string {
  return hex.slice(0, 12);
}

export interface CellDifference {
  target: string;
  field: "registered" | "achieved" | "note";
  /** Canonical forms, as hashed. */
  locked: string;
  now: string;
  /** What people read: "2.950", "95,5 %", "Đạt", or "(trống)". */
  lockedShown: string;
  nowShown: string;
}

/** "khi khóa "2.950", nay "3.000"": one changed cell, in the words the integrity checks print. */
export function describeChange(d: CellDifference): string {
  return `khi khóa "${d.lockedShown}", nay "${d.nowShown}"`;
}

function shown(target: Target, field: CellDifference["field"], value: FigureValue | null | undefined): string {
  const text = field === "note" ? cleanText(String(value ?? "")) : formatFigure(target, value ?? null);
  return text === "" ? "(trống)" : text;
}

/** Every target and field whose value differs between the locked snapshot and the figures now. */
export function diffFigures(def: ClusterDefinition, locked: SchoolFigures | undefined, now: SchoolFigures | undefined): CellDifference[] {
  const out: CellDifference[] = [];
  for (const t of def.targets) {
    const a = figuresOf(def, locked, t.code);
    const b = figuresOf(def, now, t.code);
    for (const field of ["registered", "achieved", "note"] as const) {
      const x = canonicalValue(a?.[field] ?? (field === "note" ? "" : null));
      const y = canonicalValue(b?.[field] ?? (field === "note" ? "" : null));
      if (x !== y) out.push({ target: t.code, field, locked: x, now: y, lockedShown: shown(t, field, a?.[field]), nowShown: shown(t, field, b?.[field]) });
    }
  }
  return out;
}
