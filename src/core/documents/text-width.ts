/**
 * How wide text is in Times New Roman, from the font's advance widths, so a
 * document's tables can be checked (and sized) from the model alone, without
 * a renderer or the fonts of one machine. A word never breaks inside a table
 * cell: a header whose longest word is wider than its column wraps mid-word
 * ("ST/T"), so each column must hold the widest word of its header cells.
 */
import type { PageSetup, Paragraph, Run, Table, TableCell } from "./doc-model";

/**
 * Advance widths in thousandths of an em of the printable ASCII characters
 * (space to "~") in Times New Roman regular, bold, italic and bold italic:
 * the widths Liberation Serif was drawn to match, metric for metric.
 */
const ASCII: Record<"regular" | "bold" | "italic" | "boldItalic", string> = {
  regular:
    "250,333,408,500,500,833,778,180,333,333,500,564,250,333,250,278,500,500,500,500,500,500,500,500,500,500,278," +
    "278,564,564,564,444,921,722,667,667,722,611,556,722,722,333,389,722,611,889,722,722,556,722,667,556,611,722," +
    "722,944,722,722,611,333,278,333,469,500,333,444,500,444,500,444,333,500,500,278,278,500,278,778,500,500,500," +
    "500,333,389,278,500,500,722,500,500,444,480,200,480,541",
  bold:
    "250,333,555,500,500,1000,833,278,333,333,500,570,250,333,250,278,500,500,500,500,500,500,500,500,500,500,333," +
    "333,570,570,570,500,930,722,667,722,722,667,611,778,778,389,500,778,667,944,722,778,611,778,722,556,667,722," +
    "722,1000,722,722,667,333,278,333,581,500,333,500,556,444,556,444,333,500,556,278,333,556,278,833,556,500,556," +
    "556,444,389,333,556,500,722,500,500,444,394,220,394,520",
  italic:
    "250,333,420,500,500,833,778,214,333,333,500,675,250,333,250,278,500,500,500,500,500,500,500,500,500,500,333," +
    "333,675,675,675,500,920,611,611,667,722,611,611,722,722,333,444,667,556,833,667,722,611,722,611,500,556,722," +
    "611,833,611,556,556,389,278,389,422,500,333,500,500,444,500,444,278,500,500,278,278,444,278,722,500,500,500," +
    "500,389,389,278,500,444,667,444,444,389,400,275,400,541",
  boldItalic:
    "250,389,555,500,500,833,778,278,333,333,500,570,250,333,250,278,500,500,500,500,500,500,500,500,500,500,333," +
    "333,570,570,570,500,832,667,667,667,722,667,667,722,778,389,500,667,611,889,722,722,611,722,667,556,611,722," +
    "667,889,667,611,611,333,278,333,570,500,333,500,500,444,500,444,333,500,556,278,278,500,278,778,556,500,500," +
    "500,389,389,278,556,444,667,500,444,389,348,220,348,570",
};
const WIDTHS = Object.fromEntries(
  Object.entries(ASCII).map(([style, list]) => [style, list.split(",").map(Number)]),
) as Record<keyof typeof ASCII, number[]>;

/**
 * Letters outside ASCII. A Vietnamese vowel with tone or hat marks is as wide
 * as its base letter in Times New Roman; đ is as wide as d, Đ as D. The horn
 * letters (ơ, ư and their toned forms) are wider than o and u by an amount the
 * metrics above do not give, so they count a tenth of an em more: the check
 * errs on the wide side.
 */
const HORN = "\u031B";
const WIDE_PUNCTUATION: Record<string, number> = { "–": 500, "—": 1000, "…": 1000, "“": 444, "”": 444 };

function charWidth(ch: string, style: keyof typeof ASCII): number {
  const parts = ch.normalize("NFD");
  const base = ch === "đ" ? "d" : ch === "Đ" ? "D" : parts[0]!;
  const code = base.charCodeAt(0);
  if (code >= 32 && code < 127) return WIDTHS[style][code - 32]! + (parts.includes(HORN) ? 100 : 0);
  // Anything else counts as wide as the widest letter: nothing unknown is taken for narrow.
  return WIDE_PUNCTUATION[ch] ?? 1000;
}

