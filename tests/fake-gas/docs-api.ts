/**
 * The Docs REST API's batchUpdate on the fake document tree, with the API's
 * index rules (https://developers.google.com/workspace/docs/api/concepts/structure):
 * the body opens with a section break [0, 1); a paragraph spans its text and
 * its newline; a page break sits in a paragraph of its own (element +
 * newline); a table takes one index to open, one per row and per cell, its
 * cells' content, and one to close. Only the requests the add-on sends are
 * modelled; any other is refused, as the strict side.
 */
import { FakeBody, FakeDocCell, FakeDocParagraph, FakeDocRow, FakeDocTable, type FakeChild } from "./documents";

type Json = Record<string, unknown>;
export class DocsApiError extends Error {}

/** Sizes of rows, remembered within one batch; a row forgets its size when one of its cells changes. */
type Sizes = Map<FakeDocRow, number>;

const paragraphSize = (c: FakeChild) =>
  c instanceof FakeDocParagraph ? c.text.length + 1 : c instanceof FakeDocTable ? -1 : 2;

function childSize(c: FakeChild, sizes: Sizes): number {
  if (!(c instanceof FakeDocTable)) return paragraphSize(c);
  return 2 + c.rows.reduce((n, r) => n + rowSize(r, sizes), 0);
}
function rowSize(r: FakeDocRow, sizes: Sizes): number {
  let n = sizes.get(r);
  if (n === undefined) {
    n = 1 + r.cells.reduce((m, cell) => m + 1 + cell.children.reduce((k, c) => k + childSize(c, sizes), 0), 0);
    sizes.set(r, n);
  }
  return n;
}
export const bodySize = (body: FakeBody, sizes: Sizes = new Map()) =>
  1 + body.children.reduce((n, c) => n + childSize(c, sizes), 0);

type Spot =
  | { kind: "paragraph"; container: FakeBody | FakeDocCell; i: number; para: FakeDocParagraph; offset: number }
  | { kind: "table"; container: FakeBody | FakeDocCell; i: number; table: FakeDocTable }
  /** The start of a paragraph holding a page break: the tree keeps such a paragraph as one child. */
  | { kind: "pageBreak"; container: FakeBody | FakeDocCell; i: number }
  | { kind: "other" };

/** What sits at an index; undefined past the end of the body. */
function locate(body: FakeBody, index: number, sizes: Sizes): Spot | undefined {
  if (index < 1) return { kind: "other" };
  const walk = (container: FakeBody | FakeDocCell, base: number): Spot | undefined => {
    let pos = base;
    for (const [i, c] of container.children.entries()) {
      const size = childSize(c, sizes);
      if (index < pos + size) {
        if (c instanceof FakeDocParagraph) return { kind: "paragraph", container, i, para: c, offset: index - pos };
        if (!(c instanceof FakeDocTable))
          return index === pos ? { kind: "pageBreak", container, i } : { kind: "other" };
        if (index === pos) return { kind: "table", container, i, table: c };
        let p = pos + 1;
        for (const r of c.rows) {
          const rs = rowSize(r, sizes);
          if (index < p + rs) {
            if (index === p) return { kind: "other" };
            let q = p + 1;
            for (const cell of r.cells) {
              const cs = 1 + cell.children.reduce((k, x) => k + childSize(x, sizes), 0);
              if (index < q + cs) return index === q ? { kind: "other" } : walk(cell, q + 1);
              q += cs;
            }
            return { kind: "other" };
          }
          p += rs;
        }
        return { kind: "other" };
      }
      pos += size;
    }
    return undefined;
  };
  return walk(body, 1);
}

