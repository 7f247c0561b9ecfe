/**
 * A field as the reference (§3.5) writes it: [field number, type], the type in the reference notation:
 * `int64`, `optional double`, `repeated Listing`, `map<string, string>`, `g.p.Struct` (g.p = google.protobuf).
 */
export type FieldSpec = readonly [number: number, type: string];

/** message name → snake_case field name → spec. */
export type MessageTable = Readonly<Record<string, Readonly<Record<string, FieldSpec>>>>;

/** RPC name → [request message, response message]. */
export type RpcTable = Readonly<Record<string, readonly [request: string, response: string]>>;

export type Cardinality = 'singular' | 'optional' | 'repeated' | 'map';

/** Wire types used by this contract: 0 varint, 1 fixed64 (double), 2 length-delimited. */
export type WireType = 0 | 1 | 2;

export interface ParsedType {
  cardinality: Cardinality;
  /** Scalar name (`int64`...), a listings.v1 message name, or a `g.p.*` well-known type; for maps, the value type. */
  base: string;
}

const SCALARS = new Set(['int64', 'int32', 'bool', 'double', 'string']);

export function parseFieldType(type: string): ParsedType {
  const map = /^map<string, (\w+)>$/.exec(type);
  if (map) return { cardinality: 'map', base: map[1]! };
  const [first, second] = type.split(' ');
  if (first === 'optional' || first === 'repeated') return { cardinality: first, base: second! };
  return { cardinality: 'singular', base: first! };
}

export function isScalar(base: string): boolean {
  return SCALARS.has(base);
}

/** Wire type of one value of `base` (packing of repeated scalars is handled by the caller). */
export function wireTypeOf(base: string): WireType {
  if (base === 'double') return 1;
  if (base === 'int64' || base === 'int32' || base === 'bool') return 0;
  return 2;
}
