/**
 * Text comparison rules shared by every reader: Vietnamese text arrives both
 * composed (NFC) and decomposed (NFD) depending on the keyboard, with stray
 * spaces and non-breaking spaces pasted from Word.
 */

/** Every kind of space cleanText folds away; isBlankText must agree with it. */
const SPACES = "\\s\\u00a0\\u2007\\u202f\\u200b\\ufeff";
const SPACE_LIKE = new RegExp(`[${SPACES}]+`, "g");
const INVISIBLE_CHARS = "\\u00ad\\u061c\\u200c-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069";
const ONLY_SPACES = new RegExp(`^[${SPACES}${INVISIBLE_CHARS}]*$`);

const PLAIN_ASCII = /^[!-~]*$/;

/**
 * Invisible characters that change what text looks like without showing:
 * zero-width joiners, the soft hyphen and bidi controls (a right-to-left
 * override can make "2023" print as "3202" or hide part of a message).
 */
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`, "g");

/** Text with the invisible characters taken out, for anything shown to people (file names in messages too). */
export function stripInvisible(s: string): string {
  return s.replace(INVISIBLE, "");
}

/** NFC, invisible characters removed, every kind of space folded to one ASCII space, trimmed. */
export function cleanText(s: string): string {
  // Codes and typed numbers are mostly printable ASCII without spaces: nothing to do.
  if (PLAIN_ASCII.test(s)) return s;
  return s.normalize("NFC").replace(INVISIBLE, "").replace(SPACE_LIKE, " ").trim();
}

/** Whether cleanText would leave nothing, tested without normalising (most cells hold text worth keeping). */
export function isBlankText(s: string): boolean {
  // A visible ASCII first character settles it for nearly every filled cell.
  const first = s.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return ONLY_SPACES.test(s);
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
