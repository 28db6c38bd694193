/**
 * The life of a cluster year, as pure transitions:
 *   registration ──(head signs the pledge)──> reporting ──(head locks)──> locked
 *                                   ▲                                     │
 *                                   └──────────(unlock, with a reason)────┘
 * During reporting each school confirms its figures. Who may take each step,
 * and what each state lets people edit, is decided here only.
 */
import type { ClusterDefinition } from "../definition/definition";

export type Phase = "registration" | "reporting" | "locked";

export interface Confirmation {
  by: string;
  at: string;
  fingerprint: string;
}

export interface LockRecord {
  by: string;
  at: string;
  fingerprint: string;
  /** Schools locked without their confirmation, named when the head chose to override. */
  unconfirmed: string[];
}

export interface YearState {
  phase: Phase;
  pledgedAt?: string;
  confirmed: Record<string, Confirmation>;
  lock?: LockRecord;
}

export type Actor =
  | { email: string; role: "owner" | "head" }
  | { email: string; role: "school"; school: string }
  | { email: string; role: "unknown" };

export type Transition = { ok: true; state: YearState } | { ok: false; message: string };

export const PHASE_LABEL: Record<Phase, string> = {
  registration: "Đăng ký chỉ tiêu",
  reporting: "Báo cáo kết quả (Đăng ký đã khóa theo giao ước)",
  locked: "Đã khóa số liệu cuối năm",
};

export function initialState(): YearState {
  return { phase: "registration", confirmed: {} };
}

const refuse = (message: string): Transition => ({ ok: false, message });
const isHead = (a: Actor) => a.role === "head" || a.role === "owner";
const nameOf = (def: ClusterDefinition, code: string) => def.schools.find((s) => s.code === code)?.name ?? code;

/** After the pledge is signed the registered targets are frozen and the year-end report opens. */
export function signPledge(state: YearState, actor: Actor, at: string): Transition {
  if (!isHead(actor)) return refuse("Chỉ trường Cụm trưởng ghi nhận việc ký giao ước.");
  if (state.phase !== "registration")
    return refuse(`Giao ước đã được ghi nhận; năm học đang ở giai đoạn "${PHASE_LABEL[state.phase]}".`);
  return { ok: true, state: { ...state, phase: "reporting", pledgedAt: at } };
}

export function confirmSchool(
  def: ClusterDefinition,
  state: YearState,
  actor: Actor,
  school: string,
  fingerprint: string,
  valid: boolean,
  at: string,
): Transition {
  if (state.phase === "locked") return refuse("Số liệu cuối năm đã khóa; không xác nhận thêm được.");
  if (state.phase !== "reporting")
    return refuse("Chưa đến giai đoạn báo cáo kết quả: trường Cụm trưởng cần ghi nhận việc ký giao ước trước.");
  if (!(isHead(actor) || (actor.role === "school" && actor.school === school)))
    return refuse(
      actor.role === "school"
        ? `Tài khoản ${actor.email} chỉ xác nhận được số liệu của ${nameOf(def, actor.school)}.`
        : "Chỉ người nhập liệu của trường hoặc trường Cụm trưởng xác nhận được số liệu.",
    );
  if (state.confirmed[school])
    return refuse(`${nameOf(def, school)} đã xác nhận số liệu lúc ${state.confirmed[school]!.at}.`);
  if (!valid)
    return refuse(
      `Số liệu của ${nameOf(def, school)} còn lỗi hoặc còn thiếu; hãy sửa (Thi đua › Kiểm ` +
        `tra số liệu) rồi xác nhận lại.`,
    );
  return {
    ok: true,
    state: { ...state, confirmed: { ...state.confirmed, [school]: { by: actor.email, at, fingerprint } } },
  };
}

/** The head reopens one school's confirmation (the school asked to correct a figure). */
export function reopenSchool(
  def: ClusterDefinition,
  state: YearState,
  actor: Actor,
  school: string,
  reason: string,
): Transition {
  if (!isHead(actor)) return refuse("Chỉ trường Cụm trưởng mở lại xác nhận của một trường.");
  if (state.phase === "locked") return refuse("Số liệu đã khóa; hãy mở khóa trước.");
  if (!state.confirmed[school]) return refuse(`${nameOf(def, school)} chưa xác nhận số liệu.`);
  if (!reason.trim()) return refuse("Cần ghi lý do mở lại xác nhận.");
  const confirmed = { ...state.confirmed };
  delete confirmed[school];
  return { ok: true, state: { ...state, confirmed } };
}

export function unconfirmedSchools(def: ClusterDefinition, state: YearState): string[] {
  return def.schools.filter((s) => !state.confirmed[s.code]).map((s) => s.code);
}

/**
 * Confirmations whose figures changed since: the fingerprint a school
 * confirmed is no longer the one about to be locked. Such a school is locked
 * as unconfirmed, never as confirmed over figures it did not sign.
 */
export function staleConfirmations(state: YearState, prints: Readonly<Record<string, string>>): string[] {
  return Object.keys(state.confirmed).filter((code) => state.confirmed[code]!.fingerprint !== prints[code]);
}

/** The state with these schools' confirmations dropped. */
export function withoutConfirmations(state: YearState, codes: readonly string[]): YearState {
  const confirmed: YearState["confirmed"] = {};
  for (const [code, c] of Object.entries(state.confirmed)) if (!codes.includes(code)) confirmed[code] = c;
  return { ...state, confirmed };
}

/**
 * Locking needs every school confirmed, or an explicit override that names
 * exactly the schools still unconfirmed (so nobody overrides blind).
 */
export function lockYear(
  def: ClusterDefinition,
  state: YearState,
  actor: Actor,
  fingerprint: string,
  at: string,
  override: string[] = [],
): Transition {
  if (!isHead(actor)) return refuse("Chỉ trường Cụm trưởng khóa số liệu cuối năm.");
  if (state.phase === "locked") return refuse(`Số liệu đã khóa lúc ${state.lock!.at}.`);
  if (state.phase !== "reporting") return refuse("Chưa đến giai đoạn báo cáo kết quả; chưa có gì để khóa.");
  const missing = unconfirmedSchools(def, state);
  const sameSet = missing.length === override.length && missing.every((m) => override.includes(m));
  if (missing.length && !sameSet)
    return refuse(
      `Còn ${missing.length} trường chưa xác nhận: ${missing.map((c) => nameOf(def, c)).join(", ")}. Hãy ` +
        `đợi các trường xác nhận, hoặc khóa có ghi rõ các trường này.`,
    );
  return {
    ok: true,
    state: { ...state, phase: "locked", lock: { by: actor.email, at, fingerprint, unconfirmed: missing } },
  };
}

export function unlockYear(state: YearState, actor: Actor, reason: string): Transition {
  if (!isHead(actor)) return refuse("Chỉ trường Cụm trưởng mở khóa số liệu.");
  if (state.phase !== "locked") return refuse("Số liệu đang không bị khóa.");
  if (!reason.trim()) return refuse("Mở khóa cần ghi lý do; lý do được lưu vào Nhật ký.");
  const next: YearState = { ...state, phase: "reporting" };
  delete next.lock;
  return { ok: true, state: next };
}

export interface EditRights {
  registered: boolean;
  achieved: boolean;
  note: boolean;
}

/** What a school's own editors may change in its sheet in the current state. */
export function schoolEditRights(state: YearState, school: string): EditRights {
  if (state.phase === "locked" || state.confirmed[school]) return { registered: false, achieved: false, note: false };
  if (state.phase === "reporting") return { registered: false, achieved: true, note: true };
  return { registered: true, achieved: true, note: true };
}