/** Every paragraph that overlaps [start, end), with its start index. */
function paragraphsIn(
  body: FakeBody,
  start: number,
  end: number,
  sizes: Sizes,
  fn: (p: FakeDocParagraph, at: number) => void,
): void {
  const walk = (children: FakeChild[], base: number): number => {
    let pos = base;
    for (const c of children) {
      if (pos >= end) return pos;
      const size = childSize(c, sizes);
      if (pos + size > start) {
        if (c instanceof FakeDocParagraph) fn(c, pos);
        else if (c instanceof FakeDocTable) {
          let p = pos + 1;
          for (const r of c.rows) {
            const rs = rowSize(r, sizes);
            if (p + rs > start && p < end) {
              let q = p + 1;
              for (const cell of r.cells) q = walk(cell.children, q + 1);
            }
            p += rs;
          }
        }
      }
      pos += size;
    }
    return pos;
  };
  walk(body.children, 1);
}

const dim = (d: unknown): number => {
  const x = d as { magnitude?: number; unit?: string } | undefined;
  if (!x || typeof x.magnitude !== "number" || x.unit !== "PT")
    throw new DocsApiError("A dimension needs a magnitude and the unit PT.");
  return x.magnitude;
};
const hex = (c: unknown): string => {
  const rgb =
    (c as { color?: { rgbColor?: { red?: number; green?: number; blue?: number } } } | undefined)?.color?.rgbColor ??
    {};
  return (
    "#" +
    [rgb.red, rgb.green, rgb.blue]
      .map((v) =>
        Math.round((v ?? 0) * 255)
          .toString(16)
          .padStart(2, "0"),
      )
      .join("")
      .toUpperCase()
  );
};

/** 'fields' must be given and name only fields of the style: https://developers.google.com/workspace/docs/api/reference/rest/v1/documents/request */
function fieldsOf(body: Json, allowed: readonly string[]): string[] {
  if (typeof body.fields !== "string" || !body.fields)
    throw new DocsApiError("At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)");
  const names = body.fields.split(",").map((f) => f.trim());
  const bad = names.find((f) => !allowed.includes(f));
  if (bad) throw new DocsApiError(`Invalid field: ${bad}`);
  return names;
}

function rangeOf(body: Json, doc: FakeBody, sizes: Sizes): { start: number; end: number } {
  const r = body.range as { startIndex?: number; endIndex?: number } | undefined;
  const start = r?.startIndex ?? 0;
  const end = r?.endIndex ?? 0;
  if (!(start >= 1 && end > start))
    throw new DocsApiError("The range should not be empty and must start at index 1 or later.");
  // Looked up rather than measured: the body's size would walk the whole document on every request.
  if (!locate(doc, end - 1, sizes))
    throw new DocsApiError(
      `Index ${end - 1} must be less than the end index of the referenced segment, ${bodySize(doc, sizes)}.`,
    );
  return { start, end };
}

function tableAt(body: Json, doc: FakeBody, sizes: Sizes): FakeDocTable {
  const index = (body.tableStartLocation as { index?: number } | undefined)?.index ?? -1;
  const spot = locate(doc, index, sizes);
  if (spot?.kind !== "table") throw new DocsApiError("The provided table start location is invalid.");
  return spot.table;
}

function paragraphAt(body: Json, doc: FakeBody, sizes: Sizes) {
  const index = (body.location as { index?: number } | undefined)?.index ?? -1;
  const spot = locate(doc, index, sizes);
  if (!spot)
    throw new DocsApiError(
      `Index ${index} must be less than the end index of the referenced segment, ${bodySize(doc, sizes)}.`,
    );
  // Text and tables go inside an existing paragraph, never at a table's, row's or cell's own index.
  if (spot.kind !== "paragraph" && spot.kind !== "pageBreak")
    throw new DocsApiError(
      "The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.",
    );
  return spot;
}

const forget = (container: FakeBody | FakeDocCell, sizes: Sizes) => {
  if (container instanceof FakeDocCell && container.row) sizes.delete(container.row);
};

