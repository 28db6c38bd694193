/**
 * Text comparison rules shared by every reader: Vietnamese text arrives both
 * composed (NFC) and decomposed (NFD) depending on the keyboard, with stray
 * spaces and non-breaking spaces pasted from Word.
 */

const SPACE_LIKE = /[\s\u00a0\u2007\u202f\u200b\ufeff]+/g;

const PLAIN_ASCII = /^[!-~]*$/;

/** NFC, every kind of space folded to one ASCII space, trimmed. */
export function cleanText(s: string): string {
  // Codes and typed numbers are mostly printable ASCII without spaces: nothing to do.
  if (PLAIN_ASCII.test(s)) return s;
  return s.normalize("NFC").replace(SPACE_LIKE, " ").trim();
}

/**
 * Key for matching labels and codes: cleanText plus case folding. Plain
 * toLowerCase is right for Vietnamese (no dotted/dotless i) and much faster
 * than the locale-aware one.
 */
export function matchKey(s: string): string {
  let key = keyCache.get(s);
  if (key === undefined) {
    key = cleanText(s).toLowerCase();
    // The same few labels ("Đạt", codes, headers) repeat in every sheet; the cap keeps memory flat.
    if (keyCache.size > 5000) keyCache.clear();
    keyCache.set(s, key);
  }
  return key;
}
const keyCache = new Map<string, string>();


/**
 * Formula injection guard for values that came from a file: a spreadsheet
 * treats text starting with these characters as a formula when it is typed
 * or written through an API that parses input.
 */
export function looksLikeFormula(s: string): boolean {
  return /^[=+\-@]/.test(s.trimStart());
}
