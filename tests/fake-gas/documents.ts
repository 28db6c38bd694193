/**
 * In-memory DocumentApp and DriveApp: a document body of paragraphs, tables
 * and rules with their formatting, and a Drive of files in folders. Enough
 * to compare what the Google Docs renderer writes with the .docx.
 */
import { applyBatch, bodySize } from "./docs-api";
import type { FakeEnv } from "./env";

/** One character's text style. */
export interface CharStyle {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  size?: number;
  font?: string;
}

export class FakeText {
  bold: boolean[] = [];
  italic: boolean[] = [];
  underline: boolean[] = [];
  sizes: number[] = [];
  /** Per character, set through the Docs API. */
  fonts: string[] = [];
  font = "";
  constructor(readonly owner: FakeDocParagraph) {}
  at(k: number): CharStyle {
    return k < 0
      ? {}
      : {
          bold: this.bold[k],
          italic: this.italic[k],
          underline: this.underline[k],
          size: this.sizes[k],
          font: this.fonts[k],
        };
  }
  all(): CharStyle[] {
    return Array.from(this.owner.text, (_, k) => this.at(k));
  }
  put(k: number, s: CharStyle) {
    if (s.bold !== undefined) this.bold[k] = s.bold;
    if (s.italic !== undefined) this.italic[k] = s.italic;
    if (s.underline !== undefined) this.underline[k] = s.underline;
    if (s.size !== undefined) this.sizes[k] = s.size;
    if (s.font !== undefined) this.fonts[k] = s.font;
  }
  private span<T>(arr: T[], a: number, b: number, v: T) {
    if (a < 0 || b >= this.owner.text.length || a > b)
      throw new Error(`Index (${b}) must be less than the content length (${this.owner.text.length}).`);
    for (let i = a; i <= b; i++) arr[i] = v;
  }
  setBold(a: number, b: number, v: boolean) {
    this.span(this.bold, a, b, v);
    return this;
  }
  setItalic(a: number, b: number, v: boolean) {
    this.span(this.italic, a, b, v);
    return this;
  }
  setUnderline(_a: number, _b: number, _v: boolean) {
    return this;
  }
  setFontSize(a: number, b?: number, v?: number) {
    if (b === undefined) this.sizes = Array(this.owner.text.length).fill(a);
    else this.span(this.sizes, a, b, v!);
    return this;
  }
  setFontFamily(f: string) {
    this.font = f;
    return this;
  }
}

export class FakeDocParagraph {
  parent: FakeContainer | null = null;
  align = "LEFT";
  before = 0;
  after = 0;
  line = 1;
  firstLine = 0;
  indentStart = 0;
  indentEnd = 0;
  keepWithNext = false;
  /** Width in points of the bottom border (Docs API only); 0: none. */
  borderBottom = 0;
  textStyle: FakeText;
  constructor(public text: string) {
    this.textStyle = new FakeText(this);
  }
  readonly type = "PARAGRAPH";
  /** A new paragraph with this one's paragraph style and no text, as a newline splitting it makes. */
  copyStyle(): FakeDocParagraph {
    const p = new FakeDocParagraph("");
    Object.assign(p, {
      align: this.align,
      before: this.before,
      after: this.after,
      line: this.line,
      firstLine: this.firstLine,
      indentStart: this.indentStart,
      indentEnd: this.indentEnd,
      keepWithNext: this.keepWithNext,
      borderBottom: this.borderBottom,
    });
    p.parent = this.parent;
    return p;
  }
  clone(): FakeDocParagraph {
    const p = this.copyStyle();
    p.text = this.text;
    p.textStyle = new FakeText(p);
    for (const k of ["bold", "italic", "underline", "sizes", "fonts"] as const)
      (p.textStyle[k] as unknown[]) = [...this.textStyle[k]];
    p.textStyle.font = this.textStyle.font;
    return p;
  }
  setText(t: string) {
    this.text = t;
    this.textStyle = new FakeText(this);
  }
  getText() {
    return this.text;
  }
  setAlignment(a: string) {
    this.align = a;
    return this;
  }
  setSpacingBefore(n: number) {
    this.before = n;
    return this;
  }
  setSpacingAfter(n: number) {
    this.after = n;
    return this;
  }
  setLineSpacing(n: number) {
    this.line = n;
    return this;
  }
  setIndentFirstLine(n: number) {
    this.firstLine = n;
    return this;
  }
  editAsText() {
    return this.textStyle;
  }
  asParagraph() {
    return this;
  }
  removeFromParent() {
    const parent = this.parent;
    if (!parent) return this;
    if (parent instanceof FakeBody && parent.children.filter((c) => c instanceof FakeDocParagraph).length === 1)
      throw new Error("Can't remove the last paragraph in a document section.");
    parent.children = parent.children.filter((c) => c !== this);
    this.parent = null;
    return this;
  }
}

