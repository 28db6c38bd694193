/**
 * One document using every option of the document model, with text that
 * needs escaping: what the .docx writer is compared on, element by element,
 * against the markup the `docx` package gave for it (fixtures/).
 */
import type { DocumentModel } from "../../src/core/documents/doc-model";

export const FEATURE_MODEL: DocumentModel = {
  title: `Thử <mọi> & "tính năng" 'x'`,
  page: {
    size: "A4",
    orientation: "landscape",
    marginsMm: { top: 20, bottom: 25, left: 30, right: 15 },
    font: "Times New Roman",
    bodySizePt: 13,
    lineSpacing: 1.5,
    pageNumbers: "top-center-from-second",
  },
  blocks: [
    {
      kind: "paragraph",
      runs: [
        { text: "a <b> & c", bold: true, italic: true, underline: true, size: 16 },
        { text: "" },
        { text: `  Đắk Lắk "x" 'y'  ` },
      ],
      align: "justify",
      firstLineCm: 1.27,
      spaceBeforePt: 6,
      spaceAfterPt: 3,
      keepWithNext: true,
    },
    {
      kind: "paragraph",
      runs: [{ text: "CỤM TRƯỞNG", underline: true }],
      align: "center",
      ruleBelow: "short",
      spaceAfterPt: 6,
    },
    { kind: "paragraph", runs: [], align: "right" },
    { kind: "pageBreak" },
    {
      kind: "table",
      widths: [7, 40, 13, 20],
      headerRows: 2,
      borders: true,
      cantSplit: true,
      rows: [
        [
          {
            paragraphs: [{ kind: "paragraph", runs: [{ text: "STT", bold: true }], align: "center" }],
            shade: "#F2F2F2",
          },
          { paragraphs: [], shade: "#ffffff", valign: "center" },
          {
            paragraphs: [{ kind: "paragraph", runs: [{ text: "x" }], align: "left", ruleBelow: "short" }],
            valign: "top",
            colSpan: 2,
          },
        ],
        [{ paragraphs: [] }, { paragraphs: [] }, { paragraphs: [] }, { paragraphs: [] }],
        [
          { paragraphs: [{ kind: "paragraph", runs: [{ text: "1", size: 11, italic: true }], align: "left" }] },
          {
            paragraphs: [
              { kind: "paragraph", runs: [{ text: "hai" }], align: "justify", keepWithNext: false },
              { kind: "paragraph", runs: [{ text: "đoạn" }, { text: " ba", bold: true }], align: "right" },
            ],
          },
          { paragraphs: [] },
          { paragraphs: [] },
        ],
      ],
    },
    {
      kind: "table",
      widths: [1, 1],
      headerRows: 0,
      borders: false,
      cantSplit: false,
      rows: [[{ paragraphs: [] }, { paragraphs: [] }]],
    },
  ],
};
