import { describe, expect, it } from 'vitest';
import { checkCurrency, ISO_4217_CODES, isCurrencyCode } from '../../../src/domain/currency.ts';
import { Violations } from '../../../src/domain/validation.ts';

function messages(value: unknown): string[] {
  const v = new Violations();
  checkCurrency(v, 'currency', value);
  return v.items.map((item) => item.message);
}

describe('currency', () => {
  it('accepts known ISO 4217 codes', () => {
    for (const code of ['RSD', 'EUR', 'USD', 'JPY', 'CHF', 'GBP', 'BAM', 'MKD']) expect(messages(code)).toEqual([]);
  });

  it('keeps the original texts for missing and wrong-length codes', () => {
    expect(messages('')).toEqual(['currency is required']);
    expect(messages(undefined)).toEqual(['currency is required']);
    expect(messages('EURO')).toEqual(['currency must be 3 characters (ISO 4217)']);
    expect(messages('EU')).toEqual(['currency must be 3 characters (ISO 4217)']);
  });

  it('rejects lower case and unknown codes', () => {
    expect(messages('rsd')).toEqual(['currency must be 3 uppercase letters (ISO 4217)']);
    expect(messages('R$D')).toEqual(['currency must be 3 uppercase letters (ISO 4217)']);
    expect(messages('ABC')).toEqual(['currency must be a known ISO 4217 code']);
    expect(messages('XXX')).toEqual(['currency must be a known ISO 4217 code']);
    expect(messages('XAU')).toEqual(['currency must be a known ISO 4217 code']);
  });

  it('holds distinct three-letter upper-case codes', () => {
    expect(ISO_4217_CODES.length).toBeGreaterThan(150);
    expect(new Set(ISO_4217_CODES).size).toBe(ISO_4217_CODES.length);
    for (const code of ISO_4217_CODES) expect(code).toMatch(/^[A-Z]{3}$/);
    expect(isCurrencyCode('RSD')).toBe(true);
    expect(isCurrencyCode('HRK')).toBe(false);
  });
});
