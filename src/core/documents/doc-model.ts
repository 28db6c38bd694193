/**
 * A document as data: page settings, paragraphs of runs, tables, rules and
 * page breaks. Built once in core from the cluster definition and figures;
 * the .docx and Google Docs renderers only translate it, so both produce the
 * same text, in the same places, and neither holds wording of its own.
 */

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  /** Points; the body size when absent. */
  size?: number;
}

export type Align = "left" | "center" | "right" | "justify";

export interface Paragraph {
  kind: "paragraph";
  runs: Run[];
  align: Align;
  /** First-line indent of body text, in centimetres. */
  firstLineCm?: number;
  spaceBeforePt?: number;
  spaceAfterPt?: number;
  keepWithNext?: boolean;
  /** A solid rule under the paragraph: "short" (a third of the text width, under a heading) or none. */
  ruleBelow?: "short";
}

export interface TableCell {
  paragraphs: Paragraph[];
  shade?: string;
  colSpan?: number;
  valign?: "top" | "center";
}

export interface Table {
  kind: "table";
  /** Relative column widths; the renderer scales them to the text width. */
  widths: number[];
  rows: TableCell[][];
  /** Rows at the top repeated on every page. */
  headerRows: number;
  borders: boolean;
  /** Rows never split across pages (always true for data tables). */
  cantSplit: boolean;
}

export interface PageBreak {
  kind: "pageBreak";
}

export type Block = Paragraph | Table | PageBreak;

export interface PageSetup {
  size: "A4";
  orientation: "portrait" | "landscape";
  marginsMm: { top: number; bottom: number; left: number; right: number };
  font: string;
  bodySizePt: number;
  lineSpacing: number;
  /** Centred at the top, from page 2 on (Decree 30/2020). */
  pageNumbers: "top-center-from-second";
}

export interface DocumentModel {
  title: string;
  page: PageSetup;
  blocks: Block[];
}

/** Decree 30/2020/NĐ-CP: A4 portrait, margins 20–25 / 30–35 / 15–20 mm, Times New Roman 13–14 pt. */
export const ADMIN_PAGE: PageSetup = {
  size: "A4",
  orientation: "portrait",
  marginsMm: { top: 20, bottom: 20, left: 30, right: 15 },
  font: "Times New Roman",
  bodySizePt: 14,
  lineSpacing: 1.15,
  pageNumbers: "top-center-from-second",
};

export function p(runs: Run[] | string, opts: Partial<Omit<Paragraph, "kind" | "runs">> = {}): Paragraph {
  return { kind: "paragraph", runs: typeof runs === "string" ? [{ text: runs }] : runs, align: "justify", ...opts };
}

export function cell(
  paragraphs: Paragraph[] | Paragraph | string,
  opts: Omit<TableCell, "paragraphs"> = {},
): TableCell {
  const list =
    typeof paragraphs === "string"
      ? [p(paragraphs, { align: "left" })]
      : Array.isArray(paragraphs)
        ? paragraphs
        : [paragraphs];
  return { paragraphs: list, ...opts };
}

/** Every piece of text in reading order: what a test compares between renderers. */
export function documentText(doc: DocumentModel): string[] {
  const out: string[] = [];
  const para = (x: Paragraph) => out.push(x.runs.map((r) => r.text).join(""));
  for (const b of doc.blocks) {
    if (b.kind === "paragraph") para(b);
    else if (b.kind === "table") for (const row of b.rows) for (const c of row) c.paragraphs.forEach(para);
  }
  return out;
}