export class FakeRule {
  readonly type = "HORIZONTAL_RULE";
}

export type FakeChild = FakeDocParagraph | FakeRule | FakeDocTable | { type: "PAGE_BREAK" };

class FakeContainer {
  children: FakeChild[] = [];
  appendParagraph(text: string) {
    const p = new FakeDocParagraph(text);
    p.parent = this;
    this.children.push(p);
    return p;
  }
  appendHorizontalRule() {
    const r = new FakeRule();
    this.children.push(r);
    return r;
  }
  getChild(i: number) {
    const c = this.children[i];
    if (!c)
      throw new Error(`Child index (${i}) must be less than the number of child elements (${this.children.length}).`);
    return c as FakeDocParagraph;
  }
  getNumChildren() {
    return this.children.length;
  }
}

export class FakeDocCell extends FakeContainer {
  background = "";
  valign = "";
  constructor(readonly row?: FakeDocRow) {
    super();
    // A new cell holds one empty paragraph, as in Google Docs.
    this.appendParagraph("");
  }
  setBackgroundColor(c: string) {
    this.background = c;
    return this;
  }
  setVerticalAlignment(v: string) {
    this.valign = v;
    return this;
  }
}

export class FakeDocRow {
  cells: FakeDocCell[] = [];
  appendTableCell() {
    const c = new FakeDocCell(this);
    this.cells.push(c);
    return c;
  }
}

export class FakeDocTable {
  readonly type = "TABLE";
  rows: FakeDocRow[] = [];
  /** Set only through the Docs API: DocumentApp has no method for either. */
  pinnedHeaderRows = 0;
  preventOverflow: boolean[] = [];
  borderWidth = 1;
  widths: number[] = [];
  appendTableRow() {
    const r = new FakeDocRow();
    this.rows.push(r);
    return r;
  }
  setBorderWidth(w: number) {
    this.borderWidth = w;
    return this;
  }
  setColumnWidth(i: number, w: number) {
    this.widths[i] = w;
    return this;
  }
  clone(): FakeDocTable {
    const t = new FakeDocTable();
    Object.assign(t, {
      pinnedHeaderRows: this.pinnedHeaderRows,
      preventOverflow: [...this.preventOverflow],
      borderWidth: this.borderWidth,
      widths: [...this.widths],
    });
    for (const r of this.rows) {
      const row = t.appendTableRow();
      for (const c of r.cells) {
        const cell = row.appendTableCell();
        Object.assign(cell, { background: c.background, valign: c.valign });
        cell.children = c.children.map((x) => cloneChild(x, cell));
      }
    }
    return t;
  }
}

function cloneChild(c: FakeChild, parent: FakeContainer): FakeChild {
  if (c instanceof FakeDocParagraph) {
    const p = c.clone();
    p.parent = parent;
    return p;
  }
  return c instanceof FakeDocTable ? c.clone() : c;
}

