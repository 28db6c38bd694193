/**
 * Document model -> Docs API batchUpdate requests: the whole document in
 * one call, or in parts of at most 2 MB each sent in order (docs.ts), a
 * number of service calls that grows only with the document's bytes.
 *
 * Blocks are written from the last to the first, each at the top of the
 * body (index 1), so every request names indexes inside the block just
 * written and nothing already written moves under it. Styles are set right
 * after their text, in full (every field), because text and paragraphs
 * inserted next to others inherit their neighbours' styles.
 *
 * The Docs API's index rules this relies on are explained in
 * docs/google-docs-api.md.
 */
import type { DocumentModel, Paragraph, Run, Table } from "../../core/documents/doc-model";
import { columnWidths } from "../../core/documents/text-width";

interface Dim {
  magnitude: number;
  unit: "PT";
}
interface Range {
  startIndex: number;
  endIndex: number;
}
interface At {
  index: number;
}
interface Border {
  color: { color: { rgbColor: { red: number; green: number; blue: number } } };
  width: Dim;
  padding: Dim;
  dashStyle: "SOLID";
}
export interface ParagraphStyle {
  alignment: "START" | "CENTER" | "END" | "JUSTIFIED";
  indentFirstLine: Dim;
  indentStart: Dim;
  indentEnd: Dim;
  spaceAbove: Dim;
  spaceBelow: Dim;
  lineSpacing: number;
  keepWithNext: boolean;
  borderBottom?: Border;
}
export interface TextStyle {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  fontSize: Dim;
  weightedFontFamily: { fontFamily: string };
}

/** The requests this renderer sends. Typed here because @types/google-apps-script lacks most of them. */
export type DocsRequest =
  | { insertText: { location: At; text: string } }
  | { insertTable: { location: At; rows: number; columns: number } }
  | { insertPageBreak: { location: At } }
  | { deleteContentRange: { range: Range } }
  | { updateParagraphStyle: { range: Range; paragraphStyle: Partial<ParagraphStyle>; fields: string } }
  | { updateTextStyle: { range: Range; textStyle: Partial<TextStyle>; fields: string } }
  | {
      updateDocumentStyle: {
        documentStyle: {
          pageSize: { width: Dim; height: Dim };
          marginTop: Dim;
          marginBottom: Dim;
          marginLeft: Dim;
          marginRight: Dim;
        };
        fields: string;
      };
    }
  | {
      updateTableColumnProperties: {
        tableStartLocation: At;
        columnIndices: number[];
        tableColumnProperties: { widthType: "FIXED_WIDTH"; width: Dim };
        fields: string;
      };
    }
  | {
      updateTableCellStyle: {
        tableStartLocation?: At;
        tableRange?: {
          tableCellLocation: { tableStartLocation: At; rowIndex: number; columnIndex: number };
          rowSpan: number;
          columnSpan: number;
        };
        tableCellStyle: {
          backgroundColor?: { color: { rgbColor: { red: number; green: number; blue: number } } };
          contentAlignment?: "TOP" | "MIDDLE";
          borderTop?: Border;
          borderBottom?: Border;
          borderLeft?: Border;
          borderRight?: Border;
        };
        fields: string;
      };
    }
  | { pinTableHeaderRows: { tableStartLocation: At; pinnedHeaderRowsCount: number } }
  | { updateTableRowStyle: { tableStartLocation: At; tableRowStyle: { preventOverflow: boolean }; fields: string } };

const PT_PER_MM = 72 / 25.4;
const pt = (magnitude: number): Dim => ({ magnitude: Math.round(magnitude * 100) / 100, unit: "PT" });
const ALIGN = { left: "START", center: "CENTER", right: "END", justify: "JUSTIFIED" } as const;
const PARAGRAPH_FIELDS =
  "alignment,indentFirstLine,indentStart,indentEnd,spaceAbove,spaceBelow,lineSpacing,keepWithNext,borderBottom";
const TEXT_FIELDS = "bold,italic,underline,fontSize,weightedFontFamily";

function rgb(hex: string) {
  const n = parseInt(hex.replace("#", ""), 16);
  return {
    color: { rgbColor: { red: ((n >> 16) & 255) / 255, green: ((n >> 8) & 255) / 255, blue: (n & 255) / 255 } },
  };
}
const solid = (width: number): Border => ({
  color: rgb("#000000"),
  width: pt(width),
  padding: pt(width ? 2 : 0),
  dashStyle: "SOLID",
});

const textOf = (x: Paragraph) => x.runs.map((r) => r.text).join("");

