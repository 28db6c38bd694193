/**
 * The cluster definition: the one declarative description of a cluster year
 * (members, roles, targets with their constraints, aggregation and scoring)
 * that drives the Google Sheet, the Excel template, validation, Tổng hợp and
 * the documents. Shipped as JSON under sheets-templates/. This module is its
 * public face: the schema and its types (schema.ts), the checks (checks.ts)
 * and the Vietnamese messages (messages.ts).
 */
export * from "./schema";
export * from "./checks";
export { issueMessage } from "./messages";
