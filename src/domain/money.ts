/**
 * Money without floating point.
 *
 * An amount is a whole number of minor units (hundredths): the database column is DECIMAL(15,2), so the scale is 2
 * for every currency (even those whose ISO 4217 exponent is 0 or 3) and at most 13 integer digits fit. The largest
 * amount, 999 999 999 999 999 minor units, is below 2^53, so a JS safe integer holds it exactly; sums that can grow
 * beyond (Σ price × quantity) use bigint.
 *
 * The wire carries prices as a protobuf `double`. A double is converted through its shortest round-trip decimal text
 * (what `String(n)` prints), then scaled exactly with bigint, so `10.01` is 1001 minor units and never
 * 1000.9999999999999. A double that is a whole number of cents up to binary noise (`0.1 + 0.2` =
 * 0.30000000000000004) is accepted as that number of cents; anything further off (`10.001`) has more than two
 * decimals and is rejected. Decimal strings (REST, SQL) are exact: no tolerance.
 */

import type { CurrencyCode } from './currency.ts';
import { AppError } from './errors.ts';
import type { Violations } from './validation.ts';

declare const minorUnitsBrand: unique symbol;
/** A whole number of hundredths of a currency unit. Build one with the parse functions or {@link minorUnits}. */
export type MinorUnits = number & { readonly [minorUnitsBrand]: true };

export const MINOR_SCALE = 2;
/** DECIMAL(15,2): 9999999999999.99. */
export const MAX_MINOR_UNITS = 999_999_999_999_999;

export interface Money {
  readonly amount: MinorUnits;
  readonly currency: CurrencyCode;
}

/** Why a value is not an amount. */
export type AmountProblem = 'not_a_number' | 'too_many_decimals' | 'too_large';

/** Brands a whole number of minor units; throws INTERNAL for anything else (a programming error, not input). */
export function minorUnits(value: number): MinorUnits {
  if (!Number.isSafeInteger(value) || Math.abs(value) > MAX_MINOR_UNITS) {
    throw new AppError('INTERNAL', `not a valid amount of minor units: ${value}`);
  }
  return value as MinorUnits;
}

export function money(amount: MinorUnits, currency: CurrencyCode): Money {
  return { amount, currency };
}

const STRICT_DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
const DOUBLE_TEXT = /^(-)?(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Parses a wire double or an exact decimal string into signed minor units. */
export function parseAmount(input: number | string): MinorUnits | AmountProblem {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return 'not_a_number';
    // Binary noise of a few ulps (the result of arithmetic on doubles), and never less than 1e-7 of a cent.
    const toleranceInCents = Math.max(1e-7, Math.abs(input) * 100 * 4 * Number.EPSILON);
    return fromText(String(input), DOUBLE_TEXT, toleranceInCents);
  }
  if (typeof input !== 'string') return 'not_a_number';
  return fromText(input, STRICT_DECIMAL, 0);
}

function fromText(text: string, pattern: RegExp, toleranceInCents: number): MinorUnits | AmountProblem {
  const match = pattern.exec(text);
  if (!match) return 'not_a_number';
  const negative = match[1] === '-';
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? 0);
  const digits = BigInt(`${match[2]}${fraction}`);
  // value = digits × 10^-scale; in cents that is digits × 10^(2 - scale)
  const shift = MINOR_SCALE - (fraction.length - exponent);
  let cents: bigint;
  if (shift >= 0) {
    cents = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const quotient = digits / divisor;
    const remainder = digits % divisor;
    if (remainder !== 0n) {
      const roundUp = remainder * 2n >= divisor;
      const nearest = roundUp ? quotient + 1n : quotient;
      const distance = roundUp ? divisor - remainder : remainder;
      if (toleranceInCents === 0 || Number(distance) / Number(divisor) > toleranceInCents) return 'too_many_decimals';
      cents = nearest;
    } else {
      cents = quotient;
    }
  }
  if (cents > BigInt(MAX_MINOR_UNITS)) return 'too_large';
  const value = Number(cents);
  return (negative && value !== 0 ? -value : value) as MinorUnits;
}

export interface PriceRules {
  /** `positive` (> 0, prices) or `non_negative` (≥ 0, cost prices and filter bounds). */
  readonly sign: 'positive' | 'non_negative';
}

/**
 * Validates an amount from the wire, recording a violation under `field`:
 * `price must be greater than 0`, `price must have at most 2 decimal places`,
 * `price must not exceed 9999999999999.99`, `price must be a number`.
 */
export function checkAmount(v: Violations, field: string, value: unknown, rules: PriceRules): MinorUnits | undefined {
  const parsed = typeof value === 'number' || typeof value === 'string' ? parseAmount(value) : 'not_a_number';
  if (parsed === 'not_a_number') {
    v.add(field, 'not_a_number', `${field} must be a number`);
    return undefined;
  }
  if (parsed === 'too_many_decimals') {
    v.add(field, 'too_many_decimals', `${field} must have at most 2 decimal places`);
    return undefined;
  }
  if (parsed === 'too_large' || parsed < -MAX_MINOR_UNITS) {
    v.add(field, 'out_of_range', `${field} must not exceed ${toDecimalString(minorUnits(MAX_MINOR_UNITS))}`);
    return undefined;
  }
  if (rules.sign === 'positive' && parsed <= 0) {
    v.add(field, 'must_be_positive', `${field} must be greater than 0`);
    return undefined;
  }
  if (rules.sign === 'non_negative' && parsed < 0) {
    v.add(field, 'negative', `${field} cannot be negative`);
    return undefined;
  }
  return parsed;
}

/** `1001` → `"10.01"`: the text for a DECIMAL(15,2) parameter. */
export function toDecimalString(amount: MinorUnits): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const units = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${units}.${cents.toString().padStart(2, '0')}`;
}

/** The double sent on the wire: the nearest double to the exact decimal. */
export function toWireNumber(amount: MinorUnits): number {
  return Number(toDecimalString(amount));
}

/**
 * Reads a DECIMAL(15,2) value as the database driver returns it (`"10.50"`, `"10.5"`, `"10"`). Malformed text
 * means a broken row or driver, so it throws INTERNAL rather than a validation error.
 */
export function fromDecimalString(text: string): MinorUnits {
  const parsed = parseAmount(text);
  if (typeof parsed === 'string') throw new AppError('INTERNAL', `not a DECIMAL(15,2) value: ${text}`);
  return parsed;
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new AppError('INTERNAL', `cannot add amounts in ${a.currency} and ${b.currency}`);
  }
  return money(minorUnits(a.amount + b.amount), a.currency);
}

/** Σ amount × quantity, exact at any size (for GetProductStats `total_value`). */
export function totalValue(items: Iterable<{ readonly amount: MinorUnits; readonly quantity: number }>): bigint {
  let total = 0n;
  for (const item of items) total += BigInt(item.amount) * BigInt(item.quantity);
  return total;
}

/** A bigint of minor units as the nearest double of the decimal value (for wire fields such as `total_value`). */
export function bigMinorToWireNumber(total: bigint): number {
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const text = `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return Number(text);
}
