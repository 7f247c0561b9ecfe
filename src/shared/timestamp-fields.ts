/** The fields of a timestamp as PostgreSQL prints it (ISO DateStyle), not yet checked against the calendar. */
export interface TimestampFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** The fraction in microseconds (`.5` → 500000). */
  readonly micros: number;
}

const DASH = 0x2d;
const COLON = 0x3a;
const SPACE = 0x20;
const LETTER_T = 0x54;
const DOT = 0x2e;
const ZERO = 0x30;

/**
 * `text[0, end)` read as `YYYY-MM-DD HH:MM:SS` with 0 to 6 fraction digits (`T` also accepted between date and time
 * when `allowT`), digit by digit; null when the shape differs or a character is not a digit. No range is checked:
 * each caller has its own rules (and its general parser for everything else). Reading by character codes costs a
 * fraction of a regular expression's captures or of `new Date(text)`, and both callers read timestamps per row.
 */
export function readTimestampFields(text: string, end: number, allowT: boolean): TimestampFields | null {
  if (end < 19 || end === 20 || end > 26) return null;
  const separator = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== DASH ||
    text.charCodeAt(7) !== DASH ||
    (separator !== SPACE && !(allowT && separator === LETTER_T)) ||
    text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON ||
    (end > 19 && text.charCodeAt(19) !== DOT)
  ) {
    return null;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  const fraction = end > 19 ? digitsAt(text, 20, end) : 0;
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || fraction < 0) return null;
  return { year, month, day, hour, minute, second, micros: end > 19 ? fraction * 10 ** (26 - end) : 0 };
}

/** The decimal number written at `text[from, to)`, or -1 when a character there is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
