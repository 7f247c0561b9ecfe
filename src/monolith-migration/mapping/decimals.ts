/** Decimal text without floating point: numerics travel as strings (§3.0.5) and are written at the column's scale. */

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

export interface ParsedDecimal {
  readonly negative: boolean;
  /** Integer digits without leading zeros ('' for zero). */
  readonly integer: string;
  /** Fraction digits without trailing zeros. */
  readonly fraction: string;
}

/** Parses a finite decimal (`NaN`, `Infinity`, exponents → null). */
export function parseDecimal(text: string): ParsedDecimal | null {
  const m = DECIMAL_PATTERN.exec(text.trim());
  if (m === null) return null;
  const [, sign, intPart = '', fracPart = ''] = m;
  if (intPart === '' && fracPart === '') return null;
  const integer = intPart.replace(/^0+/, '');
  const fraction = fracPart.replace(/0+$/, '');
  return { negative: sign === '-' && (integer !== '' || fraction !== ''), integer, fraction };
}

/** Sign of a parsed decimal: -1, 0 or 1. */
export function decimalSign(d: ParsedDecimal): -1 | 0 | 1 {
  if (d.integer === '' && d.fraction === '') return 0;
  return d.negative ? -1 : 1;
}

/**
 * The decimal at exactly `scale` fraction digits (`12.5` → `12.50` at scale 2), or null when that would drop a
 * non-zero digit or the value is not a finite decimal.
 */
export function decimalAtScale(text: string, scale: number): string | null {
  const d = parseDecimal(text);
  if (d === null || d.fraction.length > scale) return null;
  const integer = d.integer === '' ? '0' : d.integer;
  const body = scale === 0 ? integer : `${integer}.${d.fraction.padEnd(scale, '0')}`;
  return d.negative ? `-${body}` : body;
}

/** Plain decimal text with no exponent, keeping the stored scale (the text PostgreSQL printed), `-0` as `0`. */
export function plainDecimal(text: string): string | null {
  const m = DECIMAL_PATTERN.exec(text.trim());
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const [, sign, intPart = '', fracPart] = m;
  const integer = intPart.replace(/^0+(?=\d)/, '') || '0';
  const body = fracPart === undefined || fracPart === '' ? integer : `${integer}.${fracPart}`;
  return sign === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}
