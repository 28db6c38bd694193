/**
 * Document model -> Google Docs (DocumentApp), and the two menu actions that
 * make the pledge and the year-end report next to the spreadsheet, with a
 * PDF beside each, a new numbered version every time, and a link in the
 * "Văn bản" sheet and in Nhật ký.
 */
import { spreadsheetId } from "./context";
import type { ClusterDefinition } from "../core/definition/definition";
import type { Align, DocumentModel, Paragraph, Table } from "../core/documents/doc-model";
import { buildPledge, buildYearReport } from "../core/documents/documents";
import { shortPrint } from "../core/lock/fingerprint";
import { formatDateTime } from "../core/text/format";
import { hasErrors } from "../core/problem";
import { judge, type Verdict } from "../core/pipeline";
import { range } from "../core/sheets/sheet-spec";
import { appendAudit } from "./audit";
import { collectSchools } from "./collect";
import { menu, type MenuContext } from "./menu-action";
import { loadState } from "./stored-state";
import { frozenYear } from "./year-state";
import { DOCS_SHEET, headOnlyProtection, protectInBatch } from "./protect";
import { SheetBatch } from "./sheet-batch";

type Body = GoogleAppsScript.Document.Body;
type Container = GoogleAppsScript.Document.Body | GoogleAppsScript.Document.TableCell;

const PT_PER_MM = 72 / 25.4;

function alignment(a: Align): GoogleAppsScript.Document.HorizontalAlignment {
  const H = DocumentApp.HorizontalAlignment;
  return a === "center" ? H.CENTER : a === "right" ? H.RIGHT : a === "justify" ? H.JUSTIFY : H.LEFT;
}

/** Writes one model paragraph into a container; the first paragraph of a fresh cell is reused, not appended. */
function writeParagraph(container: Container, x: Paragraph, model: DocumentModel, reuse?: GoogleAppsScript.Document.Paragraph): void {
  const text = x.runs.map((r) => r.text).join("");
  const para = reuse ?? container.appendParagraph(text);
  if (reuse) reuse.setText(text);
  para.setAlignment(alignment(x.align));
  para.setSpacingBefore(x.spaceBeforePt ?? 0);
  para.setSpacingAfter(x.spaceAfterPt ?? 0);
  para.setLineSpacing(model.page.lineSpacing);
  para.setIndentFirstLine(x.firstLineCm ? x.firstLineCm * 10 * PT_PER_MM : 0);
  const t = para.editAsText();
  if (text.length) {
    t.setFontFamily(model.page.font);
    t.setFontSize(model.page.bodySizePt);
  }
  let at = 0;
  for (const r of x.runs) {
    const end = at + r.text.length - 1;
    if (r.text.length) {
      t.setBold(at, end, !!r.bold);
      t.setItalic(at, end, !!r.italic);
      if (r.underline) t.setUnderline(at, end, true);
      if (r.size) t.setFontSize(at, end, r.size);
    }
    at = end + 1;
  }
  // Docs has no paragraph borders: a short rule is a horizontal rule of the container's width.
  if (x.ruleBelow) container.appendHorizontalRule();
}

function writeTable(body: Body, t: Table, model: DocumentModel, textWidthPt: number): void {
  const table = body.appendTable();
  if (!t.borders) table.setBorderWidth(0);
  const total = t.widths.reduce((a, b) => a + b, 0);
  for (const row of t.rows) {
    const r = table.appendTableRow();
    for (const c of row) {
      const cell = r.appendTableCell();
      if (c.shade) cell.setBackgroundColor(c.shade);
      cell.setVerticalAlignment(c.valign === "center" ? DocumentApp.VerticalAlignment.CENTER : DocumentApp.VerticalAlignment.TOP);
      c.paragraphs.forEach((x, i) => writeParagraph(cell, x, model, i === 0 ? cell.getChild(0).asParagraph() : undefined));
    }
  }
  t.widths.forEach((w, i) => table.setColumnWidth(i, (w / total) * textWidthPt));
}

export function renderToBody(body: Body, model: DocumentModel): void {
  const m = model.page.marginsMm;
  body.setPageWidth(210 * PT_PER_MM).setPageHeight(297 * PT_PER_MM);
  body.setMarginTop(m.top * PT_PER_MM).setMarginBottom(m.bottom * PT_PER_MM).setMarginLeft(m.left * PT_PER_MM).setMarginRight(m.right * PT_PER_MM);
  const textWidth = (210 - m.left - m.right) * PT_PER_MM;
  // A new document starts with one empty paragraph: the first block reuses it.
  const first = body.getChild(0).asParagraph();
  model.blocks.forEach((b, i) => {
    if (b.kind === "paragraph") writeParagraph(body, b, model, i === 0 ? first : undefined);
    else if (b.kind === "table") writeTable(body, b, model, textWidth);
    else body.appendPageBreak();
  });
  // A document that opens with a table (the two-column header) keeps the starting paragraph above it.
  if (model.blocks[0]?.kind !== "paragraph") first.removeFromParent();
}