export class FakeBody extends FakeContainer {
  page = { width: 0, height: 0, top: 0, bottom: 0, left: 0, right: 0 };
  constructor() {
    super();
    this.appendParagraph("");
  }
  appendTable() {
    const t = new FakeDocTable();
    this.children.push(t);
    return t;
  }
  appendPageBreak() {
    this.children.push({ type: "PAGE_BREAK" });
    return {};
  }
  setPageWidth(n: number) {
    this.page.width = n;
    return this;
  }
  setPageHeight(n: number) {
    this.page.height = n;
    return this;
  }
  setMarginTop(n: number) {
    this.page.top = n;
    return this;
  }
  setMarginBottom(n: number) {
    this.page.bottom = n;
    return this;
  }
  setMarginLeft(n: number) {
    this.page.left = n;
    return this;
  }
  setMarginRight(n: number) {
    this.page.right = n;
    return this;
  }
  clone(): FakeBody {
    const b = new FakeBody();
    b.page = { ...this.page };
    b.children = this.children.map((c) => cloneChild(c, b));
    return b;
  }
  /**
   * Text in reading order: the same walk as documentText(model). Left out, as
   * the .docx comparison leaves them out: rules (an empty paragraph with a
   * bottom border), and the empty paragraphs Docs requires around tables: before
   * a table that opens the body or follows another (insertTable puts a newline
   * before the table), and after one that ends it (a body ends with a paragraph).
   */
  texts(): string[] {
    return this.paragraphs().map((p) => p.text);
  }
  /** The paragraphs whose texts texts() gives, in the same order. */
  paragraphs(): FakeDocParagraph[] {
    const out: FakeDocParagraph[] = [];
    const last = this.children.length - 1;
    const table = (i: number) => this.children[i] instanceof FakeDocTable;
    const structural = (c: FakeChild, i: number) =>
      c instanceof FakeDocParagraph &&
      c.text === "" &&
      (((i === 0 || table(i - 1)) && table(i + 1)) || (i === last && table(i - 1)));
    const walk = (children: FakeContainer["children"], top: boolean) => {
      for (const [i, c] of children.entries()) {
        if (top && structural(c, i)) continue;
        if (c instanceof FakeDocParagraph && c.text === "" && c.borderBottom > 0) continue;
        if (c instanceof FakeDocParagraph) out.push(c);
        else if (c instanceof FakeDocTable)
          for (const r of c.rows) for (const cell of r.cells) walk(cell.children, false);
      }
    };
    walk(this.children, true);
    return out;
  }
}

export class FakeDocument {
  body = new FakeBody();
  saved = false;
  /** Per PDF made from this document: the pinned header rows of each table at that moment. */
  exports: number[][] = [];
  constructor(
    readonly id: string,
    readonly name: string,
  ) {}
  getId() {
    return this.id;
  }
  getName() {
    return this.name;
  }
  getUrl() {
    return `https://docs.google.com/document/d/${this.id}/edit`;
  }
  getBody() {
    return this.body;
  }
  saveAndClose() {
    this.saved = true;
  }
  getAs(mime: string) {
    if (mime !== "application/pdf")
      throw new Error(`Converting from application/vnd.google-apps.document to ${mime} is not supported.`);
    this.exports.push(
      this.body.children.filter((c): c is FakeDocTable => c instanceof FakeDocTable).map((t) => t.pinnedHeaderRows),
    );
    return { name: this.name + ".pdf", mime, source: this.id };
  }
}

export class FakeFolder {
  files: FakeDriveFile[] = [];
  /** Put in the trash by its owner (the files in it count as trashed too). */
  trashed = false;
  /** Who can see the folder; null: everyone the file is shared with. */
  viewers: Set<string> | null = null;
  readonly id: string;
  static count = 1;
  constructor(
    readonly env: FakeEnv,
    readonly name: string,
  ) {
    this.id = `folder-${FakeFolder.count++}`;
  }
  visible(): boolean {
    return !this.viewers || this.viewers.has(this.env.actingUser());
  }
  getId() {
    return this.id;
  }
  getUrl() {
    return `https://drive.google.com/drive/folders/${this.id}`;
  }
  createFile(blob: { name: string; mime: string; source: string }) {
    const f = new FakeDriveFile(this.env, `file-${this.env.drive.nextId++}`, blob.name, blob.mime, this);
    this.env.drive.files.set(f.id, f);
    this.files.push(f);
    return f;
  }
  getName() {
    return this.name;
  }
}

export class FakeDriveFile {
  constructor(
    readonly env: FakeEnv,
    readonly id: string,
    public name: string,
    readonly mime: string,
    public folder: FakeFolder,
  ) {}
  getId() {
    return this.id;
  }
  getName() {
    return this.name;
  }
  setName(n: string) {
    this.name = n;
    return this;
  }
  getUrl() {
    return `https://drive.google.com/file/d/${this.id}/view`;
  }
  getParents() {
    // Only the parents the caller can see are listed (https://developers.google.com/apps-script/reference/drive/file#getParents()).
    let done = !this.folder.visible();
    return {
      hasNext: () => !done,
      next: () => {
        if (done) throw new Error("Cannot retrieve the next object: iterator has reached the end.");
        done = true;
        return this.folder;
      },
    };
  }
  moveTo(folder: FakeFolder) {
    this.folder.files = this.folder.files.filter((f) => f !== this);
    folder.files.push(this);
    this.folder = folder;
    return this;
  }
  getAs(mime: string) {
    if (mime !== "application/pdf") throw new Error(`Converting from ${this.mime} to ${mime} is not supported.`);
    const doc = this.env.drive.documents.get(this.id);
    if (doc)
      doc.exports.push(
        doc.body.children.filter((c): c is FakeDocTable => c instanceof FakeDocTable).map((t) => t.pinnedHeaderRows),
      );
    return { name: this.name + ".pdf", mime, source: this.id };
  }
}

