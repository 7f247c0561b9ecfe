/**
 * fast-check arbitraries from the JSON-schema subset /openapi.json uses: type (one or a list, `null` included),
 * enum, minimum/maximum, minLength/maxLength, minItems/maxItems, format (date-time, uuid, uri), properties,
 * required, additionalProperties, anyOf/oneOf (picked among, not checked for exclusivity) and `$ref` to
 * `#/components/schemas/*`. With `hostile`, every node may instead be a wrong-typed, out-of-range, huge or odd value
 * and objects may lose required members or gain unknown ones, so validation paths run too.
 */
import fc from 'fast-check';

export type Schema = Readonly<Record<string, unknown>>;

export interface ArbitraryContext {
  /** `components.schemas` of the document, for `$ref`. */
  readonly schemas: Readonly<Record<string, Schema>>;
  /** Whether to mix invalid values in at every node (about one node in six). */
  readonly hostile: boolean;
  /** Known-good values by property name (e.g. ids of rows that exist), picked three times in four for that name. */
  readonly hints?: Readonly<Record<string, readonly unknown[]>>;
}

const MAX_DEPTH = 6;
const HUGE = 'x'.repeat(20_000);

/** Values that break some schema: wrong types, range edges, unicode, NUL, huge strings, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.000001,
    2 ** 31,
    2 ** 53,
    -(2 ** 63),
    1e308,
    '',
    ' ',
    HUGE,
    '\u0000',
    'a\u0000b',
    '😀🏳️‍🌈',
    'ǅ\u202e\u200b',
    "'; DROP TABLE listings; --",
    '1e309',
    'NaN',
    '2024-02-30T25:61:00Z',
    [],
    [null, {}],
    {},
    { a: { b: { c: { d: [1] } } } },
    { 'k\u0000': 'v' },
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
);

/** An arbitrary of values of `schema` (see the file comment for `hostile`). */
export function schemaArbitrary(schema: Schema, context: ArbitraryContext, depth = 0): fc.Arbitrary<unknown> {
  const valid = validArbitrary(schema, context, depth);
  if (!context.hostile) return valid;
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

function validArbitrary(schema: Schema, context: ArbitraryContext, depth: number): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return schemaArbitrary(resolveRef(schema.$ref, context), context, depth);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (choices !== undefined) return fc.oneof(...choices.map((choice) => schemaArbitrary(choice, context, depth + 1)));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [typeOf(schema)];
  return fc.oneof(...types.map((type) => typedArbitrary(type, schema, context, depth)));
}

function typeOf(schema: Schema): string {
  if (typeof schema.type === 'string') return schema.type;
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'any';
}

function typedArbitrary(type: string, schema: Schema, context: ArbitraryContext, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArbitrary(schema);
    case 'number':
      return numberArbitrary(schema);
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return arrayArbitrary(schema, context, depth);
    case 'object':
      return objectArbitrary(schema, context, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  // Unbounded integers stay 32-bit: wider ones are the hostile values' business.
  const min = typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : -(2 ** 31);
  const max = typeof schema.maximum === 'number' ? Math.floor(schema.maximum) : 2 ** 31 - 1;
  // bigInt handles ranges beyond 32 bits and still favours small values.
  return fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1e9;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1e9;
  const cents = { min: BigInt(Math.ceil(min * 100)), max: BigInt(Math.floor(Math.min(max, 1e12) * 100)) };
  const choices: fc.Arbitrary<number>[] = [fc.double({ min, max, noNaN: true, noDefaultInfinity: true })];
  // Mostly amounts with two decimals, as clients send them.
  if (cents.min <= cents.max) choices.push(fc.bigInt(cents).map((value) => Number(value) / 100));
  return fc.oneof(...choices);
}

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
      .map((date) => date.toISOString());
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'uri') return fc.webUrl();
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(minLength, 64);
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, Math.max(minLength, 40)) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 40) }) },
    { weight: 1, arbitrary: fc.constant('y'.repeat(maxLength)) },
  );
}

function arrayArbitrary(schema: Schema, context: ArbitraryContext, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const declaredMax = typeof schema.maxItems === 'number' ? schema.maxItems : 5;
  const maxLength = depth >= MAX_DEPTH ? minLength : Math.max(minLength, Math.min(declaredMax, 5));
  const items = (schema.items ?? {}) as Schema;
  return fc.array(schemaArbitrary(items, context, depth + 1), { minLength, maxLength });
}

function objectArbitrary(schema: Schema, context: ArbitraryContext, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const members: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    const arbitrary = depth >= MAX_DEPTH ? fc.constant(null) : schemaArbitrary(property, context, depth + 1);
    const hints = context.hints?.[name];
    members[name] = hints?.length
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hints) }, { weight: 1, arbitrary: arbitrary })
      : arbitrary;
  }
  const keysOf = Object.keys(members);
  const requiredKeys = keysOf.filter((key) => required.has(key));
  let object: fc.Arbitrary<Record<string, unknown>> = fc.record(members, { requiredKeys });
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false && depth < MAX_DEPTH) {
    const extra = schema.additionalProperties === true ? {} : (schema.additionalProperties as Schema);
    const dictionary = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }),
      schemaArbitrary(extra, context, depth + 1),
      {
        maxKeys: 3,
      },
    );
    object = fc.tuple(dictionary, object).map(([more, known]) => ({ ...more, ...known }));
  }
  if (!context.hostile) return object;
  // Hostile: sometimes drop a required member, sometimes add members nobody declared.
  return fc.oneof(
    { weight: 4, arbitrary: object },
    {
      weight: 1,
      arbitrary: fc
        .tuple(object, fc.constantFrom(...(requiredKeys.length ? requiredKeys : ['-'])))
        .map(([value, drop]) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== drop))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(object, fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), hostileValue, { maxKeys: 3 }))
        .map(([value, extra]) => ({ ...extra, ...value, __proto__x: 1 })),
    },
  );
}

function resolveRef(ref: string, context: ArbitraryContext): Schema {
  const name = ref.replace(/^#\/components\/schemas\//, '');
  const schema = context.schemas[name];
  if (schema === undefined) throw new Error(`unresolved $ref ${ref}`);
  return schema;
}