function paragraphStyle(x: Paragraph, model: DocumentModel): ParagraphStyle {
  return {
    alignment: ALIGN[x.align],
    indentFirstLine: pt(x.firstLineCm ? x.firstLineCm * 10 * PT_PER_MM : 0),
    indentStart: pt(0),
    indentEnd: pt(0),
    spaceAbove: pt(x.spaceBeforePt ?? 0),
    spaceBelow: pt(x.ruleBelow ? 0 : (x.spaceAfterPt ?? 0)),
    lineSpacing: Math.round(model.page.lineSpacing * 100),
    // A heading stays with its rule, as in the .docx.
    keepWithNext: !!x.keepWithNext || x.ruleBelow !== undefined,
  };
}

function textStyle(r: Run, model: DocumentModel): TextStyle {
  return {
    bold: !!r.bold,
    italic: !!r.italic,
    underline: !!r.underline,
    fontSize: pt(r.size ?? model.page.bodySizePt),
    weightedFontFamily: { fontFamily: model.page.font },
  };
}

/** Styles a paragraph whose text starts at `at`: the paragraph in full, then each run. */
function styleParagraph(x: Paragraph, at: number, model: DocumentModel): DocsRequest[] {
  const out: DocsRequest[] = [
    {
      updateParagraphStyle: {
        range: { startIndex: at, endIndex: at + textOf(x).length + 1 },
        paragraphStyle: paragraphStyle(x, model),
        fields: PARAGRAPH_FIELDS,
      },
    },
  ];
  let i = at;
  for (const r of x.runs) {
    if (r.text.length)
      out.push({
        updateTextStyle: {
          range: { startIndex: i, endIndex: i + r.text.length },
          textStyle: textStyle(r, model),
          fields: TEXT_FIELDS,
        },
      });
    i += r.text.length;
  }
  return out;
}

/**
 * Docs has no short rule: the .docx's rule paragraph (empty, a bottom border,
 * indented to a third of the text width, centred) is made the same way here.
 */
function ruleStyle(x: Paragraph, model: DocumentModel, textWidthPt: number): ParagraphStyle {
  const side = textWidthPt / 3;
  return {
    ...paragraphStyle({ ...x, ruleBelow: undefined, firstLineCm: 0, spaceBeforePt: 0 }, model),
    alignment: "CENTER",
    indentStart: pt(side),
    indentEnd: pt(side),
    lineSpacing: 100,
    keepWithNext: false,
    borderBottom: solid(0.75),
  };
}

/** Cell (r, c)'s content index in a table of `columns` columns whose cells are still empty: table, row and cell each open with one index. */
const cellContent = (tableStart: number, r: number, c: number, columns: number) =>
  tableStart + 1 + r * (1 + 2 * columns) + 1 + 2 * c + 1;

function tableRequests(t: Table, model: DocumentModel, textWidthPt: number): DocsRequest[] {
  const columns = t.widths.length;
  const start = 2; // insertTable at 1 puts a newline at 1 and the table after it.
  const at = { index: start };
  const out: DocsRequest[] = [{ insertTable: { location: { index: 1 }, rows: t.rows.length, columns } }];
  // Columns of the same width take one request between them.
  const byWidth = new Map<number, number[]>();
  columnWidths(t, model.page, textWidthPt, 1).forEach((w, i) => {
    const m = pt(w).magnitude;
    byWidth.set(m, [...(byWidth.get(m) ?? []), i]);
  });
  for (const [m, columnIndices] of byWidth)
    out.push({
      updateTableColumnProperties: {
        tableStartLocation: at,
        columnIndices,
        tableColumnProperties: { widthType: "FIXED_WIDTH", width: pt(m) },
        fields: "widthType,width",
      },
    });
  const border = solid(t.borders ? 0.5 : 0);
  const valign = (c: Table["rows"][number][number]) => (c.valign === "center" ? "MIDDLE" : "TOP") as "MIDDLE" | "TOP";
  // The commonest vertical alignment for the whole table, then only the cells that differ.
  const common = commonest(t.rows.flat().map(valign));
  out.push({
    updateTableCellStyle: {
      tableStartLocation: at,
      tableCellStyle: {
        borderTop: border,
        borderBottom: border,
        borderLeft: border,
        borderRight: border,
        contentAlignment: common,
      },
      fields: "borderTop,borderBottom,borderLeft,borderRight,contentAlignment",
    },
  });
  // Then the cells that differ, neighbours in a row that differ alike in one request (a header row's shade is one).
  t.rows.forEach((row, r) => {
    const looks = row.map((c) => {
      const differs = valign(c) !== common;
      return c.shade || differs ? { shade: c.shade, valign: differs ? valign(c) : undefined } : undefined;
    });
    for (let i = 0; i < row.length;) {
      const look = looks[i];
      let span = 1;
      while (i + span < row.length && JSON.stringify(looks[i + span]) === JSON.stringify(look)) span++;
      if (look) {
        const fields = [...(look.shade ? ["backgroundColor"] : []), ...(look.valign ? ["contentAlignment"] : [])];
        out.push({
          updateTableCellStyle: {
            tableRange: {
              tableCellLocation: { tableStartLocation: at, rowIndex: r, columnIndex: i },
              rowSpan: 1,
              columnSpan: span,
            },
            tableCellStyle: {
              ...(look.shade ? { backgroundColor: rgb(look.shade) } : {}),
              ...(look.valign ? { contentAlignment: look.valign } : {}),
            },
            fields: fields.join(","),
          },
        });
      }
      i += span;
    }
  });
  if (t.headerRows > 0)
    out.push({ pinTableHeaderRows: { tableStartLocation: at, pinnedHeaderRowsCount: t.headerRows } });
  if (t.cantSplit)
    out.push({
      updateTableRowStyle: {
        tableStartLocation: at,
        tableRowStyle: { preventOverflow: true },
        fields: "preventOverflow",
      },
    });
  // Last cell first: filling a cell moves only the cells after it.
  for (let r = t.rows.length - 1; r >= 0; r--) {
    const row = t.rows[r]!;
    if (row.length !== columns)
      throw new Error(`Bảng có ${columns} cột nhưng hàng ${r + 1} có ${row.length} ô: không dựng được văn bản.`);
    for (let c = columns - 1; c >= 0; c--) {
      if ((row[c]!.colSpan ?? 1) > 1) throw new Error("Ô gộp cột chưa được hỗ trợ trong Google Docs.");
      const text = row[c]!.paragraphs.map(textOf).join("\n");
      if (text.length) out.push({ insertText: { location: { index: cellContent(start, r, c, columns) }, text } });
    }
  }
  out.push(...styleTable(t, start, model));
  return out;
}

