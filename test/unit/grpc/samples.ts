/**
 * Builds, from the reference table alone, a sample of a message with every field populated by a distinct,
 * non-default value (so a field written under the wrong number or type cannot go unnoticed).
 * Property names are the lowerCamelCase ones ts-proto generates.
 */
import { camel, REFERENCE_MESSAGES } from './reference.ts';
import { isScalar, parseFieldType } from './reference-types.ts';

export type Sample = Record<string, unknown>;

/** Nested messages are populated down to this depth, then left empty (CategoryTreeNode is recursive). */
const MAX_DEPTH = 2;

function scalarValue(base: string, num: number, name: string, nth = 0): unknown {
  switch (base) {
    case 'int64':
      // Above 2^32 so that the full 64-bit varint path is exercised.
      return 1_000_000_007 * num + nth;
    case 'int32':
      return 100 + num + nth;
    case 'double':
      return num + 0.25 + nth;
    case 'bool':
      return nth === 0;
    case 'string':
      return `${name}-ü${num}${nth ? `-${nth}` : ''}`;
    default:
      throw new Error(`not a scalar: ${base}`);
  }
}

function singleValue(base: string, num: number, name: string, depth: number): unknown {
  if (isScalar(base)) return scalarValue(base, num, name);
  switch (base) {
    case 'g.p.Timestamp':
      return { seconds: 1_762_689_600 + num, nanos: 500_000_000 };
    case 'g.p.Struct':
      return { text: 'x', count: 2, flag: true, nested: { deep: 'y' }, list: [1, 'a'], nothing: null };
    case 'g.p.FieldMask':
      return ['title', 'price'];
    default:
      return depth >= MAX_DEPTH ? {} : sampleOf(base, depth + 1);
  }
}

/** A sample of `message` (a listings.v1 name from the reference) with every field set. */
export function sampleOf(message: string, depth = 0): Sample {
  const table = REFERENCE_MESSAGES[message];
  if (!table) throw new Error(`no reference table for ${message}`);
  const sample: Sample = {};
  for (const [field, [num, type]] of Object.entries(table)) {
    const { cardinality, base } = parseFieldType(type);
    const key = camel(field);
    if (cardinality === 'map') {
      sample[key] = { color: `red-${num}`, size: 'M' };
    } else if (cardinality === 'repeated') {
      sample[key] = isScalar(base)
        ? [scalarValue(base, num, field), scalarValue(base, num, field, 1)]
        : [singleValue(base, num, field, depth)];
    } else {
      sample[key] = singleValue(base, num, field, depth);
    }
  }
  return sample;
}