/**
 * The two Docs API requests the page rules need and DocumentApp lacks. Typed
 * here because @types/google-apps-script predates both.
 */
type TableRequest =
  | { pinTableHeaderRows: { tableStartLocation: { index: number }; pinnedHeaderRowsCount: number } }
  | { updateTableRowStyle: { tableStartLocation: { index: number }; tableRowStyle: { preventOverflow: boolean }; fields: "preventOverflow" } };

/** Per model table, in order, with where the saved document has it: header rows repeat on each page, rows never split. */
export function tableRequests(model: DocumentModel, tableStarts: readonly number[]): TableRequest[] {
  const tables = model.blocks.filter((b): b is Table => b.kind === "table");
  if (tables.length !== tableStarts.length) throw new Error(`Văn bản có ${tableStarts.length} bảng, mô hình có ${tables.length}: không đặt được hàng tiêu đề lặp lại.`);
  return tables.flatMap((t, i) => {
    const tableStartLocation = { index: tableStarts[i]! };
    const out: TableRequest[] = [];
    if (t.headerRows > 0) out.push({ pinTableHeaderRows: { tableStartLocation, pinnedHeaderRowsCount: t.headerRows } });
    if (t.cantSplit) out.push({ updateTableRowStyle: { tableStartLocation, tableRowStyle: { preventOverflow: true }, fields: "preventOverflow" } });
    return out;
  });
}

/**
 * Runs after saveAndClose: the Docs API sees the document as last saved. One
 * read, one write. A failure here leaves a complete, readable document, so it
 * does not stop the version from being filed: it comes back as a warning for
 * the person and for Nhật ký instead.
 */
function applyTableRules(docId: string, model: DocumentModel): string | undefined {
  if (!model.blocks.some((b) => b.kind === "table" && (b.headerRows > 0 || b.cantSplit))) return undefined;
  const warning = "Chưa đặt được hàng tiêu đề lặp lại ở mỗi trang và giữ nguyên hàng của bảng";
  if (typeof Docs === "undefined" || !Docs.Documents)
    return `${warning}: dịch vụ nâng cao "Google Docs API" chưa được bật cho tập lệnh; hãy triển khai lại bằng npm run deploy (appsscript.json bật sẵn dịch vụ này).`;
  try {
    const content = Docs.Documents.get(docId, { fields: "body.content(startIndex,table(rows))" }).body?.content ?? [];
    const starts = content.filter((e) => e.table).map((e) => e.startIndex ?? 0);
    const requests = tableRequests(model, starts);
    if (requests.length) Docs.Documents.batchUpdate({ requests } as GoogleAppsScript.Docs.Schema.BatchUpdateDocumentRequest, docId);
    return undefined;
  } catch (e) {
    return `${warning} (${(e as Error).message}). Có thể đặt tay trong Google Docs: chọn hàng đầu bảng › Thuộc tính bảng › Hàng › Ghim hàng tiêu đề.`;
  }
}

// ---------------------------------------------------------------------------

export interface MadeDocument {
  docUrl: string;
  pdfUrl: string;
  name: string;
  version: number;
  /** Set when the document was made but a finishing step could not be applied. */
  warning?: string;
}

const FOLDER = "application/vnd.google-apps.folder";

/**
 * The user's folder of documents for this spreadsheet, made by the add-on.
 * Under the drive.file scope the add-on reaches only what it made, so it
 * never looks for the spreadsheet's own folder (a head who is not the owner
 * often cannot see it anyway); each head gets a folder of their own,
 * remembered in their user properties and linked from the Văn bản sheet.
 */
function documentsFolder(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): { id: string; url: string } {
  const props = PropertiesService.getUserProperties();
  const key = `thu_muc_van_ban_${spreadsheetId(ss)}`;
  const url = (id: string) => `https://drive.google.com/drive/folders/${id}`;
  const stored = props.getProperty(key);
  if (stored)
    try {
      if (!Drive!.Files!.get(stored, { fields: "id,trashed" }).trashed) return { id: stored, url: url(stored) };
    } catch {
      // Deleted, or made before under another account: a new folder replaces it.
    }
  const folder = Drive!.Files!.create({ name: `Văn bản thi đua – ${ss.getName()}`, mimeType: FOLDER });
  props.setProperty(key, folder.id!);
  return { id: folder.id!, url: url(folder.id!) };
}

/**
 * Creates the Google Doc and its PDF in the user's documents folder, as a
 * new numbered version. The number is spent only once both are filed, so a
 * failure leaves no gap.
 */