/** The value most of the items have, as JSON. */
function commonest<T>(items: T[]): T {
  const counts = new Map<string, { n: number; item: T }>();
  for (const x of items) {
    const k = JSON.stringify(x);
    const e = counts.get(k) ?? { n: 0, item: x };
    e.n++;
    counts.set(k, e);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]!.item;
}

/** The fields of `style` that differ from `base`, and those values. */
function differing<T extends object>(style: T, base: T): { value: Partial<T>; fields: string[] } {
  const fields = (Object.keys({ ...base, ...style }) as (keyof T)[]).filter(
    (k) => JSON.stringify(style[k]) !== JSON.stringify(base[k]),
  );
  return { value: Object.fromEntries(fields.map((k) => [k, style[k]])) as Partial<T>, fields: fields as string[] };
}

/**
 * A filled table's styles: the commonest paragraph and text style over the
 * whole table, then only what differs, paragraph by paragraph and run by run.
 * One request per cell paragraph and run would make the request of a large
 * cluster tens of megabytes.
 */
function styleTable(t: Table, start: number, model: DocumentModel): DocsRequest[] {
  const paragraphs: { x: Paragraph; at: number }[] = [];
  let pos = start + 1;
  for (const row of t.rows) {
    pos++;
    for (const c of row) {
      pos++;
      for (const x of c.paragraphs) {
        paragraphs.push({ x, at: pos });
        pos += textOf(x).length + 1;
      }
    }
  }
  const range = { startIndex: start, endIndex: pos + 1 };
  const baseParagraph = commonest(paragraphs.map(({ x }) => paragraphStyle(x, model)));
  const runs = paragraphs.flatMap(({ x }) => x.runs.filter((r) => r.text.length).map((r) => textStyle(r, model)));
  const baseText = runs.length ? commonest(runs) : textStyle({ text: "" }, model);
  const out: DocsRequest[] = [
    { updateParagraphStyle: { range, paragraphStyle: baseParagraph, fields: PARAGRAPH_FIELDS } },
    { updateTextStyle: { range, textStyle: baseText, fields: TEXT_FIELDS } },
  ];
  // Paragraphs next to each other that differ alike take one request: a paragraph style applies to every
  // paragraph its range touches, and between two paragraphs of a table lie only cell and row openings.
  const paragraphRanges = new Ranges();
  for (const { x, at } of paragraphs) {
    // An empty paragraph shows no alignment, in print or on screen: it keeps the table's, which spares a request
    // for every blank cell of a column aligned otherwise (the pledge's empty "Ghi chú", a fifth of its bytes).
    const style = paragraphStyle(x, model);
    const p = differing(textOf(x).length ? style : { ...style, alignment: baseParagraph.alignment }, baseParagraph);
    paragraphRanges.add(at, at + textOf(x).length + 1, p.fields.length ? p : undefined);
  }
  for (const { start, end, style } of paragraphRanges.done())
    out.push({
      updateParagraphStyle: {
        range: { startIndex: start, endIndex: end },
        paragraphStyle: style.value,
        fields: style.fields.join(","),
      },
    });
  // Runs likewise, but only within a paragraph: a range over a newline would restyle the paragraph mark too.
  for (const { x, at } of paragraphs) {
    const textRanges = new Ranges<{ value: Partial<TextStyle>; fields: string[] }>();
    let i = at;
    for (const r of x.runs) {
      const d = differing(textStyle(r, model), baseText);
      if (r.text.length) textRanges.add(i, i + r.text.length, d.fields.length ? d : undefined);
      i += r.text.length;
    }
    for (const { start, end, style } of textRanges.done())
      out.push({
        updateTextStyle: {
          range: { startIndex: start, endIndex: end },
          textStyle: style.value,
          fields: style.fields.join(","),
        },
      });
  }
  return out;
}

