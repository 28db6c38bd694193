/** Document model -> .docx with the docx package. Translation only: no wording of its own. */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph as DocxParagraph,
  ShadingType,
  Table as DocxTable,
  TableCell as DocxCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  convertMillimetersToTwip,
} from "docx";
import type { Align, DocumentModel, Paragraph, Table } from "../core/documents/doc-model";

const A4 = { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) };
const ALIGN: Record<Align, (typeof AlignmentType)[keyof typeof AlignmentType]> = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
};
const NONE = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const THIN = { style: BorderStyle.SINGLE, size: 4, color: "000000" };

function paragraph(x: Paragraph, model: DocumentModel): DocxParagraph {
  const body = model.page.bodySizePt;
  return new DocxParagraph({
    alignment: ALIGN[x.align],
    keepNext: x.keepWithNext || x.ruleBelow !== undefined,
    indent: x.firstLineCm ? { firstLine: convertMillimetersToTwip(x.firstLineCm * 10) } : undefined,
    spacing: {
      before: (x.spaceBeforePt ?? 0) * 20,
      after: x.ruleBelow ? 0 : (x.spaceAfterPt ?? 0) * 20,
      line: Math.round(240 * model.page.lineSpacing),
    },
    children: x.runs.map(
      (r) =>
        new TextRun({
          text: r.text,
          bold: r.bold,
          italics: r.italic,
          underline: r.underline ? {} : undefined,
          size: (r.size ?? body) * 2,
          font: model.page.font,
        }),
    ),
  });
}

/** A short solid rule under a heading: an empty 2 pt paragraph with a bottom border, narrowed to the middle third. */
function rule(x: Paragraph, width: number): DocxParagraph {
  return new DocxParagraph({
    alignment: AlignmentType.CENTER,
    indent: { left: Math.round(width / 3), right: Math.round(width / 3) },
    spacing: { before: 0, after: (x.spaceAfterPt ?? 0) * 20, line: 60, lineRule: "exact" },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
    children: [new TextRun({ text: "", size: 4 })],
  });
}

function paragraphs(x: Paragraph, model: DocumentModel, width: number): DocxParagraph[] {
  return x.ruleBelow ? [paragraph(x, model), rule(x, width)] : [paragraph(x, model)];
}

function table(t: Table, model: DocumentModel, textWidth: number): DocxTable {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => Math.floor((w / total) * textWidth));
  const border = t.borders ? THIN : NONE;
  return new DocxTable({
    layout: TableLayoutType.FIXED,
    width: { size: textWidth, type: WidthType.DXA },
    columnWidths: widths,
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: t.rows.map(
      (row, i) =>
        new TableRow({
          tableHeader: i < t.headerRows,
          cantSplit: t.cantSplit,
          children: row.map((c, j) => {
            const cellWidth = widths.slice(j, j + (c.colSpan ?? 1)).reduce((a, b) => a + b, 0);
            return new DocxCell({
              width: { size: cellWidth, type: WidthType.DXA },
              columnSpan: c.colSpan,
              verticalAlign: c.valign === "center" ? VerticalAlign.CENTER : VerticalAlign.TOP,
              shading: c.shade ? { type: ShadingType.CLEAR, fill: c.shade.replace("#", ""), color: "auto" } : undefined,
              margins: t.borders ? { left: 60, right: 60, top: 20, bottom: 20 } : { left: 0, right: 0 },
              children: c.paragraphs.flatMap((x) => paragraphs(x, model, cellWidth)),
            });
          }),
        }),
    ),
  });
}

export function toDocx(model: DocumentModel): Document {
  const m = model.page.marginsMm;
  const landscape = model.page.orientation === "landscape";
  const pageWidth = landscape ? A4.height : A4.width;
  const textWidth = pageWidth - convertMillimetersToTwip(m.left + m.right);
  const children = model.blocks.flatMap((b): (DocxParagraph | DocxTable)[] => {
    if (b.kind === "paragraph") return paragraphs(b, model, textWidth);
    if (b.kind === "table") return [table(b, model, textWidth)];
    return [new DocxParagraph({ pageBreakBefore: true, children: [] })];
  });
  return new Document({
    creator: "cum-thi-dua",
    title: model.title,
    styles: { default: { document: { run: { font: model.page.font, size: model.page.bodySizePt * 2 } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: {
              width: A4.width,
              height: A4.height,
              orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
            },
            margin: {
              top: convertMillimetersToTwip(m.top),
              bottom: convertMillimetersToTwip(m.bottom),
              left: convertMillimetersToTwip(m.left),
              right: convertMillimetersToTwip(m.right),
              header: convertMillimetersToTwip(10),
            },
          },
        },
        // Page numbers centred at the top from page 2; the first page has an empty header.
        headers: {
          first: new Header({ children: [new DocxParagraph({ children: [] })] }),
          default: new Header({
            children: [
              new DocxParagraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT], font: model.page.font, size: 26 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}

export async function docxBuffer(model: DocumentModel): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(toDocx(model)));
}
