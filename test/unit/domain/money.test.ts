import { describe, expect, it } from 'vitest';
import { asCurrency } from '../../../src/domain/currency.ts';
import {
  addMoney,
  bigMinorToWireNumber,
  checkAmount,
  fromDecimalString,
  MAX_MINOR_UNITS,
  minorUnits,
  money,
  parseAmount,
  toDecimalString,
  totalValue,
  toWireNumber,
} from '../../../src/domain/money.ts';
import { Violations } from '../../../src/domain/validation.ts';
import { catchAppError } from './support.ts';

describe('parseAmount from a wire double', () => {
  it.each([
    [10, 1000],
    [10.01, 1001],
    [0.01, 1],
    [0.1, 10],
    [19.99, 1999],
    [1.005, 'too_many_decimals'],
    [10.001, 'too_many_decimals'],
    [0.001, 'too_many_decimals'],
    [1e-7, 'too_many_decimals'],
    [-5.5, -550],
    [9999999999999.99, 999_999_999_999_999],
    [10000000000000, 'too_large'],
    [1e21, 'too_large'],
    [Number.NaN, 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'not_a_number'],
  ] as const)('%s → %s', (input, expected) => {
    expect(parseAmount(input)).toBe(expected);
  });

  it('takes float noise from arithmetic as the intended cents', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(parseAmount(0.1 + 0.2)).toBe(30);
    expect(parseAmount(1.1 * 3)).toBe(330);
    expect(parseAmount(0.7 + 0.1)).toBe(80);
    expect(parseAmount(100 * 1.1)).toBe(11000);
  });

  it('round-trips every cent value of a range exactly', () => {
    for (let cents = 0; cents < 100_000; cents += 7) {
      const wire = toWireNumber(minorUnits(cents));
      expect(parseAmount(wire)).toBe(cents);
    }
  });
});

describe('parseAmount from a decimal string', () => {
  it.each([
    ['10', 1000],
    ['10.5', 1050],
    ['10.50', 1050],
    ['0.01', 1],
    ['-3.20', -320],
    ['9999999999999.99', 999_999_999_999_999],
    ['10.001', 'too_many_decimals'],
    ['10.000', 1000],
    ['10.0010', 'too_many_decimals'],
    ['10000000000000.00', 'too_large'],
    ['1e3', 'not_a_number'],
    [' 10', 'not_a_number'],
    ['', 'not_a_number'],
    ['abc', 'not_a_number'],
    ['10.', 'not_a_number'],
  ] as const)('%j → %s', (input, expected) => {
    expect(parseAmount(input)).toBe(expected);
  });
});

describe('checkAmount', () => {
  const check = (value: unknown, sign: 'positive' | 'non_negative' = 'positive') => {
    const v = new Violations();
    const result = checkAmount(v, 'price', value, { sign });
    return { result, messages: v.items.map((item) => item.message) };
  };

  it('keeps the original texts', () => {
    expect(check(0).messages).toEqual(['price must be greater than 0']);
    expect(check(-1).messages).toEqual(['price must be greater than 0']);
    expect(check(10.001).messages).toEqual(['price must have at most 2 decimal places']);
    expect(check(1e14).messages).toEqual(['price must not exceed 9999999999999.99']);
    expect(check('x').messages).toEqual(['price must be a number']);
    expect(check(undefined).messages).toEqual(['price must be a number']);
  });

  it('allows 0 for non-negative amounts but not below', () => {
    expect(check(0, 'non_negative')).toEqual({ result: 0, messages: [] });
    expect(check(-0.01, 'non_negative').messages).toEqual(['price cannot be negative']);
  });

  it('accepts the largest DECIMAL(15,2)', () => {
    expect(check(9999999999999.99).result).toBe(MAX_MINOR_UNITS);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [1001, '10.01'],
    [-1001, '-10.01'],
    [MAX_MINOR_UNITS, '9999999999999.99'],
  ])('%i → %s', (minor, text) => {
    expect(toDecimalString(minorUnits(minor))).toBe(text);
    expect(fromDecimalString(text)).toBe(minor);
  });

  it('sends the nearest double on the wire', () => {
    expect(toWireNumber(minorUnits(1001))).toBe(10.01);
    expect(toWireNumber(minorUnits(MAX_MINOR_UNITS))).toBe(9999999999999.99);
  });

  it('reads a malformed database value as INTERNAL', () => {
    catchAppError(() => fromDecimalString('ten'), 'INTERNAL');
  });

  it('refuses to brand a fraction or an out-of-range number', () => {
    catchAppError(() => minorUnits(1.5), 'INTERNAL');
    catchAppError(() => minorUnits(MAX_MINOR_UNITS + 1), 'INTERNAL');
  });
});

describe('arithmetic', () => {
  const rsd = asCurrency('RSD');
  it('adds in minor units, so 0.10 + 0.20 is exactly 0.30', () => {
    const sum = addMoney(money(minorUnits(10), rsd), money(minorUnits(20), rsd));
    expect(sum).toEqual({ amount: 30, currency: 'RSD' });
    expect(toDecimalString(sum.amount)).toBe('0.30');
  });

  it('refuses to add different currencies', () => {
    catchAppError(() => addMoney(money(minorUnits(1), rsd), money(minorUnits(1), asCurrency('EUR'))), 'INTERNAL');
  });

  it('sums price × quantity beyond 2^53 exactly', () => {
    const total = totalValue([
      { amount: minorUnits(MAX_MINOR_UNITS), quantity: 2_147_483_647 },
      { amount: minorUnits(1), quantity: 1 },
    ]);
    expect(total).toBe(BigInt(MAX_MINOR_UNITS) * 2_147_483_647n + 1n);
    expect(bigMinorToWireNumber(12345n)).toBe(123.45);
  });
});
