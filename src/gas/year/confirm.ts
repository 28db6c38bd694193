/**
 * A school's confirmation of its figures, and the head reopening one. A
 * school's editor may not touch head-only protections or Nhật ký, so its
 * confirmation leaves that work to the head's trigger.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { shortPrint } from "../../core/lock/fingerprint";
import { confirmSchool, reopenSchool } from "../../core/lock/lifecycle";
import { hasErrors } from "../../core/problem";
import { formatDateTime } from "../../core/text/format";
import { UserError } from "../../core/user-error";
import { appendAudit } from "../triggers/audit";
import { runsAsAddOn } from "../deployment";
import { describeActor } from "../context";
import { menu } from "../menu-action";
import { reserveForHead } from "../triggers/queue";
import { loadState, saveState } from "./stored-state";
import { collectSchools } from "../google/collect";
import { allowed, applyProtections, schoolPrint } from "./year-state";

/** Asks the head which school; a code not in the cluster is refused. undefined when cancelled. */
function askSchool(ui: GoogleAppsScript.Base.Ui, def: ClusterDefinition, title: string): string | undefined {
  const answer = ui.prompt(title, `Mã trường (${def.schools.map((s) => s.code).join(", ")}):`, ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return undefined;
  const code = answer.getResponseText().trim().toUpperCase();
  if (!def.schools.some((s) => s.code === code)) throw new UserError(`Không có trường mã "${code}" trong cụm.`);
  return code;
}

export const menuConfirm = menu(({ ui, ss, def, actor, locked }) => {
  // Someone who is neither a school's editor nor the head is told so before being asked anything.
  if (actor.role === "unknown")
    throw new UserError(
      `${describeActor(def, actor)}. Chỉ người nhập liệu của trường hoặc trường Cụm trưởng xác nhận được số liệu.`,
    );
  const code = actor.role === "school" ? actor.school : askSchool(ui, def, "Xác nhận số liệu");
  if (!code) return;
  locked(() => {
    const read = collectSchools(ss, def, "report").find((r) => r.school.code === code)!;
    const print = schoolPrint(def, read.figures);
    const valid = !!read.figures && !read.blank && !hasErrors(read.problems);
    const state = allowed(
      confirmSchool(def, loadState(undefined, def), actor, code, print, valid, formatDateTime(new Date())),
    );
    const entry = {
      action: "Xác nhận số liệu",
      who: actor.email,
      sheet: read.sheet,
      newValue: shortPrint(print),
      detail: `${read.school.name} xác nhận số liệu; mã kiểm tra đầy đủ: ${print}.`,
    };
    let when = "Từ nay";
    if (actor.role === "school") {
      // Room in the queue is checked before the state changes: the confirmation is whole or not at all.
      const queue = reserveForHead([entry], true);
      saveState(state);
      queue();
      // An add-on has no five-minute trigger: its edit trigger and the head's next action apply the queue.
      when = runsAsAddOn()
        ? "Từ lần sửa ô tiếp theo trên bảng tính (hoặc thao tác tiếp theo của trường Cụm trưởng),"
        : "Trong vòng 5 phút";
    } else {
      applyProtections(ss, def, state);
      saveState(state);
      appendAudit(ss, [entry]);
    }
    ui.alert(
      `Đã xác nhận số liệu của ${read.school.name}. Mã kiểm tra: ${shortPrint(print)}. ${when} trường không sửa được số liệu nữa; cần sửa thì đề nghị trường Cụm trưởng mở lại (Thi đua › Mở lại số liệu của trường).`,
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
      applyProtections(ss, def, state);
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
