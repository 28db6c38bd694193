/**
 * Sign-off and lock in the shared Sheet: the year's state in document
 * properties, protections derived from it (so unlocking restores exactly
 * the rights the state gives), fingerprints with Utilities.computeDigest,
 * and the locked figures kept to name every changed cell later.
 */
import type { ClusterDefinition, School } from "../core/definition/definition";
import { canonicalCluster, canonicalSchool, diffFigures, packSnapshot, shortPrint, toHex, unpackSnapshot } from "../core/lock/fingerprint";
import { formatDateTime } from "../core/text/format";
import { COL, readSchoolGrid, schoolSheetName } from "../core/sheets/school-layout";
import { confirmSchool, initialState, lockYear, PHASE_LABEL, schoolEditRights, signPledge, unconfirmedSchools, unlockYear, type Actor, type Transition, type YearState } from "../core/lock/lifecycle";
import { a1, hasErrors, type Problem } from "../core/problem";
import { cellText } from "../core/figures/parse";
import { validateSchoolRows, type SchoolFigures } from "../core/figures/validate";
import { appendAudit, AUDIT_SHEET } from "./audit";
import { readAllSchoolSheets } from "./collect";
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

export interface SchoolRead {
  school: School;
  sheet: string;
  figures: SchoolFigures;
  problems: Problem[];
  /** Row (0-based) of each target code in the sheet as it is now, for naming cells. */
  rowOf: Map<string, number>;
  columns: Partial<Record<"registered" | "achieved" | "note", number>>;
}

/** Every school's figures as the year-end report requires them (both columns), in one read. */
export function readAllFigures(ss: Spreadsheet, def: ClusterDefinition): SchoolRead[] {
  const names = def.schools.map(schoolSheetName);
  // A missing sheet reads as empty: its header problem keeps the school from confirming.
  const grids = readAllSchoolSheets(ss, names);
  return def.schools.map((school, i) => {
    const sheet = names[i]!;
    const read = readSchoolGrid(grids.get(sheet) ?? [], { sheet });
    const checked = validateSchoolRows(def, school.code, read.rows, "report");
    const rowOf = new Map(read.rows.map((r) => [cellText(r.code), r.row!]));
    return { school, sheet, figures: checked.figures, problems: [...read.problems, ...checked.problems], rowOf, columns: read.columns };
  });
}

export function schoolPrint(def: ClusterDefinition, figures: SchoolFigures): string {
  return sha256Hex(canonicalSchool(def, figures));
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
    const read = readAllFigures(ss, def).find((r) => r.school.code === code)!;
    const print = schoolPrint(def, read.figures);
    const now = formatDateTime(new Date());
    const state = apply(ui, confirmSchool(def, loadState(), actor, code!, print, !hasErrors(read.problems), now));
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
    const reads = readAllFigures(ss, def);
    const prints = Object.fromEntries(reads.map((r) => [r.school.code, schoolPrint(def, r.figures)]));
    const cluster = sha256Hex(canonicalCluster(def, prints));
    const state = apply(ui, lockYear(def, loadState(), actor, cluster, formatDateTime(now), override));
    if (!state) return;
    runTongHop(ss, def, actor.email || "(không rõ)", now);
    saveSnapshot(packSnapshot(def, reads.map((r) => r.figures)));
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
  const snapshotText = loadSnapshot();
  if (!lock || !snapshotText) return { ok: false, problems: [{ severity: "error", message: "Số liệu chưa được khóa cuối năm; chưa có gì để kiểm tra." }] };
  const locked = unpackSnapshot(def, snapshotText);
  const lockedPrints = Object.fromEntries(locked.map((f) => [f.school, schoolPrint(def, f)]));
  if (sha256Hex(canonicalCluster(def, lockedPrints)) !== lock.fingerprint)
    return { ok: false, problems: [{ severity: "error", message: "Bản số liệu lưu khi khóa không khớp mã kiểm tra trong Nhật ký: bản lưu đã bị sửa. Hãy đối chiếu với Nhật ký và tệp PDF báo cáo." }] };
  const problems: Problem[] = [];
  for (const r of readAllFigures(ss, def)) {
    const before = locked.find((f) => f.school === r.school.code);
    if (before && schoolPrint(def, before) === schoolPrint(def, r.figures)) continue;
    for (const d of diffFigures(def, before, r.figures)) {
      const row = r.rowOf.get(d.target);
      const col = r.columns[d.field] ?? COL[d.field];
      problems.push({
        severity: "error",
        school: r.school.code,
        sheet: r.sheet,
        cell: row === undefined ? undefined : a1(row, col),
        message: `${r.school.name}, chỉ tiêu ${d.target}, cột ${d.field === "registered" ? "Đăng ký" : d.field === "achieved" ? "Thực hiện" : "Ghi chú"}: khi khóa "${d.locked}", nay "${d.now}".`,
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
