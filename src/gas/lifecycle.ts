/**
 * Sign-off and lock in the shared Sheet: the year's state in document
 * properties, protections derived from it (so unlocking restores exactly
 * the rights the state gives), fingerprints with Utilities.computeDigest,
 * and the locked figures kept to name every changed cell later.
 */
import type { ClusterDefinition } from "../core/definition/definition";
import type { SchoolFigures } from "../core/figures/validate";
import { canonicalSchool, diffFigures, shortPrint, toHex } from "../core/lock/fingerprint";
import { freezeYear, thawYear, type FrozenYear } from "../core/lock/freeze";
import { confirmSchool, initialState, lockYear, PHASE_LABEL, schoolEditRights, signPledge, unconfirmedSchools, unlockYear, type Actor, type LockRecord, type Transition, type YearState } from "../core/lock/lifecycle";
import { FIELD_LABEL, hasErrors, type Problem } from "../core/problem";
import { schoolSheetName } from "../core/sheets/school-layout";
import { formatDateTime } from "../core/text/format";
import { appendAudit, AUDIT_SHEET } from "./audit";
import { collectSchools } from "./collect";
import { requireDefinition } from "./check";
import { activeEmail, ownerEmail, roleOf, storedDefinition, underDocumentLock } from "./context";
import { applyPending, hasPending, queueForHead } from "./pending";
import { protectLocked, protectSchoolSheet } from "./protect";
import { reportHtml } from "./report-html";
import { runTongHop } from "./tong-hop";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const STATE_KEY = "trang_thai_nam";
const SNAPSHOT_PREFIX = "ban_khoa_";
const CHUNK = 8000;

export function loadState(props?: Record<string, string>): YearState {
  const raw = (props ?? PropertiesService.getDocumentProperties().getProperties())[STATE_KEY];
  return raw ? (JSON.parse(raw) as YearState) : initialState();
}

function saveState(state: YearState): void {
  PropertiesService.getDocumentProperties().setProperty(STATE_KEY, JSON.stringify(state));
}

function saveSnapshot(text: string): void {
  const store = PropertiesService.getDocumentProperties();
  const props: Record<string, string> = { [SNAPSHOT_PREFIX + "so_phan"]: String(Math.ceil(text.length / CHUNK)) };
  for (let i = 0; i * CHUNK < text.length; i++) props[SNAPSHOT_PREFIX + i] = text.slice(i * CHUNK, (i + 1) * CHUNK);
  store.setProperties(props);
}

function loadSnapshot(): string | undefined {
  const all = PropertiesService.getDocumentProperties().getProperties();
  const parts = Number(all[SNAPSHOT_PREFIX + "so_phan"] ?? 0);
  if (!parts) return undefined;
  let text = "";
  for (let i = 0; i < parts; i++) text += all[SNAPSHOT_PREFIX + i] ?? "";
  return text;
}

export function sha256Hex(text: string): string {
  return toHex(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8));
}

export function actorOf(def: ClusterDefinition, ss: Spreadsheet): Actor {
  const email = activeEmail();
  const role = roleOf(def, email, ownerEmail(ss));
  if (role.kind === "school") return { email, role: "school", school: role.school.code };
  if (role.kind === "owner" || role.kind === "head") return { email, role: role.kind };
  return { email, role: "unknown" };
}

/** A school's fingerprint over its figures as the sheet holds them; no figures (a broken sheet) hash as nothing. */
export function schoolPrint(def: ClusterDefinition, figures: SchoolFigures | undefined): string {
  return sha256Hex(canonicalSchool(def, figures ?? { school: "", rows: [] }));
}

/**
 * The year as locked, back from the kept snapshot; a Vietnamese refusal when
 * the snapshot is gone or no longer matches the code recorded at the lock.
 */
export function frozenYear(def: ClusterDefinition, lock: LockRecord): FrozenYear | string {
  const text = loadSnapshot();
  if (!text) return "Không tìm thấy bản số liệu lưu lúc khóa; hãy đối chiếu với Nhật ký và tệp PDF báo cáo đã ký.";
  const year = thawYear(def, text, sha256Hex);
  if (year.fingerprint !== lock.fingerprint)
    return "Bản số liệu lưu khi khóa không khớp mã kiểm tra trong Nhật ký: bản lưu đã bị sửa. Hãy đối chiếu với Nhật ký và tệp PDF báo cáo.";
  return year;
}

/** Protections of every sheet rebuilt from the state. */
export function applyProtections(ss: Spreadsheet, def: ClusterDefinition, state: YearState): void {
  if (state.phase === "locked") {
    for (const sheet of ss.getSheets()) protectLocked(sheet);
    return;
  }
  for (const school of def.schools) {
    const sheet = ss.getSheetByName(schoolSheetName(school));
    if (sheet) protectSchoolSheet(sheet, def, school, sheet.getLastRow(), schoolEditRights(state, school.code));
  }
}

