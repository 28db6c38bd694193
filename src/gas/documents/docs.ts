/**
 * Document model -> Google Docs (through the Docs API), and the two menu actions that
 * make the pledge and the year-end report next to the spreadsheet, with a
 * PDF beside each, a new numbered version every time, and a link in the
 * "Văn bản" sheet and in Nhật ký.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import type { DocumentModel } from "../../core/documents/doc-model";
import { buildPledge, buildYearReport } from "../../core/documents/documents";
import { shortPrint } from "../../core/lock/fingerprint";
import { formatDateTime } from "../../core/text/format";
import { hasErrors } from "../../core/problem";
import { judge, type Verdict } from "../../core/pipeline";
import { range, type SheetSpec } from "../../core/sheets/sheet-spec";
import { UserError } from "../../core/user-error";
import { appendAudit, auditAppendCells, AUDIT_SHEET, type AuditEntry } from "../triggers/audit";
import { effectiveEmail, spreadsheetId } from "../context";
import { documentRequests } from "./docs-requests";
import { collectSchools } from "../google/collect";
import { menu, type MenuContext } from "../menu-action";
import { loadState } from "../year/stored-state";
import { frozenYear } from "../year/year-state";
import { DOCS_SHEET, headOnlyProtection, protectInBatch } from "../year/protect";
import { packParts, SheetBatch } from "../google/sheet-batch";
import {
  docsBatchUpdate,
  driveCreate,
  driveGet,
  driveRemove,
  GoogleBusyError,
  sheetsAppend,
  sheetsBatchUpdate,
  statusOf,
} from "../google/google-api";
import { readSheets, sheetA1 } from "../google/sheet-io";
import { documentProperties, putProperties } from "../google/store";

/**
 * Writes the model into a new, empty Google Doc with one Docs API call when
 * it fits in 2 MB, else in ordered parts of at most PART_BYTES each (one
 * DocumentApp call per paragraph, run and cell took minutes at a large
 * cluster). Every request names indexes inside the block it writes, so the
 * parts applied in order make the same document as one request; a part that
 * fails leaves a half-written document, which the caller removes.
 */
function writeDocument(docId: string, name: string, model: DocumentModel): void {
  if (typeof Docs === "undefined" || !Docs.Documents)
    throw new UserError(
      'Chưa tạo được văn bản: dịch vụ nâng cao "Google Docs API" chưa được bật cho tập lệnh; hãy triển khai lại bằng npm run deploy (appsscript.json bật sẵn dịch vụ này).',
    );
  const parts = packParts(documentRequests(model));
  parts.forEach((part, i) =>
    docsBatchUpdate(docId, part, parts.length > 1 ? `phần ${i + 1}/${parts.length} của ${name}` : name),
  );
}

// ---------------------------------------------------------------------------

export interface MadeDocument {
  docUrl: string;
  pdfUrl: string;
  name: string;
  version: number;
}

const FOLDER = "application/vnd.google-apps.folder";

interface Folder {
  id: string;
  url: string;
  /** What remembers a folder made in this run, when it is not remembered yet. */
  unsaved?: Record<string, string>;
  /** Remembered, not looked at: whether it is still there is for the first file made in it to tell. */
  unchecked?: boolean;
}

const folderUrl = (id: string) => `https://drive.google.com/drive/folders/${id}`;

/**
 * The user's folder of documents for this spreadsheet, made by the add-on.
 * Under the drive.file scope the add-on reaches only what it made, so it
 * never looks for the spreadsheet's own folder (a head who is not the owner
 * often cannot see it anyway); each head gets a folder of their own,
 * remembered in the document's properties under their e-mail and linked
 * from the Văn bản sheet. A remembered folder is not looked at: the first
 * file made in it tells whether it is gone (newFileIn).
 */
