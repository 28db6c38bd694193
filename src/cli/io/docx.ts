/**
 * The .docx renderer, loaded only by the commands that write a document:
 * the docx package takes ~80 ms to load, which tong-hop, kiem-tra and
 * tao-mau would otherwise pay on every run (the build splits it out).
 */
import type { DocumentModel } from "../../core/documents/doc-model";

export async function docxBytes(model: DocumentModel): Promise<Uint8Array> {
  const { docxBuffer } = await import("../../docx/render");
  return docxBuffer(model);
}
