import { describe, expect, it } from 'vitest';
import {
  canonicalRecord,
  canonicalSourceRow,
  canonicalValue,
  md5Hex,
  rowHash,
} from '../../../src/monolith-migration/mapping/canonical-text.ts';
import { MAPPING_VERSION } from '../../../src/monolith-migration/mapping/constants.ts';
import { decimalAtScale, parseDecimal, plainDecimal } from '../../../src/monolith-migration/mapping/decimals.ts';
import { jsonColumn, parseJson, stringifyJson } from '../../../src/monolith-migration/mapping/json-text.ts';

describe('canonical text (§3.1)', () => {
  it('writes NULL as \\N, booleans as true/false, numbers as digits, text verbatim', () => {
    expect([null, undefined, true, false, 42, 'Ćao 👋'].map(canonicalValue)).toEqual([
      '\\N',
      '\\N',
      'true',
      'false',
      '42',
      'Ćao 👋',
    ]);
  });

  it('joins fields with U+001F', () => {
    expect(canonicalRecord([1, null, 'a'])).toBe('1\u001f\\N\u001fa');
  });

  it('reads a source row in column-name order, whatever order the reader gave', () => {
    expect(canonicalSourceRow({ b: 2, a: 1 })).toBe(canonicalSourceRow({ a: 1, b: 2 }));
    expect(canonicalSourceRow({ b: 2, a: 1 })).toBe('1\u001f2');
  });

  it('hashes MAPPING_VERSION, the table, the row and the inputs into the row hash', () => {
    const row = { id: 1, title: 'x' };
    expect(rowHash('c2c_listings', row, ['i'])).toBe(
      md5Hex(`${MAPPING_VERSION}\nc2c_listings\n${canonicalSourceRow(row)}\ni`),
    );
    expect(rowHash('c2c_listings', row, ['i'])).not.toBe(rowHash('c2c_listings', row, ['j']));
    expect(rowHash('c2c_listings', row, [])).not.toBe(rowHash('b2c_products', row, []));
  });
});

describe('decimals at the column scale', () => {
  it.each([
    ['12.5', 2, '12.50'],
    ['12', 2, '12.00'],
    ['0012.100', 2, '12.10'],
    ['-0.5', 2, '-0.50'],
    ['-0.00', 2, '0.00'],
    ['.5', 2, '0.50'],
    ['44.8178', 8, '44.81780000'],
  ])('%s at scale %i is %s', (text, scale, expected) => {
    expect(decimalAtScale(text, scale)).toBe(expected);
  });

  it('refuses to drop a non-zero digit or to read NaN/Infinity/exponents', () => {
    expect(decimalAtScale('1.005', 2)).toBeNull();
    expect(decimalAtScale('1.0050', 3)).toBe('1.005');
    expect(parseDecimal('NaN')).toBeNull();
    expect(parseDecimal('Infinity')).toBeNull();
    expect(parseDecimal('1e5')).toBeNull();
  });

  it('prints an unbounded numeric as a plain decimal keeping its stored scale', () => {
    expect(plainDecimal('00123.4500')).toBe('123.4500');
    expect(plainDecimal('-0.0')).toBe('0.0');
    expect(plainDecimal('7')).toBe('7');
    expect(plainDecimal('NaN')).toBeNull();
  });
});

describe('JSON without lossy round trips (Q20)', () => {
  it('keeps big integers, trailing zeros, Cyrillic keys, emoji and nested nulls', () => {
    const text = '{"ключ": {"n": 12345678901234567890, "p": 1.50, "x": null}, "e": "🚀", "a": [1.0, "2"]}';
    expect(stringifyJson(parseJson(text))).toBe(
      '{"ключ":{"n":12345678901234567890,"p":1.50,"x":null},"e":"🚀","a":[1.0,"2"]}',
    );
  });

  it('keeps a column holding JSON null apart from SQL NULL', () => {
    expect(jsonColumn(null)).toBeNull();
    expect(stringifyJson({ m: jsonColumn('null') })).toBe('{"m":null}');
  });
});
