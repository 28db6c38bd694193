/**
 * The document model as WordprocessingML, written as text piece by piece.
 * Translation only: every length and flag comes from the model. The markup is
 * what the `docx` package wrote for the same model before this writer replaced
 * it (its object tree cost ~1,5 GB and a minute at 60 schools × 200 targets);
 * tests/docx/wordml.test.ts keeps it so, element by element.
 */
import type { Align, DocumentModel, Paragraph, Run, Table, TableCell } from "../core/documents/doc-model";
import { columnWidths } from "../core/documents/text-width";

/** Twentieths of a point per millimetre, rounded down as Word's own conversion does. */
export const mmToTwip = (mm: number): number => Math.floor((mm * 1440) / 25.4);

export const A4 = { width: mmToTwip(210), height: mmToTwip(297) };

const JC: Record<Align, string> = { left: "left", center: "center", right: "right", justify: "both" };

/**
 * Characters XML 1.0 cannot carry (C0 controls other than tab, line feed and
 * carriage return; U+FFFE, U+FFFF) are dropped and a lone surrogate becomes
 * U+FFFD: one such character pasted into a school's name would otherwise make
 * the whole file unreadable to Word.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(NOT_XML, "")
    .replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** An on/off property written both ways, as the package wrote it ("false" for paragraphs, "off" for rows). */
const onOff = (tag: string, on: boolean | undefined, off = "false") =>
  on ? `<w:${tag}/>` : `<w:${tag} w:val="${off}"/>`;

/** Bytes of UTF-8 filled piece by piece and handed on in blocks, so no long string is ever built or re-encoded. */
class Bytes {
  private buf = Buffer.allocUnsafe(BLOCK * 2);
  private pos = 0;

  write(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    if (this.pos + text.length * 3 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + text.length * 3));
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    this.pos += this.buf.write(text, this.pos, "utf8");
  }

  get full(): boolean {
    return this.pos >= BLOCK;
  }

  take(): Buffer {
    const done = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(BLOCK * 2);
    this.pos = 0;
    return done;
  }
}

/**
 * Between two tables that follow each other, a paragraph one point high: Word
 * and LibreOffice join two adjacent tables into one, so the second (a block of
 * signatures) took the first's header row, repeated alone at the top of the
 * next page. Google Docs always has a paragraph before a table (docs-requests.ts).
 */
export const TABLE_SEPARATOR =
  '<w:p><w:pPr><w:spacing w:after="0" w:before="0" w:line="20" w:lineRule="exact"/></w:pPr></w:p>';

/** Bytes handed to the zip writer at a time. */
const BLOCK = 1 << 18;

/**
 * Writes one model's body. Paragraph, run and cell properties repeat thousands
 * of times with a handful of values, so each distinct one is written out once.
 */
export class BodyWriter {
  private readonly paragraphProps = new Map<string, string>();
  private readonly runProps = new Map<string, string>();
  private readonly cellProps = new Map<string, string>();
  private readonly fontXml: string;
  private readonly line: number;
  private readonly out = new Bytes();

  constructor(private readonly model: DocumentModel) {
    const f = escapeXml(model.page.font);
    this.fontXml = `<w:rFonts w:ascii="${f}" w:cs="${f}" w:eastAsia="${f}" w:hAnsi="${f}"/>`;
    this.line = Math.round(240 * model.page.lineSpacing);
  }

  /** Width of the text between the margins, in twips. */
  get textWidth(): number {
    const m = this.model.page.marginsMm;
    const page = this.model.page.orientation === "landscape" ? A4.height : A4.width;
    return page - mmToTwip(m.left + m.right);
  }

  /** The body as UTF-8, a block of bytes at a time. */
  *blocks(): Generator<Uint8Array> {
    const width = this.textWidth;
    let previous: DocumentModel["blocks"][number]["kind"] | undefined;
    for (const b of this.model.blocks) {
      if (b.kind === "table" && previous === "table") this.out.write(TABLE_SEPARATOR);
      previous = b.kind;
      if (b.kind === "paragraph") this.paragraph(b, width);
      else if (b.kind === "table") yield* this.table(b, width);
      else this.out.write("<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>");
      if (this.out.full) yield this.out.take();
    }
    yield this.out.take();
  }

  private run(r: Run): void {
    const size = (r.size ?? this.model.page.bodySizePt) * 2;
    const key = `${r.bold ? 1 : 0}${r.italic ? 1 : 0}${r.underline ? 1 : 0}${size}`;
    let props = this.runProps.get(key);
    if (props === undefined) {
      props =
        `<w:r><w:rPr>${this.fontXml}${r.bold ? "<w:b/><w:bCs/>" : ""}${r.italic ? "<w:i/><w:iCs/>" : ""}` +
        `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>${r.underline ? '<w:u w:val="single"/>' : ""}</w:rPr>` +
        `<w:t xml:space="preserve">`;
      this.runProps.set(key, props);
    }
    this.out.write(props);
    this.out.write(escapeXml(r.text));
    this.out.write("</w:t></w:r>");
  }