export class FakeDrive {
  nextId = 1;
  files = new Map<string, FakeDriveFile>();
  root: FakeFolder;
  folder: FakeFolder;
  documents = new Map<string, FakeDocument>();
  /** When set, every Docs API call fails with this message, as during a Google outage or over quota. */
  docsOutage: string | undefined;
  constructor(readonly env: FakeEnv) {
    this.root = new FakeFolder(env, "Drive của tôi");
    this.folder = new FakeFolder(env, "Thi đua cụm");
  }
  /**
   * An app file as Drive v3 answers it: only the fields asked for
   * (https://developers.google.com/workspace/drive/api/guides/fields-parameter); trashed is true for a
   * file in a trashed folder (File.trashed: "either explicitly or from a trashed parent folder").
   */
  fields(id: string, fields: string): Record<string, unknown> {
    const { item } = this.appFiles.get(id)!;
    const all: Record<string, unknown> = {
      id,
      name: item.getName(),
      mimeType: item instanceof FakeFolder ? "application/vnd.google-apps.folder" : item.mime,
      trashed: item instanceof FakeFolder ? item.trashed : item.folder.trashed,
    };
    const asked = fields.split(",");
    const unknown = asked.filter((f) => !(f in all));
    if (unknown.length) throw new Error(`Fake: Drive field ${unknown.join(", ")} is not modelled.`);
    return Object.fromEntries(asked.map((f) => [f, all[f]]));
  }
  register(id: string, name: string, mime: string, folder: FakeFolder) {
    const f = new FakeDriveFile(this.env, id, name, mime, folder);
    folder.files.push(f);
    this.files.set(id, f);
    return f;
  }
  documentApp() {
    return {
      HorizontalAlignment: { LEFT: "LEFT", CENTER: "CENTER", RIGHT: "RIGHT", JUSTIFY: "JUSTIFY" },
      VerticalAlignment: { TOP: "TOP", CENTER: "CENTER", BOTTOM: "BOTTOM" },
      create: (name: string) => {
        const doc = new FakeDocument(`doc-${this.nextId++}`, name);
        this.documents.set(doc.id, doc);
        this.register(doc.id, name, "application/vnd.google-apps.document", this.root);
        return doc;
      },
      openById: (id: string) => {
        const doc = this.documents.get(id);
        if (!doc) throw new Error("Document is missing (perhaps it was deleted, or you don't have read access?)");
        return doc;
      },
    };
  }

