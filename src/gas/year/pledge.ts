/** "Ghi nhận đã ký giao ước": the head freezes the schools' Đăng ký column and opens Thực hiện. */
import { signPledge } from "../../core/lock/lifecycle";
import { formatDateTime } from "../../core/text/format";
import { appendAudit } from "../triggers/audit";
import { menu } from "../menu-action";
import { loadState, saveState } from "./stored-state";
import { allowed } from "./year-state";
import { applyYearState } from "./status";

export const menuSignPledge = menu(({ ui, ss, def, actor, locked }) =>
  locked(() => {
    const state = allowed(signPledge(loadState(undefined, def), actor, formatDateTime(new Date())));
    // Protections and status blocks first: if they cannot be changed, the state stays as it was and all agree.
    applyYearState(ss, def, state);
    saveState(state);
    appendAudit(ss, [
      {
        action: "Ghi nhận ký giao ước",
        who: actor.email,
        detail: "Cột Đăng ký của các trường được chốt theo giao ước; cột Thực hiện mở để báo cáo.",
      },
    ]);
    ui.alert(
      "Đã ghi nhận việc ký giao ước. Cột Đăng ký của các trường đã được chốt; các trường nhập kết quả vào cột Thực hiện.",
    );
  }),
);