/** Width of a piece of text in points at a size and style. */
export function textWidthPt(text: string, sizePt: number, bold = false, italic = false): number {
  const style = bold ? (italic ? "boldItalic" : "bold") : italic ? "italic" : "regular";
  let units = 0;
  for (const ch of text.normalize("NFC")) units += charWidth(ch, style);
  return (units * sizePt) / 1000;
}

/** The widest word of a paragraph, in points: the least width it can wrap into without breaking a word. */
export function widestWordPt(x: Paragraph, bodySizePt: number): number {
  let widest = 0;
  // A word may run across runs ("đoạn" + " ba" is two words; "Đ" + "ắk" one): measure run pieces word by word.
  let current = 0;
  const pieces = x.runs.flatMap((r: Run) => r.text.split(/(\s+)/).map((text) => ({ text, r })));
  for (const { text, r } of pieces) {
    if (/^\s+$/.test(text)) {
      widest = Math.max(widest, current);
      current = 0;
      continue;
    }
    current += textWidthPt(text, r.size ?? bodySizePt, r.bold, r.italic);
  }
  return Math.max(widest, current);
}

/**
 * Points a bordered table cell keeps beside its text on each side: the cell
 * margin the renderers set (60 twips, 3 pt), the half-point border line,
 * which LibreOffice lays out inside the cell, and one point for the rounding
 * between renderers (a column at exactly the text's width still wrapped it).
 */
export const CELL_SIDE_PT = 3 + 0.5 + 1;

/** The least width of a cell: its widest word and, in a bordered table, what each side keeps. */
export function minimumCellWidthPt(c: TableCell, table: Table, bodySizePt: number): number {
  const word = Math.max(0, ...c.paragraphs.map((x) => widestWordPt(x, bodySizePt)));
  return word + (table.borders ? 2 * CELL_SIDE_PT : 0);
}

/** Width between the margins of the page, in points. */
export function textWidthOfPagePt(page: PageSetup): number {
  const width = page.orientation === "landscape" ? 297 : 210;
  return ((width - page.marginsMm.left - page.marginsMm.right) * 72) / 25.4;
}

/**
 * The table's columns spread over `textWidth` (in any unit, `perPt` of them
 * to a point): in proportion to the model's relative widths, except that a
 * column too narrow for the longest word of a header cell gets that much, and
 * the width it takes comes from the other columns in proportion, none of them
 * going below its own header's need. Both renderers size columns with this,
 * so a header never wraps mid-word ("ST/T") however many columns a table has.
 */
export function columnWidths(t: Table, page: PageSetup, textWidth: number, perPt: number): number[] {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => (w / total) * textWidth);
  const need = t.widths.map(() => 0);
  for (const row of t.rows.slice(0, t.headerRows)) {
    let column = 0;
    for (const c of row) {
      const span = c.colSpan || 1;
      // A cell spanning columns asks each for its share.
      const share = (minimumCellWidthPt(c, t, page.bodySizePt) * perPt) / span;
      for (let k = column; k < column + span && k < need.length; k++) need[k] = Math.max(need[k]!, share);
      column += span;
    }
  }
  if (widths.every((w, i) => w >= need[i]!)) return widths;
  const fixed = new Set<number>();
  for (;;) {
    widths.forEach((w, i) => w < need[i]! && fixed.add(i));
    const taken = [...fixed].reduce((a, i) => a + need[i]!, 0);
    const free = t.widths.reduce((a, w, i) => (fixed.has(i) ? a : a + w), 0);
    // Every column at its need and still too wide for the page: the narrowest honest answer is the needs.
    if (free === 0 || taken >= textWidth) return need;
    const next = t.widths.map((w, i) => (fixed.has(i) ? need[i]! : (w / free) * (textWidth - taken)));
    if (next.every((w, i) => w >= need[i]!)) return next;
    widths.splice(0, widths.length, ...next);
  }
}

/** Each column's width in points, as the renderers lay the table on the page. */
export function columnWidthsPt(t: Table, page: PageSetup): number[] {
  return columnWidths(t, page, textWidthOfPagePt(page), 1);
}