  /**
   * The Drive advanced service (v3) under the drive.file scope
   * (https://developers.google.com/workspace/drive/api/guides/api-specific-auth): a user reaches only the files and folders this app created for
   * them; a new file goes where its parents say, or to the user's root.
   */
  driveService() {
    const mine = (id: string) => {
      const f = this.appFiles.get(id);
      if (!f || f.creator !== this.env.actingUser())
        throw new Error(
          `GoogleJsonResponseException: API call to drive.files.get failed with error: File not found: ${id}.`,
        );
      return f.item;
    };
    return {
      Files: {
        create: (
          resource: { name?: string; mimeType?: string; parents?: string[]; appProperties?: Record<string, string> },
          blob?: { name: string; mime: string; source: string } | null,
          opts?: { fields?: string },
        ) => {
          const extra = Object.keys(opts ?? {}).filter((k) => k !== "fields");
          if (extra.length) throw new Error(`Fake: files.create with ${extra.join(", ")} is not modelled.`);
          const known = ["name", "mimeType", "parents", "appProperties"];
          const unknown = Object.keys(resource).filter((k) => !known.includes(k));
          if (unknown.length) throw new Error(`Fake: files.create with ${unknown.join(", ")} is not modelled.`);
          const parentId = resource.parents?.[0];
          const parent = parentId ? mine(parentId) : this.root;
          if (!(parent instanceof FakeFolder))
            throw new Error(
              "GoogleJsonResponseException: API call to drive.files.create failed with error: The specified parent is not a folder.",
            );
          // Whether Drive takes a create into a trashed folder is not documented (UNCONFIRMED): by default the file is
          // made and reads as trashed; a test may have Drive refuse it instead.
          if (parent.trashed && this.refuseInTrashedFolder)
            throw new Error(
              "GoogleJsonResponseException: API call to drive.files.create failed with error: The user does not have sufficient permissions for this file.",
            );
          const name = resource.name ?? "Untitled";
          let id: string;
          if (resource.mimeType === "application/vnd.google-apps.folder") {
            const f = new FakeFolder(this.env, name);
            f.viewers = new Set([this.env.actingUser()]);
            this.createdFolders.push(f);
            this.appFiles.set(f.id, { item: f, creator: this.env.actingUser() });
            id = f.id;
          } else if (resource.mimeType === "application/vnd.google-apps.spreadsheet") {
            // A new Google Sheet made through Drive, where its parents say: https://developers.google.com/workspace/drive/api/guides/create-file
            const ssId = `ss-${this.nextId++}`;
            this.env.addSpreadsheet(name, ssId);
            const file = this.register(ssId, name, resource.mimeType, parent);
            this.appFiles.set(ssId, { item: file, creator: this.env.actingUser() });
            id = ssId;
          } else if (resource.mimeType === "application/vnd.google-apps.document") {
            const doc = new FakeDocument(`doc-${this.nextId++}`, name);
            // Stored as soon as it exists: the Docs API sees it.
            doc.saved = true;
            this.documents.set(doc.id, doc);
            const file = this.register(doc.id, name, resource.mimeType, parent);
            this.appFiles.set(doc.id, { item: file, creator: this.env.actingUser() });
            id = doc.id;
          } else {
            if (!blob)
              throw new Error(
                "GoogleJsonResponseException: API call to drive.files.create failed with error: Media is required.",
              );
            const file = parent.createFile(blob).setName(name);
            this.appFiles.set(file.id, { item: file, creator: this.env.actingUser() });
            id = file.id;
          }
          this.appFiles.get(id)!.appProperties = { ...resource.appProperties };
          return this.fields(id, opts?.fields ?? "id,name,mimeType");
        },
        /**
         * Lists the files the app made for this user that match the query
         * (drive.file: https://developers.google.com/workspace/drive/api/guides/api-specific-auth), trashed
         * ones included unless the query says otherwise
         * (https://developers.google.com/workspace/drive/api/guides/search-files). Only the query the add-on
         * sends is modelled, an app property; any other is refused here (strict side), so a change of query
         * cannot pass unnoticed.
         */
        list: (opts: { q?: string; fields?: string }) => {
          const m = /^appProperties has \{ key='([\w-]+)' and value='([\w-]+)' \}$/.exec(opts.q ?? "");
          if (!m) throw new Error(`Fake: files.list with q ${JSON.stringify(opts.q)} is not modelled.`);
          const fields = /^files\(([\w,]+)\)$/.exec(opts.fields ?? "");
          if (!fields) throw new Error(`Fake: files.list with fields ${JSON.stringify(opts.fields)} is not modelled.`);
          const files = [...this.appFiles.entries()]
            .filter(([, f]) => f.creator === this.env.actingUser() && f.appProperties?.[m[1]!] === m[2])
            .map(([id]) => this.fields(id, fields[1]!));
          return { files };
        },
        get: (id: string, opts?: { fields?: string }) => {
          mine(id);
          return this.fields(id, opts?.fields ?? "id,name,mimeType");
        },
        /** Deletes for good a file the app made (https://developers.google.com/workspace/drive/api/reference/rest/v3/files/delete). */
        remove: (id: string) => {
          const item = mine(id);
          if (item instanceof FakeDriveFile) {
            item.folder.files = item.folder.files.filter((f) => f !== item);
            this.files.delete(id);
            this.documents.delete(id);
          }
          this.appFiles.delete(id);
        },
      },
      Permissions: {
        /**
         * Shares a file the app made (drive.file reaches only those: https://developers.google.com/workspace/drive/api/guides/api-specific-auth)
         * with one user (https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/create).
         * Only view access (reader) and writer on spreadsheets are modelled.
         */
        create: (
          resource: { role?: string; type?: string; emailAddress?: string },
          fileId: string,
          _opts?: { sendNotificationEmail?: boolean },
        ) => {
          mine(fileId);
          if (resource.type !== "user" || !resource.emailAddress)
            throw new Error(
              "GoogleJsonResponseException: API call to drive.permissions.create failed with error: The permission type field is required.",
            );
          const ss = this.env.otherSpreadsheet(fileId);
          const email = resource.emailAddress.toLowerCase();
          if (resource.role === "reader") ss.readers.add(email);
          else if (resource.role === "writer") ss.editors.add(email);
          else throw new Error(`Fake: permission role ${resource.role} is not modelled.`);
          return { id: `perm-${email}`, role: resource.role, type: "user", emailAddress: email };
        },
      },
    };
  }
  appFiles = new Map<
    string,
    { item: FakeFolder | FakeDriveFile; creator: string; appProperties?: Record<string, string> }
  >();
  /** Folders: a new one lands in the caller's Drive, seen by the caller only; another user's is not found. */
  folders() {
    return {
      createFolder: (name: string) => {
        const f = new FakeFolder(this.env, name);
        f.viewers = new Set([this.env.actingUser()]);
        this.createdFolders.push(f);
        return f;
      },
      getFolderById: (id: string) => {
        const f = this.createdFolders.find((x) => x.id === id) ?? [this.folder, this.root].find((x) => x.id === id);
        if (!f || !f.visible())
          throw new Error("No item with the given ID could be found, or you do not have permission to access it.");
        return f;
      },
    };
  }
  createdFolders: FakeFolder[] = [];
  /** Drive's other possible answer to a create into a trashed folder: a refusal (see files.create). */
  refuseInTrashedFolder = false;