/**
 * Runs fn under the document lock. When the user holds the head's rights,
 * whatever schools left waiting is applied first, so the head always acts on
 * the current protections and a complete Nhật ký.
 */
function withLock<T>(ui: GoogleAppsScript.Base.Ui, ss: Spreadsheet, def: ClusterDefinition, actor: Actor, fn: () => T): T | undefined {
  return underDocumentLock(ui, () => {
    if (actor.role === "head" || actor.role === "owner") applyPending(ss, () => applyProtections(ss, def, loadState()));
    return fn();
  });
}

export const FLUSH_HANDLER = "flushPending";

/** Time-driven trigger (installed by set-up, runs with the head's rights): applies what schools left waiting. */
export function flushPending(): void {
  const def = storedDefinition();
  if (!def || !hasPending()) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(30_000)) return;
  try {
    applyPending(ss, () => applyProtections(ss, def, loadState()));
  } finally {
    lock.releaseLock();
  }
}

function apply(ui: GoogleAppsScript.Base.Ui, result: Transition): YearState | undefined {
  if (result.ok) return result.state;
  ui.alert(result.message);
  return undefined;
}

export function menuSignPledge(): void {
  const ui = SpreadsheetApp.getUi();
  const def = requireDefinition(ui);
  if (!def) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorOf(def, ss);
  withLock(ui, ss, def, actor, () => {
    const now = formatDateTime(new Date());
    const state = apply(ui, signPledge(loadState(), actor, now));
    if (!state) return;
    saveState(state);
    applyProtections(ss, def, state);
    appendAudit(ss, [{ action: "Ghi nhận ký giao ước", who: actor.email, detail: "Cột Đăng ký của các trường được chốt theo giao ước; cột Thực hiện mở để báo cáo." }]);
    ui.alert("Đã ghi nhận việc ký giao ước. Cột Đăng ký của các trường đã được chốt; các trường nhập kết quả vào cột Thực hiện.");
  });
}

export function menuConfirm(): void {
  const ui = SpreadsheetApp.getUi();
  const def = requireDefinition(ui);
  if (!def) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorOf(def, ss);
  let code: string | undefined = actor.role === "school" ? actor.school : undefined;
  if (!code) {
    const answer = ui.prompt("Xác nhận số liệu", `Mã trường cần xác nhận (${def.schools.map((s) => s.code).join(", ")}):`, ui.ButtonSet.OK_CANCEL);
    if (answer.getSelectedButton() !== ui.Button.OK) return;
    code = answer.getResponseText().trim().toUpperCase();
    if (!def.schools.some((s) => s.code === code)) {
      ui.alert(`Không có trường mã "${code}" trong cụm.`);
      return;
    }
  }
  withLock(ui, ss, def, actor, () => {
    const read = collectSchools(ss, def, "report").find((r) => r.school.code === code)!;
    const print = schoolPrint(def, read.figures);
    const now = formatDateTime(new Date());
    const valid = !!read.figures && !read.blank && !hasErrors(read.problems);
    const state = apply(ui, confirmSchool(def, loadState(), actor, code!, print, valid, now));
    if (!state) return;
    saveState(state);
    const entry = { action: "Xác nhận số liệu", who: actor.email, sheet: read.sheet, newValue: shortPrint(print), detail: `${read.school.name} xác nhận số liệu; mã kiểm tra đầy đủ: ${print}.` };
    let when = "Từ nay";
    if (actor.role === "school") {
      // The school's editor may not touch head-only protections or Nhật ký: the head's trigger applies them.
      queueForHead([entry], true);
      when = "Trong vòng 5 phút";
    } else {
      applyProtections(ss, def, state);
      appendAudit(ss, [entry]);
    }
    ui.alert(`Đã xác nhận số liệu của ${read.school.name}. Mã kiểm tra: ${shortPrint(print)}. ${when} trường không sửa được số liệu nữa; cần sửa thì đề nghị trường Cụm trưởng mở lại.`);
  });
}

