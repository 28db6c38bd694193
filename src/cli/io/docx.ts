/** The .docx of a document model, as every command that writes a document makes it. */
export { docxBuffer as docxBytes } from "../../docx/render";
