/** What both dialogs do first: ask the server who the user is and what they may do, or say why not. */
import type { DialogContext } from "../gas/dialogs/server-api";
import { closeOnEscape, show, status } from "./dom";
import { call, closeDialog } from "./gas-run";

export async function loadContext(): Promise<DialogContext | undefined> {
  closeOnEscape(closeDialog);
  show(status("Đang tải thông tin cụm…"));
  let ctx: DialogContext;
  try {
    ctx = await call("getDialogContext");
  } catch (e) {
    show(status((e as Error).message, "error"));
    return undefined;
  }
  if (!ctx.schools.length) {
    show(status(ctx.message ?? "Tài khoản này không nhập liệu cho trường nào.", "error"));
    return undefined;
  }
  return ctx;
}