function findOrMakeFolder(ssId: string, def: ClusterDefinition): Folder {
  // Kept in the document's properties by user: read with the stored year at no cost, where the user's own
  // properties cost two calls each time. A folder's id opens nothing without the user's access to it.
  const docKey = folderKey();
  const all = documentProperties();
  const kept = docKey ? all[docKey] : undefined;
  if (kept) return { id: kept, url: folderUrl(kept), unchecked: true };
  const userKey = `thu_muc_van_ban_${ssId}`;
  let props: GoogleAppsScript.Properties.Properties | undefined;
  const userProps = () => (props ??= PropertiesService.getUserProperties());
  // Earlier versions kept the folder in the user's properties; it is looked for there (two calls) only where a
  // document was ever made in this spreadsheet, since a folder is made with the first one, and kept by user from then.
  const anyMade = Object.keys(all).some((k) => k.startsWith("so_ban_"));
  const stored = anyMade || !docKey ? userProps().getProperty(userKey) : null;
  if (stored)
    try {
      if (!driveGet(stored, "id,trashed").trashed) {
        if (docKey) putProperties({ [docKey]: stored });
        return { id: stored, url: folderUrl(stored) };
      }
    } catch (e) {
      // Deleted, or made before under another account: a new folder replaces it. Google refusing for now is not
      // "gone": a second folder would split the head's documents.
      if (e instanceof UserError) throw e;
    }
  const made = newFolder(def);
  if (docKey) return { ...made, unsaved: { [docKey]: made.id } };
  userProps().setProperty(userKey, made.id);
  return made;
}

/** Where the user's folder is remembered; none when Google hides the user's e-mail. */
function folderKey(): string | undefined {
  const me = effectiveEmail();
  return me ? `thu_muc_van_ban_${me}` : undefined;
}

function newFolder(def: ClusterDefinition): Folder {
  const id = driveCreate(
    { name: `Văn bản thi đua – ${def.name}`, mimeType: FOLDER },
    "yêu cầu tạo thư mục văn bản",
  ).id!;
  return { id, url: folderUrl(id) };
}

/**
 * A new, empty file of that type in the user's documents folder, the folder
 * not looked at first (see newFileIn); unsaved remembers a folder made on
 * the way, for the caller's next write of properties.
 */
export function newDocumentsFile(
  ssId: string,
  def: ClusterDefinition,
  name: string,
  mimeType: string,
): { id: string; unsaved?: Record<string, string> } {
  const { folder, id } = newFileIn(findOrMakeFolder(ssId, def), def, name, mimeType);
  return { id, unsaved: folder.unsaved };
}

/**
 * A new, empty file (a Google Doc, a spreadsheet) in the folder. A
 * remembered folder is not looked at first: the create says whether it is
 * gone (not found) or in the trash (Drive counts a file in a trashed folder
 * as trashed), and then the file goes into a new folder instead, the one in
 * the trash removed.
 */
function newFileIn(
  folder: Folder,
  def: ClusterDefinition,
  name: string,
  mimeType: string,
): { folder: Folder; id: string } {
  const create = (f: Folder) =>
    driveCreate({ name, mimeType, parents: [f.id] }, `yêu cầu tạo ${name}`, undefined, "id,trashed");
  if (!folder.unchecked) return { folder, id: create(folder).id! };
  let made: ReturnType<typeof create> | undefined;
  try {
    made = create(folder);
  } catch (e) {
    // What Drive answers a create into a trashed folder is not documented: any refusal but "busy" looks at the
    // folder once, so a folder gone or in the trash never leaves every later document refused.
    if (e instanceof GoogleBusyError || (!isNotFound(e) && !folderGone(folder.id))) throw e;
  }
  if (made && !made.trashed) return { folder, id: made.id! };
  if (made) driveRemove(made.id!, `yêu cầu xóa ${name} trong thư mục đã bị xóa`);
  // Only a folder kept under the user's e-mail goes unchecked: it is remembered there in its place.
  const fresh = newFolder(def);
  fresh.unsaved = { [folderKey()!]: fresh.id };
  try {
    return { folder: fresh, id: create(fresh).id! };
  } catch (e) {
    // The caller never sees this folder: remembered here, so the next document does not make another.
    putProperties(fresh.unsaved);
    throw e;
  }
}

