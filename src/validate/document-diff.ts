/**
 * Field-by-field comparison of a stored search document with the one the listing's row builds now: the "mismatched"
 * drift of ops-scripts.md §1.8 (same version, different fields: a mapping bug, a hand edit, a lost write that kept
 * its version). Reports field names, never values, so reports stay small and free of listing text.
 */
import type { SearchDocument } from '../../ports/search-index.ts';

type Field = keyof SearchDocument;

const FIELDS: readonly Field[] = [
  'id',
  'uuid',
  'version',
  'title',
  'description',
  'price',
  'currency',
  'categoryId',
  'status',
  'visibility',
  'sourceType',
  'userId',
  'storefrontId',
  'quantity',
  'sku',
  'stockStatus',
  'attributes',
  'tags',
  'location',
  'city',
  'country',
  'images',
  'viewCount',
  'favoritesCount',
  'createdAt',
  'updatedAt',
  'publishedAt',
];

/** The fields whose values differ (dates by instant, objects by content whatever their key order); [] when equal. */
export function differingFields(stored: SearchDocument, expected: SearchDocument): Field[] {
  return FIELDS.filter((field) => !sameValue(stored[field], expected[field]));
}

/**
 * Deep equality of JSON-like values without building strings (validate compares every field of every listing):
 * dates by instant, arrays in order, objects by their keys whatever their order (jsonb reorders them), and
 * undefined equal to null (a document read back from JSON has no undefined).
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  if (keys.length !== Object.keys(right).filter((key) => right[key] !== undefined).length) return false;
  for (const key of keys) if (!sameValue(left[key], right[key])) return false;
  return true;
}
