/**
 * A school's confirmation of its figures, and the head reopening one. One
 * action with two doors: the menu, and the checkbox of the school's status
 * block (read by the head's edit trigger, src/gas/triggers/tick.ts). A
 * school's editor may not touch head-only protections or Nhật ký, so its
 * menu confirmation leaves that work to the head's trigger.
 */
import type { ClusterDefinition, School } from "../../core/definition/definition";
import type { SchoolReport } from "../../core/pipeline";
import { shortPrint } from "../../core/lock/fingerprint";
import { confirmSchool, reopenSchool, type Actor, type YearState } from "../../core/lock/lifecycle";
import { hasErrors } from "../../core/problem";
import { formatDateTime } from "../../core/text/format";
import { UserError } from "../../core/user-error";
import { appendAudit, type AuditEntry } from "../triggers/audit";
import { runsAsAddOn } from "../deployment";
import { describeActor } from "../context";
import { menu } from "../menu-action";
import { reserveForHead } from "../triggers/queue";
import { loadState, saveState } from "./stored-state";
import { collectSchools } from "../google/collect";
import { allowed, schoolPrint } from "./year-state";
import { applyYearState, type StatusNotes } from "./status";

/** Asks the head which school; a code not in the cluster is refused. undefined when cancelled. */
function askSchool(ui: GoogleAppsScript.Base.Ui, def: ClusterDefinition, title: string): string | undefined {
  const answer = ui.prompt(title, `Mã trường (${def.schools.map((s) => s.code).join(", ")}):`, ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return undefined;
  const code = answer.getResponseText().trim().toUpperCase();
  if (!def.schools.some((s) => s.code === code)) throw new UserError(`Không có trường mã "${code}" trong cụm.`);
  return code;
}

/** A confirmation that passed every check, ready to record. */
export interface Confirmed {
  school: School;
  state: YearState;
  print: string;
  entry: AuditEntry;
  /** Every school as read for it, for the status blocks written with it. */
  reports: SchoolReport[];
}

/**
 * The one confirmation, whichever door it came through (the menu or the
 * checkbox): confirmSchool's checks — the stage, one school's editor for its
 * own school or the head, figures valid and complete — over the figures as
 * they are now. A refusal is a UserError saying why.
 */
export function checkConfirmation(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  def: ClusterDefinition,
  actor: Actor,
  code: string,
  door: string,
  now = new Date(),
): Confirmed {
  const reports = collectSchools(ss, def, "report");
  const read = reports.find((r) => r.school.code === code)!;
  const print = schoolPrint(def, read.figures);
  const valid = !!read.figures && !read.blank && !hasErrors(read.problems);
  const state = allowed(confirmSchool(def, loadState(undefined, def), actor, code, print, valid, formatDateTime(now)));
  const entry = {
    action: "Xác nhận số liệu",
    who: actor.email,
    sheet: read.sheet,
    newValue: shortPrint(print),
    detail: `${read.school.name} xác nhận số liệu (${door}); mã kiểm tra đầy đủ: ${print}.`,
  };
  return { school: read.school, state, print, entry, reports };
}

/**
 * Records a confirmation with the head school's rights: the school's figures
 * protected and every status block rewritten (one request), then the state;
 * the Nhật ký rows are the caller's to append with its others.
 */
export function recordConfirmation(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  def: ClusterDefinition,
  done: Confirmed,
  notes?: StatusNotes,
): void {
  applyYearState(ss, def, done.state, { reports: done.reports, notes });
  saveState(done.state);
}

/** Someone who is neither a school's editor nor the head is told who Google says they are, at either door. */
export function refuseUnknown(def: ClusterDefinition, actor: Actor): void {
  if (actor.role === "unknown")
    throw new UserError(
      `${describeActor(def, actor)}. Chỉ người nhập liệu của trường hoặc trường Cụm trưởng xác nhận được số liệu.`,
    );
}

export const menuConfirm = menu(({ ui, ss, def, actor, locked }) => {
  // Told before being asked anything.
  refuseUnknown(def, actor);
  const code = actor.role === "school" ? actor.school : askSchool(ui, def, "Xác nhận số liệu");
  if (!code) return;
  locked(() => {
    const done = checkConfirmation(ss, def, actor, code, "menu Thi đua");
    let when = "Từ nay";
    if (actor.role === "school") {
      // Room in the queue is checked before the state changes: the confirmation is whole or not at all.
      const queue = reserveForHead([done.entry], true);
      saveState(done.state);
      queue();
      // An add-on has no five-minute trigger: its edit trigger and the head's next action apply the queue.
      when = runsAsAddOn()
        ? "Từ lần sửa ô tiếp theo trên bảng tính (hoặc thao tác tiếp theo của trường Cụm trưởng),"
        : "Trong vòng 5 phút";
    } else {
      recordConfirmation(ss, def, done);
      appendAudit(ss, [done.entry]);
    }
    ui.alert(
      `Đã xác nhận số liệu của ${done.school.name}. Mã kiểm tra: ${shortPrint(done.print)}. ${when} trường không sửa được số liệu nữa; cần sửa thì đề nghị trường Cụm trưởng mở lại (Thi đua › Mở lại số liệu của trường).`,
    );
  });
});

export const menuReopenSchool = menu(
  ({ ui, ss, def, actor, locked }) => {
    const code = askSchool(ui, def, "Mở lại số liệu của trường");
    if (!code) return;
    const answer = ui.prompt(
      "Mở lại số liệu của trường",
      "Lý do mở lại (bắt buộc, được lưu vào Nhật ký):",
      ui.ButtonSet.OK_CANCEL,
    );
    if (answer.getSelectedButton() !== ui.Button.OK) return;
    const reason = answer.getResponseText().trim();
    const school = def.schools.find((s) => s.code === code)!;
    locked(() => {
      const before = loadState(undefined, def);
      const state = allowed(reopenSchool(def, before, actor, code, reason));
      // The school's checkbox is unticked with the rest of its block.
      applyYearState(ss, def, state);
      saveState(state);
      appendAudit(ss, [
        {
          action: "Mở lại số liệu của trường",
          who: actor.email,
          detail: `${school.name} (xác nhận lúc ${before.confirmed[code]!.at}) được mở lại để sửa. Lý do: ${reason}`,
        },
      ]);
      ui.alert(
        `Đã mở lại số liệu của ${school.name}. Người nhập liệu của trường sửa được số liệu và cần xác nhận lại.`,
      );
    });
  },
  { headOnly: "Chỉ trường Cụm trưởng mở lại số liệu của một trường." },
);
