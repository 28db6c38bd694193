/**
 * The text of a .docx read from the document itself (word/document.xml), never from a PDF's line layout: one
 * line per paragraph, runs joined, so a table row reads across its cells in order. Every test that checks a
 * document's wording uses this; LibreOffice is for what only a renderer knows (pages, margins).
 */
import JSZip from "jszip";
import { readFileSync } from "node:fs";

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

export async function docxText(file: string | Uint8Array): Promise<string> {
  const bytes = typeof file === "string" ? readFileSync(file) : file;
  const xml = await (await JSZip.loadAsync(bytes)).file("word/document.xml")!.async("string");
  return xml
    .split("</w:p>")
    .map((p) =>
      [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)].map((m) => unescape(m[1] ?? " ")).join(""),
    )
    .join("\n")
    .normalize("NFC");
}