  /** A paragraph, and under it the short rule when it has one (`width`: of the column or the page, in twips). */
  private paragraph(x: Paragraph, width: number): void {
    const rule = x.ruleBelow !== undefined;
    const key = `${x.keepWithNext || rule}|${rule}|${x.spaceAfterPt}|${x.spaceBeforePt}|${x.firstLineCm}|${x.align}`;
    let props = this.paragraphProps.get(key);
    if (props === undefined) {
      const after = rule ? 0 : (x.spaceAfterPt ?? 0) * 20;
      const indent = x.firstLineCm ? `<w:ind w:firstLine="${mmToTwip(x.firstLineCm * 10)}"/>` : "";
      props =
        `<w:p><w:pPr>${onOff("keepNext", x.keepWithNext || rule)}` +
        `<w:spacing w:after="${after}" w:before="${(x.spaceBeforePt ?? 0) * 20}" w:line="${this.line}"/>` +
        `${indent}<w:jc w:val="${JC[x.align]}"/></w:pPr>`;
      this.paragraphProps.set(key, props);
    }
    this.out.write(props);
    for (const r of x.runs) this.run(r);
    this.out.write("</w:p>");
    if (rule) this.out.write(shortRule(x, width));
  }

  private *table(t: Table, textWidth: number): Generator<Uint8Array> {
    const widths = columnWidths(t, this.model.page, textWidth, 20).map(Math.floor);
    const border = t.borders ? 'w:val="single" w:color="000000" w:sz="4"' : 'w:val="none" w:color="FFFFFF" w:sz="0"';
    const sides = ["top", "left", "bottom", "right", "insideH", "insideV"].map((s) => `<w:${s} ${border}/>`).join("");
    this.out.write(
      `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${textWidth}"/><w:tblBorders>${sides}</w:tblBorders>` +
        `<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join("")}` +
        `</w:tblGrid>`,
    );
    const cantSplit = onOff("cantSplit", t.cantSplit, "off");
    for (const [i, row] of t.rows.entries()) {
      this.out.write(`<w:tr><w:trPr>${cantSplit}${onOff("tblHeader", i < t.headerRows, "off")}</w:trPr>`);
      let column = 0;
      for (const c of row) {
        const span = c.colSpan || 1;
        const width = widths.slice(column, column + span).reduce((a, b) => a + b, 0);
        column += span;
        this.out.write(`<w:tc>${this.cellPr(c, width, t.borders)}`);
        for (const x of c.paragraphs) this.paragraph(x, width);
        this.out.write(c.paragraphs.length ? "</w:tc>" : "<w:p/></w:tc>");
      }
      this.out.write("</w:tr>");
      if (this.out.full) yield this.out.take();
    }
    this.out.write("</w:tbl>");
  }

  private cellPr(c: TableCell, width: number, borders: boolean): string {
    const key = `${width}|${c.colSpan ?? ""}|${c.shade ?? ""}|${c.valign ?? ""}|${borders}`;
    let props = this.cellProps.get(key);
    if (props === undefined) {
      const margins = borders
        ? '<w:top w:type="dxa" w:w="20"/><w:left w:type="dxa" w:w="60"/>' +
          '<w:bottom w:type="dxa" w:w="20"/><w:right w:type="dxa" w:w="60"/>'
        : '<w:left w:type="dxa" w:w="0"/><w:right w:type="dxa" w:w="0"/>';
      props =
        `<w:tcPr><w:tcW w:type="dxa" w:w="${width}"/>` +
        (c.colSpan ? `<w:gridSpan w:val="${c.colSpan}"/>` : "") +
        (c.shade ? `<w:shd w:fill="${escapeXml(c.shade.replace("#", ""))}" w:color="auto" w:val="clear"/>` : "") +
        `<w:tcMar>${margins}</w:tcMar><w:vAlign w:val="${c.valign === "center" ? "center" : "top"}"/></w:tcPr>`;
      this.cellProps.set(key, props);
    }
    return props;
  }
}

/** A short solid rule under a heading: an empty 2 pt paragraph with a bottom border, narrowed to the middle third. */
function shortRule(x: Paragraph, width: number): string {
  const side = Math.round(width / 3);
  return (
    `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:color="000000" w:sz="6" w:space="1"/></w:pBdr>` +
    `<w:spacing w:after="${(x.spaceAfterPt ?? 0) * 20}" w:before="0" w:line="60" w:lineRule="exact"/>` +
    `<w:ind w:left="${side}" w:right="${side}"/><w:jc w:val="center"/></w:pPr>` +
    `<w:r><w:rPr><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr><w:t xml:space="preserve"></w:t></w:r></w:p>`
  );
}
