/**
 * Checks encoded bytes against the reference table: every populated field must appear under its reference
 * number with the right wire type and value, nothing unset may appear, and no unknown number may appear.
 * Returns the list of problems (empty when the bytes match) so a failing test shows all of them at once.
 */
import { camel, REFERENCE_MESSAGES, WELL_KNOWN_MESSAGES } from './reference.ts';
import { type Cardinality, isScalar, parseFieldType, wireTypeOf } from './reference-types.ts';
import type { Sample } from './samples.ts';
import { readPacked, readRecords, utf8, type WireRecord } from './wire-reader.ts';

/** Whether ts-proto must put a field with this value on the wire (proto3 implicit vs explicit presence). */
export function isPopulated(value: unknown, cardinality: Cardinality): boolean {
  if (value === undefined) return false;
  if (cardinality === 'optional') return true;
  if (cardinality === 'repeated') return (value as unknown[]).length > 0;
  if (cardinality === 'map') return Object.keys(value as object).length > 0;
  return value !== 0 && value !== '' && value !== false;
}

export function checkMessage(message: string, sample: Sample, bytes: Uint8Array, path = message): string[] {
  const table = REFERENCE_MESSAGES[message] ?? WELL_KNOWN_MESSAGES[message];
  if (!table) return [`${path}: no reference table for ${message}`];
  const problems: string[] = [];
  const records = readRecords(bytes);
  const known = new Set(Object.values(table).map(([num]) => num));
  for (const r of records) {
    if (!known.has(r.field)) problems.push(`${path}: field number ${r.field} is not in the reference`);
  }
  for (const [field, [num, type]] of Object.entries(table)) {
    const { cardinality, base } = parseFieldType(type);
    const value = sample[camel(field)];
    const found = records.filter((r) => r.field === num);
    const where = `${path}.${field}(#${num})`;
    if (!isPopulated(value, cardinality)) {
      if (found.length > 0) problems.push(`${where}: not set, yet ${found.length} record(s) on the wire`);
      continue;
    }
    if (cardinality === 'map') {
      problems.push(...checkMap(value as Record<string, string>, found, where));
    } else if (cardinality === 'repeated' && isScalar(base) && base !== 'string') {
      problems.push(...checkPacked(base, value as number[], found, where));
    } else if (cardinality === 'repeated') {
      const values = value as unknown[];
      if (found.length !== values.length) problems.push(`${where}: ${found.length} records, expected ${values.length}`);
      for (const [i, r] of found.entries()) problems.push(...checkValue(base, values[i], r, `${where}[${i}]`));
    } else if (found.length !== 1) {
      problems.push(`${where}: ${found.length} records, expected 1`);
    } else {
      problems.push(...checkValue(base, value, found[0]!, where));
    }
  }
  return problems;
}

function checkValue(base: string, value: unknown, r: WireRecord, where: string): string[] {
  const wireType = wireTypeOf(base);
  if (r.wireType !== wireType) return [`${where}: wire type ${r.wireType}, expected ${wireType}`];
  let ok: boolean;
  switch (base) {
    case 'int64':
    case 'int32':
      ok = BigInt.asIntN(64, r.int!) === BigInt(value as number);
      break;
    case 'bool':
      ok = r.int === (value ? 1n : 0n);
      break;
    case 'double':
      ok = Object.is(r.double, value);
      break;
    case 'string':
      ok = utf8(r.bytes) === value;
      break;
    case 'g.p.Struct':
      return checkStruct(value as Record<string, unknown>, r.bytes!, where);
    case 'g.p.FieldMask':
      return checkMessage(base, { paths: value }, r.bytes!, where);
    default:
      return checkMessage(base, value as Sample, r.bytes!, where);
  }
  return ok ? [] : [`${where}: wire value does not match ${JSON.stringify(value)}`];
}

/** Packed encoding: one length-delimited record holding all the values (what proto3 and the Go service emit). */
function checkPacked(base: string, values: number[], found: WireRecord[], where: string): string[] {
  if (found.length !== 1 || found[0]!.wireType !== 2) return [`${where}: expected one packed (wire type 2) record`];
  const read = readPacked(found[0]!.bytes!, base === 'double');
  const expected = base === 'double' ? values : values.map((v) => BigInt(v));
  const actual = base === 'double' ? read : (read as bigint[]).map((v) => BigInt.asIntN(64, v));
  return JSON.stringify(actual, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) ===
    JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
    ? []
    : [`${where}: packed values differ`];
}

/** map<string, string>: one entry message per key, key = field 1, value = field 2, both length-delimited. */
function checkMap(value: Record<string, string>, found: WireRecord[], where: string): string[] {
  const problems: string[] = [];
  const seen: Record<string, string> = {};
  for (const r of found) {
    if (r.wireType !== 2) return [`${where}: map entry with wire type ${r.wireType}`];
    const entry = readRecords(r.bytes!);
    const key = entry.find((e) => e.field === 1 && e.wireType === 2);
    const val = entry.find((e) => e.field === 2 && e.wireType === 2);
    if (!key || !val) problems.push(`${where}: map entry without key(1)/value(2)`);
    else seen[utf8(key.bytes)] = utf8(val.bytes);
  }
  const sorted = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort());
  if (sorted(seen) !== sorted(value)) problems.push(`${where}: map entries differ`);
  return problems;
}

/** google.protobuf.Struct: `fields` (#1) is a map<string, Value>; check one entry per key. */
function checkStruct(value: Record<string, unknown>, bytes: Uint8Array, where: string): string[] {
  const entries = readRecords(bytes);
  const keys = entries.map((e) => {
    const key = e.field === 1 && e.wireType === 2 ? readRecords(e.bytes!).find((k) => k.field === 1) : undefined;
    return key ? utf8(key.bytes) : '?';
  });
  return keys.sort().join() === Object.keys(value).sort().join() ? [] : [`${where}: Struct keys ${keys.join()}`];
}
