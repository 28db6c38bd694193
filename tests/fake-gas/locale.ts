/**
 * How Google Sheets reads a string that a script writes with setValue(s):
 * as if a person typed it, in the spreadsheet's locale, unless the cell is
 * formatted as plain text ("@"). Google documents that strings are parsed
 * but not the grammar; the fake takes the strict side and parses every form
 * a person could mean as a number, a percentage or a date.
 */

// Strings are parsed like typed input; Google's own setValues sample writes "2.000" and "$2.99": https://developers.google.com/apps-script/reference/spreadsheet/range#setvaluesvalues
// A "@" format set beforehand keeps the text as it is: https://developers.google.com/sheets/api/guides/formats
// vi_VN separators (dot groups thousands, comma is the decimal mark, day before month) are UNCONFIRMED: the fake assumes them.

interface LocaleRules {
  decimal: string;
  group: string;
  dayFirst: boolean;
}

const RULES: Record<string, LocaleRules> = {
  vi_VN: { decimal: ",", group: ".", dayFirst: true },
  en_US: { decimal: ".", group: ",", dayFirst: false },
};

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Midnight of a calendar day in the spreadsheet's time zone (Asia/Ho_Chi_Minh, UTC+7), or undefined for a day that does not exist. */
function day(year: number, month: number, date: number): Date | undefined {
  if (month < 1 || month > 12 || date < 1 || date > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, date) - 7 * 3600_000);
  const back = new Date(d.getTime() + 7 * 3600_000);
  return back.getUTCMonth() === month - 1 && back.getUTCDate() === date ? d : undefined;
}

/** The value Sheets stores for a string typed into a cell whose number format is not "@". */
export function parseAsTyped(text: string, locale: string, now: Date): unknown {
  const rules = RULES[locale];
  if (!rules) throw new Error(`The fake does not model the ${locale} locale.`);
  const s = text.trim();
  if (!s) return text;
  const d = esc(rules.decimal);
  const g = esc(rules.group);
  const number = new RegExp(`^([-+]?)(\\d{1,3}(?:${g}\\d{3})+|\\d+)?(?:${d}(\\d+))?(\\s?%)?$`).exec(s);
  if (number && (number[2] !== undefined || number[3] !== undefined)) {
    const whole = (number[2] ?? "0").split(rules.group).join("");
    const n = Number(`${number[1]}${whole}.${number[3] ?? "0"}`);
    return number[4] ? n / 100 : n;
  }
  const stamp = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (stamp) {
    const [d, m] = rules.dayFirst ? [stamp[1], stamp[2]] : [stamp[2], stamp[1]];
    const date = day(Number(stamp[3]), Number(m), Number(d));
    return date
      ? new Date(date.getTime() + (Number(stamp[4]) * 60 + Number(stamp[5])) * 60_000 + Number(stamp[6] ?? 0) * 1000)
      : text;
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return day(Number(iso[1]), Number(iso[2]), Number(iso[3])) ?? text;
  const dmy = /^(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?$/.exec(s);
  if (dmy) {
    const a = Number(dmy[1]);
    const b = Number(dmy[2]);
    const thisYear = new Date(now.getTime() + 7 * 3600_000).getUTCFullYear();
    const y = dmy[3] === undefined ? thisYear : dmy[3].length === 2 ? 2000 + Number(dmy[3]) : Number(dmy[3]);
    return (rules.dayFirst ? day(y, b, a) : day(y, a, b)) ?? text;
  }
  return text;
}

/** A Date as a serial number of days since 30/12/1899 in the spreadsheet's time zone, as the Sheets API's SERIAL_NUMBER gives it. */
export function serialNumber(d: Date): number {
  const local = d.getTime() + 7 * 3600_000;
  return (local - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/** A Date as the vi_VN default date format shows it, as the Sheets API's FORMATTED_STRING gives it. */
export function formattedDate(d: Date, locale: string): string {
  const v = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const [dd, mm, yyyy] = [p(v.getUTCDate()), p(v.getUTCMonth() + 1), String(v.getUTCFullYear())];
  return RULES[locale]?.dayFirst === false ? `${Number(mm)}/${Number(dd)}/${yyyy}` : `${dd}/${mm}/${yyyy}`;
}
