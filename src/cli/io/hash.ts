/**
 * SHA-256 in hex of canonical text: the offline side of every fingerprint (Apps Script hashes the same text itself).
 */
import { createHash } from "node:crypto";

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