/** Inserted text takes the text style of the character before it (or after it, at a paragraph's start). */
function insertText(spot: Extract<Spot, { kind: "paragraph" }>, text: string, sizes: Sizes): void {
  const { para, offset, container, i } = spot;
  const from = offset > 0 ? offset - 1 : offset < para.text.length ? offset : -1;
  const style = para.textStyle.at(from);
  const whole = para.text.slice(0, offset) + text + para.text.slice(offset);
  const styles = [
    ...para.textStyle.all().slice(0, offset),
    ...Array.from(text, () => style),
    ...para.textStyle.all().slice(offset),
  ];
  const lines = whole.split("\n");
  const made: FakeDocParagraph[] = [];
  let at = 0;
  for (const [k, line] of lines.entries()) {
    // The original paragraph object ends the run, so that what points at it (the next paragraph) is kept.
    const p = k === lines.length - 1 ? para : para.copyStyle();
    p.setText(line);
    styles.slice(at, at + line.length).forEach((s, n) => p.textStyle.put(n, s));
    at += line.length + 1;
    p.parent = container;
    made.push(p);
  }
  container.children.splice(i, 1, ...made);
  forget(container, sizes);
}

export function applyRequest(doc: FakeBody, page: FakeBody["page"], req: Json, sizes: Sizes): void {
  const kinds = Object.keys(req);
  if (kinds.length !== 1) throw new DocsApiError("Exactly one kind of request per entry.");
  const kind = kinds[0]!;
  const body = req[kind] as Json;
  switch (kind) {
    case "insertText": {
      if (typeof body.text !== "string") throw new DocsApiError("Text is required.");
      const spot = paragraphAt(body, doc, sizes);
      if (spot.kind === "paragraph") return insertText(spot, body.text, sizes);
      // At the start of a page break's paragraph: whole paragraphs go before it; text joining the page break is not modelled.
      if (!body.text.endsWith("\n"))
        throw new DocsApiError("This fake models text before a page break only as whole paragraphs.");
      const made = body.text
        .slice(0, -1)
        .split("\n")
        .map((t) => Object.assign(new FakeDocParagraph(t), { parent: spot.container }));
      spot.container.children.splice(spot.i, 0, ...made);
      return;
    }
    case "insertTable": {
      const found = paragraphAt(body, doc, sizes);
      const rows = Number(body.rows);
      const columns = Number(body.columns);
      if (!(rows >= 1 && columns >= 1)) throw new DocsApiError("A table needs at least one row and one column.");
      if (!(found.container instanceof FakeBody))
        throw new DocsApiError("This fake does not model tables inside tables.");
      // At a page break's paragraph start, the newline before the table makes an empty paragraph and the page break's paragraph follows the table.
      const spot = found.kind === "paragraph" ? found : { ...found, para: new FakeDocParagraph(""), offset: 0 };
      // https://developers.google.com/workspace/docs/api/reference/rest/v1/documents/request#inserttablerequest : a newline is inserted before the table.
      const before = spot.para.copyStyle();
      before.setText(spot.para.text.slice(0, spot.offset));
      spot.para.textStyle
        .all()
        .slice(0, spot.offset)
        .forEach((s, n) => before.textStyle.put(n, s));
      const rest = spot.para.textStyle.all().slice(spot.offset);
      spot.para.setText(spot.para.text.slice(spot.offset));
      rest.forEach((s, n) => spot.para.textStyle.put(n, s));
      before.parent = doc;
      const table = new FakeDocTable();
      for (let r = 0; r < rows; r++) {
        const row = table.appendTableRow();
        for (let c = 0; c < columns; c++) row.appendTableCell();
      }
      doc.children.splice(spot.i, 0, before, table);
      return;
    }
    case "insertPageBreak": {
      const spot = paragraphAt(body, doc, sizes);
      if (spot.kind !== "paragraph")
        throw new DocsApiError("This fake models a page break only at the start of a paragraph of text.");
      if (!(spot.container instanceof FakeBody))
        throw new DocsApiError("Page breaks cannot be inserted inside a table.");
      if (spot.offset !== 0) throw new DocsApiError("This fake models a page break only at the start of a paragraph.");
      doc.children.splice(spot.i, 0, { type: "PAGE_BREAK" });
      return;
    }
    case "deleteContentRange": {
      const { start, end } = rangeOf(body, doc, sizes);
      // Only what the add-on deletes: the newline ending a page break's paragraph, which merges the empty paragraph after it into it.
      const i = doc.children.findIndex(
        (c, k) =>
          c.type === "PAGE_BREAK" &&
          1 + doc.children.slice(0, k).reduce((n, x) => n + childSize(x, sizes), 0) + 1 === start,
      );
      const next = doc.children[i + 1];
      if (i < 0 || end !== start + 1)
        throw new DocsApiError("This fake models deleting only the newline after a page break.");
      // https://developers.google.com/workspace/docs/api/reference/rest/v1/documents/request#deletecontentrangerequest : the newline before a table cannot be deleted.
      if (!(next instanceof FakeDocParagraph))
        throw new DocsApiError("Invalid deletion range. Cannot delete the requested range.");
      if (next.text !== "")
        throw new DocsApiError("This fake models merging a page break only into an empty paragraph.");
      doc.children.splice(i + 1, 1);
      return;
    }
    case "updateParagraphStyle": {
      const names = fieldsOf(body, [
        "alignment",
        "indentFirstLine",
        "indentStart",
        "indentEnd",
        "spaceAbove",
        "spaceBelow",
        "lineSpacing",
        "keepWithNext",
        "borderBottom",
      ]);
      const { start, end } = rangeOf(body, doc, sizes);
      const s = (body.paragraphStyle ?? {}) as Json;
      paragraphsIn(doc, start, end, sizes, (p) => {
        for (const f of names) {
          const v = s[f];
          if (f === "alignment") p.align = String(v ?? "START");
          else if (f === "indentFirstLine") p.firstLine = v ? dim(v) : 0;
          else if (f === "indentStart") p.indentStart = v ? dim(v) : 0;
          else if (f === "indentEnd") p.indentEnd = v ? dim(v) : 0;
          else if (f === "spaceAbove") p.before = v ? dim(v) : 0;
          else if (f === "spaceBelow") p.after = v ? dim(v) : 0;
          else if (f === "lineSpacing") p.line = typeof v === "number" ? v / 100 : 1;
          else if (f === "keepWithNext") p.keepWithNext = !!v;
          else p.borderBottom = v ? dim((v as Json).width) : 0;
        }
      });
      return;
    }
    case "updateTextStyle": {
      const names = fieldsOf(body, ["bold", "italic", "underline", "fontSize", "weightedFontFamily"]);
      const { start, end } = rangeOf(body, doc, sizes);
      const s = (body.textStyle ?? {}) as Json;
      paragraphsIn(doc, start, end, sizes, (p, at) => {
        for (let k = Math.max(0, start - at); k < Math.min(p.text.length, end - at); k++) {
          const t = p.textStyle;
          for (const f of names) {
            if (f === "bold") t.bold[k] = !!s.bold;
            else if (f === "italic") t.italic[k] = !!s.italic;
            else if (f === "underline") t.underline[k] = !!s.underline;
            else if (f === "fontSize") t.sizes[k] = dim(s.fontSize);
            else t.fonts[k] = String((s.weightedFontFamily as Json | undefined)?.fontFamily ?? "");
          }
        }
      });
      return;
    }
    case "updateDocumentStyle": {
      const names = fieldsOf(body, ["pageSize", "marginTop", "marginBottom", "marginLeft", "marginRight"]);
      const s = (body.documentStyle ?? {}) as Json;
      for (const f of names) {
        if (f === "pageSize") {
          const size = s.pageSize as Json;
          page.width = dim(size.width);
          page.height = dim(size.height);
        } else
          page[
            ({ marginTop: "top", marginBottom: "bottom", marginLeft: "left", marginRight: "right" } as const)[
              f as "marginTop"
            ]
          ] = dim(s[f]);
      }
      return;
    }
    case "updateTableColumnProperties": {
      const table = tableAt(body, doc, sizes);
      fieldsOf(body, ["widthType", "width"]);
      const columns = table.rows[0]?.cells.length ?? 0;
      const indices = (body.columnIndices as number[] | undefined) ?? [];
      if (indices.some((c) => c < 0 || c >= columns)) throw new DocsApiError("The column index is out of range.");
      const props = (body.tableColumnProperties ?? {}) as Json;
      const width = dim(props.width);
      // https://developers.google.com/workspace/docs/api/reference/rest/v1/documents/request#updatetablecolumnpropertiesrequest : at least 5 points.
      if (width < 5) throw new DocsApiError("The column width must be at least 5 points.");
      (indices.length ? indices : table.rows[0]!.cells.map((_, c) => c)).forEach((c) => (table.widths[c] = width));
      return;
    }
    case "updateTableCellStyle": {
      const names = fieldsOf(body, [
        "backgroundColor",
        "contentAlignment",
        "borderTop",
        "borderBottom",
        "borderLeft",
        "borderRight",
      ]);
      const s = (body.tableCellStyle ?? {}) as Json;
      const range = body.tableRange as
        | {
            tableCellLocation?: Json & { rowIndex?: number; columnIndex?: number };
            rowSpan?: number;
            columnSpan?: number;
          }
        | undefined;
      const table = tableAt(range?.tableCellLocation ?? body, doc, sizes);
      let cells: FakeDocCell[];
      if (range) {
        const r = range.tableCellLocation?.rowIndex ?? -1;
        const c = range.tableCellLocation?.columnIndex ?? -1;
        const rs = range.rowSpan ?? 0;
        const cs = range.columnSpan ?? 0;
        if (
          r < 0 ||
          c < 0 ||
          rs < 1 ||
          cs < 1 ||
          r + rs > table.rows.length ||
          c + cs > (table.rows[0]?.cells.length ?? 0)
        )
          throw new DocsApiError("The table range is invalid.");
        cells = table.rows.slice(r, r + rs).flatMap((row) => row.cells.slice(c, c + cs));
      } else {
        cells = table.rows.flatMap((row) => row.cells);
        if (names.includes("borderTop")) table.borderWidth = dim((s.borderTop as Json).width);
      }
      for (const cell of cells)
        for (const f of names) {
          if (f === "backgroundColor") cell.background = hex(s.backgroundColor);
          else if (f === "contentAlignment") cell.valign = String(s.contentAlignment ?? "TOP");
        }
      return;
    }
    case "pinTableHeaderRows": {
      const table = tableAt(body, doc, sizes);
      const n = body.pinnedHeaderRowsCount;
      if (typeof n !== "number" || n < 0 || n > table.rows.length)
        throw new DocsApiError("The number of pinned header rows is invalid.");
      table.pinnedHeaderRows = n;
      return;
    }
    case "updateTableRowStyle": {
      const table = tableAt(body, doc, sizes);
      fieldsOf(body, ["preventOverflow", "minRowHeight"]);
      const rows = (body.rowIndices as number[] | undefined) ?? [];
      if (rows.some((r) => r < 0 || r >= table.rows.length)) throw new DocsApiError("The row index is out of range.");
      const value = !!(body.tableRowStyle as { preventOverflow?: boolean } | undefined)?.preventOverflow;
      (rows.length ? rows : table.rows.map((_, r) => r)).forEach((r) => (table.preventOverflow[r] = value));
      return;
    }
    default:
      throw new DocsApiError("This fake does not model this kind of request.");
  }
}

/** Applies a batch to a copy and returns it: the API applies all requests or none. */
export function applyBatch(doc: FakeBody, requests: Json[]): FakeBody {
  const copy = doc.clone();
  const sizes: Sizes = new Map();
  requests.forEach((req, i) => {
    try {
      applyRequest(copy, copy.page, req, sizes);
    } catch (e) {
      if (!(e instanceof DocsApiError)) throw e;
      throw new Error(
        `GoogleJsonResponseException: API call to docs.documents.batchUpdate failed with error: Invalid requests[${i}].${Object.keys(req)[0]}: ${e.message}`,
      );
    }
  });
  return copy;
}
