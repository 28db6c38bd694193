/**
 * Entry points of the Apps Script project. The build turns each export into
 * a top-level function declaration of Code.js, which is what menus,
 * triggers and google.script.run can call by name.
 */
export { onInstall, onOpen } from "./menu";
export { onEdit, onEditLog } from "./triggers";
export { menuSetup } from "./setup";
export { jumpToCell, menuCheck } from "./check";
export { menuTongHop } from "./tong-hop";
export { menuStructure } from "./structure";
export { menuPledge, menuReport } from "./docs";
export { flushPending } from "./pending";
export { menuSignPledge } from "./pledge";
export { menuConfirm, menuReopenSchool } from "./confirm";
export { menuLockYear, menuUnlock } from "./year-lock";
export { menuIntegrity } from "./integrity";
export { menuReviewDocuments, menuReviewSheet } from "./review";
export { applyImport, getDialogContext, getSchoolFigures, menuDownloadTemplate, menuImport } from "./dialogs";

import type * as dialogs from "./dialogs";
import type { ServerApi } from "./server-api";
/** Fails to compile when a dialog's server function drifts from the contract the dialogs call through. */
type Serves<T extends ServerApi> = T;
export type DialogServer = Serves<typeof dialogs>;
