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
export { flushPending, menuConfirm, menuIntegrity, menuLockYear, menuSignPledge, menuUnlock } from "./lifecycle";
export { applyImport, getDialogContext, getSchoolFigures, menuDownloadTemplate, menuImport } from "./dialogs";
