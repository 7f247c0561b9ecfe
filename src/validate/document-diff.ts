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
  return FIELDS.filter((field) => canonical(stored[field]) !== canonical(expected[field]));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === undefined) return null;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}