/** Whether the folder is in the trash or no longer there for this user. */
function folderGone(id: string): boolean {
  try {
    return driveGet(id, "id,trashed").trashed === true;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

/** Drive's answer for a file that is not there, or not for this user: 404. */
function isNotFound(e: unknown): boolean {
  return statusOf(e) === 404 || /file not found/i.test(String((e as Error | undefined)?.message ?? e));
}

/**
 * Creates the Google Doc and its PDF in the user's documents folder, as a
 * new numbered version. The number is spent only once both are filed, so a
 * failure leaves no gap; a document the Docs API could not write is removed,
 * never left behind looking like that version. A folder made on the way is
 * remembered in the same write as the number, or, when the run fails, on its
 * way out, so the next document never makes a second one.
 */
export function createDocument(
  ssId: string,
  def: ClusterDefinition,
  kind: string,
  baseName: string,
  model: DocumentModel,
): MadeDocument & { folderUrl: string } {
  const key = `so_ban_${kind}`;
  const version = Number(documentProperties()[key] ?? "0") + 1;
  let folder = findOrMakeFolder(ssId, def);
  const name = `${baseName} (bản ${version})`;
  let pdfId: string;
  let id: string;
  try {
    // Made in its folder from the start: no move, and no access needed to any other file.
    ({ folder, id } = newFileIn(folder, def, name, "application/vnd.google-apps.document"));
    writeOrRemove(id, name, model);
    pdfId = driveCreate(
      { name: `${name}.pdf`, parents: [folder.id] },
      `yêu cầu lưu ${name}.pdf`,
      DocumentApp.openById(id).getAs("application/pdf"),
    ).id!;
  } catch (e) {
    if (folder.unsaved)
      try {
        putProperties(folder.unsaved);
      } catch {
        // What the user is told is why the document failed; a folder not remembered costs only an empty folder.
      }
    throw e;
  }
  putProperties({ ...folder.unsaved, [key]: String(version) });
  return {
    docUrl: `https://docs.google.com/document/d/${id}/edit`,
    pdfUrl: `https://drive.google.com/file/d/${pdfId}/view`,
    folderUrl: folder.url,
    name,
    version,
  };
}

/** Writes the document, or removes it and says why: a half-written document never stays looking like a version. */
function writeOrRemove(id: string, name: string, model: DocumentModel): void {
  try {
    writeDocument(id, name, model);
  } catch (e) {
    driveRemove(id, `yêu cầu xóa ${name} viết dở`);
    if (e instanceof GoogleBusyError)
      throw e.with(`${name} viết dở đã được xóa; chưa có bản nào được lưu. Hãy thử lại sau một phút.`);
    if (e instanceof UserError) throw e;
    throw new UserError(
      `Chưa tạo được ${name}: Google Docs từ chối ghi văn bản (${(e as Error).message}). Chưa có bản nào được lưu; hãy thử lại sau ít phút.`,
    );
  }
}

/** The "Văn bản" sheet, made at set-up (or by the first document of a spreadsheet set up before it existed). */
export function docsSheetSpec(): SheetSpec {
  return {
    name: DOCS_SHEET,
    grid: [["Thời gian", "Văn bản", "Bản", "Google Docs", "PDF", "Người tạo"]],
    merges: [],
    styles: [{ range: range(0, 0, 1, 6), bold: true, fill: "#DCE6F1", border: true }],
    widths: [17, 40, 6, 45, 45, 28],
    frozenRows: 1,
    inputs: [],
    colourScales: [],
  };
}

/** The column of a Văn bản row's identity, the document's address (0-based). */
export const DOCS_ID_COL = 3;

/** The addresses of the documents Văn bản lists, in one read. */
export function documentUrls(ssId: string): Set<string> {
  return new Set((readSheets(ssId, [DOCS_SHEET], "D:D").get(DOCS_SHEET) ?? []).map((r) => String(r[0] ?? "")));
}

/** A document's row in the Văn bản sheet; its address (column D) is the row's identity. */
export function documentRow(made: MadeDocument, kind: string, who: string): (string | number)[] {
  return [formatDateTime(new Date()), kind, made.version, made.docUrl, made.pdfUrl, who];
}

/** What the user is told when the document exists but its row could not be written, so that nothing made is lost. */
export function unrecordedDocument(made: MadeDocument): string {
  return `${made.name} đã được tạo (Google Docs: ${made.docUrl} ; PDF: ${made.pdfUrl}) nhưng chưa ghi được dòng của nó trên trang "${DOCS_SHEET}". Hãy chép hai đường dẫn này vào trang đó, hoặc tạo lại văn bản sau một phút.`;
}

/** What the user is told when Google answered an error that may hide rows written: look before writing them again. */
function uncertainRows(made: MadeDocument, said: string): string {
  return `${made.name} đã được tạo (Google Docs: ${made.docUrl} ; PDF: ${made.pdfUrl}). Google báo lỗi khi ghi dòng của nó trên trang "${DOCS_SHEET}" và trang Nhật ký (${said}); dòng có thể đã ghi hoặc chưa. Hãy xem trang "${DOCS_SHEET}": nếu chưa có dòng của văn bản này, hãy chép hai đường dẫn trên vào đó.`;
}

/**
 * One row per document made, appended, never rewritten: one call, written as
 * is (RAW), so a link or a time is never read as something else; Sheets
 * shows a cell holding only a web address as a link. A spreadsheet set up
 * before the sheet existed gets it (made and protected in one request) when
 * the append finds no such sheet.
 */
export function recordDocument(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  ssId: string,
  def: ClusterDefinition,
  made: MadeDocument,
  kind: string,
  who: string,
): void {
  // The document's address is the row's identity: an append Google answered with an error may have landed,
  // so a retry first looks for it, and the row is never written twice.
  let retrying = false;
  const landed = () => documentUrls(ssId).has(made.docUrl);
  const append = () =>
    sheetsAppend(
      ssId,
      sheetA1(DOCS_SHEET),
      () => (retrying && landed() ? [] : [documentRow(made, kind, who)]),
      `dòng của ${made.name} trên trang "${DOCS_SHEET}"`,
      { beforeRetry: () => (retrying = true) },
    );
  try {
    append();
  } catch (e) {
    // The document exists: say where, so that nothing made is lost with the row Google would not take.
    if (e instanceof GoogleBusyError) throw e.with(unrecordedDocument(made));
    if (e instanceof UserError || ss.getSheetByName(DOCS_SHEET)) throw e;
    const batch = new SheetBatch(ssId, `trang "${DOCS_SHEET}"`);
    batch.write(docsSheetSpec());
    protectInBatch(ss, batch, (name) => (name === DOCS_SHEET ? [headOnlyProtection(def, name)] : undefined));
    batch.commit();
    append();
  }
}

/** Where set-up put Nhật ký and Văn bản, by sheet id: a document's two rows then go out in one call. */
const ROW_SHEETS = "ma_trang_nhat_ky_van_ban";

/** The property that remembers the two sheets' ids, from set-up's batch (which made or kept them). */
export function rowSheetIds(batch: SheetBatch): Record<string, string> {
  const audit = batch.sheet(AUDIT_SHEET);
  const docs = batch.sheet(DOCS_SHEET);
  return audit && docs ? { [ROW_SHEETS]: JSON.stringify({ audit: audit.sheetId, docs: docs.sheetId }) } : {};
}

function keptRowSheets(): { audit: number; docs: number } | undefined {
  try {
    const ids = JSON.parse(documentProperties()[ROW_SHEETS] ?? "null") as { audit?: unknown; docs?: unknown } | null;
    return ids && typeof ids.audit === "number" && typeof ids.docs === "number"
      ? { audit: ids.audit, docs: ids.docs }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The document's row in Văn bản and its Nhật ký row, in one batchUpdate on
 * the sheet ids set-up kept (applied whole, its Nhật ký row telling a retry
 * whether it landed). Without them, or when they no longer name the sheets
 * (one was deleted and made again), the two appends by name, as before.
 */
export function fileDocument(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  ssId: string,
  def: ClusterDefinition,
  made: MadeDocument,
  label: string,
  who: string,
  entry: AuditEntry,
): void {
  const ids = keptRowSheets();
  if (ids) {
    const audit = auditAppendCells(ssId, ids.audit, [entry]);
    const row = documentRow(made, label, who).map((v) => ({
      userEnteredValue: typeof v === "number" ? { numberValue: v } : { stringValue: v },
    }));
    try {
      sheetsBatchUpdate(
        ssId,
        [{ appendCells: { sheetId: ids.docs, rows: [{ values: row }], fields: "userEnteredValue" } }, audit.request],
        `dòng của ${made.name} trên trang "${DOCS_SHEET}" và trang Nhật ký`,
        audit.landed,
      );
      return;
    } catch (e) {
      if (e instanceof GoogleBusyError) throw e.with(unrecordedDocument(made));
      // Only kept ids that no longer name a sheet make Google refuse the whole request, nothing written; any other
      // answer (a 502, a 504 after the write landed) may hide rows that landed, which appending again would double.
      const said = String((e as Error | undefined)?.message ?? e);
      if (!/No grid with id/i.test(said)) throw new UserError(uncertainRows(made, said));
    }
  }
  recordDocument(ss, ssId, def, made, label, who);
  appendAudit(ss, [entry]);
}

/**
 * What the year-end report prints: after the lock, the frozen verdict beside
 * its code, never live figures; before it, the sheets as they are, with no code.
 * A kept snapshot that no longer matches its code is refused (frozenYear throws).
 */
function reportFigures(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  def: ClusterDefinition,
): { verdict: Verdict; fingerprint?: string } {
  const state = loadState(undefined, def);
  if (state.phase !== "locked" || !state.lock) return { verdict: judge(def, collectSchools(ss, def)) };
  const year = frozenYear(ss, def, state.lock);
  return { verdict: year.verdict, fingerprint: shortPrint(year.fingerprint) };
}

function makeDocument(kind: "giao_uoc" | "bao_cao", { ui, ss, def, actor, locked }: MenuContext): void {
  locked(() => {
    const who = actor.email;
    const ssId = spreadsheetId(ss);
    let made: ReturnType<typeof createDocument>;
    let label: string;
    if (kind === "giao_uoc") {
      // The pledge prints what each school registered, whatever stage the year is in.
      const figures = collectSchools(ss, def, "registration")
        .filter((r) => r.figures && !r.blank && !hasErrors(r.problems))
        .map((r) => r.figures!);
      label = `Giao ước thi đua năm ${def.year}`;
      made = createDocument(ssId, def, kind, label, buildPledge(def, { figures }));
    } else {
      const printed = reportFigures(ss, def);
      label = `Báo cáo tổng kết thi đua năm ${def.year}`;
      made = createDocument(
        ssId,
        def,
        kind,
        label,
        buildYearReport({ ...printed.verdict, date: new Date(), fingerprint: printed.fingerprint }),
      );
    }
    fileDocument(ss, ssId, def, made, label, who, {
      action: kind === "giao_uoc" ? "Tạo bản giao ước" : "Tạo báo cáo tổng kết",
      who,
      sheet: DOCS_SHEET,
      newValue: made.name,
      detail: `Google Docs: ${made.docUrl} ; PDF: ${made.pdfUrl} ; Thư mục: ${made.folderUrl}`,
    });
    ui.alert(
      `Đã tạo ${made.name}`,
      `Văn bản và bản PDF nằm trong thư mục ${made.folderUrl}; đường dẫn ở trang "${DOCS_SHEET}".`,
      ui.ButtonSet.OK,
    );
  });
}

// All their work is under the lock: the stored state is read once.
const HEAD_ONLY = { headOnly: "Chỉ trường Cụm trưởng lập văn bản của Cụm.", lockFirst: true };
export const menuPledge = menu((ctx) => makeDocument("giao_uoc", ctx), HEAD_ONLY);
export const menuReport = menu((ctx) => makeDocument("bao_cao", ctx), HEAD_ONLY);