export function createDocument(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, kind: string, baseName: string, model: DocumentModel): MadeDocument & { folderUrl: string } {
  const props = PropertiesService.getDocumentProperties();
  const key = `so_ban_${kind}`;
  const version = Number(props.getProperty(key) ?? "0") + 1;
  const folder = documentsFolder(ss);
  const name = `${baseName} (bản ${version})`;
  // Made in its folder from the start: no move, and no access needed to any other file.
  const created = Drive!.Files!.create({ name, mimeType: "application/vnd.google-apps.document", parents: [folder.id] });
  const doc = DocumentApp.openById(created.id!);
  renderToBody(doc.getBody(), model);
  doc.saveAndClose();
  // Before the PDF is made, so that it repeats the header rows too.
  const warning = applyTableRules(doc.getId(), model);
  const pdf = Drive!.Files!.create({ name: `${name}.pdf`, parents: [folder.id] }, DocumentApp.openById(doc.getId()).getAs("application/pdf"));
  props.setProperty(key, String(version));
  return { docUrl: doc.getUrl(), pdfUrl: `https://drive.google.com/file/d/${pdf.id}/view`, folderUrl: folder.url, name, version, ...(warning ? { warning } : {}) };
}

/** The "Văn bản" sheet: one row per document made, with links; appended, never rewritten. */
export function recordDocument(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, def: ClusterDefinition, made: MadeDocument, kind: string, who: string): void {
  let sheet = ss.getSheetByName(DOCS_SHEET);
  if (!sheet) {
    // Made and protected in one atomic request.
    const batch = new SheetBatch(spreadsheetId(ss));
    batch.write({
      name: DOCS_SHEET,
      grid: [["Thời gian", "Văn bản", "Bản", "Google Docs", "PDF", "Người tạo"]],
      merges: [],
      styles: [{ range: range(0, 0, 1, 6), bold: true, fill: "#DCE6F1", border: true }],
      widths: [17, 40, 6, 16, 16, 28],
      frozenRows: 1,
      inputs: [],
      colourScales: [],
    });
    protectInBatch(ss, batch, (name) => (name === DOCS_SHEET ? [headOnlyProtection(def, name)] : undefined));
    batch.commit();
    sheet = ss.getSheetByName(DOCS_SHEET)!;
  }
  const row = sheet.getLastRow() + 1;
  const link = (text: string, url: string) => SpreadsheetApp.newRichTextValue().setText(text).setLinkUrl(url).build();
  const cells = sheet.getRange(row, 1, 1, 6);
  cells.setValues([[formatDateTime(new Date()), kind, made.version, "", "", who]]);
  sheet.getRange(row, 4, 1, 2).setRichTextValues([[link("Mở Google Docs", made.docUrl), link("Mở PDF", made.pdfUrl)]]);
}

/**
 * What the year-end report prints: after the lock, the frozen verdict beside
 * its code, never live figures; before it, the sheets as they are, with no code.
 * A kept snapshot that no longer matches its code is refused (frozenYear throws).
 */
function reportFigures(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, def: ClusterDefinition): { verdict: Verdict; fingerprint?: string } {
  const state = loadState(undefined, def);
  if (state.phase !== "locked" || !state.lock) return { verdict: judge(def, collectSchools(ss, def)) };
  const year = frozenYear(def, state.lock);
  return { verdict: year.verdict, fingerprint: shortPrint(year.fingerprint) };
}

function makeDocument(kind: "giao_uoc" | "bao_cao", { ui, ss, def, actor, locked }: MenuContext): void {
  locked(() => {
    const who = actor.email;
    let made: ReturnType<typeof createDocument>;
    let label: string;
    if (kind === "giao_uoc") {
      // The pledge prints what each school registered, whatever stage the year is in.
      const figures = collectSchools(ss, def, "registration").filter((r) => r.figures && !r.blank && !hasErrors(r.problems)).map((r) => r.figures!);
      label = `Giao ước thi đua năm ${def.year}`;
      made = createDocument(ss, kind, label, buildPledge(def, { figures }));
    } else {
      const printed = reportFigures(ss, def);
      label = `Báo cáo tổng kết thi đua năm ${def.year}`;
      made = createDocument(ss, kind, label, buildYearReport({ ...printed.verdict, date: new Date(), fingerprint: printed.fingerprint }));
    }
    recordDocument(ss, def, made, label, who);
    appendAudit(ss, [{ action: kind === "giao_uoc" ? "Tạo bản giao ước" : "Tạo báo cáo tổng kết", who, sheet: DOCS_SHEET, newValue: made.name, detail: `Google Docs: ${made.docUrl} ; PDF: ${made.pdfUrl} ; Thư mục: ${made.folderUrl}${made.warning ? ` ; Lưu ý: ${made.warning}` : ""}` }]);
    ui.alert(`Đã tạo ${made.name}`, `Văn bản và bản PDF nằm trong thư mục ${made.folderUrl}; đường dẫn ở trang "${DOCS_SHEET}".${made.warning ? `\n\nLưu ý: ${made.warning}` : ""}`, ui.ButtonSet.OK);
  });
}

const HEAD_ONLY = { headOnly: "Chỉ trường Cụm trưởng lập văn bản của Cụm." };
export const menuPledge = menu((ctx) => makeDocument("giao_uoc", ctx), HEAD_ONLY);
export const menuReport = menu((ctx) => makeDocument("bao_cao", ctx), HEAD_ONLY);
