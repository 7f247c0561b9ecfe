/**
 * Canonical text (§3.1) and the row hash (§4.3 step 2). Both sides of every comparison (id_map.source_hash, verify's
 * key-column checksums) must produce exactly this text:
 * - NULL → `\N`; booleans → `true` / `false` (PostgreSQL's `bool::text`); integers → decimal digits;
 * - numerics → decimal text at the column's scale (see decimals.ts), timestamps → `YYYY-MM-DDTHH:MM:SS.ffffffZ`
 *   (target rows already hold both in that form);
 * - text verbatim (no escaping: a value holding U+001F or a newline is not expected and would only blur a bucket);
 * - fields joined by U+001F, rows by `\n`.
 */
import { hash } from 'node:crypto';
import { CANONICAL_NULL, FIELD_SEPARATOR, MAPPING_VERSION, ROW_SEPARATOR } from './constants.ts';

export type CanonicalValue = string | number | boolean | null | undefined;

export function canonicalValue(value: CanonicalValue): string {
  if (value === null || value === undefined) return CANONICAL_NULL;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** One row: fields joined by U+001F. */
export function canonicalRecord(values: readonly CanonicalValue[]): string {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += FIELD_SEPARATOR;
    text += canonicalValue(values[i]);
  }
  return text;
}

/** Rows joined by `\n` (no trailing separator). */
export function canonicalRows(records: readonly string[]): string {
  return records.join(ROW_SEPARATOR);
}

export function md5Hex(text: string): string {
  return hash('md5', text, 'hex');
}

/**
 * Sorted column order per row shape: readers hand over rows of a few shapes (a table's row, its related rows), so
 * each shape is sorted once. Keyed by column count and first column, checked against the full key list.
 */
const shapes = new Map<string, { keys: readonly string[]; sorted: readonly string[] }[]>();

function sortedKeys(keys: readonly string[]): readonly string[] {
  const bucketKey = `${keys.length}:${keys[0] ?? ''}`;
  let bucket = shapes.get(bucketKey);
  if (bucket === undefined) {
    bucket = [];
    shapes.set(bucketKey, bucket);
  }
  for (const shape of bucket) {
    if (shape.keys.every((key, i) => key === keys[i])) return shape.sorted;
  }
  const sorted = [...keys].sort();
  // Bounded: a caller building rows with varying keys must not grow this without limit.
  if (bucket.length < 16) bucket.push({ keys: [...keys], sorted });
  return sorted;
}

/**
 * A source row as canonical text, its columns in name order (so the reader's column order does not matter). Values
 * are as received (§3.0.5): the text PostgreSQL printed under the §4.2 session settings, hence stable.
 */
export function canonicalSourceRow(row: object): string {
  const entries = row as Record<string, CanonicalValue>;
  return canonicalRecord(sortedKeys(Object.keys(entries)).map((key) => entries[key]));
}

/**
 * The row hash of id_map.source_hash: md5 of MAPPING_VERSION, the source table, the canonical source row and every
 * other input the target row is derived from (related rows, lookups, options), each as canonical text.
 */
export function rowHash(sourceTable: string, row: object, inputs: readonly string[]): string {
  let text = `${MAPPING_VERSION}${ROW_SEPARATOR}${sourceTable}${ROW_SEPARATOR}${canonicalSourceRow(row)}`;
  for (const input of inputs) text += ROW_SEPARATOR + input;
  return md5Hex(text);
}