export function menuLockYear(): void {
  const ui = SpreadsheetApp.getUi();
  const def = requireDefinition(ui);
  if (!def) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorOf(def, ss);
  const before = loadState();
  const missing = before.phase === "reporting" ? unconfirmedSchools(def, before) : [];
  let override: string[] = [];
  if (missing.length && actor.role !== "school") {
    const names = missing.map((c) => def.schools.find((s) => s.code === c)!.name);
    const answer = ui.alert("Còn trường chưa xác nhận", `Còn ${missing.length} trường chưa xác nhận số liệu:\n- ${names.join("\n- ")}\n\nVẫn khóa số liệu cuối năm? Việc này được ghi vào Nhật ký kèm tên các trường trên.`, ui.ButtonSet.YES_NO);
    if (answer !== ui.Button.YES) return;
    override = missing;
  }
  withLock(ui, ss, def, actor, () => {
    const now = new Date();
    // Read once: the code, the kept snapshot and the final Tổng hợp all come from this one verdict.
    const year = freezeYear(def, collectSchools(ss, def, "report"), sha256Hex);
    const cluster = year.fingerprint;
    const state = apply(ui, lockYear(def, loadState(), actor, cluster, formatDateTime(now), override));
    if (!state) return;
    runTongHop(ss, def, actor.email || "(không rõ)", now, year.verdict);
    saveSnapshot(year.snapshot);
    saveState(state);
    applyProtections(ss, def, state);
    appendAudit(ss, [
      {
        action: "Khóa số liệu cuối năm",
        who: actor.email,
        newValue: shortPrint(cluster),
        detail: `Mã kiểm tra toàn cụm: ${cluster}.${override.length ? ` Khóa khi chưa xác nhận: ${override.join(", ")}.` : " Mọi trường đã xác nhận."}`,
      },
    ]);
    ui.alert(`Đã khóa số liệu năm ${def.year}. Mã kiểm tra toàn cụm: ${shortPrint(cluster)}. Chỉ chủ sở hữu bảng tính còn sửa được; mọi thay đổi sau này sẽ bị Kiểm tra toàn vẹn phát hiện.`);
  });
}

export function menuUnlock(): void {
  const ui = SpreadsheetApp.getUi();
  const def = requireDefinition(ui);
  if (!def) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorOf(def, ss);
  const answer = ui.prompt("Mở khóa số liệu", "Lý do mở khóa (bắt buộc, được lưu vào Nhật ký):", ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return;
  const reason = answer.getResponseText();
  withLock(ui, ss, def, actor, () => {
    const state = apply(ui, unlockYear(loadState(), actor, reason));
    if (!state) return;
    saveState(state);
    applyProtections(ss, def, state);
    appendAudit(ss, [{ action: "Mở khóa số liệu", who: actor.email, detail: `Lý do: ${reason.trim()}` }]);
    ui.alert(`Đã mở khóa. Quyền sửa trở lại như giai đoạn "${PHASE_LABEL.reporting}".`);
  });
}

export interface IntegrityResult {
  ok: boolean;
  problems: Problem[];
}

export function integrityCheck(ss: Spreadsheet, def: ClusterDefinition, state: YearState): IntegrityResult {
  const lock = state.lock;
  if (!lock) return { ok: false, problems: [{ severity: "error", message: "Số liệu chưa được khóa cuối năm; chưa có gì để kiểm tra." }] };
  const year = frozenYear(def, lock);
  if (typeof year === "string") return { ok: false, problems: [{ severity: "error", message: year }] };
  const problems: Problem[] = [];
  for (const r of collectSchools(ss, def, "report")) {
    const before = year.figures.find((f) => f.school === r.school.code);
    if (before && r.figures && year.schoolPrints[r.school.code] === schoolPrint(def, r.figures)) continue;
    for (const d of diffFigures(def, before, r.figures)) {
      problems.push({
        severity: "error",
        school: r.school.code,
        sheet: r.sheet,
        cell: r.cells.get(d.target)?.[d.field],
        message: `${r.school.name}, chỉ tiêu ${d.target}, cột ${FIELD_LABEL[d.field]}: khi khóa "${d.locked}", nay "${d.now}".`,
      });
    }
  }
  return { ok: problems.length === 0, problems };
}

export function menuIntegrity(): void {
  const ui = SpreadsheetApp.getUi();
  const def = requireDefinition(ui);
  if (!def) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const state = loadState();
  const result = integrityCheck(ss, def, state);
  const intro = result.ok
    ? `Số liệu khớp hoàn toàn với lúc khóa (${state.lock!.at}, mã ${shortPrint(state.lock!.fingerprint)}).`
    : `${result.problems.length} điểm khác so với lúc khóa${state.lock ? ` (${state.lock.at}, mã ${shortPrint(state.lock.fingerprint)})` : ""}.`;
  if (ss.getSheetByName(AUDIT_SHEET) && state.lock)
    try {
      appendAudit(ss, [{ action: "Kiểm tra toàn vẹn", who: activeEmail(), detail: intro }]);
    } catch {
      // After the lock only the owner writes Nhật ký; the check itself still reports.
    }
  ui.showModalDialog(HtmlService.createHtmlOutput(reportHtml("Kiểm tra toàn vẹn", intro, result.problems.map((p) => ({ problem: p })))).setWidth(760).setHeight(480), "Kiểm tra toàn vẹn");
}
