/**
 * Document model -> .docx: the WordprocessingML parts around the body that
 * wordml.ts writes, zipped as they are written. Translation only: no wording of its own.
 */
import type { DocumentModel } from "../core/documents/doc-model";
import { A4, BodyWriter, escapeXml, mmToTwip } from "./wordml";
import { zipText } from "./zip";

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL = `${R}/`;
const PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/";
const TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
/** Relationship ids of the body's own parts (word/_rels/document.xml.rels). */
const HEADER_DEFAULT = "rIdHeaderDefault";
const HEADER_FIRST = "rIdHeaderFirst";

const CONTENT_TYPES =
  `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/word/document.xml" ContentType="${TYPES}document.main+xml"/>` +
  `<Override PartName="/word/styles.xml" ContentType="${TYPES}styles+xml"/>` +
  `<Override PartName="/word/settings.xml" ContentType="${TYPES}settings+xml"/>` +
  `<Override PartName="/word/header1.xml" ContentType="${TYPES}header+xml"/>` +
  `<Override PartName="/word/header2.xml" ContentType="${TYPES}header+xml"/>` +
  `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
  `<Override PartName="/docProps/app.xml" ` +
  `ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;

const PACKAGE_RELS =
  `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${REL}officeDocument" Target="word/document.xml"/>` +
  `<Relationship Id="rId2" Type="${PACKAGE_REL}metadata/core-properties" Target="docProps/core.xml"/>` +
  `<Relationship Id="rId3" Type="${REL}extended-properties" Target="docProps/app.xml"/></Relationships>`;

const DOCUMENT_RELS =
  `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rIdStyles" Type="${REL}styles" Target="styles.xml"/>` +
  `<Relationship Id="rIdSettings" Type="${REL}settings" Target="settings.xml"/>` +
  `<Relationship Id="${HEADER_DEFAULT}" Type="${REL}header" Target="header1.xml"/>` +
  `<Relationship Id="${HEADER_FIRST}" Type="${REL}header" Target="header2.xml"/></Relationships>`;

/** Word 2013 and later lay the document out in their own mode (compatibilityMode 15), not as an old file. */
const SETTINGS =
  `${XML}<w:settings xmlns:w="${W}"><w:defaultTabStop w:val="720"/><w:evenAndOddHeaders w:val="false"/>` +
  `<w:compat><w:compatSetting w:val="15" w:name="compatibilityMode" ` +
  `w:uri="http://schemas.microsoft.com/office/word"/></w:compat></w:settings>`;

const APP_PROPERTIES =
  `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
  `<Application>cum-thi-dua</Application></Properties>`;

function runFonts(font: string): string {
  const f = escapeXml(font);
  return `<w:rFonts w:ascii="${f}" w:cs="${f}" w:eastAsia="${f}" w:hAnsi="${f}"/>`;
}

/** The body font and size for anything that sets none; tables' default cell margins as Word's "Normal Table". */
function styles(model: DocumentModel): string {
  const size = model.page.bodySizePt * 2;
  return (
    `${XML}<w:styles xmlns:w="${W}"><w:docDefaults><w:rPrDefault><w:rPr>${runFonts(model.page.font)}` +
    `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>` +
    `<w:style w:type="paragraph" w:styleId="Normal" w:default="1"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
    `<w:style w:type="table" w:styleId="TableNormal" w:default="1"><w:name w:val="Normal Table"/>` +
    `<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:type="dxa" w:w="0"/>` +
    `<w:tblCellMar><w:top w:type="dxa" w:w="0"/><w:left w:type="dxa" w:w="108"/><w:bottom w:type="dxa" w:w="0"/>` +
    `<w:right w:type="dxa" w:w="108"/></w:tblCellMar></w:tblPr></w:style></w:styles>`
  );
}

/** Page numbers centred at the top from page 2 (the section's title page takes the empty first-page header). */
function pageNumberHeader(model: DocumentModel): string {
  const props = `<w:rPr>${runFonts(model.page.font)}<w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr>`;
  const run = (inner: string) => `<w:r>${props}${inner}</w:r>`;
  return (
    `${XML}<w:hdr xmlns:w="${W}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
    run('<w:fldChar w:fldCharType="begin"/>') +
    run('<w:instrText xml:space="preserve">PAGE</w:instrText>') +
    run('<w:fldChar w:fldCharType="separate"/>') +
    run('<w:fldChar w:fldCharType="end"/>') +
    `</w:p></w:hdr>`
  );
}

const EMPTY_HEADER = `${XML}<w:hdr xmlns:w="${W}"><w:p/></w:hdr>`;

function sectionProperties(model: DocumentModel): string {
  const m = model.page.marginsMm;
  const landscape = model.page.orientation === "landscape";
  const [w, h] = landscape ? [A4.height, A4.width] : [A4.width, A4.height];
  return (
    `<w:sectPr><w:headerReference w:type="default" r:id="${HEADER_DEFAULT}"/>` +
    `<w:headerReference w:type="first" r:id="${HEADER_FIRST}"/>` +
    `<w:pgSz w:w="${w}" w:h="${h}" w:orient="${landscape ? "landscape" : "portrait"}"/>` +
    `<w:pgMar w:top="${mmToTwip(m.top)}" w:right="${mmToTwip(m.right)}" w:bottom="${mmToTwip(m.bottom)}" ` +
    `w:left="${mmToTwip(m.left)}" w:header="${mmToTwip(10)}" w:footer="708" w:gutter="0"/>` +
    `<w:pgNumType/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>`
  );
}

function* documentXml(model: DocumentModel): Generator<string | Uint8Array> {
  yield `${XML}<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>`;
  yield* new BodyWriter(model).blocks();
  yield `${sectionProperties(model)}</w:body></w:document>`;
}

function coreProperties(model: DocumentModel, now: Date): string {
  const at = now.toISOString();
  return (
    `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXml(model.title)}</dc:title>` +
    `<dc:creator>cum-thi-dua</dc:creator><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified></cp:coreProperties>`
  );
}

export async function docxBuffer(model: DocumentModel, now = new Date()): Promise<Uint8Array> {
  return zipText(
    [
      { name: "[Content_Types].xml", content: [CONTENT_TYPES] },
      { name: "_rels/.rels", content: [PACKAGE_RELS] },
      { name: "docProps/core.xml", content: [coreProperties(model, now)] },
      { name: "docProps/app.xml", content: [APP_PROPERTIES] },
      { name: "word/_rels/document.xml.rels", content: [DOCUMENT_RELS] },
      { name: "word/styles.xml", content: [styles(model)] },
      { name: "word/settings.xml", content: [SETTINGS] },
      { name: "word/header1.xml", content: [pageNumberHeader(model)] },
      { name: "word/header2.xml", content: [EMPTY_HEADER] },
      { name: "word/document.xml", content: documentXml(model) },
    ],
    now,
  );
}
