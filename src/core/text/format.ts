/**
 * Vietnamese number and date conventions: "." groups thousands, "," is the
 * decimal mark ("19.082", "95,5 %"), dates are dd/mm/yyyy.
 */

function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += "." + digits.slice(i, i + 3);
  return out;
}

export function formatNumber(n: number, maxDecimals = 2): string {
  if (!Number.isFinite(n)) return String(n);
  const factor = 10 ** maxDecimals;
  const scaled = Math.round(Math.abs(n) * factor);
  if (scaled === 0) return "0";
  const sign = n < 0 ? "-" : "";
  // Integer arithmetic is exact below 2^53; beyond that, fall back to toFixed.
  if (!Number.isSafeInteger(scaled)) {
    const [i, f = ""] = Math.abs(n).toFixed(maxDecimals).split(".");
    const frac = f.replace(/0+$/, "");
    return sign + groupThousands(i!) + (frac ? "," + frac : "");
  }
  const whole = Math.floor(scaled / factor);
  const rest = scaled - whole * factor;
  if (rest === 0) return sign + groupThousands(String(whole));
  const frac = String(rest).padStart(maxDecimals, "0").replace(/0+$/, "");
  return sign + groupThousands(String(whole)) + "," + frac;
}

/** 95.5 -> "95,5 %" (the value is already in percent units). */
export function formatPercent(p: number, maxDecimals = 1): string {
  return formatNumber(p, maxDecimals) + " %";
}

/** Exactly `decimals` decimals, for columns that must line up: 75.8 -> "75,80" with 2. */
export function formatFixed(n: number, decimals: number): string {
  const text = formatNumber(n, decimals);
  if (decimals === 0 || !Number.isFinite(n)) return text;
  const comma = text.indexOf(",");
  const have = comma < 0 ? 0 : text.length - comma - 1;
  return (comma < 0 ? text + "," : text) + "0".repeat(decimals - have);
}

/** Decimals of every score people see: the scoring rules round to hundredths. */
export const SCORE_DECIMALS = 2;
/** Number format of score cells, so a sheet shows them as the documents do. */
export const SCORE_NUMBER_FORMAT = "0.00";

/** A score, always with two decimals so a table's column lines up: "75,80", "79,31". */
export function formatScore(n: number): string {
  return formatFixed(n, SCORE_DECIMALS);
}

/** A completion rate in percent, one decimal always, "—" when there is none: "100,0 %", "95,5 %". */
export function formatRate(rate: number | null): string {
  return rate === null ? "—" : formatFixed(rate, 1) + " %";
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/**
 * Calendar parts in Vietnam's time zone (UTC+7, no daylight saving), so a
 * date made on a UTC server or in Apps Script prints the same day.
 */
export function vietnamParts(d: Date): { day: number; month: number; year: number; hour: number; minute: number } {
  const shifted = new Date(d.getTime() + 7 * 3600_000);
  return {
    day: shifted.getUTCDate(),
    month: shifted.getUTCMonth() + 1,
    year: shifted.getUTCFullYear(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/** "10/03/2023" */
export function formatDate(d: Date): string {
  const p = vietnamParts(d);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/** "10/03/2023 14:05" */
export function formatDateTime(d: Date): string {
  const p = vietnamParts(d);
  return `${formatDate(d)} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** "ngày 10 tháng 3 năm 2023", the form used on the place-and-date line of a document. */
export function formatLongDate(d: Date): string {
  const p = vietnamParts(d);
  // Decree 30/2020: days below 10 and months below 3 take a leading zero.
  const day = p.day < 10 ? "0" + p.day : String(p.day);
  const month = p.month < 3 ? "0" + p.month : String(p.month);
  return `ngày ${day} tháng ${month} năm ${p.year}`;
}

/** ISO date "2023-03-10" read as that calendar day in Vietnam. */
export function parseIsoDate(iso: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d) - 7 * 3600_000);
  const back = vietnamParts(date);
  return back.year === y && back.month === mo && back.day === d ? date : undefined;
}

/** "10/03/2023" (or "10/3/2023") -> "2023-03-10"; undefined when it is not a day/month/year text. */
export function vietnameseDateToIso(text: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  return m ? `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}` : undefined;
}

/** "10/03/2023" -> that calendar day in Vietnam; undefined for another form or a day that does not exist (31/02). */
export function parseVietnameseDate(text: string): Date | undefined {
  const iso = vietnameseDateToIso(text);
  return iso ? parseIsoDate(iso) : undefined;
}

/** A date -> "2023-03-10", the calendar day in Vietnam. */
export function isoDateOf(d: Date): string {
  const p = vietnamParts(d);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** A span of years as people write it: "2021–2025", and a single year alone ("2023", never "2023–2023"). */
export function yearSpan(from: number | string, to: number | string): string {
  return String(from) === String(to) ? String(from) : `${from}–${to}`;
}
