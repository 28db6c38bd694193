/**
 * The year-end lock and its undoing. Protections are changed before the
 * state is saved, so a failure leaves both as they were; unlocking is
 * refused up front to anyone who cannot remove the lock's protections
 * (Google lets only their editors do that: the person who locked and the
 * owner).
 */
import { shortPrint } from "../../core/lock/fingerprint";
import { freezeYear } from "../../core/lock/freeze";
import {
  lockYear,
  PHASE_LABEL,
  staleConfirmations,
  unconfirmedSchools,
  unlockYear,
  withoutConfirmations,
} from "../../core/lock/lifecycle";
import { formatDateTime } from "../../core/text/format";
import { unchanged } from "../../core/user-error";
import { appendAudit, appendAuditIn, AUDIT_SHEET } from "../triggers/audit";
import { readSheets } from "../google/sheet-io";
import { ownerEmail, spreadsheetId } from "../context";
import { menu } from "../menu-action";
import { ownSheetProtection, protectInBatch, protectionPlan } from "./protect";
import { readLayout, SheetBatch, type SheetLayout } from "../google/sheet-batch";
import {
  deleteLegacySnapshot,
  hasLegacySnapshot,
  loadState,
  saveState,
  snapshotPointer,
  snapshotSheetSpec,
  SNAPSHOT_SHEET,
} from "./stored-state";
import { tongHopInBatch } from "./tong-hop";
import { collectSchools } from "../google/collect";
import { allowed, sha256Hex } from "./year-state";
import { applyYearState, statusInBatch } from "./status";

const LOCK = "Khóa số liệu cuối năm";
const UNLOCK = "Mở khóa số liệu";

export const menuLockYear = menu(({ ui, ss, def, actor, locked }) => {
  locked(() => {
    const now = new Date();
    const before = loadState(undefined, def);
    // Refusals that do not depend on the figures (not the head, wrong phase) come before any reading.
    allowed(lockYear(def, before, actor, "", "", unconfirmedSchools(def, before)));
    // Read once: the code, the kept snapshot and the final Tổng hợp all come from this one verdict.
    const reports = collectSchools(ss, def, "report");
    const year = freezeYear(def, reports, sha256Hex);
    const stale = staleConfirmations(before, year.schoolPrints);
    const state = withoutConfirmations(before, stale);
    const missing = unconfirmedSchools(def, state);
    if (missing.length) {
      const names = missing.map(
        (c) =>
          `${def.schools.find((s) => s.code === c)!.name}${stale.includes(c) ? " (số liệu đã thay đổi sau khi trường xác nhận)" : ""}`,
      );
      const answer = ui.alert(
        "Còn trường chưa xác nhận",
        `Còn ${missing.length} trường chưa xác nhận số liệu:\n- ${names.join("\n- ")}\n\nVẫn khóa số liệu cuối năm? Việc này được ghi vào Nhật ký kèm tên các trường trên.`,
        ui.ButtonSet.YES_NO,
      );
      if (answer !== ui.Button.YES) return;
    }
    const next = allowed(lockYear(def, state, actor, year.fingerprint, formatDateTime(now), missing));
    // The snapshot (in its hidden sheet), the final Tổng hợp, the status blocks, the lock's protections and its
    // Nhật ký row in one request, or in parts with the protections first; then the state, with the snapshot's
    // pointer.
    const batch = new SheetBatch(spreadsheetId(ss), "Khóa số liệu cuối năm");
    // A run stopped after its write landed, before the state was saved, left its row: the last lock or unlock in
    // Nhật ký is this lock, and a rerun does not write it twice (read only when an earlier lock made Bản khóa).
    const logged =
      batch.sheet(SNAPSHOT_SHEET) &&
      (readSheets(batch.spreadsheetId, [AUDIT_SHEET], "C:G").get(AUDIT_SHEET) ?? [])
        .filter((r) => r[0] === LOCK || r[0] === UNLOCK)
        .pop()?.[4] === shortPrint(year.fingerprint);
    batch.write(snapshotSheetSpec(year.snapshot));
    tongHopInBatch(batch, actor.email || "(không rõ)", now, year.verdict);
    statusInBatch(batch, reports, next, now);
    protectInBatch(ss, batch, protectionPlan(def, next));
    const staleNote = stale.length ? ` Số liệu thay đổi sau khi xác nhận: ${stale.join(", ")}.` : "";
    appendAuditIn(
      batch,
      logged
        ? []
        : [
            {
              action: LOCK,
              who: actor.email,
              newValue: shortPrint(year.fingerprint),
              detail: `Mã kiểm tra toàn cụm: ${year.fingerprint}.${missing.length ? ` Khóa khi chưa xác nhận: ${missing.join(", ")}.${staleNote}` : " Mọi trường đã xác nhận."}`,
            },
          ],
      now,
    );
    batch.commit();
    saveState(next, snapshotPointer(year.snapshot));
    if (hasLegacySnapshot()) deleteLegacySnapshot();
    ui.alert(
      `Đã khóa số liệu năm ${def.year}. Mã kiểm tra toàn cụm: ${shortPrint(year.fingerprint)}. Chỉ chủ sở hữu bảng tính còn sửa được; mọi thay đổi sau này sẽ bị Kiểm tra toàn vẹn phát hiện.`,
    );
  });
});

/**
 * Whether the user can remove the lock's protections, from the layout just
 * read: all were made in one run, so the first sheet's whole-sheet one tells.
 */
export function canLiftLock(sheets: SheetLayout[]): boolean {
  const p = sheets[0] && ownSheetProtection(sheets[0].protections);
  return !p || p.requestingUserCanEdit === true;
}

export const menuUnlock = menu(({ ui, ss, def, actor, locked }) => {
  const answer = ui.prompt(
    "Mở khóa số liệu",
    "Lý do mở khóa (bắt buộc, được lưu vào Nhật ký):",
    ui.ButtonSet.OK_CANCEL,
  );
  if (answer.getSelectedButton() !== ui.Button.OK) return;
  const reason = answer.getResponseText();
  locked(() => {
    const before = loadState(undefined, def);
    const state = allowed(unlockYear(before, actor, reason));
    if (!canLiftLock(readLayout(spreadsheetId(ss)).sheets))
      throw unchanged(
        `Số liệu do ${before.lock?.by || "người khác"} khóa; Google chỉ cho người đó hoặc chủ sở hữu bảng tính (${ownerEmail(ss)}) gỡ bảo vệ khi khóa. Hãy nhờ một trong hai người mở khóa.`,
      );
    applyYearState(ss, def, state);
    saveState(state);
    appendAudit(ss, [{ action: UNLOCK, who: actor.email, detail: `Lý do: ${reason.trim()}` }]);
    ui.alert(`Đã mở khóa. Quyền sửa trở lại như giai đoạn "${PHASE_LABEL.reporting}".`);
  });
});