/** Consecutive ranges, each with the change it needs (none: left as it is), merged where the change is the same. */
class Ranges<S = { value: Partial<ParagraphStyle>; fields: string[] }> {
  private readonly out: { start: number; end: number; style: S; key: string }[] = [];
  private open = false;

  add(start: number, end: number, style: S | undefined): void {
    if (!style) {
      this.open = false;
      return;
    }
    const key = JSON.stringify(style);
    const last = this.out.at(-1);
    if (this.open && last && last.key === key && last.end <= start) last.end = end;
    else this.out.push({ start, end, style, key });
    this.open = true;
  }

  done(): { start: number; end: number; style: S }[] {
    return this.out;
  }
}

/** The empty paragraph at index 1, made as small as a paragraph can be: Docs keeps one before every table that no paragraph precedes. */
function smallest(model: DocumentModel): DocsRequest[] {
  return [
    {
      updateParagraphStyle: {
        range: { startIndex: 1, endIndex: 2 },
        paragraphStyle: { ...paragraphStyle({ kind: "paragraph", runs: [], align: "left" }, model), lineSpacing: 100 },
        fields: PARAGRAPH_FIELDS,
      },
    },
    {
      updateTextStyle: {
        range: { startIndex: 1, endIndex: 2 },
        textStyle: { ...textStyle({ text: "" }, model), fontSize: pt(1) },
        fields: TEXT_FIELDS,
      },
    },
  ];
}

/** Every request that turns a new, empty document into the model, in order. */
export function documentRequests(model: DocumentModel): DocsRequest[] {
  const m = model.page;
  const mm = (n: number) => pt(n * PT_PER_MM);
  const [w, h] = m.orientation === "landscape" ? [297, 210] : [210, 297];
  const textWidthPt = (w - m.marginsMm.left - m.marginsMm.right) * PT_PER_MM;
  const out: DocsRequest[] = [
    {
      updateDocumentStyle: {
        documentStyle: {
          pageSize: { width: mm(w), height: mm(h) },
          marginTop: mm(m.marginsMm.top),
          marginBottom: mm(m.marginsMm.bottom),
          marginLeft: mm(m.marginsMm.left),
          marginRight: mm(m.marginsMm.right),
        },
        fields: "pageSize,marginTop,marginBottom,marginLeft,marginRight",
      },
    },
  ];
  // Whether the paragraph at index 1 is empty and still unused: the new document's own, or the newline insertTable puts before a table.
  let open = true;
  const newParagraph = (text: string) => {
    if (open) {
      if (text.length) out.push({ insertText: { location: { index: 1 }, text } });
    } else out.push({ insertText: { location: { index: 1 }, text: text + "\n" } });
    open = false;
  };
  for (const b of [...model.blocks].reverse()) {
    if (b.kind === "paragraph") {
      if (b.ruleBelow) {
        newParagraph("");
        out.push({
          updateParagraphStyle: {
            range: { startIndex: 1, endIndex: 2 },
            paragraphStyle: ruleStyle(b, model, textWidthPt),
            fields: PARAGRAPH_FIELDS,
          },
        });
      }
      newParagraph(textOf(b));
      out.push(...styleParagraph(b, 1, model));
    } else if (b.kind === "table") {
      // Two tables in a row keep the empty paragraph the API requires between them.
      if (open && out.length > 1) out.push(...smallest(model));
      out.push(...tableRequests(b, model, textWidthPt));
      open = true;
    } else {
      out.push({ insertPageBreak: { location: { index: 1 } } });
      // Before a table, the page break takes the place of the empty paragraph the table needs: its own newline goes.
      if (open) out.push({ deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } });
      open = false;
    }
  }
  // A document that opens with a table keeps the paragraph the API puts before it.
  if (open) out.push(...smallest(model));
  return out;
}
