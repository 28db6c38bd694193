/**
 * Entry points of the Apps Script project. The build turns each export into
 * a top-level function declaration of Code.js, which is what menus,
 * triggers and google.script.run can call by name.
 */
export { onInstall, onOpen } from "./menu";
export { onEdit, onEditLog } from "./triggers/triggers";
export { menuSetup } from "./year/setup";
export { jumpToCell, menuCheck } from "./year/check";
export { menuTongHop } from "./year/tong-hop";
export { menuStructure } from "./year/structure";
export { menuPledge, menuReport } from "./documents/docs";
export { flushPending } from "./triggers/pending";
export { menuSignPledge } from "./year/pledge";
export { menuConfirm, menuReopenSchool } from "./year/confirm";
export { menuLockYear, menuUnlock } from "./year/year-lock";
export { menuIntegrity } from "./year/integrity";
export { menuReviewDocuments, menuReviewSheet } from "./year/review";
export { menuOpenYear } from "./years/open-year";
export { menuHistory, menuPeriodReview } from "./years/period";
export { applyImport, getDialogContext, getSchoolFigures, menuDownloadTemplate, menuImport } from "./dialogs/dialogs";

import type * as dialogs from "./dialogs/dialogs";
import type { ServerApi } from "./dialogs/server-api";
/** Fails to compile when a dialog's server function drifts from the contract the dialogs call through. */
type Serves<T extends ServerApi> = T;
export type DialogServer = Serves<typeof dialogs>;
