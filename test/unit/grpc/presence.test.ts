/**
 * Explicit presence must survive code generation: partial updates apply exactly the `optional` fields that are
 * present, so an unset optional must be absent on the wire while one set to 0 / "" / false / {} is present.
 * Fields without `optional` keep proto3 implicit presence: their zero value is not written at all.
 */
import { describe, expect, it } from 'vitest';
import { codecOf, encode } from './codecs.ts';
import { camel, REFERENCE_MESSAGES } from './reference.ts';
import { isScalar, parseFieldType, wireTypeOf } from './reference-types.ts';
import { readRecords } from './wire-reader.ts';

interface Case {
  message: string;
  field: string;
  num: number;
  base: string;
}

function fieldsWhere(cardinality: 'optional' | 'singular'): Case[] {
  return Object.entries(REFERENCE_MESSAGES).flatMap(([message, table]) =>
    Object.entries(table)
      .map(([field, [num, type]]) => ({ message, field, num, ...parseFieldType(type) }))
      .filter((f) => f.cardinality === cardinality)
      .map(({ message, field, num, base }) => ({ message, field, num, base })),
  );
}

/** The zero value a client could deliberately send: 0, "", false, an empty Struct / FieldMask / message. */
function zeroOf(base: string): unknown {
  if (base === 'string') return '';
  if (base === 'bool') return false;
  if (base === 'g.p.FieldMask') return [];
  if (base === 'g.p.Struct') return {};
  return isScalar(base) ? 0 : codecOf(base).fromPartial({});
}

const OPTIONAL = fieldsWhere('optional');
const SINGULAR_SCALARS = fieldsWhere('singular').filter((f) => isScalar(f.base));

describe('optional fields (explicit presence)', () => {
  it('covers all 185 optional fields of the reference', () => {
    expect(OPTIONAL).toHaveLength(185);
  });

  it.each(OPTIONAL)('$message.$field: unset is absent, set to zero is present', ({ message, field, num, base }) => {
    const key = camel(field);
    const codec = codecOf(message);

    const unset = encode(message, {});
    expect(unset).toHaveLength(0);
    expect((codec.decode(unset) as Record<string, unknown>)[key]).toBeUndefined();

    const zero = zeroOf(base);
    const set = encode(message, { [key]: zero });
    const records = readRecords(set);
    expect(records.map((r) => [r.field, r.wireType])).toEqual([[num, wireTypeOf(base)]]);
    if (isScalar(base) && base !== 'string') expect(records[0]!.int).toBe(0n);
    else expect(records[0]!.bytes).toHaveLength(0);
    expect((codec.decode(set) as Record<string, unknown>)[key]).toStrictEqual(zero);
  });
});

describe('plain scalar fields (implicit presence)', () => {
  it.each(SINGULAR_SCALARS)('$message.$field: the zero value is not written', ({ message, field, base }) => {
    expect(encode(message, { [camel(field)]: zeroOf(base) })).toHaveLength(0);
  });
});

describe('a partial update request', () => {
  it('UpdateListingRequest carries exactly the fields the caller set, zeros included', () => {
    const codec = codecOf('UpdateListingRequest');
    const decoded = codec.decode(encode('UpdateListingRequest', { id: 7, userId: 3, price: 0, quantity: 0 }));
    expect(decoded).toStrictEqual({
      id: 7,
      userId: 3,
      title: undefined,
      description: undefined,
      price: 0,
      quantity: 0,
      status: undefined,
    });
  });
});