  /**
   * The Docs advanced service (REST API v1): get, and batchUpdate with the
   * requests of tests/fake-gas/docs-api.ts, all or nothing. The API sees a
   * document as last saved: DocumentApp edits reach it at saveAndClose().
   */
  docsService() {
    const find = (id: string) => {
      if (this.docsOutage)
        throw new Error(
          `GoogleJsonResponseException: API call to docs.documents failed with error: ${this.docsOutage}`,
        );
      const doc = this.documents.get(id);
      if (!doc)
        throw new Error(
          `GoogleJsonResponseException: API call to docs.documents.get failed with error: Requested entity was not found.`,
        );
      return doc;
    };
    const layout = (doc: FakeDocument) => {
      const body = doc.saved ? doc.body : new FakeBody();
      const content: {
        startIndex?: number;
        endIndex: number;
        paragraph?: object;
        table?: { rows: number; columns: number };
        sectionBreak?: object;
      }[] = [{ endIndex: 1, sectionBreak: {} }];
      let at = 1;
      for (const c of body.children) {
        const start = at;
        const single = new FakeBody();
        single.children = [c];
        at += bodySize(single) - 1;
        if (c instanceof FakeDocTable)
          content.push({
            startIndex: start,
            endIndex: at,
            table: { rows: c.rows.length, columns: c.rows[0]?.cells.length ?? 0 },
          });
        else content.push({ startIndex: start, endIndex: at, paragraph: {} });
      }
      return content;
    };
    return {
      Documents: {
        get: (id: string, _opts?: { fields?: string }) => {
          const doc = find(id);
          return { documentId: id, title: doc.name, body: { content: layout(doc) } };
        },
        batchUpdate: (resource: { requests?: Record<string, unknown>[] }, id: string) => {
          const doc = find(id);
          const requests = resource.requests ?? [];
          if (!requests.length)
            throw new Error(
              "GoogleJsonResponseException: API call to docs.documents.batchUpdate failed with error: Must specify at least one request.",
            );
          if (!doc.saved)
            throw new Error("Fake: a batchUpdate on a document with unsaved DocumentApp changes is not modelled.");
          doc.body = applyBatch(doc.body, requests);
          return { documentId: id, replies: requests.map(() => ({})) };
        },
      },
    };
  }
  driveApp() {
    return {
      ...this.folders(),
      getFileById: (id: string) => {
        const f = this.files.get(id);
        if (!f)
          throw new Error("No item with the given ID could be found, or you do not have permission to access it.");
        return f;
      },
    };
  }
}
